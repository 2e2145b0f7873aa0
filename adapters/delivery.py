"""Delivery: sends what the outbox holds, through one sender per platform, retrying until it is delivered.

    DeliveryError
    ├── RetryLater        (429 with Retry-After, 5xx, a dropped connection: try again after a pause)
    └── PermanentFailure  (channel_not_found, the bot was removed: retrying cannot help)

When to try again: exactly when the platform said (``Retry-After``), or else after a short backoff
that doubles from a quarter of a second up to ``MAX_BACKOFF`` (seconds, not minutes), with jitter so
that many messages held by one outage do not all return in the same instant. A message is given up
(kept as ``dead``) only after ``MAX_SEND_ATTEMPTS`` tries *and* ``GIVE_UP_AFTER`` since it was queued: a
platform outage of hours delays messages, it does not lose them. The dispatcher wakes itself for the
earliest retry it scheduled, so a short backoff is not stretched by its polling interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from adapters.outage import OutageLog
from bot.queues import OutboxItem, OutboxStore

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 10  # tries of one message (and at least GIVE_UP_AFTER) before it is kept as dead
FIRST_BACKOFF = 0.25  # seconds
MAX_BACKOFF = timedelta(seconds=15)
GIVE_UP_AFTER = timedelta(hours=24)


class DeliveryError(Exception):
    pass


class RetryLater(DeliveryError):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class PermanentFailure(DeliveryError):
    pass


class Sender(Protocol):
    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        """Deliver one message; return what the platform said (ids for later updates)."""


def backoff(attempts: int, jitter: Callable[[float, float], float] = random.uniform) -> timedelta:
    """After ``attempts`` failed tries without a Retry-After: between half and all of
    0.25 s × 2^(attempts - 1), at most ``MAX_BACKOFF`` ("equal jitter")."""
    ceiling = min(FIRST_BACKOFF * 2 ** min(max(attempts - 1, 0), 16), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=jitter(ceiling / 2, ceiling))


class OutboxDispatcher:
    def __init__(self, store: OutboxStore, senders: Mapping[str, Sender],
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._senders = senders
        self._clock = clock
        self._wake = asyncio.Event()
        self._next_retry: datetime | None = None  # the earliest retry this dispatcher scheduled
        self._outage = OutageLog(log, "outbox dispatch")

    def wake(self) -> None:
        """Ask a running loop to look at the outbox now (new messages were queued)."""
        self._wake.set()

    async def run_once(self, limit: int = 50) -> int:
        """Send what is due; returns how many messages were delivered."""
        # Database work runs in a thread: on SQLite it may wait for the write lock, and the event loop
        # meanwhile has platform requests to acknowledge within Slack's three seconds.
        items = await asyncio.to_thread(self._claim, limit)
        delivered = 0
        held: set[tuple[str, str, str]] = set()
        for item in items:
            place = (item.message.platform, item.message.tenant, item.message.target)
            if place in held:  # an earlier message there failed: keep the order, try again together
                await asyncio.to_thread(self._finish, item, retry_at=self._clock(),
                                        error="waiting for an earlier message", release=True)
                continue
            sent = await self._deliver(item)
            if not sent:
                held.add(place)
            delivered += sent
        return delivered

    def _claim(self, limit: int) -> list[OutboxItem]:
        with self._store.transaction() as outbox:
            # Only claim what this process can send: other platforms' messages stay for their senders.
            return [i for platform in self._senders
                    for i in outbox.claim_due(self._clock(), limit=limit, platform=platform)]

    def _sent(self, item: OutboxItem, result: dict[str, Any] | None) -> None:
        with self._store.transaction() as outbox:
            outbox.mark_sent(item.id, self._clock(), result)

    async def _deliver(self, item: OutboxItem) -> int:
        sender = self._senders[item.message.platform]
        try:
            result = await sender.send(item)
        except RetryLater as exc:
            wait = timedelta(seconds=exc.after) if exc.after is not None else backoff(item.attempts)
            await asyncio.to_thread(self._finish, item, retry_at=self._clock() + wait, error=str(exc))
            self._retry_at(self._clock() + wait)
            return 0
        except PermanentFailure as exc:
            log.warning("outbox message %d can never be delivered: %s", item.id, exc)
            await asyncio.to_thread(self._finish, item, dead=str(exc))
            return 0
        except Exception as exc:  # an unexpected bug must not lose the message either
            log.exception("outbox message %d failed unexpectedly", item.id)
            wait = backoff(item.attempts)
            await asyncio.to_thread(self._finish, item, retry_at=self._clock() + wait, error=repr(exc))
            self._retry_at(self._clock() + wait)
            return 0
        await asyncio.to_thread(self._sent, item, result)
        return 1

    def _finish(self, item: OutboxItem, *, retry_at: datetime | None = None, error: str = "",
                dead: str | None = None, release: bool = False) -> None:
        with self._store.transaction() as outbox:
            if release:
                outbox.release(item.id, retry_at or self._clock())
            elif dead is not None or self._given_up(item):
                outbox.mark_dead(item.id, dead or f"gave up after {item.attempts} attempts: {error}")
            else:
                assert retry_at is not None
                outbox.retry_later(item.id, retry_at, error)

    def _given_up(self, item: OutboxItem) -> bool:
        if item.attempts < MAX_SEND_ATTEMPTS:
            return False
        return item.queued_at is None or self._clock() - item.queued_at >= GIVE_UP_AFTER

    def _retry_at(self, when: datetime) -> None:
        if self._next_retry is None or when < self._next_retry:
            self._next_retry = when

    def _pause(self, idle: float | None) -> float | None:
        """How long to wait for a wake-up: until the earliest retry scheduled here, or ``idle``."""
        if self._next_retry is None:
            return idle
        until = max((self._next_retry - self._clock()).total_seconds(), 0.0) + 0.01
        self._next_retry = None  # looked at once it is due; a retry failing again schedules the next
        return until if idle is None else min(idle, until)

    async def run_forever(self, stop: asyncio.Event, idle: float | None = 1.0) -> None:
        """Send until stopped, looking again every ``idle`` seconds (or only when woken if None), and
        when a retry this dispatcher scheduled falls due."""
        while not stop.is_set():
            # Cleared before looking, not after: a wake-up that arrives while messages are being sent
            # must lead to another look (without polling, nothing else would).
            self._wake.clear()
            pause = None
            try:
                # Keep going while messages leave: the next one to a conversation is claimable only once
                # the one before it was sent.
                for _ in range(100):
                    if not await self.run_once() or stop.is_set():
                        break
                self._outage.recovered()
            except Exception as exc:
                pause = self._outage.failed(exc)  # logged once, then ever more rarely, while it lasts
            if stop.is_set():
                break
            timeout = self._pause(idle)
            if pause is not None:
                timeout = pause if timeout is None else max(timeout, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
