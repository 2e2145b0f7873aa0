"""What a roundup period holds, read for ``bot.roundups.period``: approved ideas, approvals for the chart,
ideas waiting for a decision, and connections made. Queries only; what to show is the roundup's rule."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import Status
from bot.roundups.chart import Approval
from bot.roundups.ports import ApprovedRecord, WaitingRecord
from storage.catalogue import CATALOGUE_STATUSES
from storage.metrics import SqlMetricsQueries
from storage.models import DecisionRow, ForceRow, IdeaRow, PersonRow, ThemeRow


class SqlRoundupPeriod:
    def __init__(self, session: Session) -> None:
        self._s = session

    def approved(self, start: datetime, end: datetime) -> list[ApprovedRecord]:
        approvals = (select(DecisionRow.idea_id, func.max(DecisionRow.created_at).label("approved_at"))
                     .where(DecisionRow.to_status == Status.APPROVED_NETWORK.value,
                            DecisionRow.created_at >= start, DecisionRow.created_at < end)
                     .group_by(DecisionRow.idea_id).subquery())
        rows = self._s.execute(
            select(IdeaRow.id, IdeaRow.title, IdeaRow.description, IdeaRow.force_slug, ForceRow.name,
                   IdeaRow.theme_slug, ThemeRow.name, IdeaRow.stage, IdeaRow.visibility, IdeaRow.contact_consent,
                   PersonRow.display_name, approvals.c.approved_at, IdeaRow.shared_as_is)
            .join(approvals, approvals.c.idea_id == IdeaRow.id)
            .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
            .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
            .outerjoin(PersonRow, PersonRow.id == IdeaRow.submitter_id)
            .where(IdeaRow.status.in_(CATALOGUE_STATUSES))
            .order_by(approvals.c.approved_at, IdeaRow.id)).all()
        return [ApprovedRecord(idea_id, title, description, force_slug, force_name, theme_slug, theme_name, stage,
                               visibility, bool(consent), person_name, approved_at, shared_as_is)
                for (idea_id, title, description, force_slug, force_name, theme_slug, theme_name, stage, visibility,
                     consent, person_name, approved_at, shared_as_is) in rows]

    def approvals(self, start: datetime, end: datetime) -> list[Approval]:
        rows = self._s.execute(
            select(DecisionRow.created_at, IdeaRow.id, IdeaRow.force_slug, ForceRow.name, IdeaRow.theme_slug,
                   ThemeRow.name)
            .join(IdeaRow, IdeaRow.id == DecisionRow.idea_id)
            .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
            .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
            .where(DecisionRow.to_status == Status.APPROVED_NETWORK.value, DecisionRow.created_at >= start,
                   DecisionRow.created_at < end, IdeaRow.status.in_(CATALOGUE_STATUSES))
            .order_by(DecisionRow.created_at, IdeaRow.id)).all()
        return [Approval(at, idea_id, force, force_name, theme, theme_name)
                for at, idea_id, force, force_name, theme, theme_name in rows]

    def waiting(self, scope_kind: str, slug: str, limit: int = 200) -> list[WaitingRecord]:
        query = (select(IdeaRow.id, IdeaRow.title, ForceRow.name, IdeaRow.submitted_at, IdeaRow.created_at)
                 .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
                 .where(IdeaRow.status == Status.SUBMITTED.value)
                 .order_by(IdeaRow.submitted_at, IdeaRow.id).limit(limit))
        if scope_kind == "force":
            query = query.where(IdeaRow.force_slug == slug)
        elif scope_kind == "theme":
            query = query.where(IdeaRow.theme_slug == slug)
        return [WaitingRecord(i, title, force, submitted or created)
                for i, title, force, submitted, created in self._s.execute(query).all()]

    def connections_made(self, since: datetime, until: datetime) -> int:
        # The metrics' one rule of what a connection "made" is (bot.metrics.rules), for the roundup too.
        return SqlMetricsQueries(self._s).connections_made(since, until)
