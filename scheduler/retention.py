"""Retention: declined ideas are deleted after DECLINED_RETENTION_DAYS (the clock runs this daily)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from storage.data_rights import apply_retention

log = logging.getLogger(__name__)


def enforce_retention(sessions: sessionmaker[Session], now: datetime, declined_days: int) -> int:
    with sessions.begin() as session:
        deleted = apply_retention(session, now, declined_days)
    if deleted:
        log.info("retention: deleted %d declined idea(s) older than %d days", deleted, declined_days)
    return deleted
