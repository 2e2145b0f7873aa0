"""The clock: APScheduler 3 with a persistent job store (``apscheduler_jobs``) on the app's database.

Run exactly one clock per deployment, in one of two ways:

* ``innovation-bot scheduler`` (the Procfile's ``clock:``): a BlockingScheduler that also sends the
  outbox, for deployments that set ``SCHEDULER=external`` on the web process;
* in-process in ``innovation-bot serve`` (the default): a BackgroundScheduler started by the web app's
  lifespan. ``serve`` runs one worker; never run the app under several workers with the in-process
  clock, or each worker starts its own clock; the lease below keeps the jobs to one of them.

Exactly one of them runs the jobs at a time: the one holding the clock lease (``lease.py``); a second
``scheduler`` waits for it. Jobs are module-level functions in ``scheduler.jobs`` with plain arguments,
none of them secret (the database is named by its key, not its URL), so the job store can pickle
them. On start each process replaces the jobs it runs and drops any others from the store, so
switching between the two ways never leaves a job behind. Everything the clock uses (job store, lease
store, the jobs' parts) comes ready from the composition root (``Container.clock``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from adapters.database_url import database_key
from adapters.settings import ConfigurationError, Settings
from scheduler import jobs
from scheduler.lease import ClockLease

if TYPE_CHECKING:
    from adapters.bootstrap import Container

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., Any]
    every: dict[str, int]  # interval trigger arguments, e.g. {"minutes": 1}
    args: tuple[object, ...]
    run_at_start: bool = False
    options: dict[str, Any] = field(default_factory=dict)


def job_specs(settings: Settings, *, clock: bool) -> list[JobSpec]:
    """What this process runs. The clock process also sends the outbox; in-process, the web app does.
    The arguments are stored in the job store: the database is named by its key, never its password."""
    url = database_key(settings.database_url)
    specs = [
        # Every minute; at start too, so a run missed while the process was down is caught up at once.
        JobSpec("roundups", jobs.roundups, {"minutes": 1},
                (url, settings.timezone, settings.roundup_grace_hours, settings.roundup_quiet), run_at_start=True),
        JobSpec("expire-idle-drafts", jobs.expire_drafts, {"minutes": 10},
                (url, settings.draft_ttl_hours, None, settings.draft_reminder_hours), run_at_start=clock),
        JobSpec("broker-reminders", jobs.broker_reminders, {"hours": 1}, (url, settings.reminder_working_days),
                run_at_start=clock),
        JobSpec("retention", jobs.retention, {"hours": 24},
                (url, settings.declined_retention_days, None, settings.sent_message_retention_days),
                run_at_start=clock),
    ]
    if clock:
        specs.append(JobSpec("outbox-retry", jobs.outbox_retry, {"seconds": 10}, (url,), run_at_start=True))
    return specs


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(f"configuration error: TIMEZONE: unknown time zone {name[:60]!r} "
                                 "(use a name such as Europe/London)") from None


def build_scheduler(settings: Settings, *, blocking: bool, store: BaseJobStore) -> BaseScheduler:
    tz = zone(settings.timezone)
    # APScheduler logs two INFO lines per job run: every minute, for ever. Keep its warnings and errors.
    executors = logging.getLogger("apscheduler.executors")
    executors.setLevel(max(executors.getEffectiveLevel(), logging.WARNING))
    kind = BlockingScheduler if blocking else BackgroundScheduler
    return kind(jobstores={"default": store}, executors={"default": ThreadPoolExecutor(4)}, timezone=tz,
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 120})


def register(scheduler: BaseScheduler, specs: list[JobSpec], drop_jobs_except: Callable[[Sequence[str]], None],
             now: datetime | None = None) -> None:
    """Replace this process's jobs in the store and drop the others (before the scheduler starts)."""
    drop_jobs_except([s.id for s in specs])
    start = now or datetime.now(UTC)
    for spec in specs:
        extra: dict[str, Any] = {"next_run_time": start} if spec.run_at_start else {}
        scheduler.add_job(spec.func, "interval", id=spec.id, name=spec.id, args=list(spec.args),
                          replace_existing=True, **spec.every, **extra, **spec.options)


def _event_loop_thread() -> asyncio.AbstractEventLoop:
    """An event loop in a daemon thread for the outbox senders, whose HTTP clients stay on one loop."""
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="outbox-loop", daemon=True).start()
    return loop


def run_clock(container: Container) -> None:
    """``innovation-bot scheduler``: blocks until interrupted. The platform senders are registered on the
    container beforehand (the command line mounts the platform adapters), so the clock delivers what it
    queues even when no web process runs."""
    settings, parts = container.settings, container.clock
    if settings.scheduler == "in-process":
        log.warning("SCHEDULER=in-process: a running `innovation-bot serve` runs these jobs too; set "
                    "SCHEDULER=external for the web process when this clock runs (docs/roundups.md)")
    lease = ClockLease(parts.leases)
    try:  # a second clock waits here, running nothing, until the first stops or dies
        lease.wait_for()
    except (KeyboardInterrupt, SystemExit):
        log.info("clock stopped before it started")
        return
    lease.keep()
    loop = _event_loop_thread()
    clock_jobs = jobs.serve(parts)
    clock_jobs.use_dispatcher(container.dispatcher, loop)
    clock_jobs.use_lease(lease)
    clock = build_scheduler(settings, blocking=True, store=parts.job_store())
    register(clock, job_specs(settings, clock=True), parts.drop_jobs_except)
    log.info("clock started (timezone %s; senders: %s)", settings.timezone, ", ".join(container.senders) or "none")
    try:
        clock.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("clock stopped")
    finally:
        loop.call_soon_threadsafe(loop.stop)
        lease.release()
        clock_jobs.use_lease(None)
        clock_jobs.use_dispatcher(None, None)


class InProcessClock:
    """The clock inside ``innovation-bot serve``: started and stopped by the web app's lifespan."""

    def __init__(self, container: Container) -> None:
        parts = container.clock
        # Jobs run only while this process holds the clock lease (another `serve` or a `scheduler` may).
        self._lease = ClockLease(parts.leases)
        self._lease.try_take()
        self._lease.keep()
        self._jobs = jobs.serve(parts)
        self._jobs.use_lease(self._lease)
        # Queued roundups wake the web app's dispatcher instead of waiting for its next look.
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to wake
            self._jobs.use_dispatcher(container.dispatcher, asyncio.get_running_loop())
        self._scheduler = build_scheduler(container.settings, blocking=False, store=parts.job_store())
        register(self._scheduler, job_specs(container.settings, clock=False), parts.drop_jobs_except)
        self._scheduler.start()
        log.info("in-process clock started (timezone %s)", container.settings.timezone)

    @property
    def scheduler(self) -> BaseScheduler:
        return self._scheduler

    @property
    def lease(self) -> ClockLease:
        return self._lease

    def stop(self) -> None:
        self._scheduler.shutdown(wait=True)
        self._lease.release()
        self._jobs.use_lease(None)
        self._jobs.use_dispatcher(None, None)


def start_in_process(container: Container) -> InProcessClock:
    return InProcessClock(container)
