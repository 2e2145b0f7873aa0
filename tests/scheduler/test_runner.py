"""The clock: APScheduler's persistent job store on the app's database, in-process or as its own process."""

from __future__ import annotations

import asyncio
import pickle
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from adapters.bootstrap import Container, clock_parts
from adapters.delivery import OutboxDispatcher
from adapters.settings import ConfigurationError, Settings
from adapters.web import create_app
from bot.queues import OutboxMessage
from scheduler import jobs
from scheduler.runner import build_scheduler, job_specs, register, start_in_process, zone
from storage.db import make_engine, session_factory
from storage.outbox_store import SqlOutbox, SqlOutboxStore
from storage.roundup_models import apscheduler_jobs
from tests.conftest import make_container
from tests.scheduler.conftest import SLOT, RecordingSender, add_idea, outbox_rows, subscribe


@pytest.fixture
def external_container(database_url: str) -> Iterator[Container]:
    c = make_container(database_url, scheduler="external")
    yield c
    c.engine.dispose()


def stored_jobs(container: Container) -> dict[str, float | None]:
    with container.engine.connect() as conn:
        return {row.id: row.next_run_time for row in conn.execute(select(apscheduler_jobs))}


def test_jobs_are_module_functions_with_plain_arguments(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url)  # type: ignore[call-arg]
    clock, in_process = job_specs(settings, clock=True), job_specs(settings, clock=False)
    assert [s.id for s in clock] == ["roundups", "expire-idle-drafts", "broker-reminders", "retention",
                                     "outbox-retry"]
    assert [s.id for s in in_process] == ["roundups", "expire-idle-drafts", "broker-reminders",
                                          "retention"]  # the web app sends the outbox itself
    for spec in clock:
        assert spec.func.__module__ == "scheduler.jobs" and "." not in spec.func.__qualname__
        assert pickle.loads(pickle.dumps(spec.args)) == spec.args
        assert spec.args[0] == sqlite_url


def test_the_job_store_persists_jobs_and_drops_strays(external_container: Container) -> None:
    settings = external_container.settings
    parts = external_container.clock
    with external_container.engine.begin() as conn:  # a job left behind by an earlier clock that ran other jobs
        conn.execute(apscheduler_jobs.insert().values(id="retired-job", next_run_time=0.0, job_state=b"x"))
    scheduler = build_scheduler(settings, blocking=False, store=parts.job_store())
    register(scheduler, job_specs(settings, clock=True), parts.drop_jobs_except, now=SLOT)
    scheduler.start(paused=True)
    try:
        assert set(stored_jobs(external_container)) == {"roundups", "expire-idle-drafts", "broker-reminders",
                                                        "retention", "outbox-retry"}
        roundups = scheduler.get_job("roundups")
        assert roundups is not None and roundups.next_run_time == SLOT  # runs at start: catches up at once
        assert str(roundups.trigger.timezone) == "Europe/London"
    finally:
        scheduler.shutdown(wait=False)
    # A second start (a restart) replaces the same jobs rather than adding copies.
    scheduler = build_scheduler(settings, blocking=False, store=parts.job_store())
    register(scheduler, job_specs(settings, clock=False), parts.drop_jobs_except)
    scheduler.start(paused=True)
    scheduler.shutdown(wait=False)
    assert set(stored_jobs(external_container)) == {"roundups", "expire-idle-drafts", "broker-reminders", "retention"}


def test_an_unknown_time_zone_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="TIMEZONE: unknown time zone 'Europe/Atlantis'"):
        zone("Europe/Atlantis")


def test_the_web_app_runs_the_clock_in_process_unless_external(database_url: str) -> None:
    external = make_container(database_url, scheduler="external")
    with TestClient(create_app(external)) as client:
        assert client.get("/healthz").status_code == 200
        assert stored_jobs(external) == {}
    external.engine.dispose()
    in_process = make_container(database_url)
    with TestClient(create_app(in_process)) as client:
        assert client.get("/healthz").status_code == 200
        assert set(stored_jobs(in_process)) == {"roundups", "expire-idle-drafts", "broker-reminders", "retention"}
    in_process.engine.dispose()


def test_the_in_process_clock_posts_a_due_roundup(container: Container) -> None:
    subscribe(container.sessions, "slack:T1:C1")
    add_idea(container.sessions, "Something to share", SLOT - timedelta(days=1))
    # The job the clock runs, with the slot's time injected (the real clock would pass now).
    assert jobs.roundups(container.settings.database_url, now=SLOT) == 0  # no clock set up in this process yet
    jobs.serve(container.clock)
    assert jobs.roundups(container.settings.database_url, now=SLOT) == 1
    assert jobs.roundups(container.settings.database_url, now=SLOT + timedelta(minutes=1)) == 0
    clock = start_in_process(container)  # a real BackgroundScheduler on the app's database
    try:
        assert clock.scheduler.get_job("roundups") is not None
    finally:
        clock.stop()
    assert [r.dedupe_key for r in outbox_rows(container.sessions)] == ["roundup:slack:T1:C1:2026-W49"]


def test_the_clock_process_sends_the_outbox_on_one_event_loop(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        SqlOutbox(s).enqueue(OutboxMessage("slack", "T1", "C1", {"replies": []}, dedupe_key="x"), SLOT)
    sender = RecordingSender()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    clock_jobs = jobs.serve(clock_parts(Settings(database_url=sqlite_url), engine, sessions))  # type: ignore[call-arg]
    try:
        assert jobs.outbox_retry(sqlite_url) == 0  # no dispatcher registered in this process: nothing to do
        clock_jobs.use_dispatcher(OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, lambda: SLOT), loop)
        assert jobs.outbox_retry(sqlite_url) == 1 and jobs.outbox_retry(sqlite_url) == 0
    finally:
        clock_jobs.use_dispatcher(None, None)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        sessions.kw["bind"].dispose()
    assert [i.message.dedupe_key for i in sender.sent] == ["x"]


def test_stored_jobs_run_on_the_clock_set_up_for_their_database(sqlite_container: Container) -> None:
    url = sqlite_container.settings.database_url
    assert jobs.expire_drafts("sqlite:////nowhere/else.sqlite3", 72, now=SLOT) == 0  # no clock for it: skipped
    jobs.serve(sqlite_container.clock)
    assert jobs.expire_drafts(url, 72, now=SLOT) == 0


def test_reminder_and_retention_jobs_run_from_the_clock(external_container: Container) -> None:
    from scheduler import jobs

    url = external_container.settings.database_url
    jobs.serve(external_container.clock)
    assert jobs.broker_reminders(url, 5) == 0  # nothing waiting: nothing queued, no error
    assert jobs.retention(url, 365) == 0
