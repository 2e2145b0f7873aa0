"""Delivery: sends what the outbox holds, through one sender per platform, retrying until it is delivered.

A sender raises ``RetryLater`` or ``PermanentFailure`` (``adapters/send_failures.py``, with the backoff
between tries when the platform did not say when to try again). A message is given up (kept as
``dead``) only after ``MAX_SEND_ATTEMPTS`` tries *and* ``GIVE_UP_AFTER`` since it was queued
(``adapters/send_outcomes.py``): a platform outage of hours delays messages, it does not lose them. The
dispatcher wakes itself for the earliest retry it scheduled, so a short backoff is not stretched by its
polling interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from adapters.hand_over import HandedMessages, OutboxHandOver
from adapters.outage import OutageLog
from adapters.send_failures import PermanentFailure, RetryLater, backoff
from adapters.send_outcomes import Outcomes
from bot.queues import OutboxItem, OutboxStore

log = logging.getLogger(__name__)

# Messages in flight at once, each to a different conversation. Against Slack at 100-150 ms a call, 32
# carry 200-300 messages a second (Little's law), the target; more would only sharpen the
# bursts one workspace sends at Slack's per-workspace limits, and a 429 is handed back with its
# Retry-After either way (adapters/slack/sender.py). Per channel the sender paces one post a second.
CONCURRENT_SENDS = 32
# Messages claimed per platform per round: as many as may fly, so a round is one wave of sends (a round
# of 50 with 32 in flight took two round trips to the platform for 50 messages, not one for 32).
CLAIM_LIMIT = CONCURRENT_SENDS
RECORD_RETRIES = (0.2, 0.5, 1.0, 2.0)  # seconds between tries to write a round's outcomes


class Sender(Protocol):
    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        """Deliver one message; return what the platform said (ids for later updates)."""


Place = tuple[str, str, str]  # platform, tenant, target: one conversation, whose messages keep their order


@dataclass(frozen=True)
class Round:
    claimed: int
    delivered: int
    full: bool  # a claim returned as many as it asked for: more may be due
    more: bool  # a message now claimable: one queued behind a message just sent, or one handed back


class OutboxDispatcher:
    """Claims what is due, sends it concurrently, and records every outcome of the round in one
    transaction. Messages queued by this process's own units of work come to it already leased
    (``OutboxHandOver``) and are sent without a claim.

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
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 hand_over: OutboxHandOver | None = None) -> None:
        self._store = store
        self._senders = senders
        self._clock = clock
        self._wake = asyncio.Event()
        self._look = True  # a claim is wanted: woken, polled, or the last round left more to claim
        self._handed = HandedMessages()  # leased by this process's commits, not yet sent
        self._hand_over = hand_over
        self._next_retry: datetime | None = None  # the earliest retry this dispatcher scheduled
        self._claimed_at = float("-inf")  # time.monotonic() of the last claim
        self._outage = OutageLog(log, "outbox dispatch")

    def taking(self) -> frozenset[str]:
        """The platforms whose messages it takes handed over now: none while too many wait already
        (then it claims in its next round what the commits left pending)."""
        if self._handed.full:
            self._look = True
            return frozenset()
        return frozenset(self._senders)

    def wake(self) -> None:
        """Ask a running loop to look at the outbox now (new messages were queued)."""
        self._look = True
        self._wake.set()

    @property
    def hands_over(self) -> bool:
        """Whether this process's commits hand their messages to it now (its loop is running)."""
        return self._hand_over is not None and self._hand_over.is_open

    def turn_queued(self) -> None:
        """A conversation turn of this process queued messages: wake the loop to claim them, unless its
        commit already handed them over (then the next one to a conversation follows the one before it
        once that is sent, and others' platforms are claimed by their own senders)."""
        if not self.hands_over:
            self.wake()

    def receive(self, items: list[OutboxItem]) -> None:
        """Messages leased to this dispatcher by a commit (``OutboxHandOver``): sent in the next round."""
        self._handed.add(items)
        self._wake.set()

    def release_now(self, items: Sequence[OutboxItem]) -> None:
        """Hand leased messages back untried, here and now (the dispatcher is not running)."""
        if items:
            self._write(Outcomes(released=[(item.id, self._clock()) for item in items]))

    async def run_once(self, limit: int = CLAIM_LIMIT) -> int:
        """Send what is due; returns how many messages were delivered."""
        return (await self.run_round(limit)).delivered

    async def run_round(self, limit: int = CLAIM_LIMIT, *, claim: bool = True) -> Round:
        """Claim what is due (up to ``limit`` per platform; not when ``claim`` is False), send it with what
        was handed over, record what became of it."""
        taken = self._handed.take(limit)
        if self._handed:
            self._wake.set()  # the rest go in the next round
        try:
            # Database work runs in a thread: on SQLite it may wait for the write lock, and the event loop
            # meanwhile has platform requests to acknowledge within Slack's three seconds.
            won, full = await asyncio.to_thread(self._claim, limit, self._claiming()) if claim else ([], False)
        except BaseException:
            self._handed.put_back(taken)  # already leased to this process: sent with the next round
            raise
        items = taken.fresh() + won
        if not items:
            return Round(0, 0, False, False)
        outcomes = Outcomes()
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

    def _claim(self, limit: int, now: datetime) -> tuple[list[OutboxItem], bool]:
        with self._store.transaction() as outbox:
            # Only claim what this process can send: other platforms' messages stay for their senders.
            claims = [outbox.claim_due(now, limit=limit, platform=platform) for platform in self._senders]
        return [item for claim in claims for item in claim], any(len(claim) >= limit for claim in claims)

    async def _send_in_order(self, queue: list[OutboxItem], claimed: set[int], in_flight: asyncio.Semaphore,
                             outcomes: Outcomes) -> None:
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

    async def _deliver(self, item: OutboxItem, outcomes: Outcomes) -> bool:
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

    async def _record(self, outcomes: Outcomes) -> bool:
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

    def _write(self, outcomes: Outcomes) -> bool:
        return outcomes.record(self._store, self._clock())

    def _retry_at(self, when: datetime) -> None:
        if self._next_retry is None or when < self._next_retry:
            self._next_retry = when

    def _claiming(self) -> datetime:
        """A claim starts now: the poll counts from here, and a retry due by now is in it."""
        self._claimed_at, now = time.monotonic(), self._clock()
        if self._next_retry is not None and self._next_retry <= now:
            self._next_retry = None  # this claim takes it; a retry failing again schedules the next
        return now

    def _claim_due(self, idle: float | None) -> bool:
        """A claim is due without a wake-up: a retry scheduled here has come due, or ``idle`` seconds
        passed since the last claim (the poll)."""
        if self._next_retry is not None and self._clock() >= self._next_retry:
            return True
        return idle is not None and time.monotonic() - self._claimed_at >= idle

    def _pause(self, idle: float | None) -> float | None:
        """How long to wait for a wake-up: until the earliest retry scheduled here, or the next poll."""
        poll = None if idle is None else max(self._claimed_at + idle - time.monotonic(), 0.0)
        if self._next_retry is None:
            return poll
        until = max((self._next_retry - self._clock()).total_seconds(), 0.0) + 0.01
        return until if poll is None else min(poll, until)

    async def run_forever(self, stop: asyncio.Event, idle: float | None = 1.0) -> None:
        """Send until stopped, looking again every ``idle`` seconds (or only when woken if None), and
        when a retry this dispatcher scheduled falls due."""
        if self._hand_over is not None:
            self._hand_over.open(self, asyncio.get_running_loop())
        self._look = True
        try:
            await self._run(stop, idle)
        finally:
            if self._hand_over is not None:
                self._hand_over.close()
            await asyncio.sleep(0)  # hand-overs already on their way to this loop arrive
            left = self._handed.take(None).fresh()
            if left:  # leased here and not sent: handed back for the next process to send at once
                await asyncio.to_thread(self.release_now, left)

    async def _run(self, stop: asyncio.Event, idle: float | None) -> None:
        while not stop.is_set():
            # Cleared before looking, not after: a wake-up that arrives while messages are being sent
            # must lead to another look (without polling, nothing else would).
            self._wake.clear()
            pause = None
            try:
                # Claim again at once only when something is there to claim: the claim was full, or a
                # message became claimable (the next one to a conversation, once the one before it was
                # sent; or one handed back). Otherwise the next look waits for a wake-up (something
                # queued), a retry falling due, or the poll. Messages handed over by a commit are sent
                # without a claim; the poll and the retries are timed from the last claim, so a steady
                # stream of hand-overs does not keep them from coming.
                for _ in range(100):
                    claim = self._look or self._claim_due(idle)
                    self._look = False
                    done = await self.run_round(claim=claim)
                    if stop.is_set() or not (done.full or done.more):
                        break
                    self._look = True
                self._outage.recovered()
            except Exception as exc:
                self._look = True
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
