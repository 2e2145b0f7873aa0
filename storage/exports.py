"""Reads for the exports (``bot.evidence.ports.ExportQueries``): ideas and decisions with names joined in.

Who may see what, and the columns, are decided in ``bot/evidence``; this module only reads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.evidence.ports import DecisionRecord, IdeaRecord
from storage.models import DecisionRow, ForceRow, IdeaRow, PersonRow, ThemeRow


class SqlExportQueries:
    def __init__(self, session: Session) -> None:
        self._s = session

    def ideas(self, *, statuses: Collection[str] | None = None,
              excluding: Collection[str] = ()) -> Sequence[IdeaRecord]:
        submitter = aliased(PersonRow)
        query = (select(IdeaRow, ForceRow.name, ThemeRow.name, submitter.display_name, submitter.email)
                 .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
                 .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
                 .outerjoin(submitter, submitter.id == IdeaRow.submitter_id)
                 .order_by(IdeaRow.id))
        if statuses is not None:
            query = query.where(IdeaRow.status.in_(list(statuses)))
        if excluding:
            query = query.where(IdeaRow.status.not_in(list(excluding)))
        return [IdeaRecord(
            id=i.id, title=i.title, description=i.description, problem=i.problem, evidence=i.evidence,
            stage=i.stage, theme_slug=i.theme_slug, theme_name=theme or "", force_slug=i.force_slug,
            force_name=force, status=i.status, source=i.source, visibility=i.visibility,
            contact_consent=i.contact_consent, contact=i.contact, url=i.url, submitter_id=i.submitter_id,
            submitter_name=name or "", submitter_email=email or "", created_at=i.created_at,
            submitted_at=i.submitted_at, updated_at=i.updated_at, shared_as_is=i.shared_as_is)
            for i, force, theme, name, email in self._s.execute(query)]

    def decisions(self) -> Sequence[DecisionRecord]:
        actor = aliased(PersonRow)
        query = (select(DecisionRow, IdeaRow.title, actor.display_name)
                 .join(IdeaRow, IdeaRow.id == DecisionRow.idea_id)
                 .outerjoin(actor, actor.id == DecisionRow.actor_id)
                 .order_by(DecisionRow.created_at, DecisionRow.id))
        return [DecisionRecord(id=d.id, idea_id=d.idea_id, idea_title=title, actor_id=d.actor_id,
                               actor_name=name or "", from_status=d.from_status, to_status=d.to_status,
                               reason=d.reason, created_at=d.created_at)
                for d, title, name in self._s.execute(query)]
