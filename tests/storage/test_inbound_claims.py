"""How often the inbound worker goes to the database, on both databases: it claims when woken or after
a full claim, not after every batch; the outcomes of a batch ride on the next claim's transaction; and a
worker that dies between the conversation's commit and that transaction loses nothing and applies
nothing twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.orm import Session, sessionmaker

from adapters.event_processing import InboundWorker
from adapters.intake import InboundWriter
from adapters.slack.directory import Directory
from adapters.slack.payloads import SlackUser
from bot.queues import INBOUND_LEASE, InboundItem
from storage.inbound_store import SqlInboundStore
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.test_inbound import NOW, add, claim, event, rows


@dataclass
class Recorded:
    """One transaction of the worker's: what it finished and how many events it claimed (None: no claim)."""

    finished: list[int] = field(default_factory=list)
    claimed: int | None = None
    other: list[str] = field(default_factory=list)


class RecordingStore:
    """The real store, with every transaction the worker opens written down (and, once ``broken``,
    refused: the worker's process has died)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._store = SqlInboundStore(factory)
        self.log: list[Recorded] = []
        self.broken = False

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        if self.broken:
            raise ConnectionError("the worker is gone")
        record = Recorded()
        with self._store.transaction() as inbound:
            yield _Recording(inbound, record)
        self.log.append(record)

    def newest_id(self) -> int:
        return self._store.newest_id()

    def finish_and_claim(self, finished: Sequence[int], now: datetime, **kw: Any) -> list[InboundItem]:
        if self.broken:
            raise ConnectionError("the worker is gone")
        items = self._store.finish_and_claim(finished, now, **kw)
        self.log.append(Recorded(claimed=len(items) if kw.get("limit", 50) > 0 else None, finished=list(finished)))
        return items

    @property
    def claims(self) -> int:
        return sum(r.claimed is not None for r in self.log)


class _Recording:
    def __init__(self, inbound: Any, record: Recorded) -> None:
        self._inbound, self._record = inbound, record

    def claim_due(self, now: datetime, **kw: Any) -> list[InboundItem]:
        items: list[InboundItem] = self._inbound.claim_due(now, **kw)
        self._record.claimed = (self._record.claimed or 0) + len(items)
        return items

    def finish(self, ids: Sequence[int]) -> None:
        self._record.finished += list(ids)
        self._inbound.finish(ids)

    def __getattr__(self, name: str) -> Any:
        self._record.other.append(name)
        return getattr(self._inbound, name)


@contextlib.asynccontextmanager
async def running(worker: InboundWorker, idle: float = 3600) -> AsyncIterator[None]:
    """The worker runs (by default with no poll within a test) while the block does; at its end it is
    stopped and what it started finishes. A block that fails cancels it instead: nothing is waited on."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop, idle=idle))
    try:
        yield
    except BaseException:
        task.cancel()
        raise
    stop.set()
    worker.wake()
    await task


