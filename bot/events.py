"""Inbound events: what an adapter hands the core, already stripped of every platform detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import PersonRef


@dataclass(frozen=True)
class Actor:
    """The person behind an event, with what the adapter knows of them."""

    ref: PersonRef
    display_name: str = ""
    email: str = ""
    locale: str = "en"


@dataclass(frozen=True)
class Message:
    """Free text typed by a person in a direct conversation with the bot."""

    event_id: str
    actor: Actor
    text: str
    at: datetime


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


Event = Message | Action
