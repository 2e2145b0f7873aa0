"""Stored conversation references in memory (``bot.installs.ports.Installations``), with the semantics of
``storage.installations``: one per conversation id, refreshed in place, the newest service URL wins."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.installs.ports import CHANNEL, PERSONAL, ConversationRef
from storage.memory.tables import Ids, ReferenceRow, Tables


def _ref(row: ReferenceRow) -> ConversationRef:
    return ConversationRef(row.scope, row.tenant_id, row.conversation_id, row.service_url, row.aad_object_id,
                           row.user_id, row.team_id, row.channel_id, row.name, row.bot_id, row.aad_group_id)


class MemoryInstallations:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def save(self, ref: ConversationRef, at: datetime) -> None:
        values: dict[str, Any] = {"scope": ref.scope, "tenant_id": ref.tenant_id, "bot_id": ref.bot_id[:255],
                  "aad_object_id": ref.aad_object_id[:128], "user_id": ref.user_id[:255],
                  "team_id": ref.team_id[:255], "aad_group_id": ref.aad_group_id[:128],
                  "channel_id": ref.channel_id[:255], "name": ref.name[:300]}
        key = ref.conversation_id[:255]
        row = self._t.references.get(key)
        if row is None:
            row = ReferenceRow(self._ids.next("teams_references"), conversation_id=key, created_at=at,
                               service_url=ref.service_url[:500], updated_at=at, **values)
        else:  # a non-empty value replaces the stored one; the service URL always does
            row = replace(row, service_url=ref.service_url[:500], updated_at=at,
                          **{name: value for name, value in values.items() if value})
        self._t.references[key] = row

    def by_conversation(self, conversation_id: str) -> ConversationRef | None:
        row = self._t.references.get(conversation_id[:255])
        return _ref(row) if row else None

    def person(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        rows = [r for r in self._t.references.values()
                if r.scope == PERSONAL and r.tenant_id == tenant_id and user_id in (r.aad_object_id, r.user_id)]
        return _ref(max(rows, key=lambda r: (r.updated_at, r.id))) if rows else None

    def channel(self, team_id: str, channel_id: str) -> ConversationRef | None:
        return next((_ref(r) for r in self._channels(team_id) if r.channel_id == channel_id), None)

    def _channels(self, team_id: str) -> list[ReferenceRow]:
        return sorted((r for r in self._t.references.values() if r.scope == CHANNEL and r.team_id == team_id),
                      key=lambda r: r.id)

    def channels(self, team_id: str) -> list[ConversationRef]:
        return [_ref(r) for r in self._channels(team_id)]

    def remove_conversation(self, conversation_id: str) -> int:
        return 1 if self._t.references.pop(conversation_id[:255], None) is not None else 0

    def remove_team(self, team_id: str) -> int:
        gone = self._channels(team_id)
        for row in gone:
            del self._t.references[row.conversation_id]
        return len(gone)
