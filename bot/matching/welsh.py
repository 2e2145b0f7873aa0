"""Welsh function words, for the matcher's stop list: an idea written in Welsh is matched on what it is
about, not on "mae", "yn" and "y". Folded (no accents), as the matcher folds text before looking words up.

Words that are also telling English words or abbreviations are left out on purpose ("man", "car", "da" for
domestic abuse, "ai" for artificial intelligence), as are the
Welsh policing terms, which ``storage/data/abbreviations_cy.csv`` maps to the English concepts.
"""

from __future__ import annotations

WELSH_STOP_WORDS: frozenset[str] = frozenset(
    """
    a ac ag am amdani amdano ar arall at bod bob bydd byddai byddwn cael cafodd chi chwi dan dau
    de dros drwy dy dyma dyna dydy dyw e ef efallai ei eich ein eisiau eisoes er eraill eu fe fel felly
    fi fod fy fyddai gall gallai gallu gan gen gennych gennym gennyf gyda gydag gyd hefyd heb hi hon hwn
    hwnnw hyd hyn hynny i iawn mae maen mai mewn mwy na nad nawr neu ni nid nhw o oedd oes ohono ond os
    pa pam pan pawb pe pob pryd pwy rhai rhaid rhwng rwy rydw rydym rydyn sut sy sydd tan trwy tua wedi
    wrth y ydy ydym ydyw yma ymlaen yn yno yr ysgrifennu ynghylch ynglyn ynddo ynddi
    syniad syniadau heddlu heddluoedd swyddog swyddogion newydd gwneud helpu gwella ffordd ffyrdd
    """.split()  # noqa: SIM905 - a word list reads better as prose
)
