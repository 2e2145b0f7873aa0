"""Catalogue entries imported from files of existing practice (``bot.practice_import.ports.ImportedPractice``).

Which rows are good, and whether an entry changed, is decided in ``bot/practice_import``; this stores.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import Status
from bot.practice_import.ports import PracticeValues
from storage.models import DecisionRow, IdeaRow

# Past this many keys one query for every imported entry beats a long IN list (and its parameter limits).
_MANY_KEYS = 30_000


def _values(row: IdeaRow) -> PracticeValues:
    return PracticeValues(title=row.title, description=row.description, problem=row.problem, stage=row.stage,
                          theme_slug=row.theme_slug, force_slug=row.force_slug, contact=row.contact, url=row.url)


class SqlImportedPractice:
    def __init__(self, session: Session) -> None:
        self._s = session

    def find(self, keys: Collection[str]) -> Mapping[str, tuple[int, PracticeValues]]:
        wanted = set(keys)
        query = select(IdeaRow).where(IdeaRow.import_key.in_(list(wanted)) if len(wanted) < _MANY_KEYS
                                      else IdeaRow.import_key.is_not(None))
        return {row.import_key: (row.id, _values(row)) for row in self._s.scalars(query)
                if row.import_key is not None and row.import_key in wanted}

    def add(self, key: str, values: PracticeValues, *, status: str, at: datetime, reason: str) -> int:
        idea = IdeaRow(**asdict(values), status=status, source="import", import_key=key, visibility="named",
                       created_at=at, submitted_at=at, updated_at=at)
        self._s.add(idea)
        self._s.flush()
        self._s.add(DecisionRow(idea_id=idea.id, actor_id=None, from_status=Status.DRAFT.value, to_status=status,
                                reason=reason, created_at=at))
        return idea.id

    def update(self, idea_id: int, values: PracticeValues, at: datetime) -> None:
        idea = self._s.get(IdeaRow, idea_id)
        if idea is None:
            return
        for name, value in asdict(values).items():
            setattr(idea, name, value)
        idea.updated_at, idea.version = at, idea.version + 1
