"""Taking platform events in: each is committed to the inbound store before its request is answered.

    web process                                        web process (WORKER=in-process) or `innovation-bot worker`
    request ─▶ InboundWriter.store ─▶ commit ─▶ 200 OK   InboundWorker ─▶ claim ─▶ processor ─▶ finish (delete)
                   │ one transaction for the           (adapters/event_processing.py)
                   ▼ events of the last moment
              inbound store (bot.queues.InboundStore) ──────────────────▲

The writer commits for many requests at once (group commit), so a burst of events costs a few
transactions, not one each; every request is answered only after the commit that holds its event.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from adapters.outage import OutageLog
from bot.queues import InboundEvent, InboundStore, StoreBusy

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


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
    PATIENCE = 30.0  # seconds a batch waits for SQLite's write lock before the write counts as failed
    LOOK_AGAIN = 0.001  # seconds between looks at a held write lock

    def __init__(self, store: InboundStore, *, on_stored: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = _now, linger: float = 0.002) -> None:
        self._store = store
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
                await asyncio.to_thread(self._write, [event for event, _ in batch])
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

    def _write(self, events: list[InboundEvent]) -> None:
        """One transaction for the batch. While another connection holds SQLite's write lock, look again
        every millisecond: this writer gets the lock within a millisecond of its release, where SQLite's
        own busy handler can sleep through many releases (the acknowledgements wait on this)."""
        deadline = time.monotonic() + self.PATIENCE
        while True:
            try:
                self._store.add(events, self._clock())
                return
            except StoreBusy:
                if time.monotonic() > deadline:
                    raise
            time.sleep(self.LOOK_AGAIN)
