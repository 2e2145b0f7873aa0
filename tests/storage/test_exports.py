"""Exports checked field by field, on SQLite and PostgreSQL: ideas, decisions, metrics, Practice Bank."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.evidence.service import Evidence
from bot.evidence.tables import DECISION_COLUMNS, IDEA_COLUMNS, PRACTICE_BANK_COLUMNS, Level
from storage.db import make_engine, session_factory
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.test_metrics import MONDAY, add_idea, add_person, decide

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def data(engine: Engine) -> dict[str, int]:
    with session_factory(engine).begin() as s:
        sam = add_person(s, "Sam Taylor", "sam@kent.example")
        kim = add_person(s, "Kim Lee", "kim@durham.example")
        broker = add_person(s, "Bea Broker", "bea@kent.example", "broker")
        named = add_idea(s, force="kent", submitter=sam, submitted_at=MONDAY, theme="serious-violence",
                         stage="being-tried", status="approved-network", title="Knife arch at events",
                         description="We put knife arches at the doors of two festivals.",
                         problem="Knives carried into crowded events.", evidence="No injuries in 2025.",
                         contact="", url="https://example.org/knife-arch")
        decide(s, named, "submitted", "approved-network", MONDAY + timedelta(hours=3), broker, "Good practice")
        anonymous = add_idea(s, force="durham", submitter=kim, submitted_at=MONDAY, status="national-review",
                             title="Quiet room", description="A quiet room for neurodivergent detainees.",
                             problem="Distress in custody.", visibility="anonymous-to-peers",
                             contact="Kim Lee, custody suite")
        anonymous_team = add_idea(s, force="durham", submitter=kim, submitted_at=MONDAY,
                                  status="national-dissemination", title="Custody triage",
                                  visibility="anonymous-to-peers", contact="Custody team, Durham Constabulary")
        no_consent = add_idea(s, force="kent", submitter=sam, submitted_at=MONDAY, status="approved-network",
                              title="Drone checklist", contact_consent=False, contact="Sam, drone unit")
        local_only = add_idea(s, force="kent", submitter=sam, submitted_at=MONDAY, status="approved-local",
                              title="Local rota")
        sensitive = add_idea(s, force="kent", submitter=sam, submitted_at=MONDAY, status="national-testing",
                             title="=HYPERLINK(\"http://evil\")",
                             description="Mr Smith rang 07700 900123 about crime number 12/34567/24.",
                             problem="Repeat calls.", contact="sam@kent.example")
        submitted = add_idea(s, force="kent", submitter=sam, submitted_at=MONDAY, title="Waiting")
    return {"sam": sam, "kim": kim, "broker": broker, "named": named, "anonymous": anonymous,
            "anonymous_team": anonymous_team, "no_consent": no_consent, "local_only": local_only,
            "sensitive": sensitive, "submitted": submitted}


def _export(engine: Engine, what: str, fmt: str, level: Level = Level.ADMIN, language: str | None = None) -> str:
    sessions = session_factory(engine)
    return Evidence(lambda: SqlUnitOfWork(sessions)).export(what, fmt, level=level, language=language)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_ideas_export_field_by_field_at_admin_level(engine: Engine, data: dict[str, int]) -> None:
    text = _export(engine, "ideas", "csv")
    assert text.splitlines()[0] == ",".join(IDEA_COLUMNS)
    rows = {int(r["id"]): r for r in _csv(text)}
    assert set(rows) == {data[k] for k in ("named", "anonymous", "anonymous_team", "no_consent", "local_only",
                                           "sensitive", "submitted")}
    row = rows[data["named"]]
    assert row == {
        "id": str(data["named"]), "title": "Knife arch at events",
        "description": "We put knife arches at the doors of two festivals.",
        "problem": "Knives carried into crowded events.", "evidence": "No injuries in 2025.", "stage": "Being tried",
        "stage_code": "being-tried",
        "theme_slug": "serious-violence", "theme": "Serious violence", "force_slug": "kent", "force": "Kent Police",
        "status": "Approved for the network", "status_code": "approved-network", "source": "chat",
        "visibility": "named", "contact_consent": "true", "contact": "", "url": "https://example.org/knife-arch",
        "submitter_id": str(data["sam"]),
        "submitter_name": "Sam Taylor", "submitter_email": "sam@kent.example",
        "created_at": MONDAY.isoformat(), "submitted_at": MONDAY.isoformat(), "updated_at": MONDAY.isoformat(),
        "sensitivity_flags": "", "shared_as_is": "",
    }
    risky = rows[data["sensitive"]]
    assert risky["title"].startswith("'=HYPERLINK")  # a spreadsheet must not run it as a formula
    assert risky["sensitivity_flags"] == "name;phone;reference"


def test_ideas_export_for_reviewers_has_no_submitter_email(engine: Engine, data: dict[str, int]) -> None:
    for fmt in ("csv", "json"):
        text = _export(engine, "ideas", fmt, Level.REVIEWER)
        assert "@kent.example" not in text and "@durham.example" not in text
    rows = json.loads(_export(engine, "ideas", "json", Level.REVIEWER))
    assert "submitter_email" not in rows[0]
    by_id = {r["id"]: r for r in rows}
    assert by_id[data["sensitive"]]["contact"] == "[email removed]"
    # A file that travels: flagged detail masked, as beyond the force (admins get the text as stored).
    admin = {r["id"]: r for r in json.loads(_export(engine, "ideas", "json"))}[data["sensitive"]]
    masked = by_id[data["sensitive"]]
    assert masked["description"] != admin["description"] and "removed]" in masked["description"]
    assert by_id[data["named"]]["submitter_name"] == "Sam Taylor" and by_id[data["named"]]["contact_consent"] is True


def test_decisions_export(engine: Engine, data: dict[str, int]) -> None:
    rows = _csv(_export(engine, "decisions", "csv"))
    approval = next(r for r in rows if r["idea_id"] == str(data["named"]) and r["to_status_code"] == "approved-network")
    assert approval == {"id": approval["id"], "idea_id": str(data["named"]), "idea_title": "Knife arch at events",
                        "actor_id": str(data["broker"]), "actor_name": "Bea Broker",
                        "from_status": "Submitted — waiting for the broker", "from_status_code": "submitted",
                        "to_status": "Approved for the network", "to_status_code": "approved-network",
                        "reason": "Good practice",
                        "created_at": (MONDAY + timedelta(hours=3)).isoformat()}
    assert list(rows[0]) == list(DECISION_COLUMNS)
    assert len(rows) == 8  # seven submissions and one approval
    assert json.loads(_export(engine, "decisions", "json"))[0].keys() == set(DECISION_COLUMNS)


def test_practice_bank_export(engine: Engine, data: dict[str, int]) -> None:
    rows = {int(r["reference"]): r for r in json.loads(_export(engine, "practice-bank", "json", Level.REVIEWER))}
    # Shared beyond the force only: local approvals and undecided ideas stay out.
    assert set(rows) == {data[k] for k in ("named", "anonymous", "anonymous_team", "no_consent", "sensitive")}
    assert rows[data["named"]] == {
        "reference": data["named"], "title": "Knife arch at events", "aim": "Knives carried into crowded events.",
        "problem": "Knives carried into crowded events.",
        "what_was_done": "We put knife arches at the doors of two festivals.", "stage_of_practice": "Being tried",
        "evidence": "No injuries in 2025.", "force": "Kent Police", "theme": "Serious violence",
        "contact": "Sam Taylor <sam@kent.example>", "url": "https://example.org/knife-arch",
        "status": "approved-network", "sensitivity_flags": "",
    }
    # Anonymous to peers: never the submitter's name, but a team contact is fine.
    assert rows[data["anonymous"]]["contact"] == ""
    assert "Kim" not in json.dumps(rows[data["anonymous"]])
    assert rows[data["anonymous_team"]]["contact"] == "Custody team, Durham Constabulary"
    assert rows[data["no_consent"]]["contact"] == ""
    risky = rows[data["sensitive"]]
    assert risky["what_was_done"] == "[name removed] rang [phone removed] about crime number [reference removed]."
    assert risky["sensitivity_flags"] == "name;phone;reference"
    assert risky["contact"] == "sam@kent.example"  # consent given: the contact the officer chose
    csv_rows = _csv(_export(engine, "practice-bank", "csv"))
    assert list(csv_rows[0]) == list(PRACTICE_BANK_COLUMNS) and len(csv_rows) == 5


def test_metrics_export(engine: Engine, data: dict[str, int]) -> None:
    rows = _csv(_export(engine, "metrics", "csv"))
    totals = {r["measure"]: r["value"] for r in rows if r["breakdown"] == "all"}
    assert totals["ideas_submitted"] == "7" and totals["ideas_approved_network"] == "1"
    assert json.loads(_export(engine, "metrics", "json"))["totals"]["submitted"] == 7


@pytest.mark.parametrize("what", ["ideas", "decisions", "practice-bank"])
def test_empty_database_gives_headers_only_or_an_empty_list(engine: Engine, what: str) -> None:
    text = _export(engine, what, "csv")
    assert len(text.splitlines()) == 1 and text.startswith(("id,", "reference,"))
    assert json.loads(_export(engine, what, "json")) == []


def test_unknown_export_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown export"):
        _export(engine, "people", "csv")
    with pytest.raises(ValueError, match="unknown format"):
        _export(engine, "ideas", "xlsx")


@pytest.mark.parametrize(("language", "first", "title"), [("cy", "Rhif", "Teitl"), ("en", "ID", "Title")])
def test_headings_in_a_language_leave_the_rows_and_json_keys_alone(engine: Engine, data: dict[str, int],
                                                                    language: str, first: str, title: str) -> None:
    worded = list(csv.reader(io.StringIO(_export(engine, "ideas", "csv", language=language))))
    coded = list(csv.reader(io.StringIO(_export(engine, "ideas", "csv"))))
    assert worded[0][:2] == [first, title] and len(worded[0]) == len(IDEA_COLUMNS) == len(set(worded[0]))
    assert worded[1:] == coded[1:]
    assert coded[0] == list(IDEA_COLUMNS)
    metrics = list(csv.reader(io.StringIO(_export(engine, "metrics", "csv", language=language))))
    assert metrics[0][2] == ("Mesur" if language == "cy" else "Measure") and metrics[1][2] == "ideas_submitted"
    assert json.loads(_export(engine, "decisions", "json"))[0].keys() == set(DECISION_COLUMNS)


# --- the command line -----------------------------------------------------------------------------

def _cli(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))}
    environment.update({"DATABASE_URL": db, "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-m", "adapters.cli", "export", *args], capture_output=True, text=True,
                          timeout=120, env=environment, cwd=ROOT)


def test_cli_export_of_an_empty_database(sqlite_url: str) -> None:
    csv_out = _cli("--what", "ideas", db=sqlite_url)
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines() == [",".join(IDEA_COLUMNS)]
    json_out = _cli("--what", "practice-bank", "--format", "json", db=sqlite_url)
    assert json_out.returncode == 0 and json.loads(json_out.stdout) == []


def test_cli_export_to_a_file(database_url: str, data: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "bank.csv"
    result = _cli("--what", "practice-bank", "--format", "csv", "--out", str(target), db=database_url)
    assert result.returncode == 0, result.stderr
    rows = _csv(target.read_text(encoding="utf-8"))
    assert {r["title"] for r in rows} >= {"Knife arch at events", "Quiet room"}
    assert result.stdout == ""


def test_cli_export_before_migrate_says_what_to_do(tmp_path: Path) -> None:
    result = _cli("--what", "decisions", db=f"sqlite:///{tmp_path}/fresh.sqlite3")
    assert result.returncode == 2
    assert "run `innovation-bot migrate` first" in result.stderr and "Traceback" not in result.stderr
