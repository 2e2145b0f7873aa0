"""Store platform events before acknowledging them; process them afterwards, here or in a worker.

    web process                                        web process (WORKER=in-process) or `innovation-bot worker`
    request ─▶ InboundWriter.store ─▶ commit ─▶ 200 OK   InboundWorker ─▶ claim ─▶ processor ─▶ finish (delete)
                   │ one transaction for the                            └─ failure: retry with backoff,
                   ▼ events of the last moment                             then ``dead`` (kept for an operator)
              inbound_events ──────────────────────────────────────────▲

The writer commits for many requests at once (group commit), so a burst of events costs a few
transactions, not one each; every request is answered only after the commit that holds its event.
The worker deletes an event once processed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from adapters.outage import OutageLog
from bot.queues import InboundEvent, InboundItem
from storage.db import retry_locked
from storage.inbound import DEFAULT_LEASE, SqlInbound

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
Processor = Callable[[InboundItem], Awaitable[None]]


class Unprocessable(Exception):
    """The event can never be processed (a payload missing what it must have): do not retry it."""


def _now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** attempts, 300))


class NotStored(Exception):
    """The event could not be committed in time: the request must not be acknowledged (the platform
    sends it again; the writer keeps trying, and a stored retry is deduplicated by the event's id)."""


class InboundWriter:
    """Commits events for the requests that carry them, many to a transaction, before they are answered.

    ``store`` queues the event and waits until it is committed: a request is acknowledged only once
    its event is on disk (PostgreSQL with ``synchronous_commit`` on, SQLite's WAL), so a crash of this
    process, even at the instant of the answer, loses nothing a platform was told was received.

    Group commit keeps that cheap: one writer task commits, in one transaction, every event that arrived
    in the last ``linger`` seconds or while the previous commit was being made, then releases all their
    answers at once. A failed write is retried until it succeeds; a request that cannot wait that long
    gets ``NotStored`` (answered with an error, so the platform retries) while the write carries on.
    """

    TIMEOUT = 2.5  # seconds: within Slack's three, after which it would send the event again anyway

    def __init__(self, sessions: sessionmaker[Session], *, on_stored: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = _now, linger: float = 0.002) -> None:
        self._sessions = sessions
        self._on_stored = on_stored
        self._clock = clock
        self._linger = linger
        self._waiting: list[tuple[InboundEvent, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._outage = OutageLog(log, "storing platform events")

    def put(self, event: InboundEvent) -> asyncio.Future[None]:
        """Queue the event for the next commit (call from the event loop); the future is done once it is
        committed."""
        loop = asyncio.get_running_loop()
        committed: asyncio.Future[None] = loop.create_future()
        self._waiting.append((event, committed))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="inbound-writer")
        return committed

    async def store(self, event: InboundEvent, timeout: float | None = None) -> None:
        """Return once the event is committed; ``NotStored`` if that takes longer than ``timeout``."""
        try:
            await asyncio.wait_for(asyncio.shield(self.put(event)), timeout or self.TIMEOUT)
        except TimeoutError:
            raise NotStored(f"{event.platform} {event.kind} {event.event_id} not stored in time") from None

    @property
    def busy(self) -> bool:
        """Events are waiting to be written, or being written."""
        return bool(self._waiting) or (self._flusher is not None and not self._flusher.done())

    async def close(self) -> None:
        """Write whatever is still waiting (on shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)

    async def _flush(self) -> None:
        while self._waiting:
            # A moment's pause gathers the requests arriving together into one transaction.
            await asyncio.sleep(self._linger)
            batch, self._waiting = self._waiting, []
            try:
                await asyncio.to_thread(self._store, [event for event, _ in batch])
            except Exception as exc:
                self._waiting[:0] = batch
                await asyncio.sleep(self._outage.failed(exc))
                continue
            self._outage.recovered()
            for _, committed in batch:
                if not committed.done():
                    committed.set_result(None)
            if self._on_stored is not None:
                self._on_stored()

    def _store(self, events: list[InboundEvent]) -> None:
        def write() -> None:
            with self._sessions.begin() as session:
                SqlInbound(session).add(events, self._clock())

        retry_locked(write)  # on SQLite, waits for the write lock by looking every millisecond


class Arrivals:
    """How fast platform requests are arriving at this process, over the last moment.

    A worker in the same process (WORKER=in-process) shares the event loop and the CPU with the
    answers. During a burst it starts events one by one, with pauses, so the burst is answered first:
    a late answer makes the platform send the event again, while a reply a few seconds later costs little.
    (Requests cannot simply be counted while they wait: each is answered without pausing once it runs.)
    """

    WINDOW = 0.1  # seconds
    BURST = 30  # requests in a window: 300 a second, more than one process can also process

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._count = 0
        self._previous = 0

    def note(self) -> None:
        """One request arrived (the platform routes call this for each)."""
        now = self._clock()
        if now - self._started >= self.WINDOW:
            self._previous = self._count if now - self._started < 2 * self.WINDOW else 0
            self._started, self._count = now, 0
        self._count += 1

    def crowded(self) -> bool:
        elapsed = self._clock() - self._started
        if elapsed >= 2 * self.WINDOW:
            return False  # nothing for a while
        recent = self._count if elapsed >= self.WINDOW else max(self._count, self._previous)
        return recent >= self.BURST


class StoredArrivals:
    """How fast events are being stored, seen from a worker in another process: the growth of the
    newest stored event's id, looked at no more than once a window. Crowded at the rate ``Arrivals``
    calls a burst.

    For ``innovation-bot worker --nice N`` on the web process's machine, where the operating system's
    priority is not enough on its own: the worker's database work and its share of the CPU still slow
    the answers during a burst.
    """

    def __init__(self, newest: Callable[[], int], clock: Callable[[], float] = time.monotonic) -> None:
        self._newest = newest
        self._clock = clock
        self._looked: float | None = None
        self._id: int | None = None  # at the last look (None: no good look to measure from)
        self._crowded = False
        self._looking: asyncio.Task[None] | None = None

    def crowded(self) -> bool:
        """Answers at once from the last look; a look older than a window starts the next (in a thread:
        a database that is slow to answer must not hold up the worker's loop)."""
        if self._looking is None and (self._looked is None or self._clock() - self._looked >= Arrivals.WINDOW):
            self._looking = asyncio.get_running_loop().create_task(self._look(), name="inbound-arrivals")
        return self._crowded

    async def _look(self) -> None:
        try:
            newest = await asyncio.to_thread(self._newest)
        except Exception:  # the database is away: nothing arrives that the answers need the CPU for
            log.debug("could not look at the inbound queue", exc_info=True)
            self._looked, self._id, self._crowded = self._clock(), None, False
        else:
            now = self._clock()
            if self._id is not None and self._looked is not None and now > self._looked:
                self._crowded = (newest - self._id) * Arrivals.WINDOW / (now - self._looked) >= Arrivals.BURST
            self._looked, self._id = now, newest
        finally:
            self._looking = None


class InboundWorker:
    """Claims stored events and runs each through its platform's processor.

    Up to ``capacity`` events are in flight at once, so one slow event (a rate-limited lookup) does not
    hold up the others; results are written back in batches. While ``crowded()`` (see ``Arrivals``),
    one at a time and at most one every ``GIVE_WAY`` seconds: processing never stops, it gives way."""

    GIVE_WAY = 0.5  # seconds: during a burst, two events a second still start
    RENEW = DEFAULT_LEASE.total_seconds() / 4

    def __init__(self, sessions: sessionmaker[Session], processors: Mapping[str, Processor], *,
                 capacity: int = 50, clock: Callable[[], datetime] = _now,
                 crowded: Callable[[], bool] | None = None, ticks: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
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
        with self._sessions.begin() as session:
            return SqlInbound(session).claim_due(self._clock(), platforms=self._processors, limit=limit)

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
            with self._sessions.begin() as session:
                SqlInbound(session).extend(ids, self._clock() + DEFAULT_LEASE)

        await asyncio.to_thread(extend)

    def _record(self, outcomes: list[tuple[InboundItem, str | None]]) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            inbound = SqlInbound(session)
            inbound.finish([item.id for item, error in outcomes if error is None])
            for item, error in outcomes:
                if error is None:
                    continue
                if error.startswith("!") or item.attempts >= MAX_ATTEMPTS:
                    log.error("%s event %s given up after %d attempt(s); kept as dead for inspection",
                              item.event.platform, item.event.event_id, item.attempts)
                    inbound.mark_dead(item.id, error.removeprefix("!"))
                else:
                    inbound.retry_later(item.id, now + backoff(item.attempts), error)
