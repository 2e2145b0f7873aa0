"""Jobs the clock runs. Module-level functions taking plain arguments, so a persistent job store can
serialise them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)


def expire_idle_drafts(uow_factory: Callable[[], SqlUnitOfWork], now: datetime, ttl: timedelta) -> int:
    """Drop drafts idle for longer than ``ttl``; returns how many were expired.

    The conversation engine also expires a stale draft lazily when its owner next writes; this sweep
    makes sure abandoned drafts do not sit in the database for ever.
    """
    expired = 0
    with uow_factory() as uow:
        for ref, record in uow.conversations.idle_since(now - ttl):
            uow.conversations.save(ref, "idle", None, expected_version=record.version, at=now)
            expired += 1
        uow.commit()
    if expired:
        log.info("expired %d idle drafts", expired)
    return expired
