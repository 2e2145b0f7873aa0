"""Retention, run daily by the clock: declined ideas go after DECLINED_RETENTION_DAYS, sent (and
undeliverable) outbox messages after SENT_MESSAGE_RETENTION_DAYS, and platform events that could not be
processed after DEAD_EVENT_DAYS (docs/evidence.md lists what is kept and for how long)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)

# Long enough for an operator to look at why an event failed; short, as it holds a person's words.
DEAD_EVENT_DAYS = 14


class RetentionStore(Protocol):
    """What retention deletes; each returns how many went. ``storage/retention.py`` implements it."""

    def purge_declined_ideas(self, before: datetime) -> int:
        """Declined ideas last changed before ``before``, with their cards, introductions and decisions."""

    def purge_dead_events(self, before: datetime) -> int: ...

    def purge_finished_messages(self, before: datetime) -> int:
        """Messages sent before ``before``, and ones given up on that were queued before it."""


class HasRetention(Protocol):
    """A unit of work with the retention repository (``bot.ports.UnitOfWork`` is one)."""

    @property
    def retention(self) -> RetentionStore: ...

    def __enter__(self) -> HasRetention: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...


def enforce_retention(uow_factory: Callable[[], HasRetention], now: datetime, declined_days: int, *,
                      sent_days: int = 30) -> int:
    """Delete what is past its time, in one transaction; returns how many declined ideas went."""
    with uow_factory() as uow:
        deleted = uow.retention.purge_declined_ideas(now - timedelta(days=declined_days))
        dead = uow.retention.purge_dead_events(now - timedelta(days=DEAD_EVENT_DAYS))
        sent = uow.retention.purge_finished_messages(now - timedelta(days=sent_days))
        uow.commit()
    if sent:
        log.info("retention: deleted %d sent or undeliverable message(s) older than %d days", sent, sent_days)
    if dead:
        log.info("retention: deleted %d platform event(s) that could not be processed", dead)
    if deleted:
        log.info("retention: deleted %d declined idea(s) older than %d days", deleted, declined_days)
    return deleted
