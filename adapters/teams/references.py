"""Proactive messages to Teams people and channels, through the conversation references the app keeps
where it was installed (``bot/installs``; stored by ``handlers.py`` on install and on every message).

``notify_person`` and ``notify_channel`` queue through the outbox (a failed send is retried, never
lost; a ``dedupe_key`` queues the same notice once) and wake the dispatcher. Pass ``uow`` to queue inside
your own transaction (the outbox promise: the change and its notice commit together).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain import PersonRef, Platform
from bot.installs.ports import CHANNEL, PERSONAL, ConversationRef, NoReference
from bot.ports import UnitOfWork
from bot.replies import Reply

if TYPE_CHECKING:
    from adapters.bootstrap import Container

__all__ = ["CHANNEL", "PERSONAL", "ConversationRef", "NoReference", "notify_channel", "notify_person"]

TEAMS = Platform.TEAMS.value


def notify_person(container: Container, person: PersonRef, replies: Sequence[Reply], *,
                  dedupe_key: str | None = None, uow: UnitOfWork | None = None,
                  at: datetime | None = None) -> int | None:
    """Queue replies to a person's personal chat with the bot; returns the outbox id (None when a
    message with this ``dedupe_key`` was queued before). Raises ``NoReference`` when the person has not
    installed the app."""
    if person.platform != TEAMS:
        raise ValueError(f"{person} is not a Teams person")
    outbox_id = container.installs.notify_person(person, replies, dedupe_key=dedupe_key, uow=uow, at=at)
    if uow is None:
        container.dispatcher.wake()
    return outbox_id


def notify_channel(container: Container, team_id: str, channel_id: str, replies: Sequence[Reply], *,
                   dedupe_key: str | None = None, uow: UnitOfWork | None = None,
                   at: datetime | None = None) -> int | None:
    """Queue a new post in a team's channel (``teams:TEAM_ID:CHANNEL_ID``); as ``notify_person``."""
    outbox_id = container.installs.notify_channel(TEAMS, team_id, channel_id, replies, dedupe_key=dedupe_key,
                                                  uow=uow, at=at)
    if uow is None:
        container.dispatcher.wake()
    return outbox_id
