"""Two server processes (two containers on one database) see each other's catalogue changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from storage.models import IdeaRow
from tests.conftest import make_container

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_changes_in_one_process_reach_the_other(database_url: str, tmp_path: Path) -> None:
    one, two = make_container(database_url), make_container(database_url)
    path = tmp_path / "p.csv"
    path.write_text("title,description,force\nANPR cameras at retail parks,Number plate readers catch "
                    "travelling shoplifters,kent\n", encoding="utf-8")
    report = one.practice_import.run(str(path), path.read_bytes(), NOW)
    [idea_id] = report.idea_ids
    assert idea_id not in two.matcher
    two.catalogue.refresh()
    assert idea_id in two.matcher
    assert two.matcher.search("number plate cameras shoplifters")[0].entry.idea_id == idea_id
    with one.sessions.begin() as session:
        row = session.scalars(select(IdeaRow).where(IdeaRow.id == idea_id)).one()
        row.status, row.updated_at = "withdrawn", datetime.now(UTC)
    two.catalogue.refresh()
    assert idea_id not in two.matcher
    assert two.catalogue.refresh() >= 0  # idempotent
    one.engine.dispose()
    two.engine.dispose()
