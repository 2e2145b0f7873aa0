"""Retention: declined ideas are deleted after DECLINED_RETENTION_DAYS, sent (and undeliverable) outbox
messages after SENT_MESSAGE_RETENTION_DAYS, and platform events that could not be processed after
DEAD_EVENT_DAYS (the clock runs this daily; docs/evidence.md lists what is kept and for how long)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage.data_rights import apply_retention
from storage.inbound_store import SqlInbound
from storage.outbox_store import SqlOutbox

log = logging.getLogger(__name__)

# Long enough for an operator to look at why an event failed; short, as it holds a person's words.
DEAD_EVENT_DAYS = 14


def enforce_retention(sessions: sessionmaker[Session], now: datetime, declined_days: int, *,
                      sent_days: int = 30) -> int:
    with sessions.begin() as session:
        deleted = apply_retention(session, now, declined_days)
        dead = SqlInbound(session).purge_dead(now - timedelta(days=DEAD_EVENT_DAYS))
        sent = SqlOutbox(session).purge_finished(now - timedelta(days=sent_days))
    if sent:
        log.info("retention: deleted %d sent or undeliverable message(s) older than %d days", sent, sent_days)
    if dead:
        log.info("retention: deleted %d platform event(s) that could not be processed", dead)
    if deleted:
        log.info("retention: deleted %d declined idea(s) older than %d days", deleted, declined_days)
    return deleted
