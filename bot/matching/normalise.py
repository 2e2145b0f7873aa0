"""Turning free text into comparable word stems.

Officers type in a hurry, on phones, in any case and with or without accents, so every piece of text
(catalogue entries and queries alike) goes through the same steps: fold case and accents, split into
words, drop words that carry no meaning for similarity, and strip common English endings so that
"searches", "searching" and "search" meet. The stemmer is deliberately light: a heavy one (Porter)
merges words that mean different things ("organisation"/"organ", "general"/"generate"), and the typo
and synonym steps cover most of what a light one misses.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.matching.welsh import WELSH_STOP_WORDS

# Bounds on the work done for one text. A message pasted from a report can be many pages long; the
# first few hundred words say what the idea is, and reading further would only cost time.
MAX_CHARS = 6000
MAX_TOKENS = 300

# Letters and digits of any script; "_" and punctuation separate words. Underscore is excluded so
# that internal concept keys (which join stems with "_") can never be typed by a user.
_WORD = re.compile(r"[^\W_]+")
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
# "A&E", "Q & A": an ampersand between two single letters makes one abbreviation ("ae"), not two words.
_LETTER_AMP_LETTER = re.compile(r"(?<![^\W_])([^\W_])\s*&\s*([^\W_])(?![^\W_])")

# Common English function words (and Welsh ones, from bot/matching/welsh.py), plus words that appear in
# nearly every idea submitted to a police network and so say nothing about what the idea is ("police",
# "officers", "idea", "new"...).
# Kept short on purpose: a word that is sometimes telling ("people", "staff", "victims") stays in and
# is down-weighted by its document frequency instead.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again all also am an and any are around as at be because been before being
    below between both but by can cannot could did do does doing down during each else even ever
    every few for from further get gets getting got had has have having he her here hers herself him
    himself his how however i if in into is it its itself just let lets like make makes many may me
    might more most much must my myself need needs no nor not now of off on once one only or other
    others our ours ourselves out over own per quite rather really same shall she should so some
    such than that the their theirs them themselves then there these they this those through to too
    under until up upon us very via want wants was we well were what when where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves etc
    idea ideas new police policing officer officers force forces constabulary thing things way ways
    use uses used using help helps helping would could think thought please thanks thank hi hello
    want wanted trying try better improve improving lot lots able
    """.split()  # noqa: SIM905 - a word list reads better as prose
) | WELSH_STOP_WORDS  # and the Welsh ones, kept in their own module


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Café"`` -> ``"cafe"``), bounded to MAX_CHARS."""
    text = text[:MAX_CHARS]
    if text.isascii():  # the common case, and ten times cheaper than the Unicode path
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """Folded words of ``text`` in order, at most MAX_TOKENS of them."""
    folded = fold(text)
    if "&" in folded:
        folded = _LETTER_AMP_LETTER.sub(r"\1\2", folded)
    if folded.isascii():  # same result as the regex, twice as fast: this runs for every entry indexed
        return folded.translate(_ASCII_SEPARATORS).split()[:MAX_TOKENS]
    return _WORD.findall(folded)[:MAX_TOKENS]  # MAX_CHARS already bounds the regex's work


def is_word(word: str) -> bool:
    """True for words that may name something: not a stop word and longer than one character."""
    return len(word) > 1 and word not in STOP_WORDS


def is_content_word(word: str) -> bool:
    """True for words worth comparing on their own: also not a bare number ("72 hours", "2024"),
    which says little about an idea. Numbers that do ("999", "section 136") are synonym phrases."""
    return len(word) > 1 and word not in STOP_WORDS and not word.isdigit()


def _has_vowel(word: str) -> bool:
    return any(ch in "aeiouy" for ch in word)


_STEMS: dict[str, str] = {}  # word -> stem; a plain dict is faster than lru_cache in bulk
_MAX_CACHED_STEMS = 500_000


def stem_all(words: list[str]) -> list[str]:
    """``[stem(w) for w in words]``, through a cache; equal stems come back as one string object."""
    stems = list(map(_STEMS.get, words))
    if None in stems:
        if len(_STEMS) > _MAX_CACHED_STEMS:
            _STEMS.clear()  # a crude bound; the cache refills with the words in use
        for i, (found, word) in enumerate(zip(stems, words, strict=True)):
            if found is None:
                stems[i] = _STEMS.setdefault(word, stem(word))
    return stems  # type: ignore[return-value]  # no None is left


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer for folded words; anything that is not plain ASCII letters is kept.

    Short words (abbreviations such as "cps", "dbs", "asb") are left alone so that their final "s" is
    not mistaken for a plural.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    w = word
    # Plurals.
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    # Verb endings: "searching"/"searched" -> "search"; "tagged" -> "tag".
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 3 and _has_vowel(base) and not w.endswith("eed"):
            w = base
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousz" and (w[-1] != "l" or len(w) >= 6):
                w = w[:-1]  # "running" -> "run", "patrolling" -> "patrol", but "calling" -> "call"
            break
    else:
        # Nouns made from verbs: "automation" -> "automat" (as "automate"), "prevention" -> "prevent".
        if (w.endswith("ation") and len(w) > 7) or (w.endswith("tion") and len(w) > 7):
            w = w[:-3]
    # A final silent "e": "drone"/"drones" -> "dron", to meet "abusing" -> "abus" with "abuse".
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_stems(text: str) -> list[tuple[str, str]]:
    """``(stem, word)`` for each content word of ``text``, in order."""
    return [(stem(w), w) for w in words(text) if is_content_word(w)]
