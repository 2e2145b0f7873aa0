"""What the figures need from storage: plain facts, filtered by the rules in ``bot.metrics.rules``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class IdeaFact:
    idea_id: int
    force_slug: str
    theme_slug: str | None
    stage: str
    submitter_id: int | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class DecisionFact:
    idea_id: int
    to_status: str
    at: datetime


class MetricsQueries(Protocol):
    """Reads for the evaluation figures. ``since``/``until`` bound a half-open window (None: unbounded)."""

    def force_names(self) -> Mapping[str, str]: ...

    def theme_names(self) -> Mapping[str, str]: ...

    def ideas(self, *, excluding_sources: Collection[str]) -> Sequence[IdeaFact]: ...

    def decisions(self, *, excluding_sources: Collection[str]) -> Sequence[DecisionFact]:
        """Decisions on those ideas, oldest first."""

    def connections_asked(self, since: datetime | None, until: datetime | None) -> int: ...

    def connections_made(self, since: datetime | None, until: datetime | None) -> int:
        """Introductions made in the window: the one rule, ``bot.metrics.rules.CONNECTION_MADE_STATUSES``
        counted at their decision time (roundups and the dashboard both ask this)."""

    def duplicates_flagged(self, since: datetime | None, until: datetime | None) -> int: ...
