"""Telling workers in other processes that platform events were stored: PostgreSQL's LISTEN/NOTIFY.

The inbound writer's transaction holds a notification on ``CHANNEL`` (``SqlInbound.add``), which
PostgreSQL delivers when, and only if, it commits. ``NewEventsListener`` keeps a connection of its own
listening on that channel and wakes the worker, so an event is claimed within a millisecond or two of
its commit instead of on the worker's next poll. When the listener cannot listen (the database is
away, a pooler that does not pass notifications on), the worker polls as it would without it; the
listener keeps trying to come back. SQLite has no notifications: a worker on SQLite polls.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy import Engine

from storage.inbound_store import NEW_EVENTS_CHANNEL as CHANNEL

log = logging.getLogger(__name__)

APPLICATION_NAME = "innovation-bot: new events listener"


class NewEventsListener:
    """Calls ``wake`` (on the event loop that runs ``run``) for every commit that stored events."""

    CHECK_EVERY = 30.0  # seconds without a notification before the connection is checked
    RETRY = (1.0, 60.0)  # seconds before trying to listen again: first pause, longest pause

    def __init__(self, engine: Engine, wake: Callable[[], None]) -> None:
        _args, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters: a plain connection does without them
        params.setdefault("application_name", APPLICATION_NAME)  # for pg_stat_activity
        self._params = params
        self._wake = wake
        self.listening = False  # the worker polls often while this is False

    async def run(self) -> None:
        """Listen until cancelled; after a failure, fall back (``listening`` False) and try again."""
        pause, told = self.RETRY[0], False
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                if self.listening or not told:  # once when listening stops, not at every try
                    log.warning("not told of new platform events (%s: %s); polling for them until listening "
                                "works again", type(exc).__name__, str(exc).strip()[:200])
                if self.listening:
                    pause = self.RETRY[0]
                told, self.listening = True, False
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.RETRY[1])

    async def _listen(self) -> None:
        connection = await psycopg.AsyncConnection.connect(**self._params, autocommit=True)
        async with connection:
            await connection.execute(f"LISTEN {CHANNEL}")
            if not self.listening:
                log.info("listening for new platform events (PostgreSQL notifications)")
            self.listening = True
            self._wake()  # events stored while nobody listened: look now
            while True:
                async for _ in connection.notifies(timeout=self.CHECK_EVERY):
                    self._wake()
                await connection.execute("SELECT 1")  # quiet for a while: is the connection still there?
