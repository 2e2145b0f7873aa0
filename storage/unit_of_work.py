"""The unit of work: one transaction, with every repository bound to it (cosmicpython's pattern)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.admin import AdminOp
from storage.connections import SqlConnections
from storage.data_rights import SqlDataRights
from storage.outbox_store import SqlOutbox
from storage.repositories import SqlConversations, SqlIdeas, SqlPeople, SqlProcessedEvents, SqlReference
from storage.review import SqlReviews


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

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.session.begin()
        self.events = SqlProcessedEvents(self.session)
        self.conversations = SqlConversations(self.session)
        self.people = SqlPeople(self.session)
        self.ideas = SqlIdeas(self.session)
        self.reference = SqlReference(self.session)
        self.outbox = SqlOutbox(self.session)
        self.reviews = SqlReviews(self.session)
        self.connections = SqlConnections(self.session)
        self.data_rights = SqlDataRights(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        # Closing rolls back anything not committed explicitly, so an exception never leaves half a
        # change behind; unlike rollback() it leaves loaded objects readable after the block.
        self.session.close()

    def apply_admin(self, op: AdminOp, at: datetime) -> str:
        from storage.admin import apply

        return apply(self.session, op, at)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
