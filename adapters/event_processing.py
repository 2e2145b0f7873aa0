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
from math import inf

from adapters.outage import OutageLog
from adapters.platform_wait import report_waits_to
from bot.queues import INBOUND_LEASE, InboundItem, InboundStore

log = logging.getLogger(__name__)

# Tries of one event before it is kept as dead: a bug, or a payload that fails the same way every time,
# does not hold its person's queue for ever.
MAX_PROCESSING_ATTEMPTS = 5
# Seconds between looks for due events when nothing wakes the worker: a worker that is told of new
# events (by the writer in its process, or by PostgreSQL notifications) only looks for what it could
# miss (a retry coming due, another worker's lapsed lease); one that is not told polls for them.
POLL_WHEN_TOLD = 5.0
POLL_UNTOLD = 0.25
# Events of a worker in the web process (WORKER=in-process, PostgreSQL) working at once: each takes turns
# with the acknowledgements on the event loop, the interpreter and the database, and more only lengthens
# every pass of the loop (measured: docs/PERFORMANCE.md, "collection pauses and working events").
WORKING_IN_PROCESS = 10
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
    hold up the others. Of those, at most ``working`` (None: no other limit) may be working at once,
    where an event waiting on a platform's Web API (``adapters.platform_wait``) is not working: in the
    web process every working event takes turns on the event loop, the interpreter and the database
    with the acknowledgements, while a waiting one takes nothing from them. While ``crowded()`` (see
    ``Arrivals``), one at a time and at most one every ``GIVE_WAY`` seconds: processing never stops,
    it gives way.

    It claims when there is reason to: woken (``wake``: an event was stored), the last claim filled the
    room it had (more may be due), a claim made while events were in flight may have left one waiting
    behind them, or ``idle`` seconds passed without a claim (the safety poll). Woken while events are in
    flight, it claims when the first of them finishes (or ``GATHER`` seconds later, whichever is first):
    under load the events stored meanwhile are claimed together, in the transaction that finishes it. What
    became of the events it processed is written in the same transaction as its next claim ("finish
    these, claim the next ones"), or on its own at the latest ``FINISH_WITHIN`` seconds after: a turn
    costs the worker one transaction of its own, not a claim, a finish and a claim that finds nothing.
    A worker that is full claims again once a fifth of its places are free (``_enough``), not as each
    event finishes: under load that is a transaction per several events, not one each.
    Until then a processed event keeps its lease (its person's next event waits behind it, and is
    claimed by the same transaction that finishes it); if the worker dies in between, the event is
    claimed again when the lease runs out and the conversation service skips it by its event id."""

    GIVE_WAY = 0.5  # seconds: during a burst, two events a second still start
    RENEW = INBOUND_LEASE.total_seconds() / 4
    FINISH_WITHIN = 0.1  # seconds an outcome waits for the next claim before it is written on its own
    GATHER = 0.05  # seconds a wake-up waits, while events are in flight, for one of them to finish

    def __init__(self, store: InboundStore, processors: Mapping[str, Processor], *,
                 capacity: int = 50, working: int | None = None, clock: Callable[[], datetime] = _now,
                 crowded: Callable[[], bool] | None = None, ticks: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._processors = processors
        self._capacity = capacity
        self._working = working
        self._processing: set[int] = set()  # ids of the events whose processing has not returned
        self._platform_calls: dict[int, int] = {}  # of those, id -> platform calls open (not working)
        self._freed = asyncio.Event()  # an event started waiting on a platform: a working place is free
        self._clock = clock
        self.crowded = crowded  # says when a burst is on (None: never); settable, see StoredArrivals
        self._ticks = ticks
        self._last_start = float("-inf")
        self._wake = asyncio.Event()
        self._wanted = True  # a claim is due: woken, or the last claim was full (and at start)
        self._after_batch = False  # claim again when the events in flight finish
        self._running: set[asyncio.Task[None]] = set()
        self._in_hand: dict[int, InboundItem] = {}  # claimed and not yet recorded: their leases are renewed
        self._renewed = ticks()
        self._finished: list[tuple[InboundItem, str | None]] = []
        self._finished_since: float | None = None  # when the oldest outcome not yet written came in
        self._outage = OutageLog(log, "inbound event processing (claiming or recording events)")

    def wake(self) -> None:
        self._wake.set()

    @property
    def working(self) -> int | None:
        """How many events may work at once (None: up to the capacity)."""
        return self._working

    @property
    def busy(self) -> bool:
        return bool(self._running or self._finished)

    async def run_once(self) -> int:
        """Process what is due now and wait for it; returns how many events were tried."""
        tried = await self._exchange(self._room()[0])
        while self._running:
            await asyncio.wait(set(self._running))
        await self._exchange(0)
        return tried

    async def run_forever(self, stop: asyncio.Event, idle: float | Callable[[], float] = POLL_UNTOLD) -> None:
        """Keep processing until ``stop``: claim when woken (same process, or a database notification),
        after a full claim, or every ``idle`` seconds (a number, or read before each wait: a worker
        whose notifications are lost polls more often)."""
        poll = idle if callable(idle) else (lambda: idle)
        next_poll, claim_by = self._ticks(), inf
        while not stop.is_set():
            now = self._ticks()
            self._freed.clear()  # before looking at the room: a place freed from here on wakes the wait below
            if self._wake.is_set():
                self._wake.clear()  # before looking: a wake-up during the look leads to another look
                if self._running:  # busy: what arrived is claimed with the next outcome, as one batch
                    self._after_batch = True
                    claim_by = min(claim_by, now + self.GATHER)
                else:
                    self._wanted = True
            self._wanted = (self._wanted or now >= next_poll or now >= claim_by
                            or (self._after_batch and bool(self._finished)))
            room, gated = self._room()
            try:
                await self._renew()
                if (self._wanted and self._enough(room)) or self._finish_due(now):
                    in_flight = bool(self._running)
                    started = await self._exchange(room)
                    if room > 0:
                        self._wanted, next_poll, claim_by = started >= room, self._ticks() + poll(), inf
                        # Woken while events were in flight and found fewer than it could take: one may
                        # be waiting behind those (the same person's next message), so look after them.
                        self._after_batch = in_flight and not self._wanted
                self._outage.recovered()
                if self._wanted and self._enough(self._room()[0]):
                    continue
                # Wanted but not room enough: the next claim comes when events in flight finish.
                claim_at = inf if self._wanted else min(next_poll, claim_by)
                pause = self._pause(claim_at, gated if self._wanted else None, poll())
            except Exception as exc:  # the database is away: said once, then ever more rarely
                pause = max(poll(), self._outage.failed(exc))
            waiting = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(self._freed.wait()),
                       *self._running]
            await asyncio.wait(waiting, timeout=pause, return_when=asyncio.FIRST_COMPLETED)
            waiting[0].cancel()
            waiting[1].cancel()
        while self._running:  # let what started finish, and record it
            await asyncio.wait(set(self._running))
        await self._exchange(0)

    def _room(self) -> tuple[int, float | None]:
        """How many events may be claimed now, and (when a burst holds them back) how soon to look again."""
        if not self._processors:
            return 0, None
        if self.crowded is not None and self.crowded():
            # One event at a time with a pause between: the answers get the loop (and the GIL).
            if self._running:
                return 0, None  # the one in flight wakes the loop when it finishes
            wait = self._last_start + self.GIVE_WAY - self._ticks()
            return (0, wait) if wait > 0 else (1, None)
        room = self._capacity - len(self._running)
        if self._working is not None:
            room = min(room, self._working - len(self._running) + len(self._platform_calls))
        return max(room, 0), None

    def _enough(self, room: int) -> bool:
        """Room enough to claim: any, while few events are in flight; else a fifth of what may be in
        flight. A full worker whose events finish one by one (SQLite's turns run one at a time) would
        otherwise spend a transaction on every event, each claiming one; the events already in flight keep
        it busy meanwhile, and what finishes is written within ``FINISH_WITHIN`` whatever the room."""
        if room <= 0:
            return False
        return room >= max(1, (self._working or self._capacity) // 5) or len(self._running) < room

    def _waits(self, item_id: int, waiting: bool) -> None:
        """An event started (or stopped) waiting on a platform: while it waits, another may work."""
        if item_id not in self._processing or self._working is None:
            return  # (a task the event started outlived it: the event no longer counts either way)
        calls = self._platform_calls.get(item_id, 0) + (1 if waiting else -1)
        if calls > 0:
            self._platform_calls[item_id] = calls
        else:
            self._platform_calls.pop(item_id, None)
        if waiting and calls == 1:
            self._freed.set()

    def _finish_due(self, now: float) -> bool:
        return self._finished_since is not None and now - self._finished_since >= self.FINISH_WITHIN

    def _pause(self, claim_at: float, gated: float | None, longest: float) -> float:
        """Until the next reason to look: a claim, an outcome to write, a lease to renew, a burst's gap."""
        now = self._ticks()
        until = [claim_at - now, longest]
        if self._finished_since is not None:
            until.append(self._finished_since + self.FINISH_WITHIN - now)
        if self._in_hand:
            until.append(self._renewed + self.RENEW - now)
        if gated is not None:
            until.append(gated)
        return max(min(until), 0.0)

    async def _exchange(self, limit: int) -> int:
        """One transaction: write the outcomes gathered so far, then claim up to ``limit`` events and
        start them. Finishing first frees each person's next event for this very claim."""
        if limit > 0 and self.crowded is not None and self.crowded():
            self._last_start = self._ticks()
        outcomes, since = self._finished, self._finished_since
        self._finished, self._finished_since = [], None
        if not outcomes and limit <= 0:
            return 0
        try:
            items = await asyncio.to_thread(self._record_and_claim, outcomes, limit)
        except Exception:
            self._finished[:0] = outcomes  # written with the next try; until then their leases hold them
            if outcomes:
                self._finished_since = since
            raise
        for item, _ in outcomes:
            self._in_hand.pop(item.id, None)
        for item in items:
            self._in_hand[item.id] = item
            task = asyncio.get_running_loop().create_task(self._process(item), name=f"inbound:{item.event.kind}")
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(items)

    async def _process(self, item: InboundItem) -> None:
        error: str | None = None  # "!" first: retrying cannot help
        self._processing.add(item.id)
        report_waits_to(lambda waiting: self._waits(item.id, waiting))  # this task's own context
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
        finally:
            self._processing.discard(item.id)
            self._platform_calls.pop(item.id, None)
        self._finished.append((item, error))
        if self._finished_since is None:
            self._finished_since = self._ticks()

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

    def _record_and_claim(self, outcomes: list[tuple[InboundItem, str | None]], limit: int) -> list[InboundItem]:
        now = self._clock()
        if all(error is None for _, error in outcomes):  # nearly always: the store's one-step path
            return self._store.finish_and_claim([item.id for item, _ in outcomes], now,
                                                platforms=self._processors, limit=limit)
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
            return inbound.claim_due(now, platforms=self._processors, limit=limit) if limit > 0 else []
