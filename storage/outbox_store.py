"""The outbox: messages are written in the same transaction as the change that caused them, then
sent by a dispatcher that retries on failure. Claims use a lease, so a sender that dies mid-send
releases its messages to another process after the lease runs out."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, and_, bindparam, case, delete, exists, func, literal_column, or_, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from bot.ports import Address, SentMessage
from bot.queues import OUTBOX_LEASE, Delivery, HandOver, OutboxItem, OutboxMessage, OutboxStatus
from storage import leases
from storage.db import single_statements
from storage.insert_new import InsertNew
from storage.models import OUTBOX_UNSENT, OutboxRow
from storage.types import as_bound

PENDING, SENDING, SENT, DEAD = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value,
                                OutboxStatus.DEAD.value)

# The claim's statements, built once (storage/leases.py says why).
_TABLE: Table = OutboxRow.__table__  # type: ignore[assignment]
_EARLIER = _TABLE.alias("earlier")
_DUE = leases.due(_TABLE, waiting=PENDING, available="next_attempt_at", leased=SENDING)


def _unsent(table: FromClause) -> ColumnElement[bool]:
    """The condition of the index of unsent messages (``ix_outbox_unsent``), values written out as the
    index has them, so both databases read only unsent messages: sent ones stay for days and outnumber
    them by thousands (storage/models.py)."""
    return table.c.status.in_([literal_column(f"'{status}'") for status in OUTBOX_UNSENT])


# Messages to one conversation leave in the order they were queued: a message waits while an earlier
# one to the same place is still pending or being sent (a 429 on the first holds the rest).
_BLOCKED = exists().where(_EARLIER.c.platform == _TABLE.c.platform, _EARLIER.c.tenant == _TABLE.c.tenant,
                          _EARLIER.c.target == _TABLE.c.target, _EARLIER.c.id < _TABLE.c.id, _unsent(_EARLIER))
_CHOOSE = (select(_TABLE.c.id).where(_DUE, _unsent(_TABLE), ~_BLOCKED)
           .order_by(_TABLE.c.next_attempt_at, _TABLE.c.id).limit(bindparam("limit")))
# (Not "platform": in an UPDATE, SQLAlchemy keeps the columns' own names for the values it sets.)
_CHOOSE_ON = _CHOOSE.where(_TABLE.c.platform == bindparam("on_platform"))
# A round's deliveries (SqlOutbox.mark_sent_many), and what they let through (waiting_behind).
_MARK_SENT = (update(_TABLE).where(_TABLE.c.id == bindparam("b_id"))
              .values(status=SENT, sent_at=bindparam("now", type_=_TABLE.c.sent_at.type),
                      lease_until=bindparam("none", type_=_TABLE.c.lease_until.type),
                      result=bindparam("b_result", type_=_TABLE.c.result.type), last_error=""))
_SENT = _TABLE.alias("sent")
_WAITING_BEHIND = (select(func.count(_TABLE.c.id.distinct())).select_from(_TABLE).join(_SENT, and_(
    _SENT.c.platform == _TABLE.c.platform, _SENT.c.tenant == _TABLE.c.tenant, _SENT.c.target == _TABLE.c.target,
    _SENT.c.id < _TABLE.c.id)).where(_SENT.c.id.in_(bindparam("ids", expanding=True)), _TABLE.c.status == PENDING))
_RETURNED = ("id", "platform", "tenant", "target", "payload", "thread", "kind", "dedupe_key", "attempts", "result",
             "created_at", "next_attempt_at")
_CLAIM = leases.claim_statement(_TABLE, _CHOOSE, _DUE, status=SENDING, returning=_RETURNED)
_CLAIM_ON = leases.claim_statement(_TABLE, _CHOOSE_ON, _DUE, status=SENDING, returning=_RETURNED)
# Queued in every conversation turn: built once (storage/insert_new.py says why).
_ENQUEUE = InsertNew(_TABLE, _TABLE.c.id)
# Queued and leased in one statement, for the dispatcher of the process (bot.queues.HandOver): leased
# unless a message to the same place is still unsent, which it then waits behind, as a claim would
# leave it waiting (every unsent message there is an earlier one: this one is not written yet).
_PLACE_BUSY = exists().where(_EARLIER.c.platform == bindparam("on_platform"),
                             _EARLIER.c.tenant == bindparam("on_tenant"),
                             _EARLIER.c.target == bindparam("on_target"), _unsent(_EARLIER))
_ENQUEUE_LEASED = InsertNew(_TABLE, _TABLE.c.id, _TABLE.c.status, values={
    "status": case((_PLACE_BUSY, PENDING), else_=SENDING), "attempts": case((_PLACE_BUSY, 0), else_=1),
    "lease_until": case((_PLACE_BUSY, None), else_=bindparam("until", type_=_TABLE.c.lease_until.type))})
# A round whose messages all went, on PostgreSQL: mark_sent_many and waiting_behind as one statement, run
# on its own (autocommit), one round trip where BEGIN, the two statements and COMMIT were four. The count
# reads the table as it was before the update, which gives what waiting_behind gives after it: the rows
# being marked were "sending" then, so none of them counts as pending. Driver-level SQL, as the inbound
# store's insert (storage/inbound_store.py), for the same reasons: it runs for every message sent, and its
# arrays go in binary (no element searched and escaped).
_RECORD_SENT = (
    f"WITH sent AS (UPDATE outbox SET status = '{SENT}', sent_at = %(now)s, lease_until = NULL, last_error = '', "
    "result = delivered.result FROM unnest(%(ids)b::integer[], %(results)b::json[]) AS delivered (id, result) "
    "WHERE outbox.id = delivered.id RETURNING outbox.id, outbox.platform, outbox.tenant, outbox.target) "
    "SELECT count(DISTINCT behind.id) FROM outbox AS behind JOIN sent ON behind.platform = sent.platform "
    "AND behind.tenant = sent.tenant AND behind.target = sent.target AND sent.id < behind.id "
    f"WHERE behind.status = '{PENDING}'")


class SqlOutboxStore:
    """``bot.queues.OutboxStore`` on a session factory."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._alone = single_statements(sessions)

    @contextmanager
    def transaction(self) -> Iterator[SqlOutbox]:
        with self._sessions.begin() as session:
            yield SqlOutbox(session)

    def record_sent(self, sent: Sequence[tuple[int, dict[str, Any] | None]], now: datetime) -> int:
        if not sent:
            return 0
        if self._alone is None:
            with self.transaction() as outbox:
                outbox.mark_sent_many(sent, now)
                return outbox.waiting_behind([item_id for item_id, _ in sent])
        with self._alone.connect() as connection:
            # (None as JSON null, as the column's type writes it in mark_sent_many.)
            waiting = connection.exec_driver_sql(_RECORD_SENT, {
                "now": as_bound(_TABLE.c.sent_at, now, connection.dialect),
                "ids": [item_id for item_id, _ in sent], "results": [json.dumps(result) for _, result in sent],
            }).scalar()
        return int(waiting or 0)


