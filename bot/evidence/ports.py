"""What the exports need from storage: ideas and decisions as plain records, with the names joined in."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class IdeaRecord:
    id: int
    title: str
    description: str
    problem: str
    evidence: str
    stage: str
    theme_slug: str | None
    theme_name: str
    force_slug: str
    force_name: str
    status: str
    source: str
    visibility: str
    contact_consent: bool
    contact: str
    url: str
    submitter_id: int | None
    submitter_name: str
    submitter_email: str
    created_at: datetime | None
    submitted_at: datetime | None
    updated_at: datetime | None
    shared_as_is: str | None


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    idea_id: int
    idea_title: str
    actor_id: int | None
    actor_name: str
    from_status: str
    to_status: str
    reason: str
    created_at: datetime


class ExportQueries(Protocol):
    def ideas(self, *, statuses: Collection[str] | None = None,
              excluding: Collection[str] = ()) -> Sequence[IdeaRecord]:
        """Ideas in ``statuses`` (None: any) and not in ``excluding``, by id."""

    def decisions(self) -> Sequence[DecisionRecord]:
        """Every decision, oldest first."""