async def _until(condition: Any, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_batch_is_not_followed_by_a_claim_and_its_outcomes_ride_on_the_next(
        sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev1", "slack:T1:A"), event("Ev2", "slack:T1:B"))
    store = RecordingStore(sessions)
    done: list[str] = []

    async def process(item: InboundItem) -> None:
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(store, {"slack": process})
        worker.FINISH_WITHIN = 3600  # type: ignore[misc]  # for now: outcomes wait for the next claim
        writer = InboundWriter(SqlInboundStore(sessions), on_stored=worker.wake)
        async with running(worker):  # no poll within this test
            await _until(lambda: len(done) == 2, "the first batch")
            for _ in range(20):  # turns of the loop after the batch: nothing woke it, so it does not claim
                await asyncio.sleep(0.005)
            assert store.claims == 1
            assert [(r.finished, r.claimed) for r in store.log] == [([], 2)]
            assert {r.status for r in rows(sessions)} == {"working"}  # processed, kept until the next claim

            # A DM from A: the writer wakes the worker, whose one transaction finishes both and claims it.
            worker.FINISH_WITHIN = InboundWorker.FINISH_WITHIN  # type: ignore[misc]
            writer.put(event("Ev3", "slack:T1:A"))
            await _until(lambda: len(done) == 3, "the woken claim")
            assert [(len(r.finished), r.claimed) for r in store.log][:2] == [(0, 2), (2, 1)]
            # Nothing else comes: Ev3's outcome is written within FINISH_WITHIN, with a claim that finds nothing.
            await _until(lambda: rows(sessions) == [], "the last outcome to be written")
            assert [(len(r.finished), r.claimed) for r in store.log] == [(0, 2), (2, 1), (1, 0)]

    asyncio.run(run())
    assert sorted(done[:2]) == ["Ev1", "Ev2"] and done[2] == "Ev3"
    assert all(r.other == [] for r in store.log)  # no transaction of its own for finishing


def test_woken_while_busy_the_worker_claims_with_the_first_outcome(
        sessions: sessionmaker[Session]) -> None:
    """Woken while an event is in flight, the worker does not claim at once: it claims when that event
    finishes, in the transaction that finishes it, so under load what arrived meanwhile is one batch.
    The same person's next message, which had to wait for the first anyway, is claimed there too."""
    add(sessions, event("Ev1", "slack:T1:A"))
    store = RecordingStore(sessions)
    release = asyncio.Event()
    done: list[str] = []

    async def process(item: InboundItem) -> None:
        if item.event.event_id == "Ev1":
            await release.wait()
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(store, {"slack": process})
        worker.FINISH_WITHIN = worker.GATHER = 3600  # type: ignore[misc]  # only the finish may bring a claim
        writer = InboundWriter(SqlInboundStore(sessions), on_stored=worker.wake)
        async with running(worker):
            await _until(lambda: store.claims == 1, "the first claim")
            writer.put(event("Ev2", "slack:T1:A"))
            writer.put(event("Ev3", "slack:T1:B"))
            await writer.close()
            for _ in range(20):
                await asyncio.sleep(0.005)
            assert store.claims == 1  # woken, but busy: gathering
            release.set()
            await _until(lambda: len(done) == 3, "the gathered events")
            assert [(len(r.finished), r.claimed) for r in store.log] == [(0, 1), (1, 2)]

    asyncio.run(run())
    assert done[0] == "Ev1" and sorted(done[1:]) == ["Ev2", "Ev3"]
    assert rows(sessions) == []


def test_a_slow_event_holds_up_a_wake_up_only_for_a_moment(sessions: sessionmaker[Session]) -> None:
    add(sessions, event("Ev-slow", "slack:T1:A"))
    store = RecordingStore(sessions)
    release = asyncio.Event()
    done: list[str] = []

    async def process(item: InboundItem) -> None:
        if item.event.event_id == "Ev-slow":
            await release.wait()
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(store, {"slack": process})
        writer = InboundWriter(SqlInboundStore(sessions), on_stored=worker.wake)
        async with running(worker):
            await _until(lambda: store.claims == 1, "the first claim")
            writer.put(event("Ev2", "slack:T1:B"))
            await _until(lambda: done == ["Ev2"], "the other person's event, while the slow one goes on")
            release.set()

    asyncio.run(run())
    assert rows(sessions) == []


def test_a_full_claim_is_followed_by_another(sessions: sessionmaker[Session]) -> None:
    add(sessions, *(event(f"Ev{n}", f"slack:T1:U{n}") for n in range(5)))
    store = RecordingStore(sessions)
    done: list[str] = []

    async def process(item: InboundItem) -> None:
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(store, {"slack": process}, capacity=2)
        async with running(worker):
            await _until(lambda: len(done) == 5, "every event, with no wake-up and no poll")

    asyncio.run(run())
    assert rows(sessions) == []
    claimed = [r.claimed for r in store.log if r.claimed is not None]
    assert sum(claimed) == 5 and claimed[-1] < 2  # claimed again while claims came back full, then stopped


def test_a_worker_dying_between_the_conversations_commit_and_the_finish_loses_nothing_and_repeats_nothing(
        sessions: sessionmaker[Session]) -> None:
    """The processor records the event id in the conversation's own unit of work, as the service does;
    the worker dies before the transaction that would finish the event. Another worker takes the event
    over when the lease lapses: the service sees the id and does nothing twice, the event is finished,
    and the person's next event, which waited behind it, is processed after it."""
    add(sessions, event("Ev1", "slack:T1:A", "one"), event("Ev2", "slack:T1:A", "two"))
    applied: list[str] = []
    now = [NOW]

    def service(item: InboundItem) -> None:
        with SqlUnitOfWork(sessions) as uow:
            if uow.events.claim(f"slack:{item.event.event_id}", now[0]):
                applied.append(item.event.payload["event"]["text"])
            uow.commit()

    async def process(item: InboundItem) -> None:
        await asyncio.to_thread(service, item)

    doomed = RecordingStore(sessions)

    async def first() -> None:
        worker = InboundWorker(doomed, {"slack": process}, clock=lambda: now[0])
        worker.FINISH_WITHIN = 3600  # type: ignore[misc]  # the outcome waits: the worker dies first
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run_forever(stop, idle=3600))
        await _until(lambda: applied == ["one"], "the first event's commit")
        doomed.broken = True  # kill -9 now: the outcome is never written
        stop.set()
        worker.wake()
        with contextlib.suppress(ConnectionError):
            await task

    asyncio.run(first())
    assert [(r.event_id, r.status) for r in rows(sessions)] == [("Ev1", "working"), ("Ev2", "pending")]
    assert claim(sessions, at=now[0] + INBOUND_LEASE - timedelta(seconds=1)) == []  # still leased

    now[0] += INBOUND_LEASE + timedelta(seconds=1)
    survivor = RecordingStore(sessions)

    async def second() -> None:
        worker = InboundWorker(survivor, {"slack": process}, clock=lambda: now[0])
        while await worker.run_once():
            pass

    asyncio.run(second())
    assert applied == ["one", "two"]  # once each, in order
    assert rows(sessions) == []


def test_woken_with_no_room_the_worker_waits_for_room_without_spinning(sessions: sessionmaker[Session]) -> None:
    """All its room taken by a slow event, a wake-up (and the poll, come due) waits for that event to
    finish: the loop does not go round meanwhile (each round asks ``crowded``, counted here)."""
    add(sessions, event("Ev-slow", "slack:T1:A"))
    release = asyncio.Event()
    done: list[str] = []
    rounds = 0

    def crowded() -> bool:
        nonlocal rounds
        rounds += 1
        return False

    async def process(item: InboundItem) -> None:
        if item.event.event_id == "Ev-slow":
            await release.wait()
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process}, capacity=1, crowded=crowded)
        writer = InboundWriter(SqlInboundStore(sessions), on_stored=worker.wake)
        async with running(worker, idle=0.05):  # the poll comes due, too
            await _until(lambda: worker.busy, "the slow event")
            writer.put(event("Ev2", "slack:T1:B"))
            await writer.close()
            before = rounds
            await asyncio.sleep(0.3)
            assert rounds - before < 40  # a round every poll (two looks each); a spinning loop: thousands
            release.set()
            await _until(lambda: done == ["Ev-slow", "Ev2"], "the waiting event")

    asyncio.run(run())
    assert rows(sessions) == []


