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


MAX_SHARED = 5
