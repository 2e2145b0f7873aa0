"""What the two durable queues hold: platform events stored before they are acknowledged (inbound) and
messages waiting to be sent (the outbox). Plain values, so the core, the storage that keeps them and the
adapters that fill and drain them share one vocabulary without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
