"""Exactly one clock: the process that holds the database lease runs the jobs; any other waits.

``innovation-bot scheduler`` waits for the lease before it starts its jobs. The clock inside
``innovation-bot serve`` starts at once, and its jobs do nothing while another clock holds the lease
(a second web process, a separate scheduler). A holder renews every ``TTL / 4``; one that dies lets
the lease lapse after ``TTL`` and a waiting clock takes over. Roundups are also claimed once per
(channel, period), so even two clocks in the same instant would not post twice; reminders, draft
expiry and retention rely on this lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)

TTL = timedelta(seconds=60)
NAME = "clock"


class LeaseStore(Protocol):
    """Where the lease is kept (``storage/clock_lease.py``): each call is a transaction of its own."""

    def take(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Hold (or keep holding) lease ``name`` until ``now + ttl``; False while another holds it."""

    def holder_of(self, name: str, now: datetime) -> tuple[str, datetime] | None: ...

    def release(self, name: str, holder: str) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


class ClockLease:
    def __init__(self, store: LeaseStore, *, ttl: timedelta = TTL, name: str = NAME,
                 clock: Callable[[], datetime] = _now) -> None:
        self._store = store
        self._ttl = ttl
        self._name = name
        self._clock = clock
        self.holder = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
        self._held_until: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._said_waiting = False

    @property
    def held(self) -> bool:
        return self._held_until is not None and self._clock() < self._held_until

    def try_take(self) -> bool:
        now = self._clock()
        try:
            taken = self._store.take(self._name, self.holder, now, self._ttl)
            other = None if taken else self._store.holder_of(self._name, now)
        except Exception as exc:  # the database is away: hold nothing we cannot prove
            log.warning("could not renew the clock lease (%s); jobs pause until it is renewed", type(exc).__name__)
            self._held_until = None
            return False
        if taken:
            if not self.held:
                log.info("this process is the clock (lease %s)", self.holder)
            self._held_until, self._said_waiting = now + self._ttl, False
        else:
            if self._held_until is not None or not self._said_waiting:
                holder = other[0] if other else "another process"
                log.warning("another clock (%s) holds the lease: this one waits and runs no jobs", holder)
                self._said_waiting = True
            self._held_until = None
        return taken

    def wait_for(self, stop: threading.Event | None = None) -> bool:
        """Block until the lease is ours (``innovation-bot scheduler``); False if ``stop`` was set first."""
        while not self.try_take():
            if (stop or self._stop).wait(self._ttl.total_seconds() / 4):
                return False
        return True

    def keep(self) -> None:
        """Renew (or keep trying to take) the lease in a daemon thread until ``release``."""
        def run() -> None:
            while not self._stop.wait(self._ttl.total_seconds() / 4):
                self.try_take()

        self._thread = threading.Thread(target=run, name="clock-lease", daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._held_until is not None:
            try:
                self._store.release(self._name, self.holder)
            except Exception:
                log.warning("could not release the clock lease; it lapses in %s", self._ttl)
            self._held_until = None
