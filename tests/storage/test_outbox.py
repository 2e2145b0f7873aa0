"""The outbox on both databases: queued once, claimed once, retried until delivered, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.delivery import OutboxDispatcher
from adapters.send_failures import PermanentFailure, RetryLater
from adapters.send_outcomes import MAX_SEND_ATTEMPTS
from bot.queues import OutboxItem, OutboxMessage
from storage.db import make_engine, session_factory
from storage.models import OutboxRow
from storage.outbox_store import SqlOutbox, SqlOutboxStore
from tests.support.statements import recorded

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MESSAGE = OutboxMessage("slack", "T1", "D123", {"replies": [{"type": "text", "text": "hi"}]}, dedupe_key="Ev1:0")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class ScriptedSender:
    """Answers each send with the next scripted outcome: a result dict or an exception to raise."""

    def __init__(self, *outcomes: dict[str, Any] | Exception) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[OutboxItem] = []

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        self.sent.append(item)
        outcome = self.outcomes.pop(0) if self.outcomes else {"ok": True}
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def _enqueue(sessions: sessionmaker[Session], message: OutboxMessage = MESSAGE) -> int | None:
    with sessions.begin() as s:
        return SqlOutbox(s).enqueue(message, NOW)


def test_same_dedupe_key_is_queued_once(sessions: sessionmaker[Session]) -> None:
    first = _enqueue(sessions)
    assert first is not None
    assert _enqueue(sessions) is None
    assert _enqueue(sessions, OutboxMessage("slack", "T1", "D123", {"replies": []})) is not None


def test_a_message_is_claimed_by_one_dispatcher_only(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions)
    with sessions.begin() as s:
        first = SqlOutbox(s).claim_due(NOW)
    with sessions.begin() as s:
        second = SqlOutbox(s).claim_due(NOW)
    assert [i.message.target for i in first] == ["D123"] and second == []
    # the lease runs out (the sender died): another dispatcher may take it
    with sessions.begin() as s:
        third = SqlOutbox(s).claim_due(NOW + timedelta(minutes=2))
    assert [i.attempts for i in third] == [2]


async def test_delivered_message_is_marked_sent_with_its_result(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions)
    sender = ScriptedSender({"ts": "1700000000.000100"})
    delivered = await OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, Clock()).run_once()
    assert delivered == 1 and len(sender.sent) == 1
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert row is not None and (row.status, row.result, row.sent_at) == ("sent", {"ts": "1700000000.000100"}, NOW)
    assert (await OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, Clock()).run_once()) == 0


async def test_retry_after_is_honoured_then_delivered_once(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions)
    clock = Clock()
    sender = ScriptedSender(RetryLater("ratelimited", after=30), {"ts": "1"})
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    assert (await dispatcher.run_once()) == 0
    clock.now = NOW + timedelta(seconds=29)
    assert (await dispatcher.run_once()) == 0 and len(sender.sent) == 1  # not before Retry-After
    clock.now = NOW + timedelta(seconds=30)
    assert (await dispatcher.run_once()) == 1 and len(sender.sent) == 2
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert row is not None and row.status == "sent" and row.attempts == 2


async def test_an_outage_of_hours_delays_a_message_without_losing_it(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions)
    clock = Clock()
    sender = ScriptedSender(*[RetryLater("HTTP 503")] * 400, {"ts": "1"})
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    while len(sender.sent) < 401 and clock.now < NOW + timedelta(hours=4):
        await dispatcher.run_once()
        clock.now += timedelta(seconds=16)  # just past the longest backoff: every try is due
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert row is not None and row.status == "sent" and len(sender.sent) == 401


def test_backoff_is_capped_in_seconds_with_jitter() -> None:
    from adapters.send_failures import MAX_BACKOFF, backoff

    lowest, highest = (lambda a, b: a), (lambda a, b: b)
    assert [backoff(n, highest).total_seconds() for n in range(1, 9)] == [0.25, 0.5, 1, 2, 4, 8, 15, 15]
    assert [backoff(n, lowest).total_seconds() for n in range(1, 8)] == [0.125, 0.25, 0.5, 1, 2, 4, 7.5]
    assert backoff(1000) <= MAX_BACKOFF
    # Six failures in a row wait about 16 s in all at most (it was 2 + 4 + ... + 64 s).
    assert sum(backoff(n, highest).total_seconds() for n in range(1, 7)) <= 16
    samples = {backoff(5) for _ in range(50)}
    assert len(samples) > 1 and all(timedelta(seconds=2) <= s <= timedelta(seconds=4) for s in samples)


async def test_the_dispatcher_wakes_itself_for_a_retry_after(sessions: sessionmaker[Session]) -> None:
    """With no polling at all (idle=None), a 429's Retry-After still leads to the retry, not later."""
    _enqueue(sessions)
    sender = ScriptedSender(RetryLater("ratelimited", after=0.3), {"ts": "1"})
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender})
    stop = asyncio.Event()
    runner = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    try:
        for _ in range(500):
            if len(sender.sent) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        dispatcher.wake()
        await runner
    assert len(sender.sent) == 2


