"""The network's evaluation figures, computed from the bot's own records (see docs/evidence.md).

Rows are read with plain SQLAlchemy selects and the arithmetic (weeks, medians, percentiles) happens in
Python, so the figures are identical on SQLite and PostgreSQL. The volumes are small (thousands of ideas,
not millions), so reading the ideas and decisions once is cheaper than keeping two SQL dialects in step.

Counting rules, in short:

* **submitted** — ideas whose submission time falls in the period (imported and demo entries excluded);
* **approved-local / approved-network / declined** — ideas that reached that status in the period (the
  decision's time), at most once per idea and outcome, grouped by the idea's force, theme and stage and
  by the ISO week of the decision;
* **time to first decision** — for ideas submitted in the period, hours from submission to the first
  later decision whose new status is not ``submitted`` (nor ``draft`` / ``withdrawn``, which are the
  officer's own moves, not a broker's);
* **needs-info loops** and **national escalations** — transitions in the period.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import MetaData, Table, func, inspect, select
from sqlalchemy.orm import Session

from bot.domain import Stage, Status
from storage.models import DecisionRow, ForceRow, IdeaRow, ThemeRow

# Sources that are not officers sharing through the bot: they never count as submissions.
NOT_SUBMISSIONS = ("import", "demo")
OUTCOMES = (Status.APPROVED_LOCAL.value, Status.APPROVED_NETWORK.value, Status.DECLINED.value)
ESCALATIONS = (Status.NATIONAL_REVIEW.value, Status.NATIONAL_TESTING.value)
# Moves that are not a broker deciding: the officer resubmitting, withdrawing, or a draft reappearing.
NOT_A_DECISION = (Status.SUBMITTED.value, Status.DRAFT.value, Status.WITHDRAWN.value)
CONNECTIONS_TABLE = "connections"
# A connection is made once the contact accepted, or their published contact was shared at once — the
# same rule as the roundups' figure (storage.roundups.CONNECTIONS_MADE; a test keeps the two in step).
CONNECTIONS_MADE = ("accepted", "shared")
DUPLICATES_TABLES = ("duplicate_flags", "duplicates")


@dataclass(frozen=True)
class Period:
    """Half-open: ``start <= t < end``; None on either side means unbounded."""

    start: datetime | None = None
    end: datetime | None = None

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, datetime):
            return False
        return (self.start is None or moment >= self.start) and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class Counts:
    """Ideas submitted and decided, for one group (a force, a theme, a stage, a week, or all)."""

    key: str
    label: str
    submitted: int = 0
    approved_local: int = 0
    approved_network: int = 0
    declined: int = 0

    @property
    def approved(self) -> int:
        return self.approved_local + self.approved_network


@dataclass(frozen=True)
class Metrics:
    period: Period
    generated_at: datetime
    totals: Counts
    by_force: tuple[Counts, ...]
    by_theme: tuple[Counts, ...]
    by_stage: tuple[Counts, ...]
    by_week: tuple[Counts, ...]
    decided: int  # ideas submitted in the period that have had a first decision
    awaiting_decision: int  # ... and those still waiting for one
    median_hours_to_decision: float | None
    p90_hours_to_decision: float | None
    needs_info_loops: int
    national_escalations: int
    active_submitters: int
    connections_asked: int
    connections_made: int
    duplicates_flagged: int
    notes: dict[str, str] = field(default_factory=dict)  # measure -> why it is 0 or partial


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def iso_week(moment: datetime, tz: tzinfo = UTC) -> str:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


class _Tally:
    def __init__(self) -> None:
        self.submitted: dict[str, int] = defaultdict(int)
        self.outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def counts(self, key: str, label: str) -> Counts:
        o = self.outcomes[key]
        return Counts(key, label, self.submitted[key], o[Status.APPROVED_LOCAL.value],
                      o[Status.APPROVED_NETWORK.value], o[Status.DECLINED.value])

    def groups(self) -> set[str]:
        return set(self.submitted) | {k for k, v in self.outcomes.items() if any(v.values())}


def compute_metrics(session: Session, period: Period | None = None, *, tz: tzinfo = UTC,
                    now: datetime | None = None) -> Metrics:
    period = period or Period()
    now = now or datetime.now(UTC)
    forces = {slug: name for slug, name in session.execute(select(ForceRow.slug, ForceRow.name))}
    themes = {slug: name for slug, name in session.execute(select(ThemeRow.slug, ThemeRow.name))}
    ideas = session.execute(
        select(IdeaRow.id, IdeaRow.force_slug, IdeaRow.theme_slug, IdeaRow.stage, IdeaRow.submitter_id,
               IdeaRow.submitted_at).where(IdeaRow.source.not_in(NOT_SUBMISSIONS))).all()
    idea_ids = select(IdeaRow.id).where(IdeaRow.source.not_in(NOT_SUBMISSIONS))
    decisions = session.execute(
        select(DecisionRow.idea_id, DecisionRow.to_status, DecisionRow.created_at)
        .where(DecisionRow.idea_id.in_(idea_ids))
        .order_by(DecisionRow.created_at, DecisionRow.id)).all()
    by_idea: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for idea_id, to_status, at in decisions:
        by_idea[idea_id].append((to_status, at))

    tallies = {name: _Tally() for name in ("all", "force", "theme", "stage", "week")}
    labels: dict[str, dict[str, str]] = {"all": {"all": "All ideas"}, "force": {}, "theme": {}, "stage": {},
                                         "week": {}}
    waits: list[float] = []
    awaiting = 0
    submitters: set[int] = set()

    for idea_id, force_slug, theme_slug, stage, submitter_id, submitted_at in ideas:
        history = by_idea.get(idea_id, [])
        submitted = submitted_at or next((at for to, at in history if to == Status.SUBMITTED.value), None)
        groups = {"all": "all", "force": force_slug, "theme": theme_slug or "", "stage": stage}
        labels["force"][force_slug] = forces.get(force_slug, force_slug)
        labels["theme"][theme_slug or ""] = themes.get(theme_slug, theme_slug) if theme_slug else "No theme"
        labels["stage"][stage] = stage
        if submitted is not None and submitted in period:
            week = iso_week(submitted, tz)
            for name, key in {**groups, "week": week}.items():
                tallies[name].submitted[key] += 1
            labels["week"][week] = week
            if submitter_id is not None:
                submitters.add(submitter_id)
            first = next((at for to, at in history if at >= submitted and to not in NOT_A_DECISION), None)
            if first is None:
                awaiting += 1
            else:
                waits.append((first - submitted).total_seconds() / 3600)
        reached: set[str] = set()
        for to_status, at in history:
            if to_status in OUTCOMES and to_status not in reached and at in period:
                reached.add(to_status)
                week = iso_week(at, tz)
                labels["week"][week] = week
                for name, key in {**groups, "week": week}.items():
                    tallies[name].outcomes[key][to_status] += 1

    in_period = [(to, at) for history in by_idea.values() for to, at in history if at in period]
    notes: dict[str, str] = {}
    asked, made = _connections(session, period, notes)
    duplicates = _duplicates(session, period, notes)

    def breakdown(name: str, order: Iterable[str] | None = None) -> tuple[Counts, ...]:
        tally = tallies[name]
        keys = tally.groups()
        names = labels[name]
        ordered = [k for k in order if k in keys] if order is not None else sorted(keys, key=lambda k: names.get(k, k))
        return tuple(tally.counts(k, labels[name].get(k, k)) for k in ordered)

    # The four stages in their natural order, then anything unexpected.
    stage_order = [s.value for s in Stage] + sorted(k for k in tallies["stage"].groups() if k not in set(Stage))
    return Metrics(
        period=period, generated_at=now,
        totals=tallies["all"].counts("all", "All ideas"),
        by_force=breakdown("force"), by_theme=breakdown("theme"), by_stage=breakdown("stage", stage_order),
        by_week=breakdown("week", sorted(tallies["week"].groups())),
        decided=len(waits), awaiting_decision=awaiting,
        median_hours_to_decision=percentile(waits, 0.5), p90_hours_to_decision=percentile(waits, 0.9),
        needs_info_loops=sum(1 for to, _ in in_period if to == Status.NEEDS_INFO.value),
        national_escalations=sum(1 for to, _ in in_period if to in ESCALATIONS),
        active_submitters=len(submitters),
        connections_asked=asked, connections_made=made, duplicates_flagged=duplicates, notes=notes,
    )


def _reflect(session: Session, name: str) -> Table | None:
    """The table if this database has it (features that land later add tables; metrics must not break)."""
    connection = session.connection()
    if not inspect(connection).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=connection)


def _count(session: Session, table: Table, period: Period, *where: Any, when: str = "created_at") -> int:
    query = select(func.count()).select_from(table).where(*where)
    if when in table.c:
        # Compare as the naive UTC the UTCDateTime columns store.
        column = table.c[when]
        if period.start is not None:
            query = query.where(column >= period.start.astimezone(UTC).replace(tzinfo=None))
        if period.end is not None:
            query = query.where(column < period.end.astimezone(UTC).replace(tzinfo=None))
    return int(session.scalar(query) or 0)


def _connections(session: Session, period: Period, notes: dict[str, str]) -> tuple[int, int]:
    table = _reflect(session, CONNECTIONS_TABLE)
    if table is None:
        notes["connections_asked"] = notes["connections_made"] = "connections are not recorded yet (no table)"
        return 0, 0
    asked = _count(session, table, period)
    if "status" in table.c and "decided_at" in table.c:
        made = _count(session, table, period, table.c.status.in_(CONNECTIONS_MADE), when="decided_at")
    elif "made_at" in table.c:
        made = _count(session, table, period, table.c.made_at.is_not(None), when="made_at")
    else:
        made = 0
        notes["connections_made"] = "the connections table records no outcome (no status and decided_at)"
    return asked, made


def _duplicates(session: Session, period: Period, notes: dict[str, str]) -> int:
    for name in DUPLICATES_TABLES:
        table = _reflect(session, name)
        if table is not None:
            return _count(session, table, period)
    notes["duplicates_flagged"] = "likely duplicates are not recorded yet (no table)"
    return 0


# --- rendering ------------------------------------------------------------------------------------

CSV_COLUMNS = ("period_start", "period_end", "measure", "breakdown", "key", "label", "value", "note")
_COUNT_MEASURES = (("ideas_submitted", "submitted"), ("ideas_approved_local", "approved_local"),
                   ("ideas_approved_network", "approved_network"), ("ideas_declined", "declined"))


def metric_rows(m: Metrics) -> list[dict[str, Any]]:
    """The metrics in long ("tidy") form: one row per measure and group, ready for a spreadsheet pivot."""
    start = m.period.start.isoformat() if m.period.start else ""
    end = m.period.end.isoformat() if m.period.end else ""
    rows: list[dict[str, Any]] = []

    def add(measure: str, value: object, breakdown: str = "all", key: str = "", label: str = "") -> None:
        rows.append({"period_start": start, "period_end": end, "measure": measure, "breakdown": breakdown,
                     "key": key, "label": label, "value": "" if value is None else value,
                     "note": m.notes.get(measure, "")})

    for measure, attr in _COUNT_MEASURES:
        add(measure, getattr(m.totals, attr))
    for name, counts in (("force", m.by_force), ("theme", m.by_theme), ("stage", m.by_stage), ("week", m.by_week)):
        for c in counts:
            for measure, attr in _COUNT_MEASURES:
                add(measure, getattr(c, attr), name, c.key, c.label)
    add("ideas_decided", m.decided)
    add("ideas_awaiting_decision", m.awaiting_decision)
    add("median_hours_to_first_decision", _round(m.median_hours_to_decision))
    add("p90_hours_to_first_decision", _round(m.p90_hours_to_decision))
    add("needs_info_loops", m.needs_info_loops)
    add("national_escalations", m.national_escalations)
    add("active_submitters", m.active_submitters)
    add("connections_asked", m.connections_asked)
    add("connections_made", m.connections_made)
    add("duplicates_flagged", m.duplicates_flagged)
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def metrics_csv(m: Metrics) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(metric_rows(m))
    return out.getvalue()


def metrics_json(m: Metrics) -> dict[str, Any]:
    def counts(c: Counts) -> dict[str, Any]:
        return {"key": c.key, "label": c.label, "submitted": c.submitted, "approved_local": c.approved_local,
                "approved_network": c.approved_network, "declined": c.declined}

    return {
        "period": {"start": m.period.start.isoformat() if m.period.start else None,
                   "end": m.period.end.isoformat() if m.period.end else None},
        "generated_at": m.generated_at.isoformat(),
        "totals": counts(m.totals),
        "by_force": [counts(c) for c in m.by_force], "by_theme": [counts(c) for c in m.by_theme],
        "by_stage": [counts(c) for c in m.by_stage], "by_week": [counts(c) for c in m.by_week],
        "ideas_decided": m.decided, "ideas_awaiting_decision": m.awaiting_decision,
        "median_hours_to_first_decision": _round(m.median_hours_to_decision),
        "p90_hours_to_first_decision": _round(m.p90_hours_to_decision),
        "needs_info_loops": m.needs_info_loops, "national_escalations": m.national_escalations,
        "active_submitters": m.active_submitters, "connections_asked": m.connections_asked,
        "connections_made": m.connections_made, "duplicates_flagged": m.duplicates_flagged, "notes": m.notes,
    }
