"""What the bot holds about a person, and their rights over it: see, withdraw, export, erase; retention.

The repository behind ``bot.data_rights_ports.DataRights``; the use cases (and the retention period's rule)
are in ``bot/data_rights.py``. ``export_person`` / ``delete_person`` / ``apply_retention`` are session-level
helpers the other repositories of the same transaction share (``storage/admin.py``, ``storage/retention.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.data_rights import declined_cutoff
from bot.data_rights_ports import Erased, MyData
from bot.domain import PersonRef, Status
from storage.inbound_store import SqlInbound
from storage.models import (
    ConnectionRow,
    ConversationRow,
    DecisionRow,
    ForceRow,
    IdeaRow,
    OutboxRow,
    PersonRow,
    ReviewCardRow,
    RoleRow,
)
from storage.repositories import SqlIdeas, find_person, forget_conversation

WITHDRAWN_TEXT = ""  # a withdrawn idea keeps its title, force, dates and decisions; its text goes


class UnknownPerson(LookupError):
    pass


class SqlDataRights:
    def __init__(self, session: Session) -> None:
        self._s = session

    def my_data(self, person_id: int) -> MyData:
        person = self._s.get(PersonRow, person_id)
        assert person is not None
        force = self._s.get(ForceRow, person.force_slug) if person.force_slug else None
        roles = tuple(f"{r.role} ({r.force_slug})" if r.force_slug else r.role
                      for r in self._s.scalars(select(RoleRow).where(RoleRow.person_id == person_id)).all())
        draft = self._s.scalar(select(ConversationRow.draft).where(
            ConversationRow.platform == person.platform, ConversationRow.tenant == person.tenant,
            ConversationRow.user_id == person.user_id))
        asked = self._s.scalar(select(func.count()).select_from(ConnectionRow)
                               .where(ConnectionRow.asker_id == person_id))
        decided = self._s.scalar(select(func.count()).select_from(DecisionRow).where(
            DecisionRow.actor_id == person_id, DecisionRow.from_status != Status.DRAFT.value))
        return MyData(person.display_name, person.email, f"{person.platform}:{person.tenant}:{person.user_id}",
                      force.name if force else "", roles, tuple(SqlIdeas(self._s).for_person(person_id)),
                      draft is not None, int(asked or 0), int(decided or 0))

    def withdraw(self, idea_id: int, person_id: int, at: datetime) -> str:
        idea = self._s.get(IdeaRow, idea_id)
        if idea is None or idea.submitter_id != person_id:
            return "not-yours"
        if idea.status == Status.WITHDRAWN.value:
            return "already"
        self._s.add(DecisionRow(idea_id=idea_id, actor_id=person_id, from_status=idea.status,
                                to_status=Status.WITHDRAWN.value, reason="withdrawn by the submitter", created_at=at))
        idea.status, idea.description, idea.problem, idea.evidence = (Status.WITHDRAWN.value, WITHDRAWN_TEXT,
                                                                      WITHDRAWN_TEXT, WITHDRAWN_TEXT)
        idea.version, idea.updated_at = idea.version + 1, at
        self._s.flush()
        return "withdrawn"


    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        """Everything held about one person, for a subject access request (None: nobody known as ``ref``)."""
        s, person = self._s, find_person(self._s, ref)
        if person is None:
            return None
        ideas = s.scalars(select(IdeaRow).where(IdeaRow.submitter_id == person.id).order_by(IdeaRow.id)).all()
        return {
            "person": {"platform": person.platform, "tenant": person.tenant, "user_id": person.user_id,
                       "display_name": person.display_name, "email": person.email, "force": person.force_slug,
                       "locale": person.locale, "created_at": person.created_at.isoformat()},
            "roles": [{"role": r.role, "force": r.force_slug}
                      for r in s.scalars(select(RoleRow).where(RoleRow.person_id == person.id)).all()],
            "ideas": [{"id": i.id, "title": i.title, "description": i.description, "problem": i.problem,
                       "stage": i.stage, "status": i.status, "force": i.force_slug, "visibility": i.visibility,
                       "submitted_at": i.submitted_at.isoformat() if i.submitted_at else None} for i in ideas],
            "decisions_made": [{"idea_id": d.idea_id, "from": d.from_status, "to": d.to_status, "reason": d.reason,
                                "at": d.created_at.isoformat()}
                               for d in s.scalars(select(DecisionRow).where(DecisionRow.actor_id == person.id)
                                                  .order_by(DecisionRow.id)).all()],
            "connections": [{"idea_id": c.idea_id, "status": c.status, "asked_at": c.created_at.isoformat()}
                            for c in s.scalars(select(ConnectionRow).where(ConnectionRow.asker_id == person.id))
                            .all()],
            "draft": s.scalar(select(ConversationRow.draft).where(
                ConversationRow.platform == person.platform, ConversationRow.tenant == person.tenant,
                ConversationRow.user_id == person.user_id)),
        }

    def erase(self, ref: PersonRef) -> Erased | None:
        """Erase a person: their record, roles, conversation, introductions and queued messages go; ideas they
        shared stay as their force's practice with no link back to them, and decisions they made lose their
        name. None: nobody known as ``ref``."""
        s, person = self._s, find_person(self._s, ref)
        if person is None:
            return None
        erased = Erased(people=1)
        erased.ideas_anonymised = s.execute(
            update(IdeaRow).where(IdeaRow.submitter_id == person.id)
            .values(submitter_id=None, visibility="anonymous-to-peers")).rowcount  # type: ignore[attr-defined]
        s.execute(update(DecisionRow).where(DecisionRow.actor_id == person.id).values(actor_id=None))
        s.execute(delete(ConnectionRow).where(or_(ConnectionRow.asker_id == person.id,
                                                  ConnectionRow.contact_id == person.id)))
        s.execute(delete(ReviewCardRow).where(ReviewCardRow.person_id == person.id))
        s.execute(delete(RoleRow).where(RoleRow.person_id == person.id))
        forget_conversation(s, ref)
        erased.conversations = s.execute(delete(ConversationRow).where(
            ConversationRow.platform == ref.platform, ConversationRow.tenant == ref.tenant,
            ConversationRow.user_id == ref.user_id)).rowcount  # type: ignore[attr-defined]
        erased.messages = s.execute(delete(OutboxRow).where(
            OutboxRow.platform == ref.platform, OutboxRow.tenant == ref.tenant,
            OutboxRow.target == ref.user_id)).rowcount  # type: ignore[attr-defined]
        erased.messages += SqlInbound(s).forget(str(ref))  # what they sent that is not yet processed
        s.delete(person)
        s.flush()
        return erased

    def delete_ideas(self, *, status: str, updated_before: datetime) -> int:
        """Delete ideas in ``status`` last changed before the cutoff, with their cards, introductions and
        decisions; how many ideas went."""
        ids = list(self._s.scalars(select(IdeaRow.id).where(IdeaRow.status == status,
                                                            IdeaRow.updated_at < updated_before)).all())
        if ids:
            self._s.execute(delete(ReviewCardRow).where(ReviewCardRow.idea_id.in_(ids)))
            self._s.execute(delete(ConnectionRow).where(ConnectionRow.idea_id.in_(ids)))
            self._s.execute(delete(DecisionRow).where(DecisionRow.idea_id.in_(ids)))
            self._s.execute(delete(IdeaRow).where(IdeaRow.id.in_(ids)))
        return len(ids)


def export_person(session: Session, ref: PersonRef) -> dict[str, Any]:
    found = SqlDataRights(session).export_person(ref)
    if found is None:
        raise UnknownPerson(f"no one known as {ref}")
    return found


def delete_person(session: Session, ref: PersonRef) -> Erased:
    erased = SqlDataRights(session).erase(ref)
    if erased is None:
        raise UnknownPerson(f"no one known as {ref}")
    return erased


def apply_retention(session: Session, now: datetime, declined_days: int) -> int:
    return SqlDataRights(session).delete_ideas(status=Status.DECLINED.value,
                                               updated_before=declined_cutoff(now, declined_days))
