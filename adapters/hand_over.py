"""Messages a process queues for its own outbox dispatcher, handed to it already leased (``bot.queues.HandOver``).

A conversation turn's unit of work queues its replies leased to the dispatcher of its process, when one
runs there (``storage.outbox_store.SqlOutbox.enqueue``), and hands them over once its commit returns: they
are sent without a claim of their own, one transaction a turn less (docs/PERFORMANCE.md). Until a round
takes them they wait in memory (``HandedMessages``), within bounds that keep the lease honest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Protocol

from bot.queues import OUTBOX_LEASE, OutboxItem

log = logging.getLogger(__name__)

# Messages handed over that wait in memory for a round, at most: beyond it the commits queue them waiting,
# for a claim, so a burst the platforms cannot take that fast waits in the database, not leased in memory.
# Messages claimed per round are 32 (adapters/delivery.py), so this is four rounds.
HANDED_MAX = 128
# One waiting longer than this (half its lease) is left to its lease: it runs out and the message is
# claimed, and it is never sent from memory after a claim elsewhere might have taken it.
HANDED_FOR = OUTBOX_LEASE.total_seconds() / 2


class Receiver(Protocol):
    """The dispatcher's side of the hand-over (``adapters.delivery.OutboxDispatcher``)."""

    def taking(self) -> frozenset[str]: ...

    def receive(self, items: list[OutboxItem]) -> None: ...

    def release_now(self, items: Sequence[OutboxItem]) -> None: ...


class OutboxHandOver:
    """``bot.queues.HandOver`` for the dispatcher of this process: open while its ``run_forever`` runs.

    The units of work of the process hold it from the start (``adapters.bootstrap``); the dispatcher
    opens it when it starts sending and closes it when it stops, so nothing is leased to a process that
    is not sending. What a commit hands over goes to the dispatcher's event loop, whichever thread
    committed."""

    def __init__(self) -> None:
        self._receiver: Receiver | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the running dispatcher's; None when closed

    @property
    def is_open(self) -> bool:
        return self._loop is not None

    def open(self, receiver: Receiver, loop: asyncio.AbstractEventLoop) -> None:
        self._receiver, self._loop = receiver, loop

    def close(self) -> None:
        self._loop = None

    def platforms(self) -> frozenset[str]:
        receiver, loop = self._receiver, self._loop
        return receiver.taking() if receiver is not None and loop is not None else frozenset()

    def take(self, items: Sequence[OutboxItem]) -> None:
        receiver, loop = self._receiver, self._loop
        if receiver is None:
            return  # never opened, so nothing was leased through it
        if loop is not None:
            try:
                loop.call_soon_threadsafe(receiver.receive, list(items))
                return
            except RuntimeError:  # the loop closed under us (shutting down)
                pass
        # Leased while it ran, and it stopped since: handed back to be claimed, not left to their lease.
        log.info("handing %d outbox messages back: the dispatcher stopped", len(items))
        receiver.release_now(items)


class HandedMessages:
    """What was handed over and not yet taken by a round, each with when it arrived (on the event loop)."""

    def __init__(self, items: Sequence[tuple[float, OutboxItem]] = ()) -> None:
        self._items = list(items)

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def full(self) -> bool:
        return len(self._items) >= HANDED_MAX

    def add(self, items: Sequence[OutboxItem]) -> None:
        at = time.monotonic()
        self._items.extend((at, item) for item in items)

    def take(self, limit: int | None) -> HandedMessages:
        """The oldest ``limit`` (None: all), taken out."""
        end = len(self._items) if limit is None else limit
        taken, self._items = self._items[:end], self._items[end:]
        return HandedMessages(taken)

    def put_back(self, taken: HandedMessages) -> None:
        self._items[:0] = taken._items

    def fresh(self) -> list[OutboxItem]:
        """The messages, less any that waited past ``HANDED_FOR`` (left to their lease)."""
        since = time.monotonic() - HANDED_FOR
        stale = sum(1 for at, _ in self._items if at < since)
        if stale:
            log.warning("left %d outbox messages to their lease: handed over %g s ago or more", stale, HANDED_FOR)
        return [item for at, item in self._items if at >= since]
