"""Evaluation metrics from the database, on SQLite and PostgreSQL, from rows inserted with known times."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from storage.db import make_engine, session_factory
from storage.metrics import (
    Metrics,
    Period,
    compute_metrics,
    iso_week,
    metrics_csv,
    metrics_json,
    percentile,
)
from storage.models import ConnectionRow, DecisionRow, DuplicateFlagRow, IdeaRow, PersonRow, RoleRow

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # ISO week 2026-W45
PERIOD = Period(MONDAY - timedelta(hours=9), MONDAY - timedelta(hours=9) + timedelta(weeks=2))  # W45 and W46


# --- builders shared with the export and dashboard tests ------------------------------------------

def add_person(session: Session, name: str, email: str = "", *roles: str, platform: str = "slack") -> int:
    row = PersonRow(platform=platform, tenant="T1", user_id=name.replace(" ", "-").lower(), display_name=name,
                    email=email, created_at=MONDAY - timedelta(days=60))
    session.add(row)
    session.flush()
    for role in roles:
        session.add(RoleRow(person_id=row.id, role=role, force_slug=None))
    session.flush()
    return row.id


def add_idea(session: Session, *, force: str, submitter: int | None, submitted_at: datetime | None,
             stage: str = "idea", theme: str | None = None, status: str = "submitted", source: str = "chat",
             title: str = "An idea", **fields: object) -> int:
    created = submitted_at or MONDAY
    row = IdeaRow(title=title, description=str(fields.pop("description", "What we did.")), stage=stage,
                  theme_slug=theme, force_slug=force, submitter_id=submitter, status=status, source=source,
                  created_at=created, submitted_at=submitted_at, updated_at=created, **fields)
    session.add(row)
    session.flush()
    if submitted_at is not None and source == "chat":
        decide(session, row.id, "draft", "submitted", submitted_at, submitter)
    return row.id


def decide(session: Session, idea_id: int, from_status: str, to_status: str, at: datetime,
           actor: int | None = None, reason: str = "") -> None:
    session.add(DecisionRow(idea_id=idea_id, actor_id=actor, from_status=from_status, to_status=to_status,
                            reason=reason, created_at=at))
    session.flush()


def build_network(session: Session) -> dict[str, int]:
    """Four ideas in W45-W46, one submitted earlier but decided in W45, and a demo entry (never counted)."""
    sam = add_person(session, "Sam Taylor", "sam@kent.example")
    alex = add_person(session, "Alex Morgan", "alex@kent.example")
    jo = add_person(session, "Jo Evans", "jo@durham.example")
    broker = add_person(session, "Bea Broker", "bea@kent.example", "broker")
    h = timedelta(hours=1)

    one = add_idea(session, force="kent", submitter=sam, submitted_at=MONDAY, theme="serious-violence",
                   title="Knife arch at events", status="national-testing")
    decide(session, one, "submitted", "needs-info", MONDAY + 2 * h, broker, "Which events?")
    decide(session, one, "needs-info", "submitted", MONDAY + 5 * h, sam)
    decide(session, one, "submitted", "approved-network", MONDAY + 10 * h, broker)
    decide(session, one, "approved-network", "national-review", MONDAY + 24 * h, broker)
    decide(session, one, "national-review", "national-testing", MONDAY + 72 * h, broker)

    two = add_idea(session, force="kent", submitter=alex, submitted_at=MONDAY + 25 * h, stage="being-tried",
                   status="declined")
    decide(session, two, "submitted", "declined", MONDAY + 29 * h, broker, "Already national policy")

    three = add_idea(session, force="durham", submitter=jo, submitted_at=MONDAY + timedelta(days=8, hours=3),
                     stage="evaluated-locally", theme="homicide", status="approved-local")
    decide(session, three, "submitted", "approved-local", MONDAY + timedelta(days=8, hours=23), broker)

    four = add_idea(session, force="durham", submitter=sam, submitted_at=MONDAY + timedelta(days=9))

    early = add_idea(session, force="kent", submitter=alex, submitted_at=MONDAY - timedelta(days=13),
                     status="approved-local")
    decide(session, early, "submitted", "approved-local", MONDAY + 24 * h, broker)

    demo = add_idea(session, force="kent", submitter=None, submitted_at=MONDAY, source="demo",
                    status="approved-network")
    decide(session, demo, "draft", "approved-network", MONDAY, None, "demo catalogue")
    return {"sam": sam, "alex": alex, "jo": jo, "broker": broker, "one": one, "two": two, "three": three,
            "four": four, "early": early, "demo": demo}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def network(engine: Engine) -> dict[str, int]:
    with session_factory(engine).begin() as session:
        return build_network(session)


def _metrics(engine: Engine, period: Period | None = PERIOD) -> Metrics:
    with session_factory(engine)() as session:
        return compute_metrics(session, period, now=MONDAY + timedelta(days=20))


# --- tests ----------------------------------------------------------------------------------------

def test_counts_by_force_theme_stage_and_week(engine: Engine, network: dict[str, int]) -> None:
    m = _metrics(engine)
    t = m.totals
    assert (t.submitted, t.approved_local, t.approved_network, t.declined, t.approved) == (4, 2, 1, 1, 3)
    by_force = {c.key: (c.label, c.submitted, c.approved_local, c.approved_network, c.declined) for c in m.by_force}
    assert by_force == {"kent": ("Kent Police", 2, 1, 1, 1), "durham": ("Durham Constabulary", 2, 1, 0, 0)}
    by_theme = {c.key: (c.label, c.submitted, c.approved_local, c.approved_network, c.declined) for c in m.by_theme}
    assert by_theme == {"serious-violence": ("Serious violence", 1, 0, 1, 0), "homicide": ("Homicide", 1, 1, 0, 0),
                        "": ("No theme", 2, 1, 0, 1)}
    assert [(c.key, c.submitted, c.approved_local, c.approved_network, c.declined) for c in m.by_stage] == [
        ("idea", 2, 1, 1, 0), ("being-tried", 1, 0, 0, 1), ("evaluated-locally", 1, 1, 0, 0)]
    assert [(c.key, c.submitted, c.approved_local, c.approved_network, c.declined) for c in m.by_week] == [
        ("2026-W45", 2, 1, 1, 1), ("2026-W46", 2, 1, 0, 0)]


def test_time_to_first_decision_loops_escalations_and_submitters(engine: Engine, network: dict[str, int]) -> None:
    m = _metrics(engine)
    # Waits of 2 h (needs-info counts as the first decision), 4 h and 20 h; one idea still waiting.
    assert (m.decided, m.awaiting_decision) == (3, 1)
    assert m.median_hours_to_decision == pytest.approx(4.0)
    assert m.p90_hours_to_decision == pytest.approx(16.8)
    assert m.needs_info_loops == 1
    assert m.national_escalations == 2
    assert m.active_submitters == 3


def test_all_time_includes_the_earlier_idea_and_never_the_demo_entry(engine: Engine, network: dict[str, int]) -> None:
    m = _metrics(engine, None)
    assert m.totals.submitted == 5 and m.totals.approved_network == 1
    assert m.decided == 4 and m.median_hours_to_decision == pytest.approx(12.0)  # waits 2, 4, 20, 336
    assert [c.key for c in m.by_week] == ["2026-W43", "2026-W45", "2026-W46"]


def test_period_is_half_open(engine: Engine, network: dict[str, int]) -> None:
    # Ends exactly at idea two's submission: it is not in, idea one is.
    m = _metrics(engine, Period(MONDAY, MONDAY + timedelta(hours=25)))
    assert m.totals.submitted == 1 and m.totals.declined == 0
    assert m.national_escalations == 1  # national-review on day 1 is in; national-testing on day 3 is not


def test_missing_tables_give_zero_with_a_note(engine: Engine, network: dict[str, int]) -> None:
    # A database from before the connections feature: the figures say so instead of failing.
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE connections"))
        conn.execute(text("DROP TABLE duplicate_flags"))
    m = _metrics(engine)
    assert (m.connections_asked, m.connections_made, m.duplicates_flagged) == (0, 0, 0)
    assert "no table" in m.notes["connections_asked"] and "no table" in m.notes["duplicates_flagged"]


def test_connections_and_duplicates_are_counted(engine: Engine, network: dict[str, int]) -> None:
    inside, outside = MONDAY + timedelta(days=1), MONDAY + timedelta(days=40)
    with session_factory(engine).begin() as session:
        def connect(asker: str, idea: str, status: str, created: datetime, decided: datetime | None) -> None:
            session.add(ConnectionRow(asker_id=network[asker], idea_id=network[idea], status=status,
                                      created_at=created, decided_at=decided))

        connect("jo", "one", "asked", inside, None)
        connect("alex", "one", "accepted", inside, inside + timedelta(hours=2))
        connect("sam", "three", "shared", inside, inside)
        connect("jo", "two", "declined", inside, inside)
        connect("sam", "early", "accepted", inside, outside)  # asked in the period, made after it
        connect("jo", "early", "accepted", outside, outside)
        for when in (datetime(2026, 11, 3, 10, tzinfo=UTC), datetime(2026, 11, 4, 10, tzinfo=UTC),
                     datetime(2027, 1, 4, 10, tzinfo=UTC)):
            session.add(DuplicateFlagRow(idea_id=network["two"], similar_idea_id=network["one"], score=70.0,
                                         created_at=when))
    m = _metrics(engine)
    assert (m.connections_asked, m.connections_made, m.duplicates_flagged) == (5, 2, 2)
    assert not m.notes


def test_empty_database(engine: Engine) -> None:
    m = _metrics(engine, None)
    assert m.totals.submitted == 0 and m.by_force == () and m.by_week == ()
    assert m.median_hours_to_decision is None and m.p90_hours_to_decision is None
    rows = list(csv.DictReader(io.StringIO(metrics_csv(m))))
    assert {r["measure"]: r["value"] for r in rows if r["breakdown"] == "all"}["ideas_submitted"] == "0"
    assert {r["measure"]: r["value"] for r in rows}["median_hours_to_first_decision"] == ""
    assert metrics_json(m)["by_force"] == []


def test_csv_is_long_form_with_a_row_per_measure_and_group(engine: Engine, network: dict[str, int]) -> None:
    text = metrics_csv(_metrics(engine))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "period_start,period_end,measure,breakdown,key,label,value,note"
    index = {(r["measure"], r["breakdown"], r["key"]): r for r in rows}
    assert index[("ideas_submitted", "force", "kent")]["value"] == "2"
    assert index[("ideas_submitted", "force", "kent")]["label"] == "Kent Police"
    assert index[("ideas_declined", "week", "2026-W45")]["value"] == "1"
    assert index[("p90_hours_to_first_decision", "all", "")]["value"] == "16.8"
    assert index[("connections_made", "all", "")]["value"] == "0"
    assert (index[("duplicates_flagged", "all", "")]["value"], index[("duplicates_flagged", "all", "")]["note"]) == (
        "0", "")
    assert all(r["period_start"] == PERIOD.start.isoformat() for r in rows)  # type: ignore[union-attr]
    data = metrics_json(_metrics(engine))
    assert data["totals"]["submitted"] == 4 and data["median_hours_to_first_decision"] == 4.0


def test_percentile_and_iso_week() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 0.0, 5.0], 0.9) == pytest.approx(9.0)
    # Sunday 23:30 UTC in summer is already Monday in London: the week follows the configured zone.
    late_sunday = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    assert iso_week(late_sunday) == "2026-W23" and iso_week(late_sunday, ZoneInfo("Europe/London")) == "2026-W24"
