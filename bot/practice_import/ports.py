"""What importing existing practice needs from storage: find entries by their import key, add, update."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class PracticeValues:
    """The fields an import sets on a catalogue entry."""

    title: str
    description: str
    problem: str
    stage: str
    theme_slug: str | None
    force_slug: str
    contact: str
    url: str


class ImportedPractice(Protocol):
    def find(self, keys: Collection[str]) -> Mapping[str, tuple[int, PracticeValues]]:
        """(idea id, current values) of the entries imported before under these keys."""

    def add(self, key: str, values: PracticeValues, *, status: str, at: datetime, reason: str) -> int:
        """A new imported entry (visible by name, source "import") with its first decision; its id."""

    def update(self, idea_id: int, values: PracticeValues, at: datetime) -> None:
        """New values for an entry imported before (its version moves on)."""
