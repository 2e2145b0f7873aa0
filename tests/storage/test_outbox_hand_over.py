"""Messages a turn queues are leased in its own transaction and handed to the dispatcher of its process,
which sends them without a claim of its own; on both databases. What the hand-over must not change: the
order of one conversation's messages, other platforms' messages, and nothing left leased to a process
that is not sending."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from adapters import hand_over as hand_over_module
from adapters.delivery import OutboxDispatcher
from adapters.hand_over import OutboxHandOver
from bot.queues import OutboxItem, OutboxMessage
from storage.models import OutboxRow
from storage.outbox_store import SqlOutbox, SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.test_outbox import CountingStore, ShuffledSender, _until


class Recorder:
    """A hand-over that keeps what it is given (the dispatcher's side is tested with the real one)."""

    def __init__(self, platforms: Sequence[str] = ("slack",)) -> None:
        self._platforms = frozenset(platforms)
        self.taken: list[list[OutboxItem]] = []

    def platforms(self) -> frozenset[str]:
        return self._platforms

    def take(self, items: Sequence[OutboxItem]) -> None:
        self.taken.append(list(items))


def _message(target: str, n: int, platform: str = "slack") -> OutboxMessage:
    return OutboxMessage(platform, "T1", target, {"n": n})


def _turn(sessions: sessionmaker[Session], hand_over: object, *messages: OutboxMessage) -> list[int]:
    """One unit of work that queues ``messages`` and commits, as a conversation turn does."""
    with SqlUnitOfWork(sessions, hand_over) as uow:  # type: ignore[arg-type]
        ids = [uow.outbox.enqueue(message, datetime.now(UTC)) for message in messages]
        uow.commit()
    return [item_id for item_id in ids if item_id is not None]


def _rows(sessions: sessionmaker[Session]) -> dict[int, tuple[str, int]]:
    with sessions() as s:
        return {row.id: (row.status, row.attempts) for row in s.scalars(select(OutboxRow))}


def test_a_turn_leases_what_it_queued_as_a_claim_would_and_hands_it_over_after_its_commit(
        sessions: sessionmaker[Session]) -> None:
    hand_over = Recorder()
    first, second, elsewhere, teams = _turn(sessions, hand_over, _message("D1", 1), _message("D1", 2),
                                            _message("D2", 3), _message("a:1", 4, platform="teams"))
    # One hand-over, after the commit: D1's first and D2's. D1's second waits behind D1's first, and the
    # Teams message is not for this process's senders: both stay for a claim.
    assert [[item.id for item in items] for items in hand_over.taken] == [[first, elsewhere]]
    assert [item.attempts for item in hand_over.taken[0]] == [1, 1]
    assert _rows(sessions) == {first: ("sending", 1), second: ("pending", 0), elsewhere: ("sending", 1),
                               teams: ("pending", 0)}
    # Leased: no claim takes them from the process they were handed to; the Teams one is Teams' to claim.
    with sessions.begin() as s:
        assert [item.id for item in SqlOutbox(s).claim_due(datetime.now(UTC), platform="slack")] == []
        assert [item.id for item in SqlOutbox(s).claim_due(datetime.now(UTC), platform="teams")] == [teams]


def test_a_rolled_back_turn_leases_nothing_and_a_closed_hand_over_leaves_messages_pending(
        sessions: sessionmaker[Session]) -> None:
    hand_over = Recorder()
    with SqlUnitOfWork(sessions, hand_over) as uow:
        uow.outbox.enqueue(_message("D1", 1), datetime.now(UTC))
        uow.rollback()
        kept = uow.outbox.enqueue(_message("D2", 2), datetime.now(UTC))
        uow.commit()
    assert [[item.id for item in items] for items in hand_over.taken] == [[kept]]
    nobody = Recorder(platforms=())  # no dispatcher running in the process
    (waiting,) = _turn(sessions, nobody, _message("D3", 3))
    assert nobody.taken == [] and _rows(sessions)[waiting] == ("pending", 0)
    with SqlUnitOfWork(sessions, hand_over) as uow:  # not due yet: a claim takes it when it is
        later = uow.outbox.enqueue(_message("D4", 4), datetime.now(UTC) + timedelta(minutes=5))
        uow.commit()
    assert len(hand_over.taken) == 1 and later is not None and _rows(sessions)[later] == ("pending", 0)


async def test_a_running_dispatcher_sends_what_a_turn_hands_it_without_claiming(
        sessions: sessionmaker[Session]) -> None:
    store = CountingStore(SqlOutboxStore(sessions))
    sender = ShuffledSender()
    hand_over = OutboxHandOver()
    dispatcher = OutboxDispatcher(store, {"slack": sender}, hand_over=hand_over)  # type: ignore[arg-type]
    assert hand_over.platforms() == frozenset()  # closed until the dispatcher runs
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    try:
        await _until(lambda: hand_over.is_open)
        await asyncio.sleep(0.05)
        claims = store.claims  # the look it takes as it starts
        (alone,) = await asyncio.to_thread(_turn, sessions, hand_over, _message("D1", 1))
        await _until(lambda: len(sender.sent) == 1)
        await _until(lambda: _rows(sessions)[alone] == ("sent", 1))
        assert store.claims == claims  # sent and marked sent without a claim
        # Two to one conversation in one turn: the first is handed over, the second follows once the
        # first is sent, by the claim that its sending makes due (nothing else wakes the dispatcher).
        await asyncio.to_thread(_turn, sessions, hand_over, _message("D1", 2), _message("D1", 3))
        await _until(lambda: sender.delivered == {"D1": [1, 2, 3]})
        assert store.claims == claims + 1
    finally:
        stop.set()
        dispatcher.wake()
        await asyncio.wait_for(task, timeout=5)
    assert hand_over.platforms() == frozenset()


async def test_leased_messages_the_dispatcher_did_not_send_go_back_to_pending_when_it_stops(
        sessions: sessionmaker[Session]) -> None:
    hand_over = OutboxHandOver()
    sender = ShuffledSender()
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, hand_over=hand_over)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=None))
    await _until(lambda: hand_over.is_open)
    late = Recorder()
    (unsent,) = await asyncio.to_thread(_turn, sessions, late, _message("D1", 1))
    stop.set()
    dispatcher.receive(late.taken[0])  # arrives as the dispatcher stops
    dispatcher.wake()
    await asyncio.wait_for(task, timeout=5)
    assert sender.sent == [] and _rows(sessions)[unsent] == ("pending", 0)
    # And one handed over after it stopped goes straight back too, from the committing thread.
    (after,) = await asyncio.to_thread(_turn, sessions, late, _message("D2", 2))
    hand_over.open(dispatcher, asyncio.get_running_loop())
    hand_over.close()
    await asyncio.to_thread(hand_over.take, late.taken[1])
    assert _rows(sessions)[after] == ("pending", 0)


