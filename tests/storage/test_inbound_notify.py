"""PostgreSQL tells listening workers when events are stored: a real server, a real LISTEN connection
that is cut and comes back, and a listener that cannot listen at all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, session_factory
from storage.inbound_notify import APPLICATION_NAME, CHANNEL, NewEventsListener
from storage.inbound_store import SqlInbound
from tests.storage.test_inbound import NOW, add, event


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


async def _until(condition: object, what: str) -> None:
    for _ in range(1000):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def _cut(engine: Engine) -> int:
    """Terminate the listener's backend (a database restart, a dropped connection, as the listener sees it)."""
    with engine.begin() as connection:
        return len(connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": APPLICATION_NAME}).all())


def test_a_commit_that_stores_events_wakes_the_listener_and_a_rollback_does_not(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    sessions: sessionmaker[Session] = session_factory(engine)
    wakes: list[int] = []

    async def run() -> None:
        listener = NewEventsListener(engine, lambda: wakes.append(1))
        listener.RETRY = (0.05, 0.2)  # type: ignore[misc]
        task = asyncio.create_task(listener.run())
        await _until(lambda: listener.listening, "LISTEN")
        await _until(lambda: len(wakes) == 1, "the wake-up on listening (events stored while nobody listened)")
        with sessions() as s:  # stored, then rolled back: nothing to say
            SqlInbound(s).add([event("Ev0")], NOW)
            s.rollback()
        await asyncio.to_thread(add, sessions, event("Ev1"))
        await _until(lambda: len(wakes) == 2, "the wake-up for the commit")
        assert len(wakes) == 2  # the rolled-back one did not wake it

        # The connection is cut: the listener says so once, falls back, and listens again.
        assert await asyncio.to_thread(_cut, engine) == 1
        await _until(lambda: not listener.listening, "the loss to be noticed")
        await _until(lambda: listener.listening, "LISTEN again")
        woken = len(wakes)  # one more: on listening again
        await asyncio.to_thread(add, sessions, event("Ev2"))
        await _until(lambda: len(wakes) == woken + 1, "the wake-up after the reconnection")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with caplog.at_level(logging.INFO, logger="storage.inbound_notify"):
        asyncio.run(run())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "polling" in warnings[0].getMessage()


def test_a_listener_that_cannot_listen_says_so_once_and_keeps_trying(
        postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    away = make_engine(postgres_url.replace("/test_", "/no_such_database_"))

    async def run() -> int:
        listener = NewEventsListener(away, lambda: None)
        listener.RETRY = (0.01, 0.02)  # type: ignore[misc]
        tries = 0
        listen = listener._listen

        async def counted() -> None:
            nonlocal tries
            tries += 1
            await listen()

        listener._listen = counted  # type: ignore[method-assign]
        task = asyncio.create_task(listener.run())
        await _until(lambda: tries >= 5, "several tries")
        assert not listener.listening
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return tries

    try:
        with caplog.at_level(logging.INFO, logger="storage.inbound_notify"):
            assert asyncio.run(run()) >= 5
    finally:
        away.dispose()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no_such_database" in warnings[0].getMessage()


def test_the_channel_is_the_one_the_writer_notifies(engine: Engine) -> None:
    """A bare LISTEN on the channel (as psql would do) sees the writer's notification at commit."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.autocommit = True
        driver.execute(f"LISTEN {CHANNEL}")
        add(session_factory(engine), event("Ev1"))
        notes = list(driver.notifies(timeout=10, stop_after=1))
        assert [n.channel for n in notes] == [CHANNEL]
    finally:
        raw.invalidate()
