"""The inbound queue on both databases, and its writer and worker: stored once, processed in order per
person, retried on failure, kept as dead when hopeless, deleted when done."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from adapters.arrivals import Arrivals, StoredArrivals
from adapters.event_processing import MAX_PROCESSING_ATTEMPTS, InboundWorker, Unprocessable
from adapters.intake import InboundWriter
from bot.queues import InboundEvent, InboundItem, StoreBusy
from storage import migrate
from storage.db import durable_sessions, make_engine, session_factory
from storage.inbound_store import DEAD, SqlInbound, SqlInboundStore, newest_id
from storage.models import InboundEventRow
from tests.support.statements import recorded

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def event(event_id: str, key: str = "slack:T1:U1", text: str = "hello") -> InboundEvent:
    return InboundEvent("slack", event_id, "message", key, {"event": {"text": text}}, {"team_id": "T1"})


def add(sessions: sessionmaker[Session], *events: InboundEvent, at: datetime = NOW) -> None:
    with sessions.begin() as s:
        SqlInbound(s).add(list(events), at)


def claim(sessions: sessionmaker[Session], at: datetime = NOW, limit: int = 50) -> list[InboundItem]:
    with sessions.begin() as s:
        return SqlInbound(s).claim_due(at, platforms=["slack"], limit=limit)


def rows(sessions: sessionmaker[Session]) -> list[InboundEventRow]:
    with sessions() as s:
        return list(s.scalars(select(InboundEventRow).order_by(InboundEventRow.id)))


# --- the store -----------------------------------------------------------------------------------

def test_a_retried_event_is_stored_once(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"), event("Ev1"))
    add(sessions, event("Ev1", text="a retry carries the same id"))
    assert [(r.event_id, r.payload["event"]["text"]) for r in rows(sessions)] == [("Ev1", "hello")]


def test_text_with_emoji_and_markup_is_kept_exactly(sessions: sessionmaker[Session]) -> None:
    text = "🚓 <!channel> & <@U123> " + "x" * 10_000
    add(sessions, event("Ev1", text=text))
    [item] = claim(sessions)
    assert item.event.payload["event"]["text"] == text
    assert item.event.context == {"team_id": "T1"}


def test_a_stored_event_reads_back_as_the_model_writes_it(sessions: sessionmaker[Session]) -> None:
    """The store writes plain SQL; what it writes must equal what the ORM would have written."""
    add(sessions, event("Ev1"), at=NOW)  # on the second exactly: no microseconds to drop
    with sessions.begin() as s:
        s.add(InboundEventRow(platform="slack", event_id="Ev2", kind="message", queue_key="slack:T1:U1",
                              payload={"event": {"text": "hello"}}, context={"team_id": "T1"}, status="pending",
                              attempts=0, available_at=NOW, last_error="", received_at=NOW))
    with sessions() as s:
        stored = s.execute(text("SELECT payload, context, status, attempts, available_at, last_error, received_at "
                                "FROM inbound_events ORDER BY id")).all()
    assert stored[0] == stored[1]
    first = rows(sessions)[0]
    assert (first.available_at, first.received_at, first.payload) == (NOW, NOW, {"event": {"text": "hello"}})
    assert [i.event.event_id for i in claim(sessions, at=NOW)] == ["Ev1"]  # due at the very moment it was stored


def test_a_payload_sent_as_json_text_is_stored_as_it_came_and_reads_back_parsed(
        sessions: sessionmaker[Session]) -> None:
    raw = '{"event": {"text": "\\ud83d\\ude93 <!here> caf\u00e9", "n": 1.50},  "event_id": "Ev1"}'
    payload = json.loads(raw)
    add(sessions, InboundEvent("slack", "Ev1", "message", "slack:T1:U1", payload, raw_payload=raw))
    with sessions() as s:
        assert s.execute(text("SELECT CAST(payload AS TEXT) FROM inbound_events")).scalar_one() == raw
    [item] = claim(sessions)
    assert item.event.payload == payload == {"event": {"text": "🚓 <!here> café", "n": 1.5}, "event_id": "Ev1"}


def test_one_persons_events_are_claimed_one_at_a_time_in_order(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1", "slack:T1:A"), event("Ev2", "slack:T1:A"), event("Ev3", "slack:T1:B"))
    first = claim(sessions)
    assert [i.event.event_id for i in first] == ["Ev1", "Ev3"]  # Ev2 waits for Ev1
    assert claim(sessions) == []  # nothing else is due while those are in flight
    with sessions.begin() as s:
        SqlInbound(s).finish([first[0].id])
    assert [i.event.event_id for i in claim(sessions)] == ["Ev2"]


def test_a_claim_is_won_once_and_a_lapsed_lease_is_claimed_again(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"))
    [item] = claim(sessions)
    assert item.attempts == 1
    assert claim(sessions, NOW + timedelta(seconds=19)) == []  # within the 20 s lease (renewed while worked on)
    [again] = claim(sessions, NOW + timedelta(seconds=21))  # the first worker died mid-event
    assert (again.id, again.attempts) == (item.id, 2)


def test_claimers_racing_each_other_win_every_event_once_in_one_statement_each(
        sessions: sessionmaker[Session]) -> None:
    """A claim chooses and leases in one statement (storage/leases.py): four workers claiming at once, in
    threads of their own, never take the same event twice, between them take every one, and never fail
    (on PostgreSQL the choice passes over rows another claimer holds, so two claims never deadlock)."""
    add(sessions, *(event(f"Ev{n:03d}", f"slack:T1:U{n:03d}") for n in range(120)))
    with recorded(sessions.kw["bind"]) as statements:
        won: list[list[int]] = [[] for _ in range(4)]
        failed: list[Exception] = []
        start = threading.Barrier(4)

        def work(mine: list[int]) -> None:
            start.wait()
            while True:
                try:
                    with sessions.begin() as s:
                        items = SqlInbound(s).claim_due(NOW, platforms=["slack"], limit=7)
                except Exception as exc:  # a deadlock between claimers, say: the others would take its events
                    failed.append(exc)
                    return
                if not items:
                    return
                mine.extend(item.id for item in items)

        threads = [threading.Thread(target=work, args=(mine,)) for mine in won]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    taken = [item_id for mine in won for item_id in mine]
    assert failed == []
    assert sorted(taken) == sorted(r.id for r in rows(sessions)) and len(taken) == 120
    claims = [sql for sql, _ in statements if "inbound_events" in sql]
    assert all("UPDATE inbound_events" in sql for sql in claims), claims[:3]  # no SELECT of its own


def test_retry_later_dead_and_purge(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1", "slack:T1:A"), event("Ev2", "slack:T1:B"))
    a, b = claim(sessions)
    with sessions.begin() as s:
        SqlInbound(s).retry_later(a.id, NOW + timedelta(minutes=1), "timeout")
        SqlInbound(s).mark_dead(b.id, "no such workspace")
    assert claim(sessions) == []
    assert [i.event.event_id for i in claim(sessions, NOW + timedelta(minutes=2))] == ["Ev1"]
    with sessions.begin() as s:
        assert SqlInbound(s).backlog() == 1  # the dead one is not backlog
        assert SqlInbound(s).purge_dead(NOW - timedelta(days=1)) == 0
        assert SqlInbound(s).purge_dead(NOW + timedelta(days=1)) == 1
    assert [r.event_id for r in rows(sessions)] == ["Ev1"]


def test_a_dead_event_does_not_hold_up_that_persons_next_one(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"), event("Ev2"))
    [first] = claim(sessions)
    with sessions.begin() as s:
        SqlInbound(s).mark_dead(first.id, "bad payload")
    assert [i.event.event_id for i in claim(sessions)] == ["Ev2"]


def test_forget_deletes_everything_queued_for_a_person(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1", "slack:T1:A"), event("Ev2", "slack:T1:A"), event("Ev3", "slack:T1:B"))
    with sessions.begin() as s:
        assert SqlInbound(s).forget("slack:T1:A") == 2
    assert [r.event_id for r in rows(sessions)] == ["Ev3"]


# --- the writer ----------------------------------------------------------------------------------

def test_the_writer_stores_a_burst_in_few_transactions(sessions: sessionmaker[Session]) -> None:
    commits: list[int] = []

    class Counting(InboundWriter):
        def _write(self, events: list[InboundEvent]) -> None:
            commits.append(len(events))
            super()._write(events)

    stored = asyncio.Event()

    async def burst() -> None:
        writer = Counting(SqlInboundStore(sessions), on_stored=stored.set)
        for n in range(100):
            writer.put(event(f"Ev{n}", f"slack:T1:U{n}"))
        assert writer.busy
        await writer.close()
        assert not writer.busy

    asyncio.run(burst())
    assert sum(commits) == 100 and len(commits) <= 2
    assert stored.is_set()
    assert len(rows(sessions)) == 100


def test_the_writer_keeps_events_until_the_database_takes_them(sessions: sessionmaker[Session]) -> None:
    failures = [OperationalError("INSERT", {}, Exception("database is locked"))] * 2

    class Flaky(InboundWriter):
        def _write(self, events: list[InboundEvent]) -> None:
            if failures:
                raise failures.pop()
            super()._write(events)

    async def run() -> None:
        writer = Flaky(SqlInboundStore(sessions), linger=0)
        writer.put(event("Ev1"))
        writer.put(event("Ev2"))
        await writer.close()

    asyncio.run(run())
    assert [r.event_id for r in rows(sessions)] == ["Ev1", "Ev2"]


def test_the_writer_waits_for_sqlites_write_lock_and_then_stores(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Another connection holds the write lock: the durable store says ``StoreBusy`` at once (no busy
    timeout), and the writer looks again until the lock is released, then commits the batch; a lock
    held for a moment is not reported as an outage."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    migrate.upgrade(engine)
    store = SqlInboundStore(durable_sessions(engine))
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreBusy), store.transaction() as inbound:
        inbound.add([event("Ev0")], NOW)

    async def run() -> None:
        writer = InboundWriter(store, linger=0)
        stored = writer.put(event("Ev1"))
        await asyncio.sleep(0.05)
        assert not stored.done()  # still waiting for the lock, not failed
        holder.execute("ROLLBACK")
        await asyncio.wait_for(stored, timeout=10)

    try:
        asyncio.run(run())
    finally:
        holder.close()
    assert [r.event_id for r in rows(session_factory(engine))] == ["Ev1"]
    assert not [r for r in caplog.records if r.name == "adapters.intake" and r.levelname == "ERROR"]
    engine.dispose()


# --- the worker ----------------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_the_worker_processes_each_persons_events_in_order_and_deletes_them(
        sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1", "slack:T1:A", "one"), event("Ev2", "slack:T1:A", "two"),
        event("Ev3", "slack:T1:B", "three"))
    seen: list[str] = []

    async def process(item: InboundItem) -> None:
        seen.append(item.event.payload["event"]["text"])

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process})
        while await worker.run_once():
            pass

    asyncio.run(run())
    assert seen.index("one") < seen.index("two") and sorted(seen) == ["one", "three", "two"]
    assert rows(sessions) == []


def test_a_failing_event_is_retried_with_backoff_then_kept_as_dead(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"))
    clock = Clock()
    tries: list[int] = []

    async def process(item: InboundItem) -> None:
        tries.append(item.attempts)
        raise ConnectionError("Slack is down")

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process}, clock=clock)
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0  # backing off
        for _ in range(MAX_PROCESSING_ATTEMPTS):
            clock.now += timedelta(minutes=10)
            await worker.run_once()

    asyncio.run(run())
    assert tries == list(range(1, MAX_PROCESSING_ATTEMPTS + 1))
    [row] = rows(sessions)
    assert row.status == DEAD and "Slack is down" in row.last_error


def test_an_unprocessable_event_is_dead_at_once(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"), event("Ev2"))

    async def process(item: InboundItem) -> None:
        if item.event.event_id == "Ev1":
            raise Unprocessable("a message without a user")

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process})
        while await worker.run_once():
            pass

    asyncio.run(run())
    [row] = rows(sessions)
    assert (row.event_id, row.status, row.attempts, row.last_error) == ("Ev1", DEAD, 1, "a message without a user")


def test_the_worker_leaves_platforms_it_cannot_process(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1"))

    async def run() -> int:
        return await InboundWorker(SqlInboundStore(sessions), {"teams": lambda item: asyncio.sleep(0)}).run_once()

    assert asyncio.run(run()) == 0
    assert [r.status for r in rows(sessions)] == ["pending"]


def test_run_forever_processes_what_arrives_and_finishes_on_stop(sessions: sessionmaker[Session]) -> None:
    done: list[str] = []

    async def process(item: InboundItem) -> None:
        await asyncio.sleep(0.01)
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process})
        writer = InboundWriter(SqlInboundStore(sessions), on_stored=worker.wake)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run_forever(stop, idle=5))
        for n in range(5):
            writer.put(event(f"Ev{n}", f"slack:T1:U{n}"))
        await writer.close()
        for _ in range(500):  # woken by the writer, not by the 5-second poll
            if len(done) == 5 and not worker.busy:
                break
            await asyncio.sleep(0.01)
        stop.set()
        worker.wake()
        await task

    asyncio.run(run())
    assert sorted(done) == [f"Ev{n}" for n in range(5)]
    assert rows(sessions) == []


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_during_a_burst_the_worker_takes_one_event_at_a_time_and_never_stops(
        sessions: sessionmaker[Session]) -> None:
    add(sessions, *(event(f"Ev{n}", f"slack:T1:U{n}") for n in range(6)))
    crowded = True
    ticks = Ticks()
    at_once: list[int] = []
    running = 0

    async def process(item: InboundItem) -> None:
        nonlocal running
        running += 1
        at_once.append(running)
        await asyncio.sleep(0.01)
        running -= 1

    async def run() -> None:
        nonlocal crowded
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process}, crowded=lambda: crowded, ticks=ticks)
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0  # a pause between events while the burst lasts
        ticks.now += InboundWorker.GIVE_WAY * 1.01
        assert await worker.run_once() == 1  # but it goes on, one by one
        crowded = False  # the burst is over: all at once again
        assert await worker.run_once() == 4

    asyncio.run(run())
    assert at_once[:2] == [1, 1] and max(at_once) == 4
    assert rows(sessions) == []


def test_arrivals_say_crowded_during_a_burst_only() -> None:
    clock = Ticks()
    arrivals = Arrivals(clock)
    for _ in range(Arrivals.BURST - 1):  # just under 300 a second
        arrivals.note()
    assert not arrivals.crowded()
    arrivals.note()
    assert arrivals.crowded()
    clock.now += Arrivals.WINDOW * 1.5  # the last window still counts while the next one fills
    arrivals.note()
    assert arrivals.crowded()
    clock.now += Arrivals.WINDOW * 1.01  # a quiet window
    assert not arrivals.crowded()
    clock.now += Arrivals.WINDOW * 5  # and silence
    assert not arrivals.crowded()
    for _ in range(20):  # a steady 200 a second is not a burst
        arrivals.note()
        clock.now += 1 / 200
    assert not arrivals.crowded()


def test_stored_arrivals_say_crowded_while_events_are_stored_at_a_bursts_rate() -> None:
    clock = Ticks()
    stored = 1000
    looks = 0

    def newest() -> int:
        nonlocal looks
        looks += 1
        if stored < 0:
            raise OperationalError("SELECT max(id)", {}, Exception("database is away"))
        return stored

    async def run() -> list[bool]:
        nonlocal stored
        arrivals = StoredArrivals(newest, clock)
        seen = []

        async def after(grown: int) -> None:
            nonlocal stored
            clock.now += Arrivals.WINDOW * 1.01
            stored += grown
            arrivals.crowded()  # answers from the last look, and starts the next (in a thread)
            for _ in range(100):
                await asyncio.sleep(0.001)
                if arrivals._looking is None:
                    break
            seen.append(arrivals.crowded())

        await after(0)  # the first look has nothing to measure from
        await after(Arrivals.BURST + 1)  # just over 300 a second
        assert arrivals.crowded() and arrivals.crowded()  # within the window: no new look
        await after(Arrivals.BURST - 1)
        stored = -1
        await after(0)  # the database is away: not crowded, and no baseline
        stored = 5000
        await after(0)  # back: the jump since the last good look is not a burst
        await after(Arrivals.BURST * 2)
        return seen

    assert asyncio.run(run()) == [False, True, False, False, False, True]
    assert looks == 6


def test_the_newest_id_is_read_while_a_writer_holds_the_database(sessions: sessionmaker[Session]) -> None:
    engine = sessions.kw["bind"]
    assert newest_id(engine) == 0
    add(sessions, event("Ev1"), event("Ev2"))
    committed = newest_id(engine)
    assert committed == max(r.id for r in rows(sessions))
    with sessions.begin() as s:  # on SQLite this holds the write lock (BEGIN IMMEDIATE)
        SqlInbound(s).add([event("Ev3")], NOW)
        s.flush()
        assert newest_id(engine) == committed  # not blocked, and the uncommitted row is not seen
    assert newest_id(engine) == committed + 1


def test_retention_deletes_dead_events_after_two_weeks(sessions: sessionmaker[Session]) -> None:
    from bot.retention import DEAD_EVENT_DAYS, enforce_retention
    from storage.unit_of_work import SqlUnitOfWork

    add(sessions, event("Ev1", "slack:T1:A"), event("Ev2", "slack:T1:B"))
    dead, _waiting = claim(sessions)
    with sessions.begin() as s:
        SqlInbound(s).mark_dead(dead.id, "bad payload")
    enforce_retention(lambda: SqlUnitOfWork(sessions), NOW + timedelta(days=DEAD_EVENT_DAYS - 1), 365)
    assert len(rows(sessions)) == 2
    enforce_retention(lambda: SqlUnitOfWork(sessions), NOW + timedelta(days=DEAD_EVENT_DAYS + 1), 365)
    assert [r.event_id for r in rows(sessions)] == ["Ev2"]  # the one still being processed stays


async def test_a_slow_event_keeps_its_lease_and_a_dead_workers_event_is_taken_over(
        sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev-slow"))
    now, ticks = [NOW], [0.0]
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(item: InboundItem) -> None:
        started.set()
        await release.wait()

    worker = InboundWorker(SqlInboundStore(sessions), {"slack": slow}, clock=lambda: now[0], ticks=lambda: ticks[0])
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run_forever(stop, idle=0.01))
    await asyncio.wait_for(started.wait(), 10)
    for _ in range(4):  # a minute of work, far past one lease: renewed every quarter of one
        now[0] += timedelta(seconds=15)
        ticks[0] += 15
        await asyncio.sleep(0.2)  # a few turns of the worker's loop
        assert claim(sessions, at=now[0]) == [], "taken over while its worker was still on it"
    release.set()
    stop.set()
    worker.wake()
    await running
    assert rows(sessions) == []  # processed once and finished
    # A worker that dies holding an event (kill -9): another takes it over once the lease lapses.
    add(sessions, event("Ev-orphan"))
    assert [i.event.event_id for i in claim(sessions, at=now[0])] == ["Ev-orphan"]
    assert claim(sessions, at=now[0] + timedelta(seconds=19)) == []
    assert [i.event.event_id for i in claim(sessions, at=now[0] + timedelta(seconds=21))] == ["Ev-orphan"]
