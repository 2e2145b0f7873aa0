"""What sending the outbox costs: the dispatcher alone, on a real database, with a sender that answers
after a fixed latency (issue 20's plan, item 4: send concurrently, mark in batches, claim less).

    .venv/bin/python -m bench.outbox_dispatch [--latency-ms 0,100] [--database-url URL]

Three shapes of work, each from a woken ``run_forever`` until every message is sent:

* ``idle``: one message at a time, 200 times (a quiet bot: one reply per wake-up);
* ``burst``: 200 messages to 200 conversations queued at once (a roundup, a launch-day burst);
* ``chain``: 40 conversations with 5 messages each (the next to a conversation is claimable only once
  the one before it was sent).

For each: the dispatcher's CPU per message (``time.process_time`` of this process, which also runs the
database driver; PostgreSQL's own CPU is not counted), COMMITs and statements per message, and the wall
time until the last message was sent. Queueing the messages is not counted."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, event
from sqlalchemy.orm import Session, sessionmaker

from adapters.bootstrap import prepare_database
from adapters.delivery import OutboxDispatcher
from bot.queues import OutboxItem, OutboxMessage
from storage.db import make_engine, session_factory
from storage.models import OutboxRow
from storage.outbox_store import SqlOutbox, SqlOutboxStore


class LatentSender:
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.sent = 0
        self.done = asyncio.Event()
        self.expected = 0

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        if self.latency:
            await asyncio.sleep(self.latency)
        self.sent += 1
        if self.sent >= self.expected:
            self.done.set()
        return {"channel": item.message.target, "ts": [f"{item.id}.000"]}


@dataclass
class Counts:
    commits: int = 0
    statements: int = 0


def queue(sessions: sessionmaker[Session], targets: list[str]) -> None:
    with sessions.begin() as session:
        outbox = SqlOutbox(session)
        for target in targets:
            outbox.enqueue(OutboxMessage("slack", "T1", target, {"replies": [{"type": "text", "text": "hi"}]}),
                           datetime.now(UTC))


async def measure(sessions: sessionmaker[Session], counts: Counts, latency: float,
                  batches: list[list[str]]) -> tuple[float, float, float, float]:
    """Queue each batch, wake the dispatcher, wait until it is sent: CPU ms, commits and statements per
    message, and wall seconds in all (queueing not counted)."""
    sender = LatentSender(latency)
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender})
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    await asyncio.sleep(0.05)
    cpu = wall = 0.0
    commits = statements = 0
    for targets in batches:
        queue(sessions, targets)
        await asyncio.sleep(0)
        sender.expected += len(targets)
        sender.done.clear()
        before = (time.process_time(), time.perf_counter(), counts.commits, counts.statements)
        dispatcher.wake()
        await asyncio.wait_for(sender.done.wait(), timeout=600)
        await asyncio.sleep(0.02)  # the round's outcomes are written, and any claim after it made
        cpu += time.process_time() - before[0]
        wall += time.perf_counter() - before[1] - 0.02
        commits += counts.commits - before[2]
        statements += counts.statements - before[3]
    stop.set()
    dispatcher.wake()
    await task
    messages = sum(len(b) for b in batches)
    return cpu * 1000 / messages, commits / messages, statements / messages, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", default="0,100", help="the sender's answer time, comma-separated")
    parser.add_argument("--database-url")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = opts.database_url or f"sqlite:///{Path(tmp) / 'outbox.sqlite3'}"
        engine: Engine = make_engine(url)
        prepare_database(engine)
        sessions = session_factory(engine)
        counts = Counts()
        event.listen(engine, "commit", lambda conn: setattr(counts, "commits", counts.commits + 1))
        event.listen(engine, "before_cursor_execute",
                     lambda *a: setattr(counts, "statements", counts.statements + 1))
        shapes = {
            "idle": [[f"D{n}"] for n in range(200)],
            "burst": [[f"D{n}" for n in range(200)]],
            "chain": [[f"D{n % 40}" for n in range(200)]],
        }
        print(f"database {engine.dialect.name}")
        print("| shape | sender latency | CPU ms / message | COMMITs / message | statements / message | wall s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for latency in (float(x) for x in opts.latency_ms.split(",")):
            for shape, batches in shapes.items():
                if latency and shape == "idle":
                    continue  # one at a time: the latency is the wall time, the CPU the same as without
                with sessions.begin() as session:
                    session.execute(delete(OutboxRow))
                cpu, commits, statements, wall = asyncio.run(measure(sessions, counts, latency / 1000, batches))
                print(f"| {shape} | {latency:g} ms | {cpu:.2f} | {commits:.2f} | {statements:.2f} | {wall:.2f} |")
        engine.dispose()


if __name__ == "__main__":
    main()
