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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from adapters.outage import OutageLog
from bot.queues import OutboxItem, OutboxStore

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 10  # tries of one message (and at least GIVE_UP_AFTER) before it is kept as dead
FIRST_BACKOFF = 0.25  # seconds
MAX_BACKOFF = timedelta(seconds=15)
GIVE_UP_AFTER = timedelta(hours=24)
# Messages in flight at once, each to a different conversation. Against Slack at 100-150 ms a call, 32
# carry 200-300 messages a second (Little's law), the target; more would only sharpen the
# bursts one workspace sends at Slack's per-workspace limits, and a 429 is handed back with its
# Retry-After either way (adapters/slack/sender.py). Per channel the sender paces one post a second.
CONCURRENT_SENDS = 32
# Messages claimed per platform per round: as many as may fly, so a round is one wave of sends (a round
# of 50 with 32 in flight took two round trips to the platform for 50 messages, not one for 32).
CLAIM_LIMIT = CONCURRENT_SENDS
RECORD_RETRIES = (0.2, 0.5, 1.0, 2.0)  # seconds between tries to write a round's outcomes


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


Place = tuple[str, str, str]  # platform, tenant, target: one conversation, whose messages keep their order


@dataclass
class _Outcomes:
    """What became of a round's messages, written together in one transaction when the round's sends end."""

    sent: list[tuple[int, dict[str, Any] | None]] = field(default_factory=list)
    retries: list[tuple[OutboxItem, datetime, str]] = field(default_factory=list)
    dead: list[tuple[OutboxItem, str]] = field(default_factory=list)
    released: list[tuple[int, datetime]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.retries or self.dead or self.released)


@dataclass(frozen=True)
class Round:
    claimed: int
    delivered: int
    full: bool  # a claim returned as many as it asked for: more may be due
    more: bool  # a message now claimable: one queued behind a message just sent, or one handed back


