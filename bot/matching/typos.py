"""Correcting misspelt query words towards words the catalogue (or the synonym table) uses.

Only query words are corrected, and only unknown ones of at least MIN_LENGTH (5) letters: shorter words
are too often real words or abbreviations. The look-up is bounded: words are bucketed by first letter
and length, a misspelt word is compared (by optimal string alignment distance, so a swap of two
letters counts as one edit) only with words starting with the same letter and at most one or two
letters longer or shorter, and each query may try at most MAX_LOOKUPS words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching.normalise import STOP_WORDS

Corrector = Callable[[str], str | None]

MIN_LENGTH = 5  # four-letter words are too often real words one letter apart (save/safe, cake/case)
MAX_LOOKUPS = 12  # unknown words per query that may be looked up; bounds work on long input
PER_BUCKET = 8  # closest words taken from each bucket before picking the best


def max_edits(word: str) -> int:
    """Edits allowed: one for words up to eight letters, two for longer ones."""
    return 1 if len(word) <= 8 else 2


class Vocabulary:
    """Folded words seen so far, for typo correction. Only grows: a word whose entries have all gone
    costs a little memory and, at worst, a correction towards a word that then matches nothing."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._buckets: dict[tuple[str, int], list[str]] = {}

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def learn(self, words: Iterable[str]) -> None:
        known, buckets = self._known, self._buckets
        for word in words:
            # One letter shorter than MIN_LENGTH: a five-letter typo may be a four-letter word plus one.
            if word not in known and len(word) >= MIN_LENGTH - 1 and word.isalpha():
                known.add(word)
                buckets.setdefault((word[0], len(word)), []).append(word)

    def corrector(self, popularity: Callable[[str], int], lookups: int = MAX_LOOKUPS) -> Corrector:
        """A fresh per-query corrector. Among equally close words it prefers the more ``popular``
        (e.g. the one more entries use), then the alphabetically first, so results are stable."""
        left = lookups
        known, buckets = self._known, self._buckets

        def correct(word: str) -> str | None:
            nonlocal left
            if len(word) < MIN_LENGTH or word in known or word in STOP_WORDS or not word.isalpha() or left <= 0:
                return None
            left -= 1
            edits = max_edits(word)
            best: tuple[int, int, str] | None = None
            for length in range(len(word) - edits, len(word) + edits + 1):
                bucket = buckets.get((word[0], length))
                if not bucket:
                    continue
                for candidate, distance, _ in process.extract(word, bucket, scorer=OSA.distance,
                                                              score_cutoff=edits, limit=PER_BUCKET):
                    key = (int(distance), -popularity(candidate), candidate)
                    if best is None or key < best:
                        best = key
            return best[2] if best is not None else None

        return correct
