"""Importing existing practice into the catalogue (``innovation-bot import``): validate every row, then
add or update in one transaction. Without ``skip_bad`` any bad row means nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from bot.domain import Status
from bot.ports import UnitOfWork
from bot.practice_import.files import read_rows
from bot.practice_import.ports import PracticeValues
from bot.practice_import.rows import ImportRow, RowError, RowValidator

# Imported practice is already shared nationally: it goes straight into the catalogue.
IMPORTED_STATUS = Status.APPROVED_NETWORK.value


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)


def _values(row: ImportRow) -> PracticeValues:
    return PracticeValues(title=row.title, description=row.description, problem=row.problem, stage=row.stage,
                          theme_slug=row.theme, force_slug=row.force, contact=row.contact, url=row.url)


class PracticeImport:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def run(self, name: str, raw: bytes, at: datetime, *, skip_bad: bool = False,
            progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import the file's rows; ``name`` names the file in messages (``ImportFileError`` when unreadable)."""
        report = ImportReport()
        with self._uow() as uow:
            validator = RowValidator(uow.reference.forces(), uow.reference.themes())
            good: list[ImportRow] = []
            for count, (line, raw_row) in enumerate(read_rows(name, raw), start=1):
                checked = validator.check(raw_row, line)
                if isinstance(checked, RowError):
                    report.errors.append(checked)
                else:
                    good.append(checked)
                if progress is not None and count % 1000 == 0:
                    progress(count)
            if report.errors and not skip_bad:
                return report
            existing = uow.imported_practice.find([r.key for r in good])
            reason = f"imported from {PurePath(name).name}"
            for row in good:
                values = _values(row)
                found = existing.get(row.key)
                if found is None:
                    idea_id = uow.imported_practice.add(row.key, values, status=IMPORTED_STATUS, at=at, reason=reason)
                    report.added += 1
                elif found[1] != values:
                    idea_id = found[0]
                    uow.imported_practice.update(idea_id, values, at)
                    report.updated += 1
                else:
                    idea_id = found[0]
                    report.unchanged += 1
                report.idea_ids.append(idea_id)
            uow.commit()
        return report
