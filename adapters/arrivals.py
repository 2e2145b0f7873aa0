"""How fast platform requests arrive, so that a worker sharing the machine gives way during a burst.

``Arrivals`` counts the requests of this process (the platform routes call ``note``); ``StoredArrivals``
watches, from a worker in another process, how fast the newest stored event's id grows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


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