async def test_permanent_failure_is_not_retried(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions)
    clock = Clock()
    sender = ScriptedSender(PermanentFailure("channel_not_found"))
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    await dispatcher.run_once()
    clock.now += timedelta(days=1)
    await dispatcher.run_once()
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert row is not None and (row.status, row.last_error) == ("dead", "channel_not_found")
    assert len(sender.sent) == 1


async def test_unexpected_errors_back_off_and_give_up_after_max_attempts(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions)
    clock = Clock()
    sender = ScriptedSender(*[RuntimeError("boom")] * (MAX_SEND_ATTEMPTS + 5))
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    for _ in range(MAX_SEND_ATTEMPTS + 5):
        await dispatcher.run_once()
        clock.now += timedelta(hours=3)  # given up after MAX_SEND_ATTEMPTS tries spread over a day
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert row is not None and row.status == "dead" and len(sender.sent) == MAX_SEND_ATTEMPTS
    assert "boom" in row.last_error


async def test_messages_for_a_platform_without_a_sender_wait(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, OutboxMessage("teams", "tenant", "a:1", {"replies": []}))
    sender = ScriptedSender()
    assert (await OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, Clock()).run_once()) == 0
    with sessions() as s:
        claimable = SqlOutbox(s).claim_due(NOW, platform="teams")
    assert len(claimable) == 1  # never claimed by the Slack-only dispatcher


async def test_messages_to_one_conversation_keep_their_order(sessions: sessionmaker[Session]) -> None:
    first = _enqueue(sessions, OutboxMessage("slack", "T1", "D1", {"n": 1}))
    second = _enqueue(sessions, OutboxMessage("slack", "T1", "D1", {"n": 2}))
    elsewhere = _enqueue(sessions, OutboxMessage("slack", "T1", "D2", {"n": 3}))
    clock = Clock()
    sender = ScriptedSender(RetryLater("ratelimited", after=10))
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    assert await dispatcher.run_once() == 1  # only D2's message: D1's second waits behind the first
    assert [i.id for i in sender.sent] == [first, elsewhere]
    with sessions() as s:
        row = SqlOutbox(s).get(second or 0)
        assert row is not None and (row.status, row.attempts) == ("pending", 0)
    clock.now = NOW + timedelta(seconds=10)
    assert await dispatcher.run_once() == 1  # the first, at last
    assert await dispatcher.run_once() == 1  # and only then the second
    assert [i.id for i in sender.sent] == [first, elsewhere, first, second]


async def test_without_polling_a_dispatcher_sends_only_when_woken(sessions: sessionmaker[Session]) -> None:
    """The web process with WORKER=external: messages other processes queue are the worker's to send."""
    sender = ScriptedSender()
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, Clock())
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    await asyncio.sleep(0.05)
    _enqueue(sessions)  # queued by another process: no wake-up reaches this one
    await asyncio.sleep(0.3)
    assert sender.sent == []
    dispatcher.wake()  # this process queued something itself
    for _ in range(100):
        if sender.sent:
            break
        await asyncio.sleep(0.01)
    assert [i.message.target for i in sender.sent] == ["D123"]
    stop.set()
    dispatcher.wake()
    await asyncio.wait_for(task, timeout=5)


