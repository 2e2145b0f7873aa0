"""WORKER=external: the web process stores and acknowledges Slack events; `innovation-bot worker` (another
container here, as it would be another process) processes them, even after the web process has gone."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select

from adapters.worker import work
from storage.inbound_store import SqlInbound
from storage.models import InboundEventRow, ProcessedEventRow
from tests.adapters.slack.helpers import SECRET, TOKEN, dm_channel, wait_for
from tests.conftest import make_container
from tests.support.fake_slack import FakeSlack

SAM = "U0SAM"
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
