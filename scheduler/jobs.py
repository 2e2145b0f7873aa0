"""Jobs the clock runs.

``ClockJobs`` is what the clock does for one database, with the parts the composition root built for it
(``scheduler/parts.py``): a unit of work factory, the catalogue matcher for similar-work highlights.
Reminders, draft expiry and retention are ``bot/`` use cases; this only triggers them, and only while
this process holds the clock lease (``scheduler/lease.py``), so they happen once whatever the number
of clocks.

APScheduler's persistent job store (a table anyone with database access can read) keeps each job as an
import path and plain arguments, so the functions at the bottom are what it stores: they name the
database by ``database_key`` (its URL with the password masked) and find the ``ClockJobs`` this process
made for it with ``serve``. That registry is the only process-wide state, and it holds nothing the
jobs build themselves.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from adapters.delivery import OutboxDispatcher
from bot.drafts import expire_idle_drafts, remind_idle_drafts
from bot.retention import enforce_retention
from bot.review.reminders import ReminderCounts
from bot.roundups.content import QuietMode
from bot.roundups.similar import CatalogueLookup
from scheduler.lease import ClockLease
from scheduler.parts import ClockParts
from scheduler.reminders import send_reminders
from scheduler.roundups import RoundupConfig, run_due

log = logging.getLogger(__name__)

MATCHER_MAX_AGE = 3600.0  # seconds a catalogue index built for similar-work highlights is reused


class ClockJobs:
    def __init__(self, parts: ClockParts) -> None:
        self.parts = parts
        self._lock = threading.Lock()
        self._finder: tuple[float, CatalogueLookup] | None = None
        self._lease: ClockLease | None = None
        self._dispatcher: tuple[OutboxDispatcher, asyncio.AbstractEventLoop] | None = None

    def use_lease(self, lease: ClockLease | None) -> None:
        """Run the jobs only while ``lease`` is held (None: no lease, always run)."""
        self._lease = lease

    def use_dispatcher(self, dispatcher: OutboxDispatcher | None, loop: asyncio.AbstractEventLoop | None) -> None:
        """The dispatcher (with the platform senders) that ``outbox_retry`` drives and queued work wakes, on
        ``loop``, where the senders' HTTP clients live."""
        self._dispatcher = (dispatcher, loop) if dispatcher is not None and loop is not None else None

    def _leading(self, job: str) -> bool:
        lease = self._lease
        if lease is None or lease.held:
            return True
        log.debug("%s skipped: another process is the clock", job)
        return False

    def _wake(self) -> None:
        if self._dispatcher is not None:
            dispatcher, loop = self._dispatcher
            loop.call_soon_threadsafe(dispatcher.wake)

    def finder(self) -> CatalogueLookup | None:
        """The catalogue's matcher, for "similar work across forces"; built at most once an hour."""
        with self._lock:
            cached = self._finder
        if cached is not None and time.monotonic() - cached[0] < MATCHER_MAX_AGE:
            return cached[1]
        try:
            matcher = self.parts.build_finder()
        except Exception:  # highlights are a nicety: a roundup without them beats no roundup
            log.exception("could not build the catalogue index; roundups go out without similar-work highlights")
            return None
        with self._lock:
            self._finder = (time.monotonic(), matcher)
        return matcher

    def roundups(self, now: datetime, timezone: str = "Europe/London", grace_hours: float = 6.0,
                 quiet: str = "note") -> int:
        """Every minute: post the roundups that are due (and catch up ones missed within the grace window)."""
        if not self._leading("roundups"):
            return 0
        config = RoundupConfig(timezone=timezone, grace=timedelta(hours=grace_hours), quiet=QuietMode(quiet))
        report = run_due(self.parts.uow_factory, now, config, self.finder)
        if report.queued:
            log.info("queued %d roundup(s)", len(report.queued))
            self._wake()
        if report.already:
            log.debug("%d roundup(s) already claimed or posted", len(report.already))
        return len(report.queued)

    def expire_drafts(self, now: datetime, ttl_hours: float, reminder_hours: float = 24.0) -> int:
        """Every few minutes: remind people of drafts about to expire, then expire the ones past their time."""
        if not self._leading("draft expiry"):
            return 0
        ttl = timedelta(hours=ttl_hours)
        if remind_idle_drafts(self.parts.uow_factory, now, ttl, timedelta(hours=reminder_hours)):
            self._wake()
        return expire_idle_drafts(self.parts.uow_factory, now, ttl)

    def remind_brokers(self, now: datetime, working_days: int) -> ReminderCounts:
        """Remind brokers now, lease or not (``innovation-bot reminders``; each idea once a day)."""
        return send_reminders(self.parts.uow_factory, now, working_days)

    def broker_reminders(self, now: datetime, working_days: int) -> int:
        """Hourly: remind brokers of ideas waiting too long; the national team hears of the oldest."""
        if not self._leading("broker reminders"):
            return 0
        counts = self.remind_brokers(now, working_days)
        if counts.messages:
            log.info("reminded brokers of %d idea(s), sent %d to the national team (%d message(s))",
                     counts.reminded, counts.escalated, counts.messages)
            self._wake()
        if counts.untold:
            log.warning("nobody could be told about %d waiting idea(s): no broker, reviewer or admin",
                        len(counts.untold))
        return counts.messages

    def retention(self, now: datetime, declined_days: int, sent_days: int = 30) -> int:
        """Daily: delete declined ideas older than the retention period, and sent messages older than theirs."""
        if not self._leading("retention"):
            return 0
        return enforce_retention(self.parts.uow_factory, now, declined_days, sent_days=sent_days)

    def outbox_retry(self) -> int:
        """Send what the outbox holds (the clock process's dispatcher; the web app runs its own). Not held
        to the lease: every message is claimed once, so two senders never send it twice."""
        if self._dispatcher is None:
            log.debug("no outbox dispatcher registered in this process")
            return 0
        dispatcher, loop = self._dispatcher
        # Senders keep HTTP clients bound to one event loop, so every run goes to the loop they live on.
        return asyncio.run_coroutine_threadsafe(dispatcher.run_once(), loop).result(timeout=300)