def test_the_claim_finds_earlier_messages_to_a_conversation_by_index(sqlite_url: str) -> None:
    """The "an earlier message to the same place waits" check must not read every pending message:
    with a backlog that made each claim slower, and so the backlog longer (SQLite's plan shows it)."""
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    for n in range(30):
        _enqueue(sessions, OutboxMessage("slack", "T1", f"D{n % 3}", {"n": n}))
    claimed, plan = _claim_plan(engine, sessions, platform=None)
    assert claimed == [0, 1, 2]  # one per conversation, the first
    # The index of unsent messages by conversation (ix_outbox_unsent) serves the check.
    assert "SEARCH earlier USING INDEX ix_outbox_unsent (platform=? AND tenant=? AND target=? AND id<?)" in plan, plan
    engine.dispose()


def _claim_plan(engine: Engine, sessions: sessionmaker[Session], platform: str | None = "slack"
                ) -> tuple[list[int], str]:
    """What a claim took (a dispatcher's: one platform's messages), and the database's plan for it."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "EXISTS" in statement.upper():
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    with sessions.begin() as s:
        claimed = SqlOutbox(s).claim_due(NOW, limit=10, platform=platform)
    event.remove(engine, "before_cursor_execute", record)
    sql, parameters = statements[0]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)
            plan = " ".join(str(row[-1]) for row in rows)
        else:
            conn.exec_driver_sql("ANALYZE outbox")
            # A generic plan, as psycopg's prepared statements get after their fifth run: the bound
            # values are not known when it is made, so only the literal condition can pick the index.
            conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
            conn.exec_driver_sql(f"PREPARE claim AS {_numbered(sql)}")
            count = len(parameters)
            rows = conn.exec_driver_sql("EXPLAIN EXECUTE claim (" + ", ".join(["NULL"] * count) + ")")
            plan = " ".join(str(row[0]) for row in rows)
    return [int(item.message.payload["n"]) for item in claimed], plan


def _numbered(sql: str) -> str:
    """psycopg's ``%(name)s`` placeholders as PREPARE's ``$1, $2 …``, in order of first appearance."""
    names: dict[str, int] = {}
    return re.sub(r"%\((\w+)\)s", lambda m: f"${names.setdefault(m.group(1), len(names) + 1)}", sql)


def test_a_claim_reads_only_unsent_messages_however_many_were_sent(database_url: str) -> None:
    """Sent messages stay for days (a card is updated from its stored result): the claim must not walk
    them. Before the index of unsent messages it read every message of the platform, 7.7 ms a claim at
    12,000 sent on SQLite and more with every message (docs/PERFORMANCE.md)."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as s:  # a few days of sent messages, to 40 conversations
        s.execute(insert(OutboxRow), [
            {"platform": "slack", "tenant": "T1", "target": f"D{n % 40}", "thread": "", "kind": "post",
             "payload": {"n": n}, "status": "sent", "attempts": 1, "next_attempt_at": NOW, "last_error": "",
             "created_at": NOW, "sent_at": NOW} for n in range(5000)])
    for n in range(5000, 5004):
        _enqueue(sessions, OutboxMessage("slack", "T1", f"D{n % 3}", {"n": n}))
    claimed, plan = _claim_plan(engine, sessions)
    assert claimed == [5000, 5001, 5002]  # the earliest unsent message of each conversation
    assert "ix_outbox_conversation" not in plan, plan  # the index that holds the sent messages too
    assert "SCAN outbox" not in plan and "Seq Scan on outbox" not in plan, plan
    engine.dispose()


def test_retention_deletes_sent_and_dead_messages_past_the_period_only(sessions: sessionmaker[Session]) -> None:
    from bot.retention import enforce_retention
    from storage.models import OutboxRow
    from storage.unit_of_work import SqlUnitOfWork

    def queue(key: str, at: datetime) -> int:
        with sessions.begin() as s:
            item_id = SqlOutbox(s).enqueue(OutboxMessage("slack", "T1", "D1", {"replies": [{"text": key}]},
                                                         dedupe_key=key), at)
        assert item_id is not None
        return item_id

    old, recent, waiting, dead = (queue("old", NOW - timedelta(days=40)), queue("recent", NOW - timedelta(days=5)),
                                  queue("waiting", NOW - timedelta(days=40)), queue("dead", NOW - timedelta(days=40)))
    with sessions.begin() as s:
        outbox = SqlOutbox(s)
        outbox.mark_sent(old, NOW - timedelta(days=31), {"ts": "1"})
        outbox.mark_sent(recent, NOW - timedelta(days=5), {"ts": "2"})
        outbox.mark_dead(dead, "gone")
    enforce_retention(lambda: SqlUnitOfWork(sessions), NOW, 365, sent_days=30)
    with sessions() as s:
        left = {row.dedupe_key: row.status for row in s.query(OutboxRow)}
    # Sent more than 30 days ago, and given up on after being queued that long ago: gone. Still to send: kept.
    assert left == {"recent": "sent", "waiting": "pending"}
    assert waiting and recent


