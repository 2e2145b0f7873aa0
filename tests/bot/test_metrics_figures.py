"""The figures' arithmetic, without a database: percentiles, ISO weeks in the configured zone, periods."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.metrics import DecisionFact, IdeaFact, Period, compute_metrics, connection_made, iso_week, percentile


def test_percentile_and_iso_week() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 0.0, 5.0], 0.9) == pytest.approx(9.0)
    # Sunday 23:30 UTC in summer is already Monday in London: the week follows the configured zone.
    late_sunday = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    assert iso_week(late_sunday) == "2026-W23" and iso_week(late_sunday, ZoneInfo("Europe/London")) == "2026-W24"


def test_period_is_half_open_and_unbounded_where_none() -> None:
    start = datetime(2026, 11, 2, tzinfo=UTC)
    week = Period(start, start + timedelta(weeks=1))
    assert start in week and start + timedelta(weeks=1) not in week and start - timedelta(seconds=1) not in week
    assert start in Period() and "2026-11-02" not in week


def test_a_connection_is_made_when_accepted_or_shared_only() -> None:
    assert [s for s in ("asked", "accepted", "declined", "shared") if connection_made(s)] == ["accepted", "shared"]


class FakeQueries:
    """``MetricsQueries`` over lists, honouring the filters it is given (as storage must)."""

    def __init__(self, ideas: list[tuple[IdeaFact, str]], decisions: list[DecisionFact]) -> None:
        self._ideas, self._decisions = ideas, decisions
        self.asked_windows: list[tuple[datetime | None, datetime | None]] = []

    def force_names(self) -> dict[str, str]:
        return {"kent": "Kent Police"}

    def theme_names(self) -> dict[str, str]:
        return {}

    def ideas(self, *, excluding_sources: Collection[str]) -> list[IdeaFact]:
        return [idea for idea, source in self._ideas if source not in excluding_sources]

    def decisions(self, *, excluding_sources: Collection[str]) -> list[DecisionFact]:
        kept = {i.idea_id for i in self.ideas(excluding_sources=excluding_sources)}
        return [d for d in self._decisions if d.idea_id in kept]

    def connections_asked(self, since: datetime | None, until: datetime | None) -> int:
        return 0

    def connections_made(self, since: datetime | None, until: datetime | None) -> int:
        self.asked_windows.append((since, until))
        return 7

    def duplicates_flagged(self, since: datetime | None, until: datetime | None) -> int:
        return 0


def test_figures_follow_the_rules_from_plain_facts() -> None:
    """Imported and demo entries never count; resubmitting is not a decision; an outcome counts once."""
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    h = timedelta(hours=1)
    ideas = [(IdeaFact(1, "kent", None, "idea", 10, at), "chat"), (IdeaFact(2, "kent", None, "idea", 11, at), "chat"),
             (IdeaFact(3, "kent", None, "idea", None, at), "import"),
             (IdeaFact(4, "kent", None, "idea", None, at), "demo")]
    decisions = [DecisionFact(1, "submitted", at + h), DecisionFact(1, "approved-local", at + 3 * h),
                 DecisionFact(1, "needs-info", at + 4 * h), DecisionFact(1, "approved-local", at + 5 * h),
                 DecisionFact(3, "approved-network", at)]
    queries = FakeQueries(ideas, decisions)
    period = Period(at, at + timedelta(days=7))
    m = compute_metrics(queries, period, now=at)
    assert (m.totals.submitted, m.totals.approved_local, m.totals.approved_network) == (2, 1, 0)
    assert (m.decided, m.awaiting_decision, m.median_hours_to_decision) == (1, 1, 3.0)
    assert m.needs_info_loops == 1 and m.active_submitters == 2
    assert [(c.key, c.label) for c in m.by_force] == [("kent", "Kent Police")]
    assert [(c.key, c.label) for c in m.by_theme] == [("", "No theme")]
    assert m.connections_made == 7 and queries.asked_windows == [(period.start, period.end)]
