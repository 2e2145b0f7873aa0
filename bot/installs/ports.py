"""Where the app is installed: the stored conversation references a platform makes the bot write through.

Some platforms let a bot write to a person or a channel only into a conversation it was installed in,
at the address the platform gave with it. Install events (and every message a person sends) store
those references; uninstall events remove them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

PERSONAL, CHANNEL = "personal", "channel"


class NoReference(LookupError):
    """The app is not installed for that person or in that channel, so the bot cannot write there."""


@dataclass(frozen=True)
class ConversationRef:
    """One conversation the app was installed into: a person's personal chat or a team's channel.
    ``service_url`` is where the platform takes messages for it (it may change: the newest one wins)."""

    scope: str
    tenant_id: str
    conversation_id: str
    service_url: str
    aad_object_id: str = ""
    user_id: str = ""
    team_id: str = ""
    channel_id: str = ""
    name: str = ""
    bot_id: str = ""
    aad_group_id: str = ""


class Installations(Protocol):
    """The stored conversation references (storage implements it; the unit of work commits)."""

    def save(self, ref: ConversationRef, at: datetime) -> None:
        """Insert or refresh: a non-empty value replaces the stored one; the service URL always does."""

    def by_conversation(self, conversation_id: str) -> ConversationRef | None: ...

    def person(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """A person's personal chat with the bot, by directory object id or platform user id."""

    def channel(self, team_id: str, channel_id: str) -> ConversationRef | None: ...

    def channels(self, team_id: str) -> list[ConversationRef]: ...

    def remove_conversation(self, conversation_id: str) -> int: ...

    def remove_team(self, team_id: str) -> int: ...
