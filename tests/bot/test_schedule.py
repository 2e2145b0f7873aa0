"""Schedules: parsing, period keys, and next-run times in Europe/London across both clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.roundups.schedule import (
    BadSchedule,
    Frequency,
    Schedule,
    latest_slot,
    next_slot,
    parse_frequency,
    parse_schedule,
    parse_when,
    period_ending,
    period_from_key,
    period_key,
)

LONDON = ZoneInfo("Europe/London")
MONDAY_9 = Schedule(0, time(9, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("mon 09:00", (0, time(9, 0))),
    ("Monday 9:30", (0, time(9, 30))),
    ("  TUES 17.45 ", (1, time(17, 45))),
    ("thu 9", (3, time(9, 0))),
    ("fri 4pm", (4, time(16, 0))),
    ("sat 12am", (5, time(0, 0))),
    ("sun 12:30pm", (6, time(12, 30))),
    ("wed, 23:59", (2, time(23, 59))),
])
def test_parse_when(text: str, expected: tuple[int, time]) -> None:
    assert parse_when(text) == expected


@pytest.mark.parametrize("text", ["", "monday", "09:00", "mo 09:00", "funday 09:00", "mon 24:00", "mon 09:60",
                                  "mon 13pm", "mon 0am", "mon 9:00:00", "every monday at nine", "x" * 500])
def test_unreadable_day_or_time_is_one_clear_line(text: str) -> None:
    with pytest.raises(BadSchedule) as caught:
        parse_when(text)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 200 and "mon 09:00" in message


def test_frequencies() -> None:
    assert parse_frequency(" Weekly ") is Frequency.WEEKLY
    assert parse_schedule("fri 16:00", "fortnightly") == Schedule(4, time(16, 0), Frequency.FORTNIGHTLY)
    assert parse_schedule().when == "mon 09:00"
    with pytest.raises(BadSchedule, match="weekly, fortnightly or monthly"):
        parse_frequency("daily")


def test_next_run_across_the_spring_clock_change() -> None:
    # Clocks go forward on Sunday 29 March 2026: 09:00 London is 09:00 UTC before, 08:00 UTC after.
    assert next_slot(MONDAY_9, utc(2026, 3, 20, 12), LONDON) == utc(2026, 3, 23, 9)
    assert next_slot(MONDAY_9, utc(2026, 3, 23, 9), LONDON) == utc(2026, 3, 30, 8)
    assert next_slot(MONDAY_9, utc(2026, 3, 29, 0, 59), LONDON) == utc(2026, 3, 30, 8)
    period = period_ending(MONDAY_9, utc(2026, 3, 30, 8), LONDON)
    assert (period.key, period.start, period.end) == ("2026-W14", utc(2026, 3, 23, 9), utc(2026, 3, 30, 8))
    assert period.end - period.start == timedelta(hours=167)  # the week that lost an hour


def test_next_run_across_the_autumn_clock_change() -> None:
    # Clocks go back on Sunday 25 October 2026.
    assert next_slot(MONDAY_9, utc(2026, 10, 19, 7), LONDON) == utc(2026, 10, 19, 8)
    assert next_slot(MONDAY_9, utc(2026, 10, 19, 8), LONDON) == utc(2026, 10, 26, 9)
    period = period_ending(MONDAY_9, utc(2026, 10, 26, 9), LONDON)
    assert period.end - period.start == timedelta(hours=169)


def test_a_time_inside_the_clock_change_runs_once() -> None:
    sunday_0130 = Schedule(6, time(1, 30))
    # 01:30 does not exist on 29 March: it runs at 02:30 BST (01:30 UTC), once.
    spring = next_slot(sunday_0130, utc(2026, 3, 28, 12), LONDON)
    assert spring == utc(2026, 3, 29, 1, 30) and spring.astimezone(LONDON).hour == 2
    assert next_slot(sunday_0130, spring, LONDON) == utc(2026, 4, 5, 0, 30)
    # 01:30 happens twice on 25 October: it runs at the first (00:30 UTC) and not again at the second.
    autumn = next_slot(sunday_0130, utc(2026, 10, 24, 12), LONDON)
    assert autumn == utc(2026, 10, 25, 0, 30)
    assert next_slot(sunday_0130, autumn, LONDON) == utc(2026, 11, 1, 1, 30)
    assert latest_slot(sunday_0130, utc(2026, 10, 25, 1, 30), LONDON) == autumn


def test_fortnightly_and_monthly_slots_and_keys() -> None:
    fortnightly = Schedule(0, time(9, 0), Frequency.FORTNIGHTLY)
    first = next_slot(fortnightly, utc(2026, 11, 25), LONDON)
    second = next_slot(fortnightly, first, LONDON)
    assert second - first == timedelta(days=14)
    assert period_ending(fortnightly, second, LONDON).start == first
    monthly = Schedule(0, time(9, 0), Frequency.MONTHLY)
    slot = next_slot(monthly, utc(2026, 11, 25), LONDON)
    assert slot == utc(2026, 12, 7, 9) and period_key(monthly, slot, LONDON) == "2026-12"
    assert period_ending(monthly, slot, LONDON).start == utc(2026, 11, 2, 9)


def test_period_keys_read_back() -> None:
    period = period_from_key(MONDAY_9, "2026-w48", LONDON)
    assert (period.key, period.start, period.end) == ("2026-W48", utc(2026, 11, 16, 9), utc(2026, 11, 23, 9))
    assert period_from_key(Schedule(0, time(9, 0), Frequency.MONTHLY), "2026-12", LONDON).end == utc(2026, 12, 7, 9)
    year_end = period_from_key(MONDAY_9, "2026-W53", LONDON)  # 2026 has 53 ISO weeks
    assert year_end.end == utc(2026, 12, 28, 9)


@pytest.mark.parametrize(("schedule", "key", "message"), [
    (MONDAY_9, "2026-48", "ISO week"),
    (MONDAY_9, "2025-W53", "not a week of 2025"),
    (MONDAY_9, "last week", "ISO week"),
    (Schedule(0, time(9, 0), Frequency.MONTHLY), "2026-13", "not a month"),
    (Schedule(0, time(9, 0), Frequency.MONTHLY), "2026-W48", "not a month"),
])
def test_bad_period_keys(schedule: Schedule, key: str, message: str) -> None:
    with pytest.raises(BadSchedule, match=message):
        period_from_key(schedule, key, LONDON)


def test_a_fortnightly_schedule_names_the_weeks_it_runs_in() -> None:
    fortnightly = Schedule(0, time(9, 0), Frequency.FORTNIGHTLY)
    runs = period_key(fortnightly, next_slot(fortnightly, utc(2026, 11, 25), LONDON), LONDON)
    week = int(runs[-2:])
    other = f"2026-W{week - 1:02d}"
    with pytest.raises(BadSchedule, match=f"does not run in {other}; try {runs}"):
        period_from_key(fortnightly, other, LONDON)


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
       weekday=st.integers(0, 6), hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 59]),
       frequency=st.sampled_from(list(Frequency)))
def test_slots_bracket_every_moment(moment: datetime, weekday: int, hour: int, minute: int,
                                    frequency: Frequency) -> None:
    schedule = Schedule(weekday, time(hour, minute), frequency)
    before, after = latest_slot(schedule, moment, LONDON), next_slot(schedule, moment, LONDON)
    assert before <= moment < after
    assert next_slot(schedule, before, LONDON) == after  # no slot in between, none skipped
    local = after.astimezone(LONDON)
    assert local.weekday() == weekday  # even when the wall time falls in a clock change
    period = period_ending(schedule, after, LONDON)
    assert period.start == before and period.key == period_key(schedule, after, LONDON)
