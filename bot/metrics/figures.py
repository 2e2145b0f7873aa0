"""The network's evaluation figures, computed from plain facts by the rules in ``bot.metrics.rules``.

The arithmetic (weeks, medians, percentiles) happens here, so the figures are identical on every store.
The volumes are small (thousands of ideas, not millions), so reading the ideas and decisions once is
cheaper than keeping two SQL dialects in step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from bot.domain import Stage, Status
from bot.metrics.ports import MetricsQueries
from bot.metrics.rules import ESCALATIONS, NOT_A_DECISION, NOT_SUBMISSIONS, OUTCOMES, Period


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


def compute_metrics(queries: MetricsQueries, period: Period | None = None, *, tz: tzinfo = UTC,
                    now: datetime | None = None) -> Metrics:
    period = period or Period()
    now = now or datetime.now(UTC)
    forces = queries.force_names()
    themes = queries.theme_names()
    ideas = queries.ideas(excluding_sources=NOT_SUBMISSIONS)
    by_idea: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for decision in queries.decisions(excluding_sources=NOT_SUBMISSIONS):
        by_idea[decision.idea_id].append((decision.to_status, decision.at))

    tallies = {name: _Tally() for name in ("all", "force", "theme", "stage", "week")}
    labels: dict[str, dict[str, str]] = {"all": {"all": "All ideas"}, "force": {}, "theme": {}, "stage": {},
                                         "week": {}}
    waits: list[float] = []
    awaiting = 0
    submitters: set[int] = set()

    for idea in ideas:
        history = by_idea.get(idea.idea_id, [])
        submitted = idea.submitted_at or next((at for to, at in history if to == Status.SUBMITTED.value), None)
        theme_slug = idea.theme_slug
        groups = {"all": "all", "force": idea.force_slug, "theme": theme_slug or "", "stage": idea.stage}
        labels["force"][idea.force_slug] = forces.get(idea.force_slug, idea.force_slug)
        labels["theme"][theme_slug or ""] = themes.get(theme_slug, theme_slug) if theme_slug else "No theme"
        labels["stage"][idea.stage] = idea.stage
        if submitted is not None and submitted in period:
            week = iso_week(submitted, tz)
            for name, key in {**groups, "week": week}.items():
                tallies[name].submitted[key] += 1
            labels["week"][week] = week
            if idea.submitter_id is not None:
                submitters.add(idea.submitter_id)
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
        connections_asked=queries.connections_asked(period.start, period.end),
        connections_made=queries.connections_made(period.start, period.end),
        duplicates_flagged=queries.duplicates_flagged(period.start, period.end),
    )
