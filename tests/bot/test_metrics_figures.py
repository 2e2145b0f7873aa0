"""The figures' arithmetic, without a database: percentiles, ISO weeks in the configured zone, periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.metrics import Period, connection_made, iso_week, percentile


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