class SqlOutbox:
    """``bot.queues.OutboxQueue`` (and the core's ``bot.ports.Outbox``) in one session's transaction."""

    def __init__(self, session: Session, hand_over: HandOver | None = None) -> None:
        self._s = session
        self._hand_over = hand_over
        self._leased: list[OutboxItem] = []  # queued here already leased, for the hand-over after the commit

    def enqueue(self, message: OutboxMessage, at: datetime) -> int | None:
        """Queue a message; None when one with the same dedupe key was queued before.

        With a hand-over whose dispatcher sends to the message's platform, the message is queued leased
        to it (unless it must wait behind another to the same place, or is not due yet): ``leased`` hands
        it over once the transaction has committed. One statement, where a claim after the commit was a
        transaction of its own."""
        values = {"platform": message.platform, "tenant": message.tenant, "target": message.target,
                  "thread": message.thread, "kind": message.kind, "payload": message.payload,
                  "dedupe_key": message.dedupe_key, "next_attempt_at": at, "last_error": "", "created_at": at}
        now = datetime.now(at.tzinfo)
        if self._hand_over is None or at > now or message.platform not in self._hand_over.platforms():
            new = self._s.execute(_ENQUEUE.on(self._s), {**values, "status": PENDING, "attempts": 0}).first()
            return None if new is None else int(new.id)
        new = self._s.execute(_ENQUEUE_LEASED.on(self._s), {
            **values, "on_platform": message.platform, "on_tenant": message.tenant, "on_target": message.target,
            "until": now + OUTBOX_LEASE}).first()
        if new is None:
            return None
        if new.status == SENDING:
            self._leased.append(OutboxItem(int(new.id), message, 1, None, at))
        return int(new.id)

    def leased(self) -> list[OutboxItem]:
        """The messages queued leased since the last call, to hand over now that they are committed."""
        leased, self._leased = self._leased, []
        return leased

    def forget_leased(self) -> None:
        """The transaction that queued them rolled back: there is nothing to hand over."""
        self._leased = []

    def enqueue_replies(self, address: Address, replies: Sequence[dict[str, Any]], *, dedupe_key: str | None,
                        at: datetime, kind: str = "post", original_id: int | None = None) -> int | None:
        payload: dict[str, Any] = {"replies": list(replies)}
        if original_id is not None:
            payload["original_id"] = original_id
        return self.enqueue(OutboxMessage(address.platform, address.tenant, address.target, payload,
                                          thread=address.thread, kind=kind, dedupe_key=dedupe_key), at)

    def claim_due(self, now: datetime, *, limit: int = 20, lease: timedelta = OUTBOX_LEASE,
                  platform: str | None = None) -> list[OutboxItem]:
        statement, parameters = (_CLAIM, {"limit": limit}) if platform is None else (
            _CLAIM_ON, {"limit": limit, "on_platform": platform})
        won = leases.claim(self._s, statement, parameters, now=now, until=now + lease, order=_in_turn)
        return [_item(row) for row in won]

    def mark_sent(self, item_id: int, now: datetime, result: dict[str, Any] | None = None) -> None:
        self._s.execute(update(OutboxRow).where(OutboxRow.id == item_id)
                        .values(status=SENT, sent_at=now, lease_until=None, result=result, last_error=""))

    def mark_sent_many(self, sent: Sequence[tuple[int, dict[str, Any] | None]], now: datetime) -> None:
        """Delivered: one UPDATE run for every row (executemany), as each has its own result."""
        if sent:
            self._s.execute(_MARK_SENT, [{"b_id": item_id, "b_result": result, "now": now, "none": None}
                                         for item_id, result in sent])

    def waiting_behind(self, item_ids: Sequence[int]) -> int:
        """How many unsent messages wait behind these, to the same conversations."""
        if not item_ids:
            return 0
        return int(self._s.scalar(_WAITING_BEHIND, {"ids": list(item_ids)}) or 0)

    def retry_later(self, item_id: int, at: datetime, error: str) -> None:
        self._s.execute(update(OutboxRow).where(OutboxRow.id == item_id)
                        .values(status=PENDING, next_attempt_at=at, lease_until=None, last_error=error[:2000]))

    def release(self, item_id: int, at: datetime) -> None:
        """Hand a claimed message back untried (its attempt does not count)."""
        self._s.execute(update(OutboxRow).where(OutboxRow.id == item_id)
                        .values(status=PENDING, next_attempt_at=at, lease_until=None,
                                attempts=OutboxRow.attempts - 1))

    def mark_dead(self, item_id: int, error: str) -> None:
        self._s.execute(update(OutboxRow).where(OutboxRow.id == item_id)
                        .values(status=DEAD, lease_until=None, last_error=error[:2000]))

    def get(self, item_id: int) -> OutboxRow | None:
        return self._s.get(OutboxRow, item_id, populate_existing=True)

    def sent(self, outbox_id: int) -> SentMessage | None:
        row = self.get(outbox_id)
        if row is None or row.status != SENT or not row.result:
            return None
        return SentMessage(row.platform, row.target, dict(row.payload), dict(row.result))

    def take_for(self, platform: str, target: str, *, after: int, limit: int, at: datetime) -> list[OutboxItem]:
        rows = self._s.scalars(select(OutboxRow).where(
            OutboxRow.platform == platform, OutboxRow.target == target, OutboxRow.id > after)
            .order_by(OutboxRow.id).limit(limit)).all()
        for row in rows:
            if row.status != SENT:
                row.status, row.sent_at = SENT, at
        return [_item(row) for row in rows]

    def delivery(self, item_id: int) -> Delivery | None:
        row = self.get(item_id)
        return None if row is None else Delivery(row.platform, OutboxStatus(row.status), row.result)

    def purge_finished(self, before: datetime) -> int:
        """Delete messages sent before ``before``, and ones given up on (dead) that were queued before it:
        their text holds ideas and names, and once delivered the platform keeps its own copy. (A click
        on a card older than this still works; the card is just not redrawn without its buttons.)"""
        result = self._s.execute(delete(OutboxRow).where(
            or_((OutboxRow.status == SENT) & (OutboxRow.sent_at < before),
                (OutboxRow.status == DEAD) & (OutboxRow.created_at < before))))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _in_turn(row: Row[Any]) -> tuple[datetime, int]:
    """The choice's own order: the longest due first."""
    return row.next_attempt_at, int(row.id)


def _item(row: OutboxRow | Row[Any]) -> OutboxItem:
    message = OutboxMessage(row.platform, row.tenant, row.target, row.payload, row.thread, row.kind, row.dedupe_key)
    return OutboxItem(row.id, message, row.attempts, row.result, row.created_at)
