"""Processing stored platform events: claimed from the inbound store, run through their platform's
processor, then finished (deleted), retried with a backoff, or kept as ``dead`` for an operator.

Runs in the web process (WORKER=in-process) or in ``innovation-bot worker``; events are stored by
``adapters/intake.py`` before they are acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from adapters.outage import OutageLog
from bot.queues import INBOUND_LEASE, InboundItem, InboundStore

log = logging.getLogger(__name__)

# Tries of one event before it is kept as dead: a bug, or a payload that fails the same way every time,
# does not hold its person's queue for ever.
MAX_PROCESSING_ATTEMPTS = 5
Processor = Callable[[InboundItem], Awaitable[None]]


class Unprocessable(Exception):
    """The event can never be processed (a payload missing what it must have): do not retry it."""


def _now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** attempts, 300))


class InboundWorker:
    """Claims stored events and runs each through its platform's processor.

    Up to ``capacity`` events are in flight at once, so one slow event (a rate-limited lookup) does not
    hold up the others; results are written back in batches. While ``crowded()`` (see ``Arrivals``),
    one at a time and at most one every ``GIVE_WAY`` seconds: processing never stops, it gives way."""

    GIVE_WAY = 0.5  # seconds: during a burst, two events a second still start
    RENEW = INBOUND_LEASE.total_seconds() / 4

    def __init__(self, store: InboundStore, processors: Mapping[str, Processor], *,
                 capacity: int = 50, clock: Callable[[], datetime] = _now,
                 crowded: Callable[[], bool] | None = None, ticks: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._processors = processors
        self._capacity = capacity
        self._clock = clock
        self.crowded = crowded  # says when a burst is on (None: never); settable, see StoredArrivals
        self._ticks = ticks
        self._last_start = float("-inf")
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self._in_hand: dict[int, InboundItem] = {}  # claimed and not yet recorded: their leases are renewed
        self._renewed = ticks()
        self._finished: list[tuple[InboundItem, str | None]] = []
        self._outage = OutageLog(log, "inbound event processing (claiming or recording events)")

    def wake(self) -> None:
        self._wake.set()

    @property
    def busy(self) -> bool:
        return bool(self._running or self._finished)

    async def run_once(self) -> int:
        """Process what is due now and wait for it; returns how many events were tried."""
        tried = await self._start()
        while self._running:
            await asyncio.wait(set(self._running))
        await self._settle()
        return tried

    async def run_forever(self, stop: asyncio.Event, idle: float = 0.25) -> None:
        """Keep processing; when nothing is due, wait for a wake-up (same process) or poll (a worker)."""
        while not stop.is_set():
            self._wake.clear()  # before looking: a wake-up during the look leads to another look
            pause = idle
            try:
                await self._settle()
                await self._renew()
                started = await self._start()
                self._outage.recovered()
                if started:
                    continue
            except Exception as exc:  # the database is away: said once, then ever more rarely
                pause = max(idle, self._outage.failed(exc))
            waiting = [asyncio.ensure_future(self._wake.wait()), *self._running]
            await asyncio.wait(waiting, timeout=pause, return_when=asyncio.FIRST_COMPLETED)
            waiting[0].cancel()
        while self._running:  # let what started finish, and record it
            await asyncio.wait(set(self._running))
        await self._settle()

    async def _start(self) -> int:
        capacity = self._capacity
        if self.crowded is not None and self.crowded():
            # One event at a time with a pause between: the answers get the loop (and the GIL).
            if self._running or self._ticks() - self._last_start < self.GIVE_WAY:
                return 0
            capacity = 1
            self._last_start = self._ticks()
        room = capacity - len(self._running)
        if room <= 0 or not self._processors:
            return 0
        items = await asyncio.to_thread(self._claim, room)
        for item in items:
            self._in_hand[item.id] = item
            task = asyncio.get_running_loop().create_task(self._process(item), name=f"inbound:{item.event.kind}")
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(items)

    def _claim(self, limit: int) -> list[InboundItem]:
        with self._store.transaction() as inbound:
            return inbound.claim_due(self._clock(), platforms=self._processors, limit=limit)

    async def _process(self, item: InboundItem) -> None:
        error: str | None = None  # "!" first: retrying cannot help
        try:
            await self._processors[item.event.platform](item)
        except Unprocessable as exc:
            log.warning("%s %s %s cannot be processed: %s", item.event.platform, item.event.kind,
                        item.event.event_id, exc)
            error = f"!{exc}"
        except Exception as exc:
            log.exception("%s %s %s failed (attempt %d)", item.event.platform, item.event.kind,
                          item.event.event_id, item.attempts)
            error = f"{type(exc).__name__}: {exc}"
        self._finished.append((item, error))
        self._wake.set()

    async def _settle(self) -> None:
        if self._finished:
            finished, self._finished = self._finished, []
            try:
                await asyncio.to_thread(self._record, finished)
            except Exception:
                self._finished[:0] = finished  # try again next round; until then their leases hold them
                raise
            for item, _ in finished:
                self._in_hand.pop(item.id, None)

    async def _renew(self) -> None:
        """Every quarter of a lease, extend the leases of the events still in hand."""
        if not self._in_hand or self._ticks() - self._renewed < self.RENEW:
            return
        self._renewed = self._ticks()
        ids = list(self._in_hand)

        def extend() -> None:
            with self._store.transaction() as inbound:
                inbound.extend(ids, self._clock() + INBOUND_LEASE)

        await asyncio.to_thread(extend)

    def _record(self, outcomes: list[tuple[InboundItem, str | None]]) -> None:
        now = self._clock()
        with self._store.transaction() as inbound:
            inbound.finish([item.id for item, error in outcomes if error is None])
            for item, error in outcomes:
                if error is None:
                    continue
                if error.startswith("!") or item.attempts >= MAX_PROCESSING_ATTEMPTS:
                    log.error("%s event %s given up after %d attempt(s); kept as dead for inspection",
                              item.event.platform, item.event.event_id, item.attempts)
                    inbound.mark_dead(item.id, error.removeprefix("!"))
                else:
                    inbound.retry_later(item.id, now + backoff(item.attempts), error)
