"""The contract suite, continued: the outbox as the unit of work offers it, in memory, on SQLite and on
PostgreSQL. (The dispatcher's reliability, kills and races: tests/storage/test_outbox.py on both databases.)"""

from __future__ import annotations

from datetime import timedelta

from bot.ports import Address, SentMessage
from bot.queues import OutboxMessage
from tests.storage.test_contract import NOW, UOW, uow

__all__ = ["uow"]  # the fixture, shared with test_contract.py

DM = Address("slack", "T1", "D1")
OTHER = Address("slack", "T1", "D2")


def test_a_dedupe_key_queues_a_message_once(uow: UOW) -> None:
    with uow:
        first = uow.outbox.enqueue_replies(DM, [{"text": "hello"}], dedupe_key="ev1:replies", at=NOW)
        assert first is not None
        assert uow.outbox.enqueue_replies(DM, [{"text": "again"}], dedupe_key="ev1:replies", at=NOW) is None
        # No key, no dedupe: each is queued.
        assert len({uow.outbox.enqueue_replies(DM, [{"text": "x"}], dedupe_key=None, at=NOW) for _ in range(2)}) == 2
        update = uow.outbox.enqueue_replies(Address("teams", "t", "conv", "thread-1"), [{"text": "decided"}],
                                            dedupe_key="upd", at=NOW, kind="update", original_id=first)
        uow.commit()
    with uow:
        assert uow.outbox.enqueue_replies(DM, [{"text": "later"}], dedupe_key="ev1:replies", at=NOW) is None
        row = uow.outbox.get(first)
        assert update is not None
        changed = uow.outbox.get(update)
    assert row is not None and changed is not None
    assert (row.platform, row.tenant, row.target, row.kind, row.status, row.attempts, row.payload) == (
        "slack", "T1", "D1", "post", "pending", 0, {"replies": [{"text": "hello"}]})
    assert (changed.thread, changed.kind, changed.payload) == (
        "thread-1", "update", {"replies": [{"text": "decided"}], "original_id": first})


def test_messages_to_one_conversation_leave_in_order(uow: UOW) -> None:
    with uow:
        a1 = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": 1}), NOW)
        a2 = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": 2}), NOW)
        b1 = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D2", {"n": 3}), NOW)
        t1 = uow.outbox.enqueue(OutboxMessage("teams", "t", "c", {"n": 4}), NOW + timedelta(minutes=5))
        uow.commit()
    with uow:
        claimed = uow.outbox.claim_due(NOW, platform="slack")
        # The second message to D1 waits for the first; the Teams one is not due yet (and not Slack's).
        assert [(i.id, i.message.payload, i.attempts) for i in claimed] == [(a1, {"n": 1}, 1), (b1, {"n": 3}, 1)]
        assert uow.outbox.claim_due(NOW) == []  # claimed ones are leased, the rest still blocked
        uow.outbox.mark_sent(a1, NOW, {"ts": "1.2"})
        uow.outbox.retry_later(b1, NOW + timedelta(minutes=1), "429 slow down")
        uow.commit()
    with uow:
        assert [i.id for i in uow.outbox.claim_due(NOW)] == [a2]
        assert [i.id for i in uow.outbox.claim_due(NOW + timedelta(minutes=5), platform="teams")] == [t1]
        sent, retried = uow.outbox.get(a1), uow.outbox.get(b1)
        assert sent is not None and (sent.status, sent.result, sent.sent_at, sent.lease_until) == (
            "sent", {"ts": "1.2"}, NOW, None)
        assert retried is not None and (retried.status, retried.last_error, retried.attempts) == (
            "pending", "429 slow down", 1)


def test_a_lease_runs_out_and_a_release_does_not_count(uow: UOW) -> None:
    with uow:
        item = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": 1}), NOW)
        assert item is not None
        assert [i.attempts for i in uow.outbox.claim_due(NOW, lease=timedelta(seconds=60))] == [1]
        assert uow.outbox.claim_due(NOW + timedelta(seconds=59)) == []
        # The sender died mid-send: once the lease has run out another sender takes the message.
        [again] = uow.outbox.claim_due(NOW + timedelta(seconds=61))
        assert (again.id, again.attempts, again.queued_at) == (item, 2, NOW)
        uow.outbox.release(item, NOW)
        row = uow.outbox.get(item)
        assert row is not None and (row.status, row.attempts, row.lease_until) == ("pending", 1, None)
        uow.outbox.mark_dead(item, "x" * 3000)
        row = uow.outbox.get(item)
        assert row is not None and (row.status, len(row.last_error)) == ("dead", 2000)
        assert uow.outbox.claim_due(NOW + timedelta(days=1)) == []


def test_finished_messages_are_purged(uow: UOW) -> None:
    later = NOW + timedelta(days=30)
    with uow:
        sent = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": 1}), NOW)
        dead = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D2", {"n": 2}), NOW)
        waiting = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D3", {"n": 3}), NOW)
        recent = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D4", {"n": 4}), NOW)
        assert None not in (sent, dead, waiting, recent)
        uow.outbox.mark_sent(sent, NOW)  # type: ignore[arg-type]
        uow.outbox.mark_dead(dead, "gone")  # type: ignore[arg-type]
        uow.outbox.mark_sent(recent, later)  # type: ignore[arg-type]
        assert uow.outbox.purge_finished(NOW + timedelta(days=1)) == 2
        uow.commit()
    with uow:
        assert [uow.outbox.get(i) is not None for i in (sent, dead, waiting, recent)] == [  # type: ignore[arg-type]
            False, False, True, True]


