"""Saying that the database (or anything a loop depends on) is away: once when it goes, then ever more
rarely while it stays away, and once when it is back. A loop that polls every quarter of a second
would otherwise write four identical tracebacks a second for the length of the outage.

``failed`` also says how long the loop should pause before its next try: the same doubling, from a
quarter of a second up to ``MAX_PAUSE``, so an outage is not hammered either.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

FIRST_PAUSE = 0.25  # seconds
MAX_PAUSE = 5.0
FIRST_REPEAT = 10.0  # seconds before the first "still failing" line
MAX_REPEAT = 600.0


class OutageLog:
    def __init__(self, log: logging.Logger, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._log = log
        self._what = what
        self._clock = clock
        self._since: float | None = None
        self._failures = 0
        self._next_log = 0.0
        self._repeat = FIRST_REPEAT

    @property
    def failing(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException) -> float:
        """Note one failure; returns the pause before the next try (seconds)."""
        now = self._clock()
        self._failures += 1
        if self._since is None:
            self._since = now
            self._next_log, self._repeat = now + FIRST_REPEAT, FIRST_REPEAT
            self._log.error("%s failed (%s: %s); retrying quietly until it works again", self._what,
                            type(exc).__name__, str(exc)[:200], exc_info=exc)
        elif now >= self._next_log:
            self._log.error("%s still failing after %.0f s and %d tries (%s)", self._what, now - self._since,
                            self._failures, type(exc).__name__)
            self._repeat = min(self._repeat * 2, MAX_REPEAT)
            self._next_log = now + self._repeat
        return float(min(FIRST_PAUSE * 2 ** min(self._failures - 1, 16), MAX_PAUSE))

    def recovered(self) -> None:
        if self._since is not None:
            self._log.warning("%s works again after %.0f s and %d failed tries", self._what,
                              self._clock() - self._since, self._failures)
        self._since, self._failures = None, 0
