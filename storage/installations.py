"""Stored conversation references: where the app was installed, so the bot may write there later
(``bot/installs``). Rows are ``TeamsReferenceRow`` (``storage/teams_models.py``): Teams is the platform
that needs them today."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.installs.ports import CHANNEL, PERSONAL, ConversationRef
from storage.teams_models import TeamsReferenceRow


class SqlInstallations:
    """``bot.installs.ports.Installations``: one session, the caller commits."""

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

    def person(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """A person's personal chat with the bot, by Entra object id (or ``29:`` id)."""
        row = self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == PERSONAL, TeamsReferenceRow.tenant_id == tenant_id,
            (TeamsReferenceRow.aad_object_id == user_id) | (TeamsReferenceRow.user_id == user_id),
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


def _ref(row: TeamsReferenceRow) -> ConversationRef:
    return ConversationRef(row.scope, row.tenant_id, row.conversation_id, row.service_url, row.aad_object_id,
                           row.user_id, row.team_id, row.channel_id, row.name, row.bot_id, row.aad_group_id)
