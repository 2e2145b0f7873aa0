"""The unit of work: one transaction, with every repository bound to it (cosmicpython's pattern)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.queues import HandOver
from storage.admin import SqlAdmin
from storage.connections import SqlConnections
from storage.data_rights import SqlDataRights
from storage.exports import SqlExportQueries
from storage.imported_practice import SqlImportedPractice
from storage.installations import SqlInstallations
from storage.metrics import SqlMetricsQueries
from storage.outbox_store import SqlOutbox
from storage.repositories import (
    CONVERSATIONS_READ,
    TENANT_FORCES_READ,
    SqlConversations,
    SqlIdeas,
    SqlPeople,
    SqlProcessedEvents,
    SqlReference,
)
from storage.retention import SqlRetention
from storage.review import SqlReviews
from storage.roundups import SqlRoundups, SqlSubscriptions


class SqlUnitOfWork:
    events: SqlProcessedEvents
    conversations: SqlConversations
    people: SqlPeople
    ideas: SqlIdeas
    reference: SqlReference
    outbox: SqlOutbox
    reviews: SqlReviews
    connections: SqlConnections
    data_rights: SqlDataRights
    metrics: SqlMetricsQueries
    exports: SqlExportQueries
    imported_practice: SqlImportedPractice
    subscriptions: SqlSubscriptions
    roundups: SqlRoundups
    installations: SqlInstallations
    admin: SqlAdmin
    retention: SqlRetention

    def __init__(self, sessions: sessionmaker[Session], hand_over: HandOver | None = None) -> None:
        self._sessions = sessions
        # The dispatcher of this process, if one runs: what this unit of work queues is leased to it
        # before the commit and handed to it after, rather than claimed in a transaction of its own.
        self._hand_over = hand_over

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.session.begin()
        self.events = SqlProcessedEvents(self.session)
        self.conversations = SqlConversations(self.session)
        self.people = SqlPeople(self.session)
        self.ideas = SqlIdeas(self.session)
        self.reference = SqlReference(self.session)
        self.outbox = SqlOutbox(self.session, self._hand_over)
        self.reviews = SqlReviews(self.session)
        self.connections = SqlConnections(self.session)
        self.data_rights = SqlDataRights(self.session)
        self.metrics = SqlMetricsQueries(self.session)
        self.exports = SqlExportQueries(self.session)
        self.imported_practice = SqlImportedPractice(self.session)
        self.subscriptions = SqlSubscriptions(self.session)
        self.roundups = SqlRoundups(self.session)
        self.installations = SqlInstallations(self.session)
        self.admin = SqlAdmin(self.session)
        self.retention = SqlRetention(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        # Closing rolls back anything not committed explicitly, so an exception never leaves half a
        # change behind; unlike rollback() it leaves loaded objects readable after the block.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
        leased = self.outbox.leased()
        if leased and self._hand_over is not None:
            self._hand_over.take(leased)

    def rollback(self) -> None:
        self.outbox.forget_leased()
        self.session.rollback()
        self.session.info.pop(TENANT_FORCES_READ, None)  # what this transaction read or mapped is gone with it
        self.session.info.pop(CONVERSATIONS_READ, None)
