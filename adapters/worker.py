"""``innovation-bot worker``: processes stored platform events and sends the outbox, apart from the web.

With ``WORKER=external`` the web process only checks, stores and acknowledges what platforms send,
so acknowledgements stay fast however much conversation work a burst brings; this process does the
work. Any number of workers may run: claims are leased and each person's events keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal

from adapters.arrivals import StoredArrivals
from adapters.bootstrap import Container
from adapters.event_processing import POLL_UNTOLD, POLL_WHEN_TOLD
from adapters.heap import freeze_start_up

log = logging.getLogger(__name__)


def run_worker(container: Container, *, nice: int = 0) -> int:
    """Blocks until SIGTERM or Ctrl-C; what is in flight then finishes before it returns (exit status)."""
    if container.settings.worker == "in-process":
        log.warning("WORKER=in-process: a running `innovation-bot serve` processes events too; set "
                    "WORKER=external for the web process when a worker runs (README, Deploying)")
    if nice:
        # On a machine shared with the web process: acknowledgements first, this work in the gaps.
        os.nice(nice)
    freeze_start_up()
    return 0 if asyncio.run(work(container, give_way=bool(nice))) else 2


async def work(container: Container, stop: asyncio.Event | None = None, *, give_way: bool = False) -> bool:
    """Run until ``stop`` is set (by default: until SIGTERM or SIGINT). False when there is nothing to do.

    ``give_way`` (a worker sharing the web process's machine): while events are being stored faster
    than a burst's rate, start them one at a time, as a worker in the web process does."""
    from adapters.web import create_app

    if give_way:
        container.inbound.crowded = StoredArrivals(container.inbound_store.newest_id).crowded
    # On PostgreSQL the web process's writer notifies when it stores events, and this worker claims them
    # at once; it polls often only while it cannot listen (and always on SQLite, which cannot tell).
    listener = container.new_events_listener(container.inbound.wake)
    if listener is not None:
        told = listener
        container.inbound_poll = lambda: POLL_WHEN_TOLD if told.listening else POLL_UNTOLD
    else:
        container.inbound_poll = lambda: POLL_UNTOLD

    # The web app's own start-up and shutdown, without serving HTTP: platform adapters register their
    # senders and event processors, Slack gets its HTTP session, and the lifespan runs the outbox
    # dispatcher, the catalogue refresh and (as this process is the worker) the event processing.
    settings = container.settings.model_copy(update={"worker": "in-process", "scheduler": "external",
                                                     "playground": False})
    container.settings = settings
    app = create_app(container)
    if not container.processors and not container.senders:
        log.error("nothing to do: no platform is configured (set the Slack or Teams variables)")
        return False
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    listening = asyncio.create_task(listener.run()) if listener is not None else None
    async with app.router.lifespan_context(app):
        log.info("worker started (events from: %s; sending to: %s)", ", ".join(container.processors) or "none",
                 ", ".join(container.senders) or "none")
        await stop.wait()
        log.info("worker stopping: finishing what is in flight")
    if listening is not None:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
    return True
