"""Catalogue import on both databases: validation with line numbers, all or nothing, idempotent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.practice_import.files import ImportFileError
from bot.practice_import.service import ImportReport, PracticeImport
from storage.db import make_engine, session_factory
from storage.models import DecisionRow, IdeaRow
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HEADER = "title,description,problem,force,stage,contact,url,theme\n"
GOOD = (
    'Drone searches for missing people,"Thermal drones search woodland at night, finding people faster.",'
    'Slow foot searches,lancashire,being-tried,Air support unit,https://example.org/drones,digital-technology\n'
    "Domestic abuse early help cards,Cards with local support numbers left after DA call-outs.,"
    "Victims not knowing where to turn,West Yorkshire Police,evaluated locally,,,victims-domestic-abuse\n"
)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return make_engine(database_url)


def run(engine: Engine, path: Path, skip_bad: bool = False) -> ImportReport:
    sessions = session_factory(engine)
    return PracticeImport(lambda: SqlUnitOfWork(sessions)).run(str(path), path.read_bytes(), NOW, skip_bad=skip_bad)


def count(engine: Engine, model: type = IdeaRow) -> int:
    with session_factory(engine)() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_good_file_then_reimport_updates_rather_than_duplicates(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "practice.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    first = run(engine, path)
    assert (first.added, first.updated, first.unchanged, first.errors) == (2, 0, 0, [])
    again = run(engine, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    path.write_text(HEADER + GOOD.replace("Slow foot searches", "Foot searches took whole shifts"), encoding="utf-8")
    changed = run(engine, path)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    assert count(engine) == 2 and count(engine, DecisionRow) == 2
    with session_factory(engine)() as s:
        drone = s.scalars(select(IdeaRow).where(IdeaRow.force_slug == "lancashire")).one()
        da = s.scalars(select(IdeaRow).where(IdeaRow.force_slug == "west-yorkshire")).one()
    assert (drone.problem, drone.stage, drone.status, drone.source, drone.version) == (
        "Foot searches took whole shifts", "being-tried", "approved-network", "import", 2)
    assert (da.stage, da.theme_slug, da.contact, da.url) == ("evaluated-locally", "victims-domestic-abuse", "", "")


BAD_ROWS = [
    (",No title here,,kent,,,,\n", "line 4: title is empty"),
    ("T,D,,atlantis,,,,\n", "line 4: unknown force 'atlantis'"),
    ("T,D,,kent,finished,,,\n", "line 4: unknown stage 'finished'"),
    ("T,D,,kent,,,,astrology\n", "line 4: unknown theme 'astrology'"),
    ("T,D,,kent,,,javascript:alert(1),\n", "line 4: url must start with http:// or https://"),
    ("Drone searches for missing people,again,,lancashire,,,,\n", "line 4: duplicate of line 2"),
    ("T," + "d" * 20_001 + ",,kent,,,,\n", "line 4: description is longer than 20000 characters"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_each_bad_row_is_reported_and_nothing_is_written(engine: Engine, tmp_path: Path, row: str,
                                                         message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + GOOD + row, encoding="utf-8")
    report = run(engine, path)
    assert str(report.errors[0]).startswith(message)
    assert count(engine) == 0


def test_skip_bad_imports_the_good_rows(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + GOOD + BAD_ROWS[1][0] + BAD_ROWS[2][0].replace("T,", "T2,"), encoding="utf-8")
    report = run(engine, path, skip_bad=True)
    assert report.added == 2 and [e.line for e in report.errors] == [4, 5]
    assert count(engine) == 2


def test_json_file(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "practice.json"
    path.write_text(json.dumps([{"title": "Cyber choices referrals", "description": "Diverting young people.",
                                 "force": "north-wales", "theme": "cybercrime"},
                                {"title": "", "description": "x", "force": "kent"}]), encoding="utf-8")
    report = run(engine, path, skip_bad=True)
    assert report.added == 1 and [str(e) for e in report.errors] == ["line 2: title is empty"]


@pytest.mark.parametrize(("content", "message"), [
    (HEADER.encode() + "Caf\xe9 outreach,Tea and chat,,kent,,,,\n".encode("latin-1"),
     "not UTF-8 text (first bad byte on line 2)"),
    (b"title,force\nT,kent\n", "missing columns: description"),
    (b"", "the file is empty"),
    (b'[{"title": "x",', "not valid JSON"),
])
def test_unreadable_files_are_refused_with_one_line(engine: Engine, tmp_path: Path, content: bytes,
                                                    message: str) -> None:
    path = tmp_path / ("f.json" if content.startswith(b"[") else "f.csv")
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as exc:
        run(engine, path)
    assert message in str(exc.value)
    assert count(engine) == 0
