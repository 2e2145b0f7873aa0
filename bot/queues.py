"""What the two durable queues hold: platform events stored before they are acknowledged (inbound) and
messages waiting to be sent (the outbox). Plain values, so the core, the storage that keeps them and the
adapters that fill and drain them share one vocabulary without importing each other; and the ports
(``InboundStore``, ``OutboxStore``) through which the adapters reach the stored queues."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True)
class InboundEvent:
    platform: str
    event_id: str
    kind: str
    queue_key: str
    payload: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)
    # The payload as the platform sent it (JSON text), when at hand: stored as it is rather than
    # serialised again. It must be the JSON of ``payload``.
    raw_payload: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class InboundItem:
    id: int
    event: InboundEvent
    attempts: int


@dataclass(frozen=True)
class OutboxMessage:
    platform: str
    tenant: str
    target: str
    payload: dict[str, Any]
    thread: str = ""
    kind: str = "post"
    dedupe_key: str | None = None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    message: OutboxMessage
    attempts: int
    result: dict[str, Any] | None
    queued_at: datetime | None = None


class OutboxStatus(StrEnum):
    """Where an outbox message is: waiting, claimed by a sender, delivered, or given up on."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


@dataclass(frozen=True)
class Delivery:
    """What became of an outbox message, for a sender replacing it later ("update" messages)."""

    platform: str
    status: OutboxStatus
    result: dict[str, Any] | None


# How long a claimed event stays with its worker without news. The worker renews the lease of every
# event it is still processing, so a slow event keeps it however long it takes, and an event whose
# worker died (kill -9, a lost machine) is taken over within this time.
INBOUND_LEASE = timedelta(seconds=20)
# A message claimed by a sender that died mid-send goes to another process after this.
OUTBOX_LEASE = timedelta(seconds=60)


class StoreBusy(Exception):
    """Another connection holds the database's write lock (SQLite): the transaction did nothing, and
    trying it again shortly will work."""


class InboundQueue(Protocol):
    """The stored platform events, within one transaction."""

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        """Store events; one already stored (a platform's retry, by platform and event id) is skipped."""

    def claim_due(self, now: datetime, *, platforms: Iterable[str], limit: int = 50,
                  lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        """Lease the events due now, oldest first, none behind an unfinished earlier one of its queue."""

    def take(self, event: InboundEvent, now: datetime, *, lease: timedelta = INBOUND_LEASE) -> InboundItem | None:
        """Store an event already leased to the caller, who processes it at once (a request whose answer
        must carry the outcome): it is recorded like any other, but no worker takes it until the lease runs
        out. One already stored (a platform's retry) is taken over instead when it is waiting or its lease
        ran out. None when another holds it (its lease runs) or it is dead: the caller has no row to finish.
        """

    def extend(self, ids: Sequence[int], until: datetime) -> None:
        """The worker is still on these events: keep them from being taken over."""

    def finish(self, ids: Sequence[int]) -> None:
        """Processed: forget them."""

    def retry_later(self, item_id: int, at: datetime, error: str) -> None: ...

    def mark_dead(self, item_id: int, error: str) -> None:
        """Given up: kept for an operator to look at."""

    def backlog(self) -> int:
        """Events waiting or being processed (not the dead)."""

    def purge_dead(self, before: datetime) -> int: ...

    def forget(self, queue_key: str) -> int:
        """Delete everything queued for one person (data rights: erasure)."""


def finish_then_claim(queue: InboundQueue, finished: Sequence[int], now: datetime, *, platforms: Iterable[str],
                      limit: int, lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
    """``InboundStore.finish_and_claim`` as two steps in ``queue``'s transaction, for a store that cannot
    make it one statement. Finishing first frees each queue's next event for the claim."""
    queue.finish(finished)
    return queue.claim_due(now, platforms=platforms, limit=limit, lease=lease) if limit > 0 else []


class InboundStore(Protocol):
    def transaction(self) -> AbstractContextManager[InboundQueue]:
        """One transaction, committed (durably, for the store the acknowledgements wait on) when the
        block ends without an error; ``StoreBusy`` when the write lock is held elsewhere."""

    def newest_id(self) -> int:
        """The id of the newest event stored (0 when none is), read without waiting for writers: how
        fast it grows is the arrival rate."""

    def add(self, events: Sequence[InboundEvent], now: datetime) -> None:
        """``InboundQueue.add`` in a transaction of its own, committed as ``transaction`` commits (one
        statement where the database can): the writer's batch, which acknowledgements wait on."""

    def finish_and_claim(self, finished: Sequence[int], now: datetime, *, platforms: Iterable[str],
                         limit: int = 50, lease: timedelta = INBOUND_LEASE) -> list[InboundItem]:
        """``finish`` then ``claim_due``, committed together: a worker's commonest exchange (every event it
        wrote back was processed) in one step of its own (one statement where the database can). An event
        behind a finished one in its queue is claimable by the same step."""


class OutboxQueue(Protocol):
    """The messages waiting to be sent, within one transaction."""

    def enqueue(self, message: OutboxMessage, at: datetime) -> int | None:
        """Queue a message; None when one with the same dedupe key was queued before."""

    def claim_due(self, now: datetime, *, limit: int = 20, lease: timedelta = OUTBOX_LEASE,
                  platform: str | None = None) -> list[OutboxItem]:
        """Lease the messages due now; one waits while an earlier one to the same place is unsent."""

    def mark_sent(self, item_id: int, now: datetime, result: dict[str, Any] | None = None) -> None: ...

    def mark_sent_many(self, sent: Sequence[tuple[int, dict[str, Any] | None]], now: datetime) -> None:
        """Delivered, each with what the platform answered: a dispatcher's round in one statement."""

    def waiting_behind(self, item_ids: Sequence[int]) -> int:
        """How many unsent messages wait behind these, to the same conversations: once these are
        sent, the first of each is claimable."""

    def retry_later(self, item_id: int, at: datetime, error: str) -> None: ...

    def release(self, item_id: int, at: datetime) -> None:
        """Hand a claimed message back untried (its attempt does not count)."""

    def mark_dead(self, item_id: int, error: str) -> None: ...

    def delivery(self, item_id: int) -> Delivery | None:
        """What became of a message (None: there is no such message, or it was purged)."""

    def purge_finished(self, before: datetime) -> int:
        """Delete messages sent, or given up on, before ``before``."""


class HandOver(Protocol):
    """Where a unit of work hands the messages it queued, already leased, to a dispatcher running in
    its own process: they are sent at once, without a claim of their own (one transaction a turn less).

    Leased in the transaction that queued them, as a claim would lease them: a process that dies before
    sending them leaves them to another sender once the lease runs out, as after any claim."""

    def platforms(self) -> frozenset[str]:
        """The platforms whose messages it takes now: none while no dispatcher is running to send them."""

    def take(self, items: Sequence[OutboxItem]) -> None:
        """Messages leased by a transaction that has committed (from any thread)."""


class OutboxStore(Protocol):
    def transaction(self) -> AbstractContextManager[OutboxQueue]:
        """One transaction, committed when the block ends without an error."""

    def record_sent(self, sent: Sequence[tuple[int, dict[str, Any] | None]], now: datetime) -> int:
        """``mark_sent_many`` then ``waiting_behind``, committed together: a round whose messages all
        went, the commonest outcome, in one step of its own (one statement where the database can)."""