class OutboxDispatcher:
    """Claims what is due, sends it concurrently, and records every outcome of the round in one
    transaction.

    Order: a claim returns at most one message per conversation (``Place``; the store holds back a
    message while an earlier one to the same place is unsent), and should it return several, they are
    sent one after the other, the next only once the earlier was delivered; a failure hands the rest of
    that conversation back untried. Different conversations are sent at once, at most
    ``CONCURRENT_SENDS`` in flight.

    At least once, not exactly once, between the platform and the database: a message is marked sent
    in the transaction that ends its round, as soon as the round's last send returns. A process that
    dies after a send and before that commit leaves the message leased, and once the lease
    (``OUTBOX_LEASE``, 60 s) runs out it is sent again. Slack's ``chat.postMessage`` and the Bot
    Connector take no idempotency key, so that repeat would show; the window is the send time of the
    round's slowest message plus one commit (milliseconds, at most the senders' 15 s timeout).
    """

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

    async def run_once(self, limit: int = CLAIM_LIMIT) -> int:
        """Send what is due; returns how many messages were delivered."""
        return (await self.run_round(limit)).delivered

    async def run_round(self, limit: int = CLAIM_LIMIT) -> Round:
        """Claim what is due (up to ``limit`` per platform), send it, record what became of it."""
        # Database work runs in a thread: on SQLite it may wait for the write lock, and the event loop
        # meanwhile has platform requests to acknowledge within Slack's three seconds.
        items, full = await asyncio.to_thread(self._claim, limit)
        if not items:
            return Round(0, 0, False, False)
        outcomes = _Outcomes()
        by_place: dict[Place, list[OutboxItem]] = {}
        for item in items:
            by_place.setdefault(_place(item), []).append(item)
        claimed = {item.id for item in items}
        in_flight = asyncio.Semaphore(CONCURRENT_SENDS)  # per round: a Semaphore belongs to one event loop
        try:
            await asyncio.gather(*(self._send_in_order(queue, claimed, in_flight, outcomes)
                                   for queue in by_place.values()))
        finally:
            # Written as soon as the sends end (also when the round is cancelled): until then, a crash
            # would send the round's delivered messages again once their lease ran out.
            more = await self._record(outcomes)
        return Round(len(items), len(outcomes.sent), full, more)

    def _claim(self, limit: int) -> tuple[list[OutboxItem], bool]:
        with self._store.transaction() as outbox:
            # Only claim what this process can send: other platforms' messages stay for their senders.
            claims = [outbox.claim_due(self._clock(), limit=limit, platform=platform) for platform in self._senders]
        return [item for claim in claims for item in claim], any(len(claim) >= limit for claim in claims)

    async def _send_in_order(self, queue: list[OutboxItem], claimed: set[int], in_flight: asyncio.Semaphore,
                             outcomes: _Outcomes) -> None:
        """One conversation's messages of this round, one after the other; after a failure the rest
        are handed back untried, to go again together in order."""
        held = False
        for item in queue:
            if held:
                outcomes.released.append((item.id, self._clock()))
                continue
            if item.message.kind == "update" and item.message.payload.get("original_id") in claimed:
                # The message it replaces is in this round: its result is not stored until the round
                # ends, and the sender needs it. Next round.
                outcomes.released.append((item.id, self._clock()))
                held = True
                continue
            async with in_flight:
                held = not await self._deliver(item, outcomes)

    async def _deliver(self, item: OutboxItem, outcomes: _Outcomes) -> bool:
        sender = self._senders[item.message.platform]
        try:
            result = await sender.send(item)
        except RetryLater as exc:
            wait = timedelta(seconds=exc.after) if exc.after is not None else backoff(item.attempts)
            outcomes.retries.append((item, self._clock() + wait, str(exc)))
            self._retry_at(self._clock() + wait)
            return False
        except PermanentFailure as exc:
            log.warning("outbox message %d can never be delivered: %s", item.id, exc)
            outcomes.dead.append((item, str(exc)))
            return False
        except Exception as exc:  # an unexpected bug must not lose the message either
            log.exception("outbox message %d failed unexpectedly", item.id)
            wait = backoff(item.attempts)
            outcomes.retries.append((item, self._clock() + wait, repr(exc)))
            self._retry_at(self._clock() + wait)
            return False
        outcomes.sent.append((item.id, result))
        return True

    async def _record(self, outcomes: _Outcomes) -> bool:
        """Write the round's outcomes; True when a message became claimable by them. A database that
        blinks is tried again a few times, within the lease: giving up means sending the round again."""
        if not outcomes:
            return False
        for pause in RECORD_RETRIES:
            try:
                return await asyncio.to_thread(self._write, outcomes)
            except Exception:
                log.warning("recording %d outbox outcomes failed; trying again in %g s",
                            len(outcomes.sent) + len(outcomes.retries) + len(outcomes.dead), pause, exc_info=True)
                await asyncio.sleep(pause)
        return await asyncio.to_thread(self._write, outcomes)

    def _write(self, outcomes: _Outcomes) -> bool:
        with self._store.transaction() as outbox:
            now = self._clock()
            waiting = 0
            if outcomes.sent:
                outbox.mark_sent_many(outcomes.sent, now)
                waiting = outbox.waiting_behind([item_id for item_id, _ in outcomes.sent])
            for item, at, error in outcomes.retries:
                if self._given_up(item):
                    outbox.mark_dead(item.id, f"gave up after {item.attempts} attempts: {error}")
                else:
                    outbox.retry_later(item.id, at, error)
            for item, reason in outcomes.dead:
                outbox.mark_dead(item.id, reason)
            for item_id, at in outcomes.released:
                outbox.release(item_id, at)
        return waiting > 0 or bool(outcomes.released)

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
                # Claim again at once only when something is there to claim: the claim was full, or a
                # message became claimable (the next one to a conversation, once the one before it was
                # sent; or one handed back). Otherwise the next look waits for a wake-up (something
                # queued), a retry falling due, or the poll.
                for _ in range(100):
                    done = await self.run_round()
                    if stop.is_set() or not (done.full or done.more):
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


def _place(item: OutboxItem) -> Place:
    return item.message.platform, item.message.tenant, item.message.target
