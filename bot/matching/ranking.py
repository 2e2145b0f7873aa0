"""Choosing the best few candidates of a query without measuring every one of them in full.

Split from ``index`` (which finds the candidates) to keep each module readable. A candidate's lexical
score is known cheaply up to its fuzzy signal (rapidfuzz on the two texts), which is counted at its
maximum until measured; ``best`` measures candidates in order of that upper bound and stops as soon as
no remaining bound can beat the results, so a query compares texts with a handful of entries.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from bot.matching import scoring
from bot.matching.model import CatalogueEntry


class Doc:
    """What the index keeps per entry: the entry, its distinct terms, its title's and its text."""

    __slots__ = ("entry", "terms", "text", "title_terms", "title_weight", "weight_n")

    def __init__(self, entry: CatalogueEntry, terms: tuple[str, ...], title_terms: tuple[str, ...],
                 text: str) -> None:
        self.entry = entry
        self.terms = terms
        self.title_terms = title_terms
        self.text = text
        # Sum of the IDF of the title's terms, cached with the catalogue size it was computed at.
        self.title_weight = 0.0
        self.weight_n = -1


Ranked = tuple[float, int, scoring.Score, Doc]  # (final score, idea id, lexical score, entry)


def best(uppers: Iterable[tuple[float, int]], bounds: dict[int, tuple[float, scoring.Score, Doc]],
          prepared: scoring.PreparedQuery, limit: int, threshold: float,
          final: Callable[[float, int], float], search: bool) -> list[Ranked]:
    """The ``limit`` best candidates by ``final(lexical score, idea id)``, at least ``threshold``, best first.

    ``uppers`` holds an upper bound of each candidate's final score (the fuzzy signal counted at its
    maximum); candidates are measured in that order, stopping once no bound can beat the results, so the
    fuzzy comparison runs on a few candidates rather than all of them. ``final`` must not exceed the bound."""
    best: list[tuple[float, int, scoring.Score, Doc]] = []  # min-heap of the `limit` best
    for upper, idea_id in sorted(uppers, key=lambda u: (-u[0], u[1])):
        if upper < threshold or (len(best) >= limit and upper < best[0][0]):
            break
        _, bound, doc = bounds[idea_id]
        full = bound.with_fuzzy(prepared.analysis.text, doc.text)
        value = final(full.search if search else full.match, idea_id)
        if value < threshold:
            continue
        item = (value, -idea_id, full, doc)
        if len(best) < limit:
            heapq.heappush(best, item)
        elif item[:2] > best[0][:2]:
            heapq.heapreplace(best, item)
    return [(value, -neg, full, doc) for value, neg, full, doc in sorted(best, key=lambda b: (-b[0], -b[1]))]
