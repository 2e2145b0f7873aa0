"""The values the matcher takes and gives back."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class MatchKind(enum.StrEnum):
    LIKELY_DUPLICATE = "likely-duplicate"  # worth telling the officer "this may already exist"
    RELATED = "related"  # similar enough to be worth a look


@dataclass(frozen=True)
class CatalogueEntry:
    """One existing innovation the matcher can point to."""

    idea_id: int
    title: str
    description: str
    problem: str = ""
    force_slug: str = ""
    force_name: str = ""
    stage: str = "idea"
    status: str = "approved-network"


@dataclass(frozen=True)
class Match:
    entry: CatalogueEntry
    score: float  # 0..100
    kind: MatchKind
    # What the query and the entry share, as a person would read it ("drone", "missing person"), most
    # telling first, at most MAX_SHARED of them.
    shared: tuple[str, ...]
    # When the match rests on meaning more than on shared words: the entry's sentence closest in meaning
    # to the query, so a person can see why it was suggested. Empty otherwise.
    closest: str = ""
    # Cosine similarity of the two texts' embeddings (-1..1), or None when semantic matching is off.
    meaning: float | None = None
    # The lexical score alone (0..100): shared words, phrases and concepts, before meaning is fused in.
    lexical: float = 0.0


MAX_SHARED = 5
