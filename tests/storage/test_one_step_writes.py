"""The queue steps every turn takes, each in one step of its own, on both databases: the writer's batch of
events (``SqlInboundStore.add``), a dispatcher's round whose messages all went (``SqlOutboxStore.record_sent``)
and a worker's exchange whose events were all processed (``SqlInboundStore.finish_and_claim``). On
PostgreSQL each is one statement that commits alone (no transaction is left open after it); on SQLite, its
statements in one transaction. Either way they must do what the statements they replace did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.queues import INBOUND_LEASE, InboundEvent, OutboxMessage
from storage.inbound_store import SqlInboundStore
from storage.outbox_store import SqlOutbox, SqlOutboxStore
from tests.storage.test_inbound import NOW, add, claim, rows
from tests.storage.test_inbound import event as inbound_event


@contextmanager
def open_after_each_statement(engine: Engine) -> Iterator[list[bool]]:
    """Whether a transaction was still open on the connection after each statement, as the driver sees
    it: a statement that committed alone leaves none open."""
    states: list[bool] = []

    def look(conn: Any, *_: Any) -> None:
        driver = conn.connection.dbapi_connection
        if engine.dialect.name == "sqlite":
            states.append(driver.in_transaction)
        else:
            states.append(driver.info.transaction_status != driver.info.transaction_status.IDLE)

    event.listen(engine, "after_cursor_execute", look)
    try:
        yield states
    finally:
        event.remove(engine, "after_cursor_execute", look)


def _engine(sessions: sessionmaker[Session]) -> Engine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def _queue(sessions: sessionmaker[Session], *targets: str) -> list[int]:
    ids = []
    with sessions.begin() as s:
        for n, target in enumerate(targets):
            queued = SqlOutbox(s).enqueue(OutboxMessage("slack", "T1", target, {"replies": [{"text": str(n)}]}), NOW)
            assert queued is not None
            ids.append(queued)
    return ids


def test_a_round_that_all_went_is_marked_sent_and_counts_what_waits_behind_it(
        sessions: sessionmaker[Session]) -> None:
    first_a, second_a, first_b = _queue(sessions, "D-A", "D-A", "D-B")
    with sessions.begin() as s:
        claimed = SqlOutbox(s).claim_due(NOW)
    assert sorted(item.id for item in claimed) == [first_a, first_b]  # the second to D-A waits behind the first
    store = SqlOutboxStore(sessions)
    postgres = _engine(sessions).dialect.name == "postgresql"

    with open_after_each_statement(_engine(sessions)) as states:
        waiting = store.record_sent([(first_a, {"ts": "1.0", "text": "🚓 <!channel>"}), (first_b, None)],
                                    NOW + timedelta(seconds=1))
    assert waiting == 1  # the second message to D-A, claimable now
    # PostgreSQL: one statement, committed on its own; SQLite: all in one transaction (its BEGIN first).
    assert states == [False] if postgres else (len(states) == 3 and all(states))
    with sessions() as s:
        outbox = SqlOutbox(s)
        a, b, behind = outbox.get(first_a), outbox.get(first_b), outbox.get(second_a)
        assert a is not None and b is not None and behind is not None
        assert (a.status, a.result, a.sent_at, a.lease_until, a.last_error) == (
            "sent", {"ts": "1.0", "text": "🚓 <!channel>"}, NOW + timedelta(seconds=1), None, "")
        assert (b.status, b.result) == ("sent", None)
        assert behind.status == "pending"
    with sessions.begin() as s:
        [next_one] = SqlOutbox(s).claim_due(NOW + timedelta(seconds=1))
    assert next_one.id == second_a
    assert store.record_sent([(second_a, {"ts": "2.0"})], NOW) == 0  # nothing behind the last one
    assert store.record_sent([], NOW) == 0


def test_a_finished_event_frees_its_queue_for_the_same_step(sessions: sessionmaker[Session]) -> None:
    add(sessions, inbound_event("Ev1", "slack:T1:A"), inbound_event("Ev2", "slack:T1:A"),
        inbound_event("Ev3", "slack:T1:B"))
    first = claim(sessions)
    assert [item.event.event_id for item in first] == ["Ev1", "Ev3"]  # Ev2 waits behind Ev1
    store = SqlInboundStore(sessions)
    postgres = _engine(sessions).dialect.name == "postgresql"

    with open_after_each_statement(_engine(sessions)) as states:
        won = store.finish_and_claim([first[0].id], NOW, platforms=["slack"], limit=10)
    assert [(item.event.event_id, item.attempts) for item in won] == [("Ev2", 1)]
    assert states == [False] if postgres else (len(states) == 3 and all(states))
    assert [(r.event_id, r.status) for r in rows(sessions)] == [("Ev2", "working"), ("Ev3", "working")]


def test_an_event_being_finished_is_never_claimed_again(sessions: sessionmaker[Session]) -> None:
    """Even when its lease ran out while it was processed (the worker was slow to renew it): it is
    finished, not handed out a second time."""
    add(sessions, inbound_event("Ev1", "slack:T1:A"), inbound_event("Ev2", "slack:T1:B"))
    first, second = claim(sessions)
    later = NOW + INBOUND_LEASE + timedelta(seconds=1)  # both leases have run out
    won = SqlInboundStore(sessions).finish_and_claim([first.id], later, platforms=["slack"], limit=10)
    assert [(item.id, item.attempts) for item in won] == [(second.id, 2)]  # the other one is taken over
    assert [r.event_id for r in rows(sessions)] == ["Ev2"]


def test_without_room_the_step_only_finishes(sessions: sessionmaker[Session]) -> None:
    add(sessions, inbound_event("Ev1", "slack:T1:A"), inbound_event("Ev2", "slack:T1:A"),
        inbound_event("Ev3", "slack:T1:C"))
    [done] = claim(sessions, limit=1)
    store = SqlInboundStore(sessions)
    assert store.finish_and_claim([done.id], NOW, platforms=["slack"], limit=0) == []
    assert [(r.event_id, r.status) for r in rows(sessions)] == [("Ev2", "pending"), ("Ev3", "pending")]
    assert store.finish_and_claim([], NOW, platforms=["slack"], limit=0) == []
    # Nothing finished, room for one: a claim on its own, the oldest first.
    assert [i.event.event_id for i in store.finish_and_claim([], NOW, platforms=["slack"], limit=1)] == ["Ev2"]
    assert store.finish_and_claim([], NOW, platforms=["teams"], limit=5) == []  # only the platforms asked for


def test_a_batch_of_events_is_stored_in_order_once_each(sessions: sessionmaker[Session]) -> None:
    """The writer's batch: each event once (a retry in the same batch, or one already stored, adds
    nothing), ids in the batch's order (each person's order), the platform's own JSON kept exactly."""
    store = SqlInboundStore(sessions)
    postgres = _engine(sessions).dialect.name == "postgresql"
    raw = '{"event": {"text": "🚓 <!channel> \\u00e9", "n": 1.50}}'
    batch = [inbound_event("Ev2", "slack:T1:A", text="second"), inbound_event("Ev1", "slack:T1:A", text="first"),
             inbound_event("Ev2", "slack:T1:A", text="a retry"),
             InboundEvent("slack", "Ev3", "message", "slack:T1:B", {"event": {"text": "🚓 <!channel> é", "n": 1.5}},
                          {"team_id": "T1"}, raw_payload=raw)]
    with open_after_each_statement(_engine(sessions)) as states:
        store.add(batch, NOW)
    assert states == [False] if postgres else (len(states) == 2 and all(states))  # BEGIN, one executemany
    stored = rows(sessions)
    assert [(r.event_id, r.payload["event"]["text"], r.status, r.available_at) for r in stored] == [
        ("Ev2", "second", "pending", NOW), ("Ev1", "first", "pending", NOW), ("Ev3", "🚓 <!channel> é", "pending", NOW)]
    with _engine(sessions).connect() as connection:
        assert connection.exec_driver_sql("SELECT payload FROM inbound_events WHERE event_id = 'Ev3'").scalar() in (
            raw, json.loads(raw))  # PostgreSQL's json keeps the text; SQLite's driver hands back the value
    store.add([inbound_event("Ev1", "slack:T1:A", text="again")], NOW)  # already stored: nothing changes
    store.add([], NOW)
    assert [(r.event_id, r.payload["event"]["text"]) for r in rows(sessions)] == [
        ("Ev2", "second"), ("Ev1", "first"), ("Ev3", "🚓 <!channel> é")]
    assert [i.event.event_id for i in claim(sessions)] == ["Ev2", "Ev3"]  # Ev1 waits behind Ev2, as queued
