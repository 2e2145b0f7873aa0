"""The contract suite, continued: the inbound event queue (``bot.queues.InboundStore``) in memory, on SQLite
and on PostgreSQL, including ``take``, the way in for an event its own request processes (a Teams card
invoke). (The writer and the worker on both databases: tests/storage/test_inbound.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.queues import INBOUND_LEASE, InboundEvent, InboundStore
from storage.db import session_factory
from storage.inbound_store import SqlInboundStore
from storage.memory.inbound import MemoryInboundStore
from tests.conftest import Store
from tests.storage.test_contract import NOW

LATER = NOW + INBOUND_LEASE + timedelta(seconds=1)  # a lease taken at NOW has run out


@pytest.fixture
def inbound(store: Store) -> InboundStore:
    return MemoryInboundStore() if store.engine is None else SqlInboundStore(session_factory(store.engine))


def click(event_id: str = "a:chat|act-1", key: str = "teams:t1:sam", verb: str = "stage.idea") -> InboundEvent:
    return InboundEvent("teams", event_id, "invoke", key, {"value": {"action": {"verb": verb}}, "text": "🚓 & <b>"},
                        {"tenant_id": "t1"})


def backlog(inbound: InboundStore) -> int:
    with inbound.transaction() as q:
        return q.backlog()


def test_a_taken_event_is_stored_leased_to_its_taker_and_reaches_a_worker_only_when_the_lease_runs_out(
        inbound: InboundStore) -> None:
    with inbound.transaction() as q:
        held = q.take(click(), NOW)
    assert held is not None and (held.event, held.attempts) == (click(), 1)
    with inbound.transaction() as q:
        assert q.claim_due(NOW + INBOUND_LEASE - timedelta(seconds=1), platforms=["teams"]) == []
        assert q.backlog() == 1
        # Its taker died: once the lease has run out, a worker claims it like any other event.
        [claimed] = q.claim_due(LATER, platforms=["teams"])
    assert (claimed.id, claimed.event, claimed.attempts) == (held.id, click(), 2)


def test_a_retry_of_a_held_event_gets_nothing_and_one_whose_lease_ran_out_is_taken_over(
        inbound: InboundStore) -> None:
    with inbound.transaction() as q:
        first = q.take(click(), NOW)
        assert q.take(click(verb="a retry carries the same id"), NOW + timedelta(seconds=5)) is None
        again = q.take(click(verb="a retry carries the same id"), LATER)
        assert q.claim_due(LATER, platforms=["teams"]) == []  # taken over: leased again
    assert first is not None and again is not None
    assert (again.id, again.attempts, again.event.payload) == (first.id, 2, click().payload)  # stored once


def test_an_event_waiting_in_the_queue_is_taken_over_and_a_dead_one_is_not(inbound: InboundStore) -> None:
    with inbound.transaction() as q:
        q.add([click("a:chat|act-1"), click("a:chat|act-2", key="teams:t1:bea")], NOW)
        waiting = q.take(click("a:chat|act-1"), NOW)
        [other] = q.claim_due(NOW, platforms=["teams"])
        q.mark_dead(other.id, "it keeps failing")
        assert q.take(click("a:chat|act-2", key="teams:t1:bea"), LATER) is None
        assert q.claim_due(LATER + INBOUND_LEASE, platforms=["teams"])[0].id == getattr(waiting, "id", None)
    assert waiting is not None and waiting.attempts == 1


def test_a_finished_event_is_forgotten_and_taking_it_again_stores_it_anew(inbound: InboundStore) -> None:
    """The store keeps no trace of what was processed: the service's processed-event ids do."""
    with inbound.transaction() as q:
        first = q.take(click(), NOW)
        assert first is not None
        q.finish([first.id])
    assert backlog(inbound) == 0
    with inbound.transaction() as q:
        second = q.take(click(), NOW)
    assert second is not None and second.attempts == 1  # a new row, not the old one leased again


def test_a_held_event_holds_its_persons_later_events(inbound: InboundStore) -> None:
    with inbound.transaction() as q:
        held = q.take(click("a:chat|act-1"), NOW)
        q.add([click("a:chat|act-2"), click("a:chat|act-3", key="teams:t1:bea")], NOW)
        assert [i.event.event_id for i in q.claim_due(NOW, platforms=["teams"])] == ["a:chat|act-3"]
        assert held is not None
        q.finish([held.id])
        assert [i.event.event_id for i in q.claim_due(NOW, platforms=["teams"])] == ["a:chat|act-2"]


def test_a_failed_transaction_takes_nothing(inbound: InboundStore) -> None:
    with pytest.raises(RuntimeError), inbound.transaction() as q:
        q.take(click(), NOW)
        raise RuntimeError("the request died before its commit")
    assert backlog(inbound) == 0
    with inbound.transaction() as q:
        assert q.take(click(), NOW) is not None


def test_queue_order_retries_the_dead_and_forgetting(inbound: InboundStore) -> None:
    """What the worker relies on, on every store (the memory twin included)."""
    with inbound.transaction() as q:
        q.add([click("e1"), click("e1"), click("e2"), click("e3", key="teams:t1:bea")], NOW)
        assert q.backlog() == 3
        first, bea = q.claim_due(NOW, platforms=["teams"])
        assert [first.event.event_id, bea.event.event_id] == ["e1", "e3"]
        assert q.claim_due(NOW, platforms=["slack"]) == []
        q.extend([first.id], LATER + INBOUND_LEASE)
        # The extended lease holds; Bea's ran out, so her event is claimed again.
        assert [(i.id, i.attempts) for i in q.claim_due(LATER, platforms=["teams"])] == [(bea.id, 2)]
        q.retry_later(first.id, LATER + INBOUND_LEASE, "x" * 3000)
        q.mark_dead(bea.id, "hopeless")
        [retried] = q.claim_due(LATER + INBOUND_LEASE, platforms=["teams"])
        assert (retried.id, retried.attempts) == (first.id, 2)
        q.finish([retried.id])
        assert [i.event.event_id for i in q.claim_due(LATER + INBOUND_LEASE, platforms=["teams"])] == ["e2"]
        assert q.purge_dead(NOW) == 0 and q.purge_dead(LATER) == 1
        assert q.forget("teams:t1:sam") == 1 and q.backlog() == 0
