"""Saying that the event being processed is waiting on a platform's Web API, not working.

The inbound worker in the web process limits how many of its events *work* at once (run on the event
loop, in threads, against the database): every working event takes turns with the acknowledgements.
An event waiting for Slack to answer ``users.info`` takes nothing from them, so it should not hold a
working place: a burst of new people behind a slow platform would otherwise starve the worker of
places while the CPU sits idle. Code that calls a platform wraps the call in ``waiting_on_platform``;
outside the worker (no event being processed) it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Set by the worker in each event's task: called with True when the event starts waiting, False when
# it stops. A context variable reaches the code that calls the platform without passing it down
# through Bolt or the Teams SDK, and every task keeps its own.
_waits: ContextVar[Callable[[bool], None] | None] = ContextVar("platform_waits", default=None)


def report_waits_to(note: Callable[[bool], None]) -> None:
    """Called by the worker in the task that processes one event."""
    _waits.set(note)


@contextmanager
def waiting_on_platform() -> Iterator[None]:
    note = _waits.get()
    if note is None:
        yield
        return
    note(True)
    try:
        yield
    finally:
        note(False)
