"""The outbox in memory, with the semantics of ``storage.outbox_store.SqlOutbox``: dedupe keys, leases, one
message at a time per conversation, purging what is finished."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.ports import Address, SentMessage
from bot.queues import OutboxItem, OutboxMessage
from storage.memory.tables import Ids, OutboxRow, Tables, stored_json
from storage.outbox_store import DEAD, PENDING, SENDING, SENT


def _item(row: OutboxRow) -> OutboxItem:
    message = OutboxMessage(row.platform, row.tenant, row.target, stored_json(row.payload), row.thread, row.kind,
                            row.dedupe_key)
    return OutboxItem(row.id, message, row.attempts, stored_json(row.result), row.created_at)


def _fresh(row: OutboxRow) -> OutboxRow:
    # As a database read: the JSON comes back as new objects, so changing them changes nothing stored.
    return replace(row, payload=stored_json(row.payload), result=stored_json(row.result))


class MemoryOutbox:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def enqueue(self, message: OutboxMessage, at: datetime) -> int | None:
        """Queue a message; None when one with the same dedupe key was queued before."""
        if message.dedupe_key is not None and any(r.dedupe_key == message.dedupe_key for r in self._t.outbox.values()):
            return None
        row = OutboxRow(self._ids.next("outbox"), message.platform, message.tenant, message.target, message.thread,
                        message.kind, stored_json(message.payload), message.dedupe_key, PENDING, 0, at, at)
        self._t.outbox[row.id] = row
        return row.id

    def enqueue_replies(self, address: Address, replies: Sequence[dict[str, Any]], *, dedupe_key: str | None,
                        at: datetime, kind: str = "post", original_id: int | None = None) -> int | None:
        payload: dict[str, Any] = {"replies": list(replies)}
        if original_id is not None:
            payload["original_id"] = original_id
        return self.enqueue(OutboxMessage(address.platform, address.tenant, address.target, payload,
                                          thread=address.thread, kind=kind, dedupe_key=dedupe_key), at)

    def claim_due(self, now: datetime, *, limit: int = 20, lease: timedelta = timedelta(seconds=60),
                  platform: str | None = None) -> list[OutboxItem]:
        rows = sorted(self._t.outbox.values(), key=lambda r: r.id)

        def due(r: OutboxRow) -> bool:
            return ((r.status == PENDING and r.next_attempt_at <= now)
                    or (r.status == SENDING and r.lease_until is not None and r.lease_until < now))

        def blocked(r: OutboxRow) -> bool:  # an earlier message to the same conversation is still on its way
            return any((e.platform, e.tenant, e.target) == (r.platform, r.tenant, r.target) and e.id < r.id
                       and e.status in (PENDING, SENDING) for e in rows)

        chosen = sorted((r for r in rows if due(r) and not blocked(r) and platform in (None, r.platform)),
                        key=lambda r: (r.next_attempt_at, r.id))[:limit]
        won = []
        for row in chosen:
            row = replace(row, status=SENDING, lease_until=now + lease, attempts=row.attempts + 1)
            self._t.outbox[row.id] = row
            won.append(_item(row))
        return won

    def _update(self, item_id: int, **values: Any) -> None:
        row = self._t.outbox.get(item_id)
        if row is not None:
            self._t.outbox[item_id] = replace(row, **values)

    def mark_sent(self, item_id: int, now: datetime, result: dict[str, Any] | None = None) -> None:
        self._update(item_id, status=SENT, sent_at=now, lease_until=None, result=stored_json(result), last_error="")

    def mark_sent_many(self, sent: Sequence[tuple[int, dict[str, Any] | None]], now: datetime) -> None:
        for item_id, result in sent:
            self.mark_sent(item_id, now, result)

    def waiting_behind(self, item_ids: Sequence[int]) -> int:
        places: dict[tuple[str, str, str], int] = {}
        for row in filter(None, map(self._t.outbox.get, item_ids)):
            place = (row.platform, row.tenant, row.target)
            places[place] = min(row.id, places.get(place, row.id))
        return sum(1 for r in self._t.outbox.values() if r.status == PENDING
                   and r.id > places.get((r.platform, r.tenant, r.target), r.id))

    def retry_later(self, item_id: int, at: datetime, error: str) -> None:
        self._update(item_id, status=PENDING, next_attempt_at=at, lease_until=None, last_error=error[:2000])

    def release(self, item_id: int, at: datetime) -> None:
        """Hand a claimed message back untried (its attempt does not count)."""
        row = self._t.outbox.get(item_id)
        if row is not None:
            self._update(item_id, status=PENDING, next_attempt_at=at, lease_until=None, attempts=row.attempts - 1)

    def mark_dead(self, item_id: int, error: str) -> None:
        self._update(item_id, status=DEAD, lease_until=None, last_error=error[:2000])

    def get(self, item_id: int) -> OutboxRow | None:
        row = self._t.outbox.get(item_id)
        return _fresh(row) if row else None

    def sent(self, outbox_id: int) -> SentMessage | None:
        row = self._t.outbox.get(outbox_id)
        if row is None or row.status != SENT or not row.result:
            return None
        return SentMessage(row.platform, row.target, stored_json(row.payload), stored_json(row.result))

    def take_for(self, platform: str, target: str, *, after: int, limit: int, at: datetime) -> list[OutboxItem]:
        rows = sorted((r for r in self._t.outbox.values() if (r.platform, r.target) == (platform, target)
                       and r.id > after), key=lambda r: r.id)[:max(limit, 0)]
        for row in rows:
            if row.status != SENT:
                self._t.outbox[row.id] = replace(row, status=SENT, sent_at=at)
        return [_item(row) for row in rows]

    def rows(self) -> list[OutboxRow]:
        """Every message, oldest first (what tests read instead of querying the table)."""
        return [_fresh(r) for r in sorted(self._t.outbox.values(), key=lambda r: r.id)]

    def purge_finished(self, before: datetime) -> int:
        gone = [r.id for r in self._t.outbox.values()
                if (r.status == SENT and r.sent_at is not None and r.sent_at < before)
                or (r.status == DEAD and r.created_at < before)]
        for item_id in gone:
            del self._t.outbox[item_id]
        return len(gone)
