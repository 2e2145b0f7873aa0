"""What became of a dispatcher's round of messages, written together in one transaction when its sends end
(``adapters/delivery.py``), and when a message that keeps failing is given up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.queues import OutboxItem, OutboxQueue, OutboxStore

MAX_SEND_ATTEMPTS = 10  # tries of one message (and at least GIVE_UP_AFTER) before it is kept as dead
GIVE_UP_AFTER = timedelta(hours=24)


@dataclass
class Outcomes:
    sent: list[tuple[int, dict[str, Any] | None]] = field(default_factory=list)
    retries: list[tuple[OutboxItem, datetime, str]] = field(default_factory=list)
    dead: list[tuple[OutboxItem, str]] = field(default_factory=list)
    released: list[tuple[int, datetime]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.retries or self.dead or self.released)

    def record(self, store: OutboxStore, now: datetime) -> bool:
        """Write them, committed; True when a message became claimable by them. A round whose messages
        all went (nearly every round) takes the store's one-step path."""
        if self.sent and not (self.retries or self.dead or self.released):
            return store.record_sent(self.sent, now) > 0
        with store.transaction() as outbox:
            return self.write(outbox, now)

    def write(self, outbox: OutboxQueue, now: datetime) -> bool:
        """Write them in ``outbox``'s transaction; True when a message became claimable by them (one
        queued behind a message now sent, or one handed back)."""
        waiting = 0
        if self.sent:
            outbox.mark_sent_many(self.sent, now)
            waiting = outbox.waiting_behind([item_id for item_id, _ in self.sent])
        for item, at, error in self.retries:
            if given_up(item, now):
                outbox.mark_dead(item.id, f"gave up after {item.attempts} attempts: {error}")
            else:
                outbox.retry_later(item.id, at, error)
        for item, reason in self.dead:
            outbox.mark_dead(item.id, reason)
        for item_id, at in self.released:
            outbox.release(item_id, at)
        return waiting > 0 or bool(self.released)


def given_up(item: OutboxItem, now: datetime) -> bool:
    if item.attempts < MAX_SEND_ATTEMPTS:
        return False
    return item.queued_at is None or now - item.queued_at >= GIVE_UP_AFTER
