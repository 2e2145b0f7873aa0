"""The inbound event queue in memory (``bot.queues.InboundStore``), with the semantics of
``storage.inbound_store.SqlInbound``: one row per platform and event id, leases, one event at a time per
queue key, finished events deleted, dead ones kept until purged. ``tests/storage/test_contract_inbound.py``
runs the same tests on it and on both databases."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.queues import INBOUND_LEASE, InboundEvent, InboundItem, finish_then_claim
from storage.inbound_store import DEAD, PENDING, WORKING
from storage.memory.tables import stored_json


@dataclass(frozen=True)
class InboundRow:
    id: int
    event: InboundEvent
    status: str
    attempts: int
    available_at: datetime
    lease_until: datetime | None
    last_error: str
    received_at: datetime


def _item(row: InboundRow) -> InboundItem:
    # As a database read: the JSON comes back as new objects, so changing them changes nothing stored.
    event = replace(row.event, payload=stored_json(row.event.payload), context=stored_json(row.event.context))
    return InboundItem(row.id, event, row.attempts)


class MemoryInboundStore:
    """One transaction at a time; a transaction works on a copy of the rows (frozen, so a shallow copy
    is a snapshot) that replaces them only when the block ends without an error."""

    def __init__(self) -> None:
        self._rows: dict[int, InboundRow] = {}
        self._last_id = 0
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[MemoryInbound]:
        with self._lock:
            work = MemoryInbound(dict(self._rows), self._last_id)
            yield work
            self._rows, self._last_id = work.rows, work.last_id

    def newest_id(self) -> int:
        return max(self._rows, default=0)

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        with self.transaction() as inbound:
            inbound.add(events, now)

    def finish_and_claim(self, finished: Sequence[int], now: datetime, *, platforms: Iterable[str],
                         limit: int = 50, lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        with self.transaction() as inbound:
            return finish_then_claim(inbound, finished, now, platforms=platforms, limit=limit, lease=lease)

    def rows(self) -> list[InboundRow]:
        """Every stored event, oldest first (what tests read instead of querying the table)."""
        return [self._rows[i] for i in sorted(self._rows)]


class MemoryInbound:
    """``bot.queues.InboundQueue`` in one transaction of ``MemoryInboundStore``."""

    def __init__(self, rows: dict[int, InboundRow], last_id: int) -> None:
        self.rows, self.last_id = rows, last_id

    def _stored(self, event: InboundEvent) -> InboundRow | None:
        return next((r for r in self.rows.values()
                     if (r.event.platform, r.event.event_id) == (event.platform, event.event_id)), None)

    def _insert(self, event: InboundEvent, now: datetime, *, status: str = PENDING, attempts: int = 0,
                lease_until: datetime | None = None) -> InboundRow:
        self.last_id += 1
        stored = replace(event, payload=stored_json(event.payload), context=stored_json(event.context),
                         raw_payload=None)
        row = InboundRow(self.last_id, stored, status, attempts, now, lease_until, "", now)
        self.rows[row.id] = row
        return row

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        for event in events:
            if self._stored(event) is None:
                self._insert(event, now)

    def take(self, event: InboundEvent, now: datetime, *, lease: timedelta = INBOUND_LEASE) -> InboundItem | None:
        stored = self._stored(event)
        if stored is None:
            return _item(self._insert(event, now, status=WORKING, attempts=1, lease_until=now + lease))
        return _item(self._lease(stored, now + lease)) if self._due(stored, now) else None

    @staticmethod
    def _due(row: InboundRow, now: datetime) -> bool:
        return ((row.status == PENDING and row.available_at <= now)
                or (row.status == WORKING and row.lease_until is not None and row.lease_until < now))

    def _lease(self, row: InboundRow, until: datetime) -> InboundRow:
        row = replace(row, status=WORKING, lease_until=until, attempts=row.attempts + 1)
        self.rows[row.id] = row
        return row

    def claim_due(self, now: datetime, *, platforms: Iterable[str], limit: int = 50,
                  lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        wanted = set(platforms)
        rows = sorted(self.rows.values(), key=lambda r: r.id)

        def blocked(row: InboundRow) -> bool:  # an earlier event of the same queue is unfinished
            return any(e.event.queue_key == row.event.queue_key and e.id < row.id and e.status in (PENDING, WORKING)
                       for e in rows)

        chosen = [r for r in rows if r.event.platform in wanted and self._due(r, now) and not blocked(r)][:limit]
        return [_item(self._lease(row, now + lease)) for row in chosen]

    def _update(self, ids: Iterable[int], **values: object) -> None:
        for item_id in ids:
            if item_id in self.rows:
                self.rows[item_id] = replace(self.rows[item_id], **values)  # type: ignore[arg-type]

    def extend(self, ids: Sequence[int], until: datetime) -> None:
        self._update([i for i in ids if i in self.rows and self.rows[i].status == WORKING], lease_until=until)

    def finish(self, ids: Sequence[int]) -> None:
        for item_id in ids:
            self.rows.pop(item_id, None)

    def retry_later(self, item_id: int, at: datetime, error: str) -> None:
        self._update([item_id], status=PENDING, available_at=at, lease_until=None, last_error=error[:2000])

    def mark_dead(self, item_id: int, error: str) -> None:
        self._update([item_id], status=DEAD, lease_until=None, last_error=error[:2000])

    def backlog(self) -> int:
        return sum(1 for r in self.rows.values() if r.status in (PENDING, WORKING))

    def purge_dead(self, before: datetime) -> int:
        return self._delete(lambda r: r.status == DEAD and r.received_at < before)

    def forget(self, queue_key: str) -> int:
        return self._delete(lambda r: r.event.queue_key == queue_key)

    def _delete(self, condition: Callable[[InboundRow], bool]) -> int:
        gone = [r.id for r in self.rows.values() if condition(r)]
        for item_id in gone:
            del self.rows[item_id]
        return len(gone)
