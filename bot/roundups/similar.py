"""Similar work across forces: pairs of (an idea of the period, similar work in another force)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.roundups.content import PairSide, RoundupIdea, SimilarPair

SIMILAR_CANDIDATES = 100  # newest ideas of a period checked for similar work elsewhere


class _Entry(Protocol):
    @property
    def idea_id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def force_slug(self) -> str: ...

    @property
    def force_name(self) -> str: ...


class _Found(Protocol):
    @property
    def entry(self) -> _Entry: ...

    @property
    def score(self) -> float: ...

    @property
    def shared(self) -> tuple[str, ...]: ...


class CatalogueLookup(Protocol):
    """What ``bot.matching.Matcher`` offers: the catalogue entries most like a text."""

    def match(self, text: str, limit: int) -> Sequence[_Found]: ...


def similar_pairs(ideas: Sequence[RoundupIdea], finder: CatalogueLookup, *, candidates: int = SIMILAR_CANDIDATES,
                  per_idea: int = 3) -> list[SimilarPair]:
    """Pairs of (an idea of the period, similar work in a *different* force), best first.

    Only the first ``candidates`` ideas are looked up, which bounds the cost for a busy period; pass
    the newest first.
    """
    pairs: dict[frozenset[int], SimilarPair] = {}
    for idea in ideas[:candidates]:
        for found in finder.match(f"{idea.title}. {idea.summary}", per_idea + 1):
            entry = found.entry
            if entry.idea_id == idea.idea_id or entry.force_slug == idea.force_slug:
                continue
            key = frozenset((idea.idea_id, entry.idea_id))
            pair = SimilarPair(PairSide(idea.idea_id, idea.title, idea.force_slug, idea.force_name),
                               PairSide(entry.idea_id, entry.title, entry.force_slug, entry.force_name),
                               tuple(found.shared), float(found.score))
            if key not in pairs or pairs[key].score < pair.score:
                pairs[key] = pair
    return sorted(pairs.values(), key=lambda p: (-p.score, p.first.idea_id, p.second.idea_id))