async def test_a_stream_of_hand_overs_does_not_hold_back_the_poll(sessions: sessionmaker[Session]) -> None:
    """Messages no hand-over brings (queued by another process) are found by the poll, which is timed
    from the last claim: hand-overs arriving more often than the poll must not put it off for ever."""
    hand_over = OutboxHandOver()
    sender = ShuffledSender()
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, hand_over=hand_over)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=0.3))
    try:
        await _until(lambda: hand_over.is_open)
        with sessions.begin() as s:  # queued elsewhere: nothing wakes this dispatcher for it
            SqlOutbox(s).enqueue(_message("D0", 0), datetime.now(UTC))
        for n in range(1, 40):  # a hand-over every 50 ms for two seconds, each woken at once
            if "D0" in sender.delivered:
                break
            await asyncio.to_thread(_turn, sessions, hand_over, _message(f"D{n}", n))
            await asyncio.sleep(0.05)
        assert sender.delivered.get("D0") == [0]
    finally:
        stop.set()
        dispatcher.wake()
        await asyncio.wait_for(task, timeout=5)


async def test_a_full_hand_over_leaves_messages_pending_and_a_stale_one_to_its_lease(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    hand_over = OutboxHandOver()
    sender = ShuffledSender()
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, hand_over=hand_over)
    hand_over.open(dispatcher, asyncio.get_running_loop())
    waiting = OutboxItem(0, _message("D0", 0), 1, None)
    dispatcher.receive([waiting] * hand_over_module.HANDED_MAX)  # as many as may wait in memory
    assert hand_over.platforms() == frozenset()
    (pending,) = await asyncio.to_thread(_turn, sessions, hand_over, _message("D1", 1))
    assert _rows(sessions)[pending] == ("pending", 0)  # left for a claim
    # A message that waited in memory past HANDED_FOR is not sent from there: its lease decides.
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, hand_over=hand_over)
    hand_over.open(dispatcher, asyncio.get_running_loop())
    late = Recorder()
    (stale,) = await asyncio.to_thread(_turn, sessions, late, _message("D2", 2))
    dispatcher.receive(late.taken[0])
    monkeypatch.setattr(hand_over_module, "HANDED_FOR", 0.0)
    await dispatcher.run_round(claim=False)
    assert sender.sent == [] and _rows(sessions)[stale] == ("sending", 1)
    hand_over.close()
