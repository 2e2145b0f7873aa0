"""Conversation states and the draft being built: both are persisted between messages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class State(enum.StrEnum):
    IDLE = "idle"
    AWAITING_DESCRIPTION = "awaiting-description"
    AWAITING_PROBLEM = "awaiting-problem"
    AWAITING_STAGE = "awaiting-stage"
    AWAITING_FORCE = "awaiting-force"
    CONFIRMING = "confirming"
    CHOOSING_EDIT = "choosing-edit"
    AWAITING_EDIT = "awaiting-edit"
    AWAITING_INFO = "awaiting-info"  # a broker asked the officer a question about a submitted idea
    RESUMING = "resuming"  # back to an unfinished draft: carry on with it, or start a new idea


EDITABLE_FIELDS = ("title", "description", "problem", "stage", "theme", "force")
TEXT_FIELDS = ("title", "description", "problem")


@dataclass(frozen=True)
class Draft:
    """An idea being captured. Plain values only, so it round-trips through JSON unchanged."""

    draft_id: str
    description: str = ""
    problem: str = ""
    title: str = ""
    stage: str = ""
    theme: str = ""
    force: str = ""
    editing: str = ""
    visibility: str = "named"
    similar_ids: tuple[int, ...] = field(default_factory=tuple)
    info_for: int = 0  # in AWAITING_INFO: the idea the broker asked about
    # Fields filled in from the officer's own words rather than answered: the summary says so.
    guessed: tuple[str, ...] = field(default_factory=tuple)
    force_guess: str = ""  # a force typed loosely ("lancs"), waiting for a yes
    paused: str = ""  # in RESUMING: the state to carry on from
    held: str = ""  # in RESUMING: what the person typed, kept until they say what it was for

    def to_json(self) -> dict[str, Any]:
        # Every field is a plain value or a tuple of them, so a shallow copy is enough: ``asdict``'s deep
        # copy cost more than the rest of the turn's work in the core (docs/PERFORMANCE.md, "A lighter turn").
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["similar_ids"] = list(self.similar_ids)
        data["guessed"] = list(self.guessed)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["similar_ids"] = tuple(int(i) for i in known.get("similar_ids", ()))
        known["guessed"] = tuple(str(g) for g in known.get("guessed", ()))
        return cls(**known)

    def with_(self, **changes: Any) -> Draft:
        return replace(self, **changes)