class _SlowSlack:
    """``users.info`` as a slow Slack answers it: not until ``answer`` is set."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = asyncio.Event()

    async def users_info(self, *, user: str, include_locale: bool) -> dict[str, Any]:
        self.asked.append(user)
        await self.answer.wait()
        return {"user": {"name": user, "locale": "en-GB", "profile": {"display_name": user}}}


def _people(sessions: sessionmaker[Session], n: int) -> None:
    add(sessions, *(event(f"Ev{i}", f"slack:T1:U{i}") for i in range(n)))


def test_events_waiting_on_slack_give_their_working_places_to_others(sessions: sessionmaker[Session]) -> None:
    """Only ``working`` events work at once, but one waiting for Slack's answer is not working: six new
    people behind a slow ``users.info`` are all asked about at once by a worker with two working places."""
    _people(sessions, 6)
    slack, directory = _SlowSlack(), Directory()
    names: list[str] = []

    async def process(item: InboundItem) -> None:
        profile = await directory.profile(cast(AsyncWebClient, slack), SlackUser("T1", item.event.event_id))
        names.append(profile.display_name)

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process}, capacity=10, working=2)
        async with running(worker):
            await _until(lambda: len(slack.asked) == 6, "every person asked about together")
            slack.answer.set()
            await _until(lambda: len(names) == 6, "every event")

    asyncio.run(run())
    assert sorted(names) == [f"Ev{i}" for i in range(6)]
    assert rows(sessions) == []


def test_no_more_than_the_working_places_work_at_once(sessions: sessionmaker[Session]) -> None:
    """Events busy with work of their own (here: waiting on something that is not a platform) hold their
    places: the others wait, however much room the worker has, and are started as places come free."""
    _people(sessions, 5)
    release = asyncio.Event()
    started: list[str] = []
    done: list[str] = []
    most = 0

    async def process(item: InboundItem) -> None:
        nonlocal most
        started.append(item.event.event_id)
        most = max(most, len(started) - len(done))
        await release.wait()
        done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(SqlInboundStore(sessions), {"slack": process}, capacity=10, working=2)
        async with running(worker):
            await _until(lambda: len(started) == 2, "two events")
            await asyncio.sleep(0.3)
            assert len(started) == 2  # the other three wait for a place
            release.set()
            await _until(lambda: len(done) == 5, "every event, as places came free")

    asyncio.run(run())
    assert most == 2 and rows(sessions) == []


def test_a_platform_call_outside_the_worker_counts_nowhere() -> None:
    slack = _SlowSlack()
    slack.answer.set()
    profile = asyncio.run(Directory().profile(cast(AsyncWebClient, slack), SlackUser("T1", "U1")))
    assert profile.display_name == "U1" and slack.asked == ["U1"]


def test_a_full_worker_whose_events_finish_one_by_one_claims_in_batches(sessions: sessionmaker[Session]) -> None:
    """SQLite's turns run one at a time: events in flight finish one by one. A full worker claiming as each
    one finished spent a transaction per event, each claiming one; it now waits for room for a fifth of
    its capacity (the events in flight keep it busy meanwhile), and still processes everything in order."""
    add(sessions, *(event(f"Ev{n:02d}", f"slack:T1:U{n:02d}") for n in range(40)))
    store = RecordingStore(sessions)
    done: list[str] = []
    one_at_a_time = asyncio.Lock()

    async def process(item: InboundItem) -> None:
        async with one_at_a_time:
            await asyncio.sleep(0.002)
            done.append(item.event.event_id)

    async def run() -> None:
        worker = InboundWorker(store, {"slack": process}, capacity=10)
        async with running(worker):
            await _until(lambda: len(done) == 40, "every event")
            await _until(lambda: rows(sessions) == [], "every outcome to be written")

    asyncio.run(run())
    assert done == [f"Ev{n:02d}" for n in range(40)]  # one at a time, in the order they were stored
    claimed = [r.claimed for r in store.log if r.claimed]
    assert sum(claimed) == 40
    assert claimed[0] == 10 and min(claimed) >= 2, claimed  # never a transaction to claim one event
    # (one at a time: 41 transactions or more; a fifth of 10 at a time: 10, then 15 of 2, then the last finishes)
    assert len(store.log) <= 28, [(len(r.finished), r.claimed) for r in store.log]
