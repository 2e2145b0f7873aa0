"""The clock process (`innovation-bot scheduler`, the Procfile's `clock:`)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler

from adapters.bootstrap import Container
from scheduler.jobs import expire_idle_drafts

log = logging.getLogger(__name__)


def _expire(container: Container) -> None:
    expire_idle_drafts(container.uow_factory, datetime.now(UTC),
                       timedelta(hours=container.settings.draft_ttl_hours))


def run_clock(container: Container) -> None:
    clock = BlockingScheduler(timezone=container.settings.timezone)
    clock.add_job(_expire, "interval", minutes=10, args=[container], id="expire-idle-drafts",
                  next_run_time=datetime.now(UTC), coalesce=True, max_instances=1)
    log.info("clock started (timezone %s)", container.settings.timezone)
    try:
        clock.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("clock stopped")