class ShuffledSender:
    """Finishes sends out of order: each one waits a random few milliseconds (seeded), and a script can
    make the sends to one conversation fail. Records the order of sends per conversation and the most
    sends it had in flight at once."""

    def __init__(self, fail: dict[str, list[Exception | None]] | None = None, seed: int = 20) -> None:
        self.fail = fail or {}
        self.random = random.Random(seed)
        self.sent: list[OutboxItem] = []
        self.delivered: dict[str, list[int]] = {}
        self.in_flight = self.most_in_flight = 0

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        self.sent.append(item)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.random.uniform(0, 0.01))
            script = self.fail.get(item.message.target)
            failure = script.pop(0) if script else None  # None: this one goes through
            if failure is not None:
                raise failure
            self.delivered.setdefault(item.message.target, []).append(item.message.payload["n"])
            return {"ts": f"{item.id}.0"}
        finally:
            self.in_flight -= 1


async def test_conversations_are_sent_at_once_each_in_its_order(sessions: sessionmaker[Session]) -> None:
    targets = [f"D{c}" for c in range(8)]
    for n in range(5):
        for target in targets:
            _enqueue(sessions, OutboxMessage("slack", "T1", target, {"n": n}))
    clock = Clock()
    sender = ShuffledSender(fail={"D3": [None, None, RetryLater("HTTP 503")],
                                  "D5": [None, RetryLater("ratelimited", after=30)]})
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, clock)
    for _ in range(5):
        await dispatcher.run_once()
    # Every conversation's messages in order; a failure held only its own conversation, at the message
    # that failed, until it is tried again.
    assert sender.delivered == {**{t: [0, 1, 2, 3, 4] for t in targets if t not in ("D3", "D5")},
                                "D3": [0, 1], "D5": [0]}
    assert sender.most_in_flight == 8  # one per conversation, all at once
    clock.now = NOW + timedelta(seconds=30)  # both retries are due
    for _ in range(4):
        await dispatcher.run_once()
    assert sender.delivered["D3"] == sender.delivered["D5"] == [0, 1, 2, 3, 4]
    with sessions() as s:
        assert {row.status for row in s.scalars(select(OutboxRow))} == {"sent"}


async def test_one_round_marks_its_messages_in_one_statement(database_url: str) -> None:
    engine: Engine = make_engine(database_url)
    sessions = session_factory(engine)
    for n in range(6):
        _enqueue(sessions, OutboxMessage("slack", "T1", f"D{n}", {"n": n}))
    failing: dict[str, list[Exception | None]] = {"D1": [RetryLater("HTTP 503")],
                                                  "D2": [PermanentFailure("channel_not_found")]}
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": ShuffledSender(failing)}, Clock())
    try:
        with recorded(engine) as statements:
            assert await dispatcher.run_once() == 4
    finally:
        engine.dispose()
    updates = [(sql, rows) for sql, rows in statements if "UPDATE OUTBOX" in sql.upper()]  # the claim: WITH …
    # The claim's lease, then the round's outcomes: the four sent in one statement, the retry and the
    # dead one in their own.
    assert [rows for _, rows in updates] == [1, 4, 1, 1]
    assert "sent_at" in updates[1][0]


class CountingStore:
    """The real store, counting the claims made through it."""

    def __init__(self, store: SqlOutboxStore) -> None:
        self.store, self.claims = store, 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.store.transaction() as outbox:
            yield self._counting(outbox)

    def record_sent(self, sent: Any, now: datetime) -> int:
        return self.store.record_sent(sent, now)

    def _counting(self, outbox: SqlOutbox) -> Any:
        store = self

        class Counting:
            def __getattr__(self, name: str) -> Any:
                return getattr(outbox, name)

            def claim_due(self, *args: Any, **kwargs: Any) -> list[OutboxItem]:
                store.claims += 1
                return outbox.claim_due(*args, **kwargs)

        return Counting()


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not in 5 s")


