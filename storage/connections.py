"""Repository for "connect me" introductions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import Status
from bot.ports import ConnectionInfo, ConnectTarget, PersonDetails
from bot.sharing import beyond_force
from storage.catalogue import CATALOGUE_STATUSES
from storage.models import ConnectionRow, ForceRow, IdeaRow, PersonRow
from storage.repositories import recipient


class SqlConnections:
    def __init__(self, session: Session) -> None:
        self._s = session

    def target(self, idea_id: int) -> ConnectTarget | None:
        row = self._s.execute(select(IdeaRow, ForceRow.name).join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
                              .where(IdeaRow.id == idea_id)).first()
        if row is None:
            return None
        idea, force_name = row
        submitter = self._s.get(PersonRow, idea.submitter_id) if idea.submitter_id else None
        # The title goes to someone in another force: flagged detail masked unless shared as it is.
        return ConnectTarget(idea.id, beyond_force(idea.title, idea.shared_as_is), force_name,
                             idea.status in CATALOGUE_STATUSES and idea.status != Status.WITHDRAWN.value,
                             recipient(submitter) if submitter else None, idea.contact)

    def create(self, asker_id: int, idea_id: int, contact_id: int | None, status: str, at: datetime) -> int | None:
        try:
            with self._s.begin_nested():
                result = self._s.execute(insert(ConnectionRow).values(
                    asker_id=asker_id, idea_id=idea_id, contact_id=contact_id, status=status, created_at=at,
                    decided_at=at if status != "asked" else None).returning(ConnectionRow.id))
                return int(result.scalar_one())
        except IntegrityError:
            return None

    def get(self, connection_id: int) -> ConnectionInfo | None:
        row = self._s.execute(select(ConnectionRow, PersonRow, IdeaRow.title, IdeaRow.shared_as_is)
                              .join(PersonRow, PersonRow.id == ConnectionRow.asker_id)
                              .join(IdeaRow, IdeaRow.id == ConnectionRow.idea_id)
                              .where(ConnectionRow.id == connection_id)).first()
        if row is None:
            return None
        connection, asker, title, shared_as_is = row
        return ConnectionInfo(connection.id, connection.status, recipient(asker), connection.contact_id,
                              connection.idea_id, beyond_force(title, shared_as_is))

    def decide(self, connection_id: int, status: str, at: datetime) -> bool:
        result = self._s.execute(update(ConnectionRow)
                                 .where(ConnectionRow.id == connection_id, ConnectionRow.status == "asked")
                                 .values(status=status, decided_at=at).execution_options(synchronize_session=False))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def details(self, person_id: int) -> PersonDetails:
        row = self._s.execute(select(PersonRow, ForceRow.name)
                              .outerjoin(ForceRow, ForceRow.slug == PersonRow.force_slug)
                              .where(PersonRow.id == person_id)).one()
        person, force_name = row
        return PersonDetails(person.display_name, person.email, force_name or "")
