"""Stored Teams conversation references, and proactive messages through them.

Teams lets a bot write to a person or a channel only into a conversation it was installed in, at the
``serviceUrl`` Teams gave with it. Install events (and every message a person sends) store those
references; uninstall events remove them. ``notify_person`` and ``notify_channel`` are what the review
and roundup features call: they queue through the outbox, so a failed send is retried, never lost,
and a ``dedupe_key`` makes the same notice queue only once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.codec import reply_to_json
from bot.domain import PersonRef, Platform
from bot.queues import OutboxMessage
from bot.replies import Reply
from storage.outbox_store import SqlOutbox
from storage.teams_models import TeamsReferenceRow

if TYPE_CHECKING:
    from adapters.bootstrap import Container

log = logging.getLogger(__name__)

PERSONAL, CHANNEL = "personal", "channel"


class NoReference(LookupError):
    """The app is not installed for that person or in that channel, so the bot cannot write there."""


@dataclass(frozen=True)
class ConversationRef:
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


class TeamsReferences:
    """The repository: one session, the caller commits."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def save(self, ref: ConversationRef, at: datetime) -> None:
        """Insert or refresh (Teams can move a tenant to another serviceUrl; the newest one wins)."""
        values = {
            "scope": ref.scope, "tenant_id": ref.tenant_id, "service_url": ref.service_url[:500],
            "bot_id": ref.bot_id[:255], "aad_object_id": ref.aad_object_id[:128], "user_id": ref.user_id[:255],
            "team_id": ref.team_id[:255], "aad_group_id": ref.aad_group_id[:128],
            "channel_id": ref.channel_id[:255], "name": ref.name[:300], "updated_at": at,
        }
        for _ in range(2):  # a concurrent insert of the same conversation makes the second try an update
            row = self._find(ref.conversation_id)
            if row is not None:
                for key, value in values.items():
                    if value or key in ("service_url", "updated_at"):
                        setattr(row, key, value)
                self._s.flush()
                return
            try:
                with self._s.begin_nested():
                    self._s.add(TeamsReferenceRow(conversation_id=ref.conversation_id[:255], created_at=at, **values))
                return
            except IntegrityError:
                continue
        raise RuntimeError(f"could not store the reference for {ref.conversation_id!r}")

    def _find(self, conversation_id: str) -> TeamsReferenceRow | None:
        return self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.conversation_id == conversation_id[:255])).one_or_none()

    def by_conversation(self, conversation_id: str) -> ConversationRef | None:
        row = self._find(conversation_id)
        return _ref(row) if row else None

    def person(self, tenant_id: str, aad_object_id: str) -> ConversationRef | None:
        """A person's personal chat with the bot, by Entra object id (or ``29:`` id)."""
        row = self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == PERSONAL, TeamsReferenceRow.tenant_id == tenant_id,
            (TeamsReferenceRow.aad_object_id == aad_object_id) | (TeamsReferenceRow.user_id == aad_object_id),
        ).order_by(TeamsReferenceRow.updated_at.desc()).limit(1)).one_or_none()
        return _ref(row) if row else None

    def channel(self, team_id: str, channel_id: str) -> ConversationRef | None:
        row = self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == CHANNEL, TeamsReferenceRow.team_id == team_id,
            TeamsReferenceRow.channel_id == channel_id)).one_or_none()
        return _ref(row) if row else None

    def channels(self, team_id: str) -> list[ConversationRef]:
        rows = self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == CHANNEL, TeamsReferenceRow.team_id == team_id)
            .order_by(TeamsReferenceRow.id)).all()
        return [_ref(r) for r in rows]

    def remove_conversation(self, conversation_id: str) -> int:
        result = self._s.execute(delete(TeamsReferenceRow).where(
            TeamsReferenceRow.conversation_id == conversation_id[:255]))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def remove_team(self, team_id: str) -> int:
        result = self._s.execute(delete(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == CHANNEL, TeamsReferenceRow.team_id == team_id))
        return int(result.rowcount)  # type: ignore[attr-defined]


class StoredPlaces:
    """The sender's ``Places``: each look-up reads the stored references in a session of its own."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def person(self, tenant_id: str, aad_object_id: str) -> ConversationRef | None:
        with self._sessions() as session:
            return TeamsReferences(session).person(tenant_id, aad_object_id)

    def by_conversation(self, conversation_id: str) -> ConversationRef | None:
        with self._sessions() as session:
            return TeamsReferences(session).by_conversation(conversation_id)


def _ref(row: TeamsReferenceRow) -> ConversationRef:
    return ConversationRef(row.scope, row.tenant_id, row.conversation_id, row.service_url, row.aad_object_id,
                           row.user_id, row.team_id, row.channel_id, row.name, row.bot_id, row.aad_group_id)


# --- proactive messages ----------------------------------------------------------------------------

def notify_person(container: Container, person: PersonRef, replies: Sequence[Reply], *,
                  dedupe_key: str | None = None, session: Session | None = None,
                  at: datetime | None = None) -> int | None:
    """Queue replies to a person's personal chat with the bot; returns the outbox id (None when a
    message with this ``dedupe_key`` was queued before).

    Pass ``session`` to queue inside your own transaction (the outbox promise: the change and its
    notice commit together); otherwise this commits on its own and wakes the dispatcher.
    Raises ``NoReference`` when the person has not installed the app.
    """
    if person.platform != Platform.TEAMS.value:
        raise ValueError(f"{person} is not a Teams person")

    def queue(s: Session) -> int | None:
        if TeamsReferences(s).person(person.tenant, person.user_id) is None:
            raise NoReference(f"the app is not installed for {person}")
        # "dm": the sender looks the personal chat up again when it sends, so a serviceUrl that Teams
        # changed in the meantime is honoured.
        message = OutboxMessage(Platform.TEAMS.value, person.tenant, person.user_id,
                                {"replies": [reply_to_json(r) for r in replies]}, kind="dm", dedupe_key=dedupe_key)
        return SqlOutbox(s).enqueue(message, at or datetime.now(UTC))

    return _run(container, queue, session)


def notify_channel(container: Container, team_id: str, channel_id: str, replies: Sequence[Reply], *,
                   dedupe_key: str | None = None, session: Session | None = None,
                   at: datetime | None = None) -> int | None:
    """Queue a new post in a team's channel (``teams:TEAM_ID:CHANNEL_ID``); as ``notify_person``."""

    def queue(s: Session) -> int | None:
        ref = TeamsReferences(s).channel(team_id, channel_id)
        if ref is None:
            raise NoReference(f"the app is not installed in channel teams:{team_id}:{channel_id}")
        message = OutboxMessage(Platform.TEAMS.value, ref.tenant_id, ref.conversation_id,
                                {"replies": [reply_to_json(r) for r in replies]}, thread="",
                                dedupe_key=dedupe_key)
        return SqlOutbox(s).enqueue(message, at or datetime.now(UTC))

    return _run(container, queue, session)


def _run(container: Container, queue: Callable[[Session], int | None], session: Session | None) -> int | None:
    if session is not None:
        return queue(session)
    with container.sessions.begin() as s:
        outbox_id = queue(s)
    container.dispatcher.wake()
    return outbox_id