async def test_a_woken_dispatcher_claims_again_only_when_something_became_claimable(
        sessions: sessionmaker[Session]) -> None:
    store = CountingStore(SqlOutboxStore(sessions))
    sender = ShuffledSender()
    dispatcher = OutboxDispatcher(store, {"slack": sender})  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    try:
        _enqueue(sessions, OutboxMessage("slack", "T1", "D1", {"n": 1}))
        dispatcher.wake()
        await _until(lambda: len(sender.sent) == 1)
        await asyncio.sleep(0.1)
        assert store.claims == 1  # sent, and nothing waits behind it: no second, empty claim
        # Two to one conversation: the second is claimable only once the first is sent. Nothing wakes
        # the dispatcher for it (and it does not poll): it claims again because one waited behind.
        _enqueue(sessions, OutboxMessage("slack", "T1", "D1", {"n": 2}))
        _enqueue(sessions, OutboxMessage("slack", "T1", "D1", {"n": 3}))
        dispatcher.wake()
        await _until(lambda: len(sender.sent) == 3)
        await asyncio.sleep(0.1)
        assert sender.delivered == {"D1": [1, 2, 3]} and store.claims == 3
    finally:
        stop.set()
        dispatcher.wake()
        await asyncio.wait_for(task, timeout=5)


async def test_an_update_waits_for_the_round_that_sends_its_original(sessions: sessionmaker[Session]) -> None:
    """A card and its update to different places can be claimed together; the sender needs the card's
    stored result to replace it, so the update goes in the next round, once that result is written."""
    card = _enqueue(sessions, OutboxMessage("slack", "T1", "U1", {"n": 1}, kind="dm"))
    update = _enqueue(sessions, OutboxMessage("slack", "T1", "D9", {"n": 2, "original_id": card}, kind="update"))
    store = SqlOutboxStore(sessions)
    seen: list[tuple[int, str | None]] = []

    class UpdatingSender:
        async def send(self, item: OutboxItem) -> dict[str, Any] | None:
            original = item.message.payload.get("original_id")
            if original is None:
                seen.append((item.id, None))
                return {"ts": "1.0"}
            with store.transaction() as outbox:
                delivery = outbox.delivery(original)
            seen.append((item.id, delivery.status.value if delivery else None))
            return {"ts": "1.0"}

    dispatcher = OutboxDispatcher(store, {"slack": UpdatingSender()}, Clock())
    assert await dispatcher.run_once() == 1
    assert seen == [(card, None)]
    with sessions() as s:
        row = SqlOutbox(s).get(update or 0)
        assert row is not None and (row.status, row.attempts) == ("pending", 0)  # handed back, not counted
    assert await dispatcher.run_once() == 1
    assert seen == [(card, None), (update, "sent")]


async def test_a_round_whose_outcomes_cannot_be_written_at_once_is_written_on_a_retry(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    """The database blinks as the round is marked: written again shortly, not left to the lease (which
    would post the round's messages a second time)."""
    from adapters import delivery

    monkeypatch.setattr(delivery, "RECORD_RETRIES", (0.01, 0.01))
    item_id = _enqueue(sessions)
    real = SqlOutboxStore(sessions)
    blinks = [2]

    class Blinking:
        """The real store whose connection drops twice as a round is marked (nothing written)."""

        @contextlib.contextmanager
        def transaction(self) -> Iterator[Any]:
            with real.transaction() as outbox:
                yield outbox

        def record_sent(self, sent: Any, now: datetime) -> int:
            if blinks[0]:
                blinks[0] -= 1
                raise RuntimeError("server closed the connection unexpectedly")
            return real.record_sent(sent, now)

    sender = ScriptedSender({"ts": "1"})
    assert await OutboxDispatcher(Blinking(), {"slack": sender}, Clock()).run_once() == 1  # type: ignore[arg-type]
    with sessions() as s:
        row = SqlOutbox(s).get(item_id or 0)
    assert blinks == [0] and row is not None and (row.status, row.result) == ("sent", {"ts": "1"})
    assert len(sender.sent) == 1
