"""Exactly one clock, and no secret in its job store: the lease on both databases, the jobs held to it,
and the job store's rows read back byte for byte."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from adapters.bootstrap import clock_parts
from adapters.settings import Settings
from scheduler import jobs
from scheduler.lease import ClockLease
from scheduler.runner import build_scheduler, job_specs, register
from storage.clock_lease import SqlClockLeases
from storage.db import make_engine, session_factory
from storage.roundup_models import apscheduler_jobs
from tests.scheduler.conftest import SLOT, add_idea, outbox_rows, subscribe


class Ticks:
    def __init__(self) -> None:
        self.now = SLOT

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


def test_one_clock_holds_the_lease_and_a_second_waits(sessions: sessionmaker[Session]) -> None:
    ticks = Ticks()
    first, second = ClockLease(SqlClockLeases(sessions), clock=ticks), ClockLease(SqlClockLeases(sessions), clock=ticks)
    assert first.try_take() and first.held
    assert not second.try_take() and not second.held
    ticks.now += timedelta(seconds=30)
    assert first.try_take() and not second.try_take()  # renewed: still the first's
    first.release()  # a clean stop hands over at once
    assert second.try_take() and second.held and not first.try_take()


def test_a_clock_that_dies_is_replaced_once_its_lease_lapses(sessions: sessionmaker[Session]) -> None:
    ticks = Ticks()
    dead, waiting = ClockLease(SqlClockLeases(sessions), clock=ticks), ClockLease(SqlClockLeases(sessions), clock=ticks)
    assert dead.try_take()
    ticks.now += timedelta(seconds=59)
    assert not waiting.try_take()
    ticks.now += timedelta(seconds=2)  # past the 60 s lease nobody renewed
    assert not dead.held
    assert waiting.try_take() and not dead.try_take()


def test_jobs_run_only_in_the_process_holding_the_lease(database_url: str, sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, "slack:T1:C1")
    add_idea(sessions, "Something to share", SLOT - timedelta(days=1))
    ticks = Ticks()
    holder, other = ClockLease(SqlClockLeases(sessions), clock=ticks), ClockLease(SqlClockLeases(sessions), clock=ticks)
    assert holder.try_take() and not other.try_take()
    parts = clock_parts(Settings(database_url=database_url), sessions.kw["bind"], sessions)  # type: ignore[call-arg]
    clock_jobs = jobs.serve(parts)
    try:
        clock_jobs.use_lease(other)  # this process is the waiting clock
        assert jobs.roundups(database_url, now=SLOT) == 0
        assert jobs.broker_reminders(database_url, 5, now=SLOT) == 0
        assert jobs.retention(database_url, 365, now=SLOT) == 0
        assert outbox_rows(sessions) == []
        clock_jobs.use_lease(holder)  # and now the one holding it
        assert jobs.roundups(database_url, now=SLOT) == 1
    finally:
        clock_jobs.use_lease(None)
    assert [r.dedupe_key for r in outbox_rows(sessions)] == ["roundup:slack:T1:C1:2026-W49"]


def test_the_job_store_keeps_no_password(postgres_url: str) -> None:
    # PostgreSQL only: a SQLite URL is a file name and carries no password.
    url = make_url(postgres_url)
    secret = "pw-that-must-not-be-stored-0451"
    with_password = url.set(password=secret).render_as_string(hide_password=False)  # trust auth ignores it
    settings = Settings(database_url=with_password, scheduler="external")  # type: ignore[call-arg]
    engine = make_engine(with_password)
    parts = clock_parts(settings, engine, session_factory(engine))
    try:
        scheduler = build_scheduler(settings, blocking=False, store=parts.job_store())
        register(scheduler, job_specs(settings, clock=True), parts.drop_jobs_except, now=SLOT)
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)
        with engine.connect() as conn:
            stored = conn.execute(select(apscheduler_jobs.c.id, apscheduler_jobs.c.job_state)).all()
        assert {row.id for row in stored} >= {"roundups", "retention", "broker-reminders"}
        assert all(secret.encode() not in bytes(row.job_state) for row in stored)
        # The key a stored job carries still reaches the database in this process.
        key = job_specs(settings, clock=False)[0].args[0]
        assert isinstance(key, str) and secret not in key and "***" in key and key == parts.database
        jobs.serve(parts)
        assert jobs.broker_reminders(key, 5) == 0
    finally:
        engine.dispose()
