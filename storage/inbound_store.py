"""Platform events stored before they are acknowledged, and handed to a worker to process.

Storing first is what makes "200 OK" safe to say: a platform that was answered never sends the event
again, so a crash after the answer must not lose it. The web process answers only once the commit
holding the event has returned (``adapters/intake.InboundWriter``), and that commit is durable:
``synchronous_commit`` on for PostgreSQL, a WAL commit with ``synchronous=FULL`` on SQLite.

Workers claim events with a lease (renewed while they work; one that dies mid-event releases it when
the lease runs out) and, like the outbox, keep each queue's order: an event waits while an earlier
one with the same ``queue_key`` (one person's messages) is unfinished.

An event whose own request must answer with its outcome (a Teams card invoke) is stored already
leased to that request (``take``): no worker claims it until the lease runs out, so it is processed by
the request, or by a worker if the request dies before finishing it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ARRAY, Engine, Integer, Row, Table, all_, any_, bindparam, delete, exists, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.queues import INBOUND_LEASE, InboundEvent, InboundItem, finish_then_claim
from storage import leases
from storage.db import busy_as_store_busy, single_statements
from storage.insert_new import insert_new
from storage.models import InboundEventRow
from storage.types import as_bound

PENDING, WORKING, DEAD = "pending", "working", "dead"

# The claim's statement, built once (storage/leases.py says why).
_TABLE: Table = InboundEventRow.__table__  # type: ignore[assignment]
_EARLIER = _TABLE.alias("earlier")
_DUE = leases.due(_TABLE, waiting=PENDING, available="available_at", leased=WORKING)
# Each queue's order: an event waits while an earlier one with the same queue_key is unfinished.
_BLOCKED = exists().where(_EARLIER.c.queue_key == _TABLE.c.queue_key, _EARLIER.c.id < _TABLE.c.id,
                          _EARLIER.c.status.in_((PENDING, WORKING)))
_CHOOSE = (select(_TABLE.c.id)
           .where(_DUE, ~_BLOCKED, _TABLE.c.platform.in_(bindparam("platforms", expanding=True)))
           .order_by(_TABLE.c.id).limit(bindparam("limit")))
_RETURNED = ("id", "platform", "event_id", "kind", "queue_key", "payload", "context", "attempts")
_LEASE = leases.lease_statement(_TABLE, _DUE, status=WORKING, returning=_RETURNED)
_CLAIM = leases.claim_statement(_TABLE, _CHOOSE, _DUE, status=WORKING, returning=_RETURNED)
# Every processed event is finished by this statement: built once, on the table, so a finish is a
# look-up in SQLAlchemy's compiled cache rather than an ORM delete worked out anew each time.
_FINISH = delete(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
# The worker's commonest exchange on PostgreSQL (SqlInboundStore.finish_and_claim): the events it
# processed deleted and the next ones claimed in one statement, run on its own. Every part of a statement
# reads the table as it was before it (one snapshot), so the claim is told which events are going: they
# no longer hold back the next event of their queue, and are never chosen themselves.
_GOING = bindparam("finished", type_=ARRAY(Integer))
_FINISH_FIRST = delete(_TABLE).where(_TABLE.c.id == any_(_GOING)).cte("finished")
_STILL_BLOCKED = exists().where(_EARLIER.c.queue_key == _TABLE.c.queue_key, _EARLIER.c.id < _TABLE.c.id,
                                _EARLIER.c.status.in_((PENDING, WORKING)), _EARLIER.c.id != all_(_GOING))
_CHOOSE_AFTER = (select(_TABLE.c.id)
                 .where(_DUE, ~_STILL_BLOCKED, _TABLE.c.id != all_(_GOING),
                        _TABLE.c.platform.in_(bindparam("platforms", expanding=True)))
                 .order_by(_TABLE.c.id).limit(bindparam("limit")))
_FINISH_AND_CLAIM = leases.claim_statement(_TABLE, _CHOOSE_AFTER, _DUE, status=WORKING,
                                           returning=_RETURNED).add_cte(_FINISH_FIRST)
_STORED = select(_TABLE.c.id).where(_TABLE.c.platform == bindparam("platform"),
                                    _TABLE.c.event_id == bindparam("event_id"))


# Workers in other processes LISTEN on this channel; the notification goes out with the commit.
NEW_EVENTS_CHANNEL = "inbound_events"
_SYNCHRONOUS_AND_NOTIFY = (f"SELECT set_config('synchronous_commit', 'on', true), "
                           f"pg_notify('{NEW_EVENTS_CHANNEL}', '')")


def _insert(mark: str, json_value: str) -> str:
    # Driver-level SQL rather than the ORM's bulk insert (or even a ``text()`` statement): this runs for
    # every event a platform sends, next to the acknowledgements, and SQLAlchemy's per-row parameter
    # work was most of its cost. The values are prepared once per batch (the time) or serialised as the
    # JSON type would (payload, context), so a row reads back through the model as if the ORM wrote it.
    value = mark.format
    return (
        "INSERT INTO inbound_events (platform, event_id, kind, queue_key, payload, context, status, attempts, "
        f"available_at, last_error, received_at) VALUES ({value('platform')}, {value('event_id')}, "
        f"{value('kind')}, {value('queue_key')}, {json_value.format(value('payload'))}, "
        f"{json_value.format(value('context'))}, '{PENDING}', 0, {value('now')}, '', {value('now')}) "
        "ON CONFLICT (platform, event_id) DO NOTHING")


# Each driver's own placeholders: sqlite3 takes :name, psycopg %(name)s.
_INSERTS = {"postgresql": _insert("%({})s", "CAST({} AS JSON)"), "sqlite": _insert(":{}", "{}")}

# A batch on PostgreSQL (SqlInboundStore.add): every event, the durable commit and the notification in one
# statement, run on its own: one round trip where BEGIN, the set_config, the insert and COMMIT were four.
# The events come as arrays, one element each, inserted in their order (each queue's order is its ids'),
# in psycopg's binary format (%(…)b): in its text format every element is searched and escaped, which for a
# click's JSON of a few kilobytes cost 1.3 ms of CPU an event, against 0.35 ms (docs/PERFORMANCE.md).
# ``set_config(…, true)`` holds for the statement's own transaction, so for its commit; nothing is
# notified, and no flush is waited for, when every event was a retry already stored.
_ADD_ALONE = (
    "WITH added AS (INSERT INTO inbound_events (platform, event_id, kind, queue_key, payload, context, status, "
    "attempts, available_at, last_error, received_at) SELECT e.platform, e.event_id, e.kind, e.queue_key, "
    f"e.payload, e.context, '{PENDING}', 0, %(now)s, '', %(now)s FROM unnest(%(platform)b::text[], "
    "%(event_id)b::text[], %(kind)b::text[], %(queue_key)b::text[], %(payload)b::json[], %(context)b::json[]) "
    "WITH ORDINALITY AS e (platform, event_id, kind, queue_key, payload, context, n) ORDER BY e.n "
    "ON CONFLICT (platform, event_id) DO NOTHING RETURNING 1) "
    f"SELECT set_config('synchronous_commit', 'on', true), pg_notify('{NEW_EVENTS_CHANNEL}', '') "
    "FROM (SELECT 1 FROM added LIMIT 1) AS any_added")


class SqlInboundStore:
    """``bot.queues.InboundStore`` on a session factory: the root hands the writer one on durable
    sessions (``storage.db.durable_sessions``) and the worker one on the ordinary sessions."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._alone = single_statements(sessions)

    @contextmanager
    def transaction(self) -> Iterator[SqlInbound]:
        with busy_as_store_busy(), self._sessions.begin() as session:
            yield SqlInbound(session)

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        if self._alone is None:
            with self.transaction() as inbound:
                inbound.add(events, now)
            return
        if not events:
            return
        with self._alone.connect() as connection:
            connection.exec_driver_sql(_ADD_ALONE, {
                "now": as_bound(_TABLE.c.available_at, now, connection.dialect),
                "platform": [e.platform for e in events], "event_id": [e.event_id for e in events],
                "kind": [e.kind for e in events], "queue_key": [e.queue_key for e in events],
                "payload": [json.dumps(e.payload) if e.raw_payload is None else e.raw_payload for e in events],
                "context": [json.dumps(e.context) for e in events]})

    def finish_and_claim(self, finished: Sequence[int], now: datetime, *, platforms: Iterable[str],
                         limit: int = 50, lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        if self._alone is None:
            with self.transaction() as inbound:
                return finish_then_claim(inbound, finished, now, platforms=platforms, limit=limit, lease=lease)
        with self._alone.connect() as connection:
            if limit <= 0:
                if finished:
                    connection.execute(_FINISH, {"ids": list(finished)})
                return []
            won = leases.claim(connection, _FINISH_AND_CLAIM, {
                "finished": list(finished), "platforms": list(platforms), "limit": limit},
                now=now, until=now + lease, order=_by_id)
        return [_item(row) for row in won]

    def newest_id(self) -> int:
        engine = self._sessions.kw["bind"]
        assert isinstance(engine, Engine)
        return newest_id(engine)


class SqlInbound:
    """``bot.queues.InboundQueue`` in one session's transaction."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        """Store events in one statement; an event already stored (a platform's retry) is skipped."""
        if not events:
            return
        connection = self._s.connection()
        dialect = connection.dialect
        if dialect.name == "postgresql":
            # The commit that follows is the promise behind "200 OK": it must wait for the WAL flush
            # whatever the server's default (a server set to "off" would lose the last moment's events
            # in its own crash). Group commit (adapters/intake.py) keeps the flushes few. The same
            # statement tells listening workers (storage/inbound_notify.py), when the commit is made.
            connection.exec_driver_sql(_SYNCHRONOUS_AND_NOTIFY)
        when = as_bound(_TABLE.c.available_at, now, dialect)
        connection.exec_driver_sql(_INSERTS[dialect.name], [
            {"platform": e.platform, "event_id": e.event_id, "kind": e.kind, "queue_key": e.queue_key,
             "payload": json.dumps(e.payload) if e.raw_payload is None else e.raw_payload,
             "context": json.dumps(e.context), "now": when} for e in events])

    def take(self, event: InboundEvent, now: datetime, *, lease: timedelta = INBOUND_LEASE) -> InboundItem | None:
        """Store ``event`` leased to the caller (or take over a stored one that is waiting or whose lease
        ran out); None when another holds it or it is dead. (No ``synchronous_commit`` here, unlike ``add``:
        the caller's answer waits on its own decision's commit, and this row has to outlive the caller's
        process, not the database server.)"""
        until = now + lease
        new = self._s.execute(insert_new(
            self._s, _TABLE, platform=event.platform, event_id=event.event_id, kind=event.kind,
            queue_key=event.queue_key, payload=event.payload, context=event.context, status=WORKING, attempts=1,
            available_at=now, lease_until=until, last_error="", received_at=now,
        ).returning(*(_TABLE.c[name] for name in _RETURNED))).first()
        if new is not None:
            return _item(new)
        stored = self._s.scalar(_STORED, {"platform": event.platform, "event_id": event.event_id})
        won = leases.lease(self._s, _LEASE, [stored], now=now, until=until) if stored is not None else []
        return _item(won[0]) if won else None

    def claim_due(self, now: datetime, *, platforms: Iterable[str], limit: int = 50,
                  lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        won = leases.claim(self._s, _CLAIM, {"platforms": list(platforms), "limit": limit}, now=now,
                           until=now + lease, order=_by_id)
        return [_item(row) for row in won]

    def extend(self, ids: Sequence[int], until: datetime) -> None:
        """The worker is still on these events: keep them from being taken over."""
        if ids:
            self._s.execute(update(InboundEventRow).where(InboundEventRow.id.in_(list(ids)),
                                                          InboundEventRow.status == WORKING)
                            .values(lease_until=until))

    def finish(self, ids: Sequence[int]) -> None:
        """Processed: the row goes (it holds a person's words, and the service remembers the event id)."""
        if ids:
            self._s.execute(_FINISH, {"ids": list(ids)})

    def retry_later(self, item_id: int, at: datetime, error: str) -> None:
        self._s.execute(update(InboundEventRow).where(InboundEventRow.id == item_id)
                        .values(status=PENDING, available_at=at, lease_until=None, last_error=error[:2000]))

    def mark_dead(self, item_id: int, error: str) -> None:
        self._s.execute(update(InboundEventRow).where(InboundEventRow.id == item_id)
                        .values(status=DEAD, lease_until=None, last_error=error[:2000]))

    def backlog(self) -> int:
        """Events waiting or being processed (not the dead)."""
        return int(self._s.scalar(select(func.count()).select_from(InboundEventRow)
                                  .where(InboundEventRow.status.in_((PENDING, WORKING)))) or 0)

    def purge_dead(self, before: datetime) -> int:
        result = self._s.execute(delete(InboundEventRow).where(InboundEventRow.status == DEAD,
                                                              InboundEventRow.received_at < before))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def forget(self, queue_key: str) -> int:
        """Delete everything queued for one person (data rights: erasure)."""
        result = self._s.execute(delete(InboundEventRow).where(InboundEventRow.queue_key == queue_key))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def newest_id(engine: Engine) -> int:
    """The id of the newest event stored (0 when none is): how fast it grows is the arrival rate.

    Read on the driver's connection, outside a transaction of ours: on SQLite every unit of work
    begins IMMEDIATE (storage/db.py), and this look must not queue behind the writers it watches."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT max(id) FROM inbound_events")
        row = cursor.fetchone()
        return int(row[0] or 0) if row is not None else 0
    finally:
        connection.close()


def _item(row: Row[Any]) -> InboundItem:
    event = InboundEvent(row.platform, row.event_id, row.kind, row.queue_key, row.payload, row.context)
    return InboundItem(row.id, event, row.attempts)


def _by_id(row: Row[Any]) -> int:
    return int(row.id)
