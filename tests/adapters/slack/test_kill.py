"""kill -9 at the instant of acknowledgement loses nothing: the real `innovation-bot serve` in a process
of its own, SIGKILLed the moment it answers 200 to a DM, a click or a slash command; after a restart
every acknowledged request has been processed, and processed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from storage.db import make_engine, session_factory
from storage.inbound_store import SqlInbound
from storage.models import OutboxRow, ProcessedEventRow
from tests.adapters.slack.helpers import SECRET, TOKEN, SlackEnv, dm_channel, wait_for
from tests.support.fake_slack import BOT_USER, FakeSlack
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[3]
SAM, JO, KIM = "U0SAM", "U0JO", "U0KIM"


@contextmanager
def server(database_url: str, fake: FakeSlack, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with server_process(database_url, {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN,
                                       "SLACK_API_URL": fake.api_url}, log) as running:
        yield running


@contextmanager
def server_process(database_url: str, platform: dict[str, str],
                   log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`innovation-bot serve` as an operator starts it (in-process worker and outbox, clock elsewhere)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))}
    env.update({"DATABASE_URL": database_url, "PLAYGROUND": "false", "SCHEDULER": "external",
                "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **platform})
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
                                   env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        def healthy() -> bool:
            assert process.poll() is None, log.read_text()[-2000:]
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, timeout=60, what="the server to start")
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _click(env: SlackEnv, user: str) -> httpx.Response:
    """"Start" pressed on a card the bot had posted in the person's DM (as Slack reports a click)."""
    channel, ts = dm_channel(user), f"{time.time():.6f}"
    button = {"type": "button", "action_id": "capture.start", "text": {"type": "plain_text", "text": "Start"},
              "value": ""}
    payload = {**env._interaction_base(user, "block_actions"),
               "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
               "channel": {"id": channel, "name": "directmessage"},
               "message": {"type": "message", "user": BOT_USER, "bot_id": "BBOT", "ts": ts, "text": "Start",
                           "blocks": [{"type": "actions", "block_id": "blk1", "elements": [button]}]},
               "state": {"values": {}}, "response_url": env.fake.response_url(f"kill-{user}"),
               "actions": [{**button, "block_id": "blk1", "action_ts": ts}]}
    return env.post_interaction(payload)


def test_nothing_acknowledged_is_lost_when_the_server_is_killed_as_it_answers(
        database_url: str, fake: FakeSlack, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    requests: list[tuple[str, Any]] = [
        ("a DM", lambda env: env.dm(SAM, "help", event_id="Ev0KILLED")),
        ("a slash command", lambda env: env.command(JO, "/innovation", "help", channel="C0GENERAL")),
        ("a click", lambda env: _click(env, KIM)),
    ]
    for what, send in requests:
        with server(database_url, fake, log) as (base, process):
            env = SlackEnv(base, fake, container=None, app=None)  # type: ignore[arg-type]
            response = send(env)
            os.kill(process.pid, signal.SIGKILL)  # the instant the 200 is in: no time to do anything else
            process.wait(timeout=30)
            env.http.close()
        assert response.status_code == 200, what

    engine = make_engine(database_url)
    sessions = session_factory(engine)
    try:
        with server(database_url, fake, log):  # the restart: every stored event is processed
            seen: list[object] = []

            def done() -> bool:
                with sessions() as s:
                    outbox = s.scalars(select(OutboxRow.status)).all()
                    seen[:] = [SqlInbound(s).backlog(), outbox]
                    return SqlInbound(s).backlog() == 0 and bool(outbox) and set(outbox) == {"sent"}

            try:
                wait_for(done, timeout=90, what="every stored request to be processed and its replies sent")
            except AssertionError:
                raise AssertionError(f"{seen}\n{log.read_text()[-3000:]}") from None
        with sessions() as s:
            processed = s.scalars(select(ProcessedEventRow.event_id)).all()
    finally:
        engine.dispose()
    # Each request processed exactly once: the DM, the command and the click, by their platform ids.
    assert len(processed) == 3 and any("Ev0KILLED" in e for e in processed), processed
    posts = [(c.body.get("channel"), c.body.get("text")) for c in fake.calls_to("chat.postMessage", ok_only=True)]
    for user in (SAM, JO, KIM):
        assert any(channel == dm_channel(user) for channel, _ in posts), (user, posts)
    # (A reply whose sending was cut by the kill, after Slack had it and before it was marked sent, is
    # sent again after the outbox's lease: delivery is at least once, so duplicates are not asserted.)
    assert [c for c in fake.all_calls() if c.method.startswith("response_url:")], "the command's pointer"
