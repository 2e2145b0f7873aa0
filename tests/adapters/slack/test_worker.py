"""WORKER=external: the web process stores and acknowledges Slack events; `innovation-bot worker` (another
container here, as it would be another process) processes them, even after the web process has gone."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from adapters import worker as worker_module
from adapters.event_processing import POLL_UNTOLD, InboundWorker
from adapters.worker import work
from storage.inbound_notify import NewEventsListener
from storage.inbound_store import SqlInbound
from storage.models import InboundEventRow, ProcessedEventRow
from tests.adapters.slack.helpers import SECRET, TOKEN, dm_channel, wait_for
from tests.conftest import make_container
from tests.support.fake_slack import FakeSlack

SAM, JO = "U0SAM", "U0JO"
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."


@contextmanager
def worker(url: str, fake: FakeSlack, *, give_way: bool = False) -> Iterator[Any]:
    """`innovation-bot worker`'s loop in a thread of its own, stopped as SIGTERM would stop it."""
    container = make_container(url, slack_signing_secret=SECRET, slack_bot_token=TOKEN, slack_api_url=fake.api_url,
                               playground=False, worker="external")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    result: list[bool] = []
    running = work(container, stop, give_way=give_way)
    thread = threading.Thread(target=lambda: result.append(loop.run_until_complete(running)))
    thread.start()
    try:
        yield container
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
        container.engine.dispose()
    assert result == [True]


def _count(url_container: Any, model: type) -> int:
    with url_container.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_events_acked_by_the_web_process_are_processed_by_the_worker_after_a_restart(
        database_url: str, slack_on: Any, fake: FakeSlack) -> None:
    channel = dm_channel(SAM)
    with slack_on(database_url, worker="external") as web:
        assert web.dm(SAM, DESCRIPTION, event_id="Ev0STORED").status_code == 200
        assert web.dm(SAM, DESCRIPTION, event_id="Ev0STORED", retry=1).status_code == 200  # Slack's retry
        wait_for(lambda: not web.container.inbox.busy, what="the event to be stored")
        with web.container.sessions() as s:
            assert SqlInbound(s).backlog() == 1
        assert _count(web.container, ProcessedEventRow) == 0  # the web process did not process it
    assert web.posts_to(channel) == []  # and nothing was said before a worker ran

    # The web process is gone (a deploy, a crash after the event was stored): a worker picks it up.
    # It would give way during a burst (`--nice`); with one event stored, it does not need to.
    with worker(database_url, fake, give_way=True) as container:
        assert container.inbound.crowded is not None
        def replies() -> list[Any]:
            return [c for c in fake.calls_to("chat.postMessage", ok_only=True) if c.body.get("channel") == channel]

        wait_for(replies, 20, "the worker's reply")
        wait_for(lambda: _count(container, InboundEventRow) == 0, what="the stored event to be deleted")
        assert _count(container, ProcessedEventRow) == 1
    assert len(replies()) == 1
    assert "What problem does it solve" in json.dumps(replies()[0].body["blocks"])


def test_the_worker_refuses_to_start_with_nothing_to_do(sqlite_url: str) -> None:
    container = make_container(sqlite_url, playground=False)
    try:
        assert asyncio.run(work(container, asyncio.Event())) is False
    finally:
        container.engine.dispose()


def _replies(fake: FakeSlack, channel: str) -> list[Any]:
    return [c for c in fake.calls_to("chat.postMessage", ok_only=True) if c.body.get("channel") == channel]


def test_on_postgresql_a_stored_event_wakes_the_external_worker(
        postgres_url: str, slack_on: Any, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web process's commit notifies; the listening worker claims at once. Its poll and its own
    finishing are set to an hour here, so the second reply can only come from the notification."""
    monkeypatch.setattr(worker_module, "POLL_WHEN_TOLD", 3600.0)
    monkeypatch.setattr(InboundWorker, "FINISH_WITHIN", 3600.0)
    with slack_on(postgres_url, worker="external") as web, worker(postgres_url, fake) as container:
        wait_for(lambda: container.inbound_poll() == 3600.0, what="the worker to listen")
        assert web.dm(SAM, DESCRIPTION, event_id="Ev0FIRST").status_code == 200
        wait_for(lambda: _replies(fake, dm_channel(SAM)), 20, "the first reply")
        wait_for(lambda: not container.inbound._running, what="the first event's processing to end")
        assert web.dm(JO, DESCRIPTION, event_id="Ev0NOTIFIED").status_code == 200
        wait_for(lambda: _replies(fake, dm_channel(JO)), 20, "the second reply, woken by the notification")
        wait_for(lambda: _count(container, InboundEventRow) == 1, what="the first event finished with the claim")


def test_a_worker_that_cannot_listen_polls_instead(
        postgres_url: str, slack_on: Any, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """LISTEN refused (a connection pooler that does not pass notifications, a role without the right):
    the worker says so once and polls every quarter of a second, as on SQLite."""
    async def refused(_self: Any) -> None:
        raise psycopg.OperationalError("LISTEN is not supported by this pooler")

    monkeypatch.setattr(NewEventsListener, "_listen", refused)
    monkeypatch.setattr(NewEventsListener, "RETRY", (0.05, 0.1))
    monkeypatch.setattr(worker_module, "POLL_WHEN_TOLD", 3600.0)  # were it to think it listens: no reply
    with caplog.at_level(logging.WARNING, logger="storage.inbound_notify"), \
            slack_on(postgres_url, worker="external") as web, worker(postgres_url, fake) as container:
        wait_for(lambda: container.inbound_poll() == POLL_UNTOLD, what="the worker to start, polling")
        assert web.dm(SAM, DESCRIPTION, event_id="Ev0POLLED").status_code == 200
        wait_for(lambda: _replies(fake, dm_channel(SAM)), 20, "the reply, found by polling")
    warnings = [r for r in caplog.records if r.name == "storage.inbound_notify"]
    assert len(warnings) == 1 and "polling" in warnings[0].getMessage()
