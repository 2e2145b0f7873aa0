"""Deletes what retention says is past its time (``bot/retention.py`` decides when)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.data_rights import apply_retention
from storage.inbound_store import SqlInbound
from storage.outbox_store import SqlOutbox


class SqlRetention:
    def __init__(self, session: Session) -> None:
        self._s = session

    def purge_declined_ideas(self, before: datetime) -> int:
        return apply_retention(self._s, before, 0)  # declined before ``before`` + 0 days

    def purge_dead_events(self, before: datetime) -> int:
        return SqlInbound(self._s).purge_dead(before)

    def purge_finished_messages(self, before: datetime) -> int:
        return SqlOutbox(self._s).purge_finished(before)