# What the stored jobs call: database key → this process's ClockJobs for it (registered by the runner).
_serving: dict[str, ClockJobs] = {}
_serving_lock = threading.Lock()


def serve(parts: ClockParts) -> ClockJobs:
    """Stored jobs naming ``parts.database`` run on these parts in this process (the newest serve wins)."""
    clock_jobs = ClockJobs(parts)
    with _serving_lock:
        _serving[parts.database] = clock_jobs
    return clock_jobs


def _for(database: str, job: str) -> ClockJobs | None:
    with _serving_lock:
        found = _serving.get(database)
    if found is None:
        log.warning("%s: no clock is set up for this database in this process; skipped", job)
    return found


def roundups(database: str, timezone: str = "Europe/London", grace_hours: float = 6.0,
             quiet: str = "note", now: datetime | None = None) -> int:
    jobs = _for(database, "roundups")
    return jobs.roundups(now or datetime.now(UTC), timezone, grace_hours, quiet) if jobs else 0


def expire_drafts(database: str, ttl_hours: float, now: datetime | None = None,
                  reminder_hours: float = 24.0) -> int:
    jobs = _for(database, "draft expiry")
    return jobs.expire_drafts(now or datetime.now(UTC), ttl_hours, reminder_hours) if jobs else 0


def broker_reminders(database: str, working_days: int, now: datetime | None = None) -> int:
    jobs = _for(database, "broker reminders")
    return jobs.broker_reminders(now or datetime.now(UTC), working_days) if jobs else 0


def retention(database: str, declined_days: int, now: datetime | None = None, sent_days: int = 30) -> int:
    jobs = _for(database, "retention")
    return jobs.retention(now or datetime.now(UTC), declined_days, sent_days) if jobs else 0


def outbox_retry(database: str) -> int:
    jobs = _for(database, "outbox retry")
    return jobs.outbox_retry() if jobs else 0
