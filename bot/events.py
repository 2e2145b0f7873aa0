"""Inbound events: what an adapter hands the core, already stripped of every platform detail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime

from bot.domain import PersonRef


def _without_nul(event: object) -> None:
    """Drop NUL characters from every text field. A NUL never means anything in chat text, and one
    database keeps it while the other (PostgreSQL's text type) refuses the whole write: cleaned here,
    where every inbound event is built, each store sees the same text."""
    for f in fields(event):  # type: ignore[arg-type]
        value = getattr(event, f.name)
        if isinstance(value, str) and "\x00" in value:
            object.__setattr__(event, f.name, value.replace("\x00", ""))


@dataclass(frozen=True)
class Actor:
    """The person behind an event, with what the adapter knows of them."""

    ref: PersonRef
    display_name: str = ""
    email: str = ""
    locale: str = "en"
    # When the platform's directory gave this name, email and locale (None: not from a directory, or it
    # did not answer). Kept with the person, so other workers and a restarted process need not ask again.
    profile_checked_at: datetime | None = None

    def __post_init__(self) -> None:
        _without_nul(self)


@dataclass(frozen=True)
class Message:
    """Free text typed by a person in a direct conversation with the bot."""

    event_id: str
    actor: Actor
    text: str
    at: datetime

    def __post_init__(self) -> None:
        _without_nul(self)


@dataclass(frozen=True)
class Action:
    """A button or choice clicked: ``action_id`` names what, ``value`` carries the choice."""

    event_id: str
    actor: Actor
    action_id: str
    value: str
    at: datetime
    # Free text that came with the click: a reason typed into a modal (Slack), a card input (Teams) or
    # the playground's reason box.
    text: str = ""
    # The answers of a form the button opened (``Button.form``), by input name.
    inputs: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _without_nul(self)


Event = Message | Action