def test_a_sent_message_shows_what_was_sent_and_what_the_platform_answered(uow: UOW) -> None:
    with uow:
        posted = uow.outbox.enqueue_replies(DM, [{"text": "hello"}], dedupe_key="a", at=NOW)
        waiting = uow.outbox.enqueue_replies(DM, [{"text": "later"}], dedupe_key="b", at=NOW)
        quiet = uow.outbox.enqueue_replies(OTHER, [{"text": "no answer"}], dedupe_key="c", at=NOW)
        assert None not in (posted, waiting, quiet)
        uow.outbox.mark_sent(posted, NOW, {"ts": "1.5", "channel": "D1"})  # type: ignore[arg-type]
        uow.outbox.mark_sent(quiet, NOW)  # type: ignore[arg-type]
        uow.commit()
    with uow:
        sent = uow.outbox.sent(posted)  # type: ignore[arg-type]
        assert sent is not None
        sent.payload["replies"].append("changed by the caller")  # a copy: what is stored stays as it was
        again = uow.outbox.sent(posted)  # type: ignore[arg-type]
        assert again == SentMessage("slack", "D1", {"replies": [{"text": "hello"}]}, {"ts": "1.5", "channel": "D1"})
        assert [uow.outbox.sent(i) for i in (waiting, quiet, 999_999)] == [None, None, None]  # type: ignore[arg-type]


def test_messages_a_caller_shows_itself_are_taken_once_in_order(uow: UOW) -> None:
    playground = Address("local", "local", "me")
    with uow:
        ids = [uow.outbox.enqueue_replies(playground, [{"text": str(n)}], dedupe_key=None, at=NOW) for n in range(3)]
        uow.outbox.enqueue_replies(Address("local", "local", "someone-else"), [{"text": "x"}], dedupe_key=None, at=NOW)
        uow.outbox.enqueue_replies(Address("slack", "local", "me"), [{"text": "y"}], dedupe_key=None, at=NOW)
        first = uow.outbox.take_for("local", "me", after=0, limit=2, at=NOW + timedelta(seconds=1))
        uow.commit()
    with uow:
        rest = uow.outbox.take_for("local", "me", after=first[-1].id, limit=10, at=NOW + timedelta(seconds=2))
        taken_again = uow.outbox.take_for("local", "me", after=0, limit=10, at=NOW + timedelta(seconds=3))
        stored = [uow.outbox.get(i) for i in ids]  # type: ignore[arg-type]
        due = uow.outbox.claim_due(NOW + timedelta(minutes=1), platform="local")
    assert [item.id for item in first] == ids[:2] and [item.id for item in rest] == ids[2:]
    assert [item.message.payload for item in first + rest] == [{"replies": [{"text": str(n)}]} for n in range(3)]
    assert [item.id for item in taken_again] == ids  # after=0 reads them again; they stay sent
    assert [(row.status, row.sent_at) for row in stored if row is not None] == [
        ("sent", NOW + timedelta(seconds=n)) for n in (1, 1, 2)]
    assert [item.message.target for item in due] == ["someone-else"]  # taken messages are not delivered again


def test_retention_purges_finished_messages(uow: UOW) -> None:
    with uow:
        sent = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": 1}), NOW)
        uow.outbox.mark_sent(sent, NOW)  # type: ignore[arg-type]
        assert uow.retention.purge_finished_messages(NOW + timedelta(days=1)) == 1
        assert uow.retention.purge_dead_events(NOW + timedelta(days=1)) == 0  # none were stored


def test_a_round_of_deliveries_is_marked_sent_together(uow: UOW) -> None:
    with uow:
        a1, a2, a3 = (uow.outbox.enqueue(OutboxMessage("slack", "T1", "D1", {"n": n}), NOW) for n in (1, 2, 3))
        b1 = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D2", {"n": 4}), NOW)
        c1 = uow.outbox.enqueue(OutboxMessage("slack", "T1", "D3", {"n": 5}), NOW)
        elsewhere = uow.outbox.enqueue(OutboxMessage("slack", "T2", "D1", {"n": 6}), NOW)  # another workspace
        uow.commit()
    assert None not in (a1, a2, a3, b1, c1, elsewhere)
    with uow:
        assert [i.id for i in uow.outbox.claim_due(NOW)] == [a1, b1, c1, elsewhere]
        uow.outbox.mark_sent_many([(a1, {"ts": "1.1"}), (b1, None), (elsewhere, {"ts": "1.3"})],  # type: ignore[list-item]
                                  NOW + timedelta(seconds=1))
        uow.outbox.mark_sent_many([], NOW)  # nothing: nothing happens
        # Behind the ones just sent: D1's second and third (D2 and the other workspace's D1 have none);
        # D3's first was not sent, so nothing waits behind it in this count.
        assert uow.outbox.waiting_behind([a1, b1, elsewhere]) == 2  # type: ignore[list-item]
        assert uow.outbox.waiting_behind([b1, elsewhere]) == 0  # type: ignore[list-item]
        assert uow.outbox.waiting_behind([]) == 0
        uow.commit()
    with uow:
        rows = {i: uow.outbox.get(i) for i in (a1, b1, c1, elsewhere)}  # type: ignore[misc]
        # D1's second is claimable now; D3's first is still leased.
        assert [i.id for i in uow.outbox.claim_due(NOW + timedelta(seconds=2))] == [a2]
    assert {i: (r.status, r.result, r.sent_at, r.lease_until, r.last_error) for i, r in rows.items() if r} == {
        a1: ("sent", {"ts": "1.1"}, NOW + timedelta(seconds=1), None, ""),
        b1: ("sent", None, NOW + timedelta(seconds=1), None, ""),
        c1: ("sending", None, None, NOW + timedelta(seconds=60), ""),
        elsewhere: ("sent", {"ts": "1.3"}, NOW + timedelta(seconds=1), None, ""),
    }
