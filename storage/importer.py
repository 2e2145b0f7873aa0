"""Reads a CSV or JSON file of existing practice and upserts it into the catalogue in one transaction."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import Status
from bot.importing import ImportRow, RowError, RowValidator, missing_columns
from storage.models import DecisionRow, IdeaRow
from storage.repositories import SqlReference


class ImportFileError(Exception):
    """The file as a whole cannot be read: one line saying why."""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs; CSV line numbers count the header as line 1, JSON ones are item numbers."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"{path}: not UTF-8 text (first bad byte on line {line}); save it as UTF-8 CSV") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(items, list):
            raise ImportFileError(f"{path}: JSON must be a list of objects")
        keys = {k for item in items if isinstance(item, dict) for k in item}
        if items and (missing := missing_columns(sorted(keys))):
            raise ImportFileError(f"{path}: missing columns: {', '.join(missing)}")
        for number, item in enumerate(items, start=1):
            yield number, item if isinstance(item, dict) else {"title": "", "description": "", "force": ""}
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise ImportFileError(f"{path}: the file is empty")
    if missing := missing_columns(reader.fieldnames):
        raise ImportFileError(f"{path}: missing columns: {', '.join(missing)} "
                              "(expected title, description, problem, force, stage, contact, url, theme)")
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if k is not None}


def import_file(session: Session, path: Path, at: datetime, *, skip_bad: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportReport:
    """Validate every row, then upsert. Without ``skip_bad`` any bad row means nothing is written."""
    reference = SqlReference(session)
    validator = RowValidator(reference.forces(), reference.themes())
    report = ImportReport()
    good: list[ImportRow] = []
    for count, (line, raw) in enumerate(read_rows(path), start=1):
        checked = validator.check(raw, line)
        if isinstance(checked, RowError):
            report.errors.append(checked)
        else:
            good.append(checked)
        if progress is not None and count % 1000 == 0:
            progress(count)
    if report.errors and not skip_bad:
        return report
    existing = {row.import_key: row for row in session.scalars(
        select(IdeaRow).where(IdeaRow.import_key.in_([r.key for r in good]))).all()} if len(good) < 30_000 else \
        {row.import_key: row for row in session.scalars(select(IdeaRow).where(IdeaRow.import_key.is_not(None))).all()}
    for row in good:
        idea = existing.get(row.key)
        values = {"title": row.title, "description": row.description, "problem": row.problem, "stage": row.stage,
                  "theme_slug": row.theme, "force_slug": row.force, "contact": row.contact, "url": row.url}
        if idea is None:
            idea = IdeaRow(**values, status=Status.APPROVED_NETWORK.value, source="import", import_key=row.key,
                           visibility="named", created_at=at, submitted_at=at, updated_at=at)
            session.add(idea)
            session.flush()
            session.add(DecisionRow(idea_id=idea.id, actor_id=None, from_status=Status.DRAFT.value,
                                    to_status=Status.APPROVED_NETWORK.value, reason=f"imported from {path.name}",
                                    created_at=at))
            report.added += 1
        elif any(getattr(idea, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(idea, k, v)
            idea.updated_at, idea.version = at, idea.version + 1
            report.updated += 1
        else:
            report.unchanged += 1
        report.idea_ids.append(idea.id)
    session.flush()
    return report
