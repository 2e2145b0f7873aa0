"""Spell-check of the Welsh catalogue against a real Welsh dictionary: the Techiaith hunspell cy_GB
dictionary (bundled by PyPI's ``cymraeg-mcp``), read with the pure-Python ``spylls``.

Placeholders ("{force}") are not words. Words the dictionary lacks must be in the reviewed allow-list
beside this file, each with its reason; a typo is fixed in the catalogue, never listed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from cymraeg_mcp.paths import dictionary_base
from spylls.hunspell import Dictionary

from bot.i18n.cy import MESSAGES as WELSH

ALLOW_LIST = Path(__file__).with_name("welsh_allowlist.txt")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@cache
def dictionary() -> Dictionary:
    return Dictionary.from_files(str(dictionary_base()))


def known(word: str) -> bool:
    d = dictionary()
    return bool(d.lookup(word) or d.lookup(word.lower()) or d.lookup(word[:1].upper() + word[1:]))


def known_with_apostrophes(word: str) -> bool:
    """ "wedi'i", "i'w", "Mae'r": each side of the apostrophe is a word (or a clitic) of its own."""
    if known(word):
        return True
    parts = [p for p in re.split(r"['’]", word) if p]
    return len(parts) > 1 and all(known(p) or known(p + "'") or known("'" + p) for p in parts)


def allowed() -> set[str]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()}


def test_the_dictionary_is_real_and_tells_welsh_from_typos() -> None:
    for word in ("syniad", "heddlu", "swyddog", "arloesi", "brocer", "cymeradwyo", "Cymraeg"):
        assert known(word), word
    for typo in ("syniadd", "heddlw", "swydog", "cymeradwyio"):
        assert not known(typo), typo


def test_every_welsh_word_in_the_catalogue_is_spelt_right() -> None:
    allow = allowed()
    unknown: dict[str, list[str]] = {}
    for key, template in WELSH.items():
        for word in WORD.findall(PLACEHOLDER.sub(" ", template)):
            if word not in allow and not known_with_apostrophes(word):
                unknown.setdefault(word, []).append(key)
    assert unknown == {}, "fix these in bot/i18n/cy.py (or, if right, add them to welsh_allowlist.txt with a reason)"


def test_the_allow_list_holds_only_words_still_needed() -> None:
    used = {word for template in WELSH.values() for word in WORD.findall(PLACEHOLDER.sub(" ", template))}
    stale = {word for word in allowed() if word not in used or known(word)}
    assert stale == set()
