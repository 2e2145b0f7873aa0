"""Repository for the review workflow: decisions as compare-and-set updates, queues, card tracking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, bindparam, select, update
from sqlalchemy.orm import Session, aliased

from bot.domain import Role, Status, Visibility
from bot.ports import Recipient
from bot.review.cards import IdeaForReview
from bot.review.policy import Grant
from storage.models import DecisionRow, ForceRow, IdeaRow, PersonRow, ReviewCardRow, RoleRow, ThemeRow
from storage.repositories import recipient

# What a broker may rewrite before sharing: the fields that travel beyond the force.
_EDITABLE = frozenset({"title", "description", "problem"})

# Built once: a submitted idea is loaded, and its brokers looked up, in the turn that submits it, where
# building these anew cost more CPU than running them (docs/PERFORMANCE.md, "A lighter turn").
_SUBMITTER = aliased(PersonRow)
_IDEAS = (select(IdeaRow, ForceRow.name, ThemeRow.name, _SUBMITTER.display_name)
          .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
          .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
          .outerjoin(_SUBMITTER, _SUBMITTER.id == IdeaRow.submitter_id))
_ORDER = (IdeaRow.submitted_at, IdeaRow.id)
_ONE_IDEA = _IDEAS.where(IdeaRow.id == bindparam("idea_id")).order_by(*_ORDER).limit(1)
_MORE_INFO = (select(DecisionRow.reason).where(DecisionRow.idea_id == bindparam("idea_id"),
                                               DecisionRow.from_status == Status.NEEDS_INFO.value,
                                               DecisionRow.to_status == Status.SUBMITTED.value)
              .order_by(DecisionRow.id.desc()).limit(1))
_WITH_ROLE = (select(PersonRow).join(RoleRow, RoleRow.person_id == PersonRow.id)
              .where(RoleRow.role == bindparam("role")).order_by(PersonRow.id).distinct())
_WITH_ROLE_IN = _WITH_ROLE.where(RoleRow.force_slug == bindparam("force_slug"))


class SqlReviews:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _load_many(self, where: Sequence[object], limit: int = 50) -> list[IdeaForReview]:
        return self._loaded(_IDEAS.where(*where).order_by(*_ORDER).limit(limit), {})  # type: ignore[arg-type]

    def _loaded(self, query: Executable, params: dict[str, Any]) -> list[IdeaForReview]:
        rows = self._s.execute(query, params).all()
        ideas = []
        for idea, force_name, theme_name, submitter_name in rows:
            more_info = self._s.scalar(_MORE_INFO, {"idea_id": idea.id}) or ""
            ideas.append(IdeaForReview(
                idea_id=idea.id, version=idea.version, title=idea.title, description=idea.description,
                problem=idea.problem, stage=idea.stage, theme_name=theme_name or "", force_slug=idea.force_slug,
                force_name=force_name, status=Status(idea.status), submitter_name=submitter_name or "",
                anonymous=idea.visibility == Visibility.ANONYMOUS.value,
                submitted_on=(idea.submitted_at or idea.created_at).date().isoformat(), more_info=more_info,
                shared_as_is=idea.shared_as_is or "",
            ))
        return ideas

    def load(self, idea_id: int) -> IdeaForReview | None:
        found = self._loaded(_ONE_IDEA, {"idea_id": idea_id})
        return found[0] if found else None

    def submitter(self, idea_id: int) -> Recipient | None:
        row = self._s.scalar(select(PersonRow).join(IdeaRow, IdeaRow.submitter_id == PersonRow.id)
                             .where(IdeaRow.id == idea_id))
        return recipient(row) if row else None

    def grants(self, person_id: int) -> list[Grant]:
        rows = self._s.scalars(select(RoleRow).where(RoleRow.person_id == person_id)).all()
        return [Grant(Role(r.role), r.force_slug) for r in rows]

    def decide(self, idea_id: int, *, expected_version: int, from_status: str, to_status: str,
               actor_id: int | None, reason: str, at: datetime, edits: Mapping[str, str] | None = None,
               shared_as_is: str | None = None) -> bool:
        values: dict[str, object] = {name: text for name, text in (edits or {}).items() if name in _EDITABLE}
        if shared_as_is is not None:
            values["shared_as_is"] = shared_as_is
        # Compare-and-set: of two brokers clicking at once, exactly one update matches the version.
        result = self._s.execute(
            update(IdeaRow)
            .where(IdeaRow.id == idea_id, IdeaRow.version == expected_version, IdeaRow.status == from_status)
            .values(status=to_status, version=expected_version + 1, updated_at=at, **values)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self._s.add(DecisionRow(idea_id=idea_id, actor_id=actor_id, from_status=from_status, to_status=to_status,
                                reason=reason, created_at=at))
        self._s.flush()
        return True

    def last_decision(self, idea_id: int) -> tuple[str, str, str, str] | None:
        row = self._s.execute(
            select(DecisionRow, PersonRow.display_name).outerjoin(PersonRow, PersonRow.id == DecisionRow.actor_id)
            .where(DecisionRow.idea_id == idea_id).order_by(DecisionRow.id.desc()).limit(1)).first()
        if row is None:
            return None
        decision, name = row
        return decision.to_status, name or "", decision.reason, decision.created_at.date().isoformat()

    def people_with_role(self, role: Role, force_slug: str | None = None) -> list[Recipient]:
        rows = self._s.scalars(_WITH_ROLE, {"role": role.value}) if force_slug is None else \
            self._s.scalars(_WITH_ROLE_IN, {"role": role.value, "force_slug": force_slug})
        return [recipient(r) for r in rows.all()]

    def record_card(self, idea_id: int, person_id: int, outbox_id: int) -> None:
        self._s.add(ReviewCardRow(idea_id=idea_id, person_id=person_id, outbox_id=outbox_id))
        self._s.flush()

    def cards(self, idea_id: int) -> list[tuple[int, Recipient]]:
        rows = self._s.execute(select(ReviewCardRow.outbox_id, PersonRow)
                               .join(PersonRow, PersonRow.id == ReviewCardRow.person_id)
                               .where(ReviewCardRow.idea_id == idea_id).order_by(ReviewCardRow.id)).all()
        return [(outbox_id, recipient(person)) for outbox_id, person in rows]

    def open_for(self, grants: Sequence[Grant]) -> list[IdeaForReview]:
        national = any(g.role in (Role.REVIEWER, Role.ADMIN) for g in grants)
        forces = [g.force_slug for g in grants if g.role is Role.BROKER and g.force_slug]
        ideas: list[IdeaForReview] = []
        if forces:
            ideas += self._load_many([IdeaRow.force_slug.in_(forces),
                                      IdeaRow.status.in_([Status.SUBMITTED.value, Status.NEEDS_INFO.value])])
        if national:
            seen = {i.idea_id for i in ideas}
            ideas += [i for i in self._load_many([IdeaRow.status.in_([Status.APPROVED_NETWORK.value,
                                                                      Status.NATIONAL_REVIEW.value]),
                                                  IdeaRow.source == "chat"])
                      if i.idea_id not in seen]
        return ideas

    def waiting_since(self, before: datetime) -> list[tuple[IdeaForReview, datetime]]:
        rows = self._s.execute(select(IdeaRow.id, IdeaRow.submitted_at).where(
            IdeaRow.status == Status.SUBMITTED.value, IdeaRow.submitted_at < before)).all()
        out = []
        for idea_id, submitted_at in rows:
            idea = self.load(idea_id)
            if idea is not None and submitted_at is not None:
                out.append((idea, submitted_at))
        return out
