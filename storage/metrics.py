"""Reads for the evaluation figures (``bot.metrics.MetricsQueries``): plain selects, no counting rules.

The rules (which sources count, which statuses make a connection) come from ``bot.metrics.rules``; the
arithmetic happens in ``bot.metrics.figures``, so the figures are identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.metrics.ports import DecisionFact, IdeaFact
from bot.metrics.rules import CONNECTION_MADE_STATUSES
from storage.models import ConnectionRow, DecisionRow, DuplicateFlagRow, ForceRow, IdeaRow, ThemeRow


class SqlMetricsQueries:
    def __init__(self, session: Session) -> None:
        self._s = session

    def force_names(self) -> Mapping[str, str]:
        return {slug: name for slug, name in self._s.execute(select(ForceRow.slug, ForceRow.name))}

    def theme_names(self) -> Mapping[str, str]:
        return {slug: name for slug, name in self._s.execute(select(ThemeRow.slug, ThemeRow.name))}

    def ideas(self, *, excluding_sources: Collection[str]) -> Sequence[IdeaFact]:
        rows = self._s.execute(
            select(IdeaRow.id, IdeaRow.force_slug, IdeaRow.theme_slug, IdeaRow.stage, IdeaRow.submitter_id,
                   IdeaRow.submitted_at).where(IdeaRow.source.not_in(list(excluding_sources)))).all()
        return [IdeaFact(*row) for row in rows]

    def decisions(self, *, excluding_sources: Collection[str]) -> Sequence[DecisionFact]:
        idea_ids = select(IdeaRow.id).where(IdeaRow.source.not_in(list(excluding_sources)))
        rows = self._s.execute(
            select(DecisionRow.idea_id, DecisionRow.to_status, DecisionRow.created_at)
            .where(DecisionRow.idea_id.in_(idea_ids))
            .order_by(DecisionRow.created_at, DecisionRow.id)).all()
        return [DecisionFact(*row) for row in rows]

    def connections_asked(self, since: datetime | None, until: datetime | None) -> int:
        return self._count(select(func.count()).select_from(ConnectionRow), ConnectionRow.created_at, since, until)

    def connections_made(self, since: datetime | None, until: datetime | None) -> int:
        query = select(func.count()).select_from(ConnectionRow).where(
            ConnectionRow.status.in_(CONNECTION_MADE_STATUSES), ConnectionRow.decided_at.is_not(None))
        return self._count(query, ConnectionRow.decided_at, since, until)

    def duplicates_flagged(self, since: datetime | None, until: datetime | None) -> int:
        return self._count(select(func.count()).select_from(DuplicateFlagRow), DuplicateFlagRow.created_at,
                           since, until)

    def _count(self, query: Select[Any], column: Any, since: datetime | None, until: datetime | None) -> int:
        if since is not None:
            query = query.where(column >= since)
        if until is not None:
            query = query.where(column < until)
        return int(self._s.scalar(query) or 0)
