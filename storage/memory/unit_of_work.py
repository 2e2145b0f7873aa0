"""The unit of work in memory: ``bot.ports.UnitOfWork`` with SqlUnitOfWork's transaction semantics.

``__enter__`` takes the database (one writer at a time) and a private copy of what is committed
(copy-on-begin); the repositories work on that copy. ``commit`` publishes it, ``rollback`` goes back to
what is committed, and leaving the block without committing discards it, as closing a session does.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.ports import UnitOfWork
from storage.memory.admin import MemoryAdmin
from storage.memory.data_rights import MemoryDataRights, MemoryRetention
from storage.memory.database import MemoryDatabase
from storage.memory.installations import MemoryInstallations
from storage.memory.outbox import MemoryOutbox
from storage.memory.queries import MemoryExportQueries, MemoryImportedPractice, MemoryMetricsQueries
from storage.memory.repositories import (
    MemoryConversations,
    MemoryIdeas,
    MemoryPeople,
    MemoryProcessedEvents,
    MemoryReference,
)
from storage.memory.review import MemoryConnections, MemoryReviews
from storage.memory.roundups import MemoryRoundups, MemorySubscriptions
from storage.memory.tables import Tables


class MemoryUnitOfWork:
    events: MemoryProcessedEvents
    conversations: MemoryConversations
    people: MemoryPeople
    ideas: MemoryIdeas
    reference: MemoryReference
    outbox: MemoryOutbox
    reviews: MemoryReviews
    connections: MemoryConnections
    data_rights: MemoryDataRights
    metrics: MemoryMetricsQueries
    exports: MemoryExportQueries
    imported_practice: MemoryImportedPractice
    subscriptions: MemorySubscriptions
    roundups: MemoryRoundups
    installations: MemoryInstallations
    admin: MemoryAdmin
    retention: MemoryRetention

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._tables: Tables | None = None

    def __enter__(self) -> MemoryUnitOfWork:
        self._db.acquire()
        tables = self._tables = self._db.committed.copy()
        ids = self._db.ids
        self.events = MemoryProcessedEvents(tables)
        self.conversations = MemoryConversations(tables, ids)
        self.people = MemoryPeople(tables, ids)
        self.ideas = MemoryIdeas(tables, ids)
        self.reference = MemoryReference(tables)
        self.outbox = MemoryOutbox(tables, ids)
        self.reviews = MemoryReviews(tables, ids)
        self.connections = MemoryConnections(tables, ids)
        self.data_rights = MemoryDataRights(tables, ids)
        self.metrics = MemoryMetricsQueries(tables)
        self.exports = MemoryExportQueries(tables)
        self.imported_practice = MemoryImportedPractice(tables, ids)
        self.subscriptions = MemorySubscriptions(tables, ids)
        self.roundups = MemoryRoundups(tables, ids)
        self.installations = MemoryInstallations(tables, ids)
        self.admin = MemoryAdmin(tables, ids)
        self.retention = MemoryRetention(tables, ids)
        return self

    def __exit__(self, *exc: object) -> None:
        # What was not committed is simply dropped; rows already read stay readable (they are immutable).
        self._tables = None
        self._db.release()

    def _open(self) -> Tables:
        if self._tables is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._tables

    def commit(self) -> None:
        # The working copy goes on being used after a commit (a new transaction begins, as in a session).
        self._db.committed = self._open().copy()

    def rollback(self) -> None:
        self._open().load(self._db.committed)


def memory_uow_factory(database: MemoryDatabase) -> Callable[[], UnitOfWork]:
    """What the service takes: a new unit of work on ``database`` per call. Typed by the port, so mypy checks
    that the memory store implements every repository ``bot.ports.UnitOfWork`` has."""
    return lambda: MemoryUnitOfWork(database)
