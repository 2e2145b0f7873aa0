"""What the core needs from storage for a person's data rights: seeing what is held (``my data``),
withdrawing an idea, export and erasure (``bot/data_rights.py`` decides; ``storage/`` implements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain import IdeaSummary, PersonRef


@dataclass(frozen=True)
class MyData:
    """Everything the bot holds about one person, as they see it (``my data``)."""

    display_name: str
    email: str
    platform_ref: str
    force_name: str
    roles: tuple[str, ...]
    ideas: tuple[IdeaSummary, ...]
    has_draft: bool
    connections_asked: int
    decisions_made: int


@dataclass
class Erased:
    """What erasing a person removed (``bot.data_rights.erase_person``)."""

    people: int = 0
    ideas_anonymised: int = 0
    conversations: int = 0
    messages: int = 0


class DataRights(Protocol):
    def my_data(self, person_id: int) -> MyData: ...

    def withdraw(self, idea_id: int, person_id: int, at: datetime) -> str:
        """Withdraw the person's own idea: "withdrawn", "not-yours" (or unknown) or "already"."""

    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        """Everything held about the person, as JSON-ready data; None when nobody is known as ``ref``."""

    def erase(self, ref: PersonRef) -> Erased | None:
        """Erase the person (see ``bot.data_rights``); None when nobody is known as ``ref``."""

    def delete_ideas(self, *, status: str, updated_before: datetime) -> int:
        """Delete ideas in ``status`` last changed before ``updated_before``, with everything hanging off them."""
