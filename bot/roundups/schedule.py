"""When roundups are due: parsing "mon 09:00" and "weekly", period keys, and next-run times.

Pure: every function takes the time it reasons about (and a ``tzinfo``) as arguments and never reads
a clock. Schedules are wall-clock times in one zone (Europe/London by default), so across the clock
changes on the last Sunday of March and of October a roundup still goes out at 09:00 local time.

A *slot* is one scheduled run. The roundup due at a slot covers the time since the slot before it and
is named by a *period key*: the ISO week of the slot for weekly and fortnightly schedules
("2026-W48"), the month for monthly ones ("2026-12"). A channel gets at most one roundup per key.

Wall-clock rules at the clock changes (Python's ``fold=0``): a time that does not exist (01:30 on the
last Sunday of March) runs at the same instant as the hour before the change, i.e. 02:30 BST; a time
that happens twice (01:30 on the last Sunday of October) runs once, at the first of the two.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.roundups.errors import Refusal

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Fortnightly schedules run in the weeks an even number of weeks after this Monday (ISO 2024-W01), so
# every process agrees on which weeks they are without storing an anchor.
FORTNIGHT_EPOCH = date(2024, 1, 1)
# The furthest apart two slots can be (a monthly "first Monday" schedule): bounds every search below.
_MAX_GAP_DAYS = 40
_EXAMPLE = '"mon 09:00"'  # a schedule as an admin types it


class BadSchedule(Refusal):
    """A day, time, frequency or period that cannot be read; the message is one line for a person."""


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"  # the first given weekday of each month


@dataclass(frozen=True)
class Schedule:
    weekday: int  # 0 = Monday … 6 = Sunday
    at: time
    frequency: Frequency = Frequency.WEEKLY

    @property
    def when(self) -> str:
        """The canonical spelling, e.g. ``mon 09:00`` (what ``parse_when`` reads back)."""
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class RoundupPeriod:
    key: str
    start: datetime  # UTC, inclusive: the slot before
    end: datetime  # UTC, exclusive: the slot at which this period's roundup is due


_WHEN = re.compile(r"^\s*(?P<day>[a-z]+)\.?\s*,?\s+(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?\s*$")
_WEEK_KEY = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
_MONTH_KEY = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


def _weekday(word: str) -> int | None:
    if len(word) < 3:
        return None
    for number, name in enumerate(_DAY_NAMES):
        if name.startswith(word):
            return number
    return None


def parse_when(text: str) -> tuple[int, time]:
    """``"mon 09:00"``, ``"Monday 9:30"``, ``"fri 4pm"`` → (weekday, time). Raises BadSchedule."""
    found = _WHEN.match(text.lower()) if len(text) <= 40 else None
    if found is None:
        raise BadSchedule("roundup.error.when", text=repr(text[:40]), example=_EXAMPLE)
    day = _weekday(found["day"])
    if day is None:
        raise BadSchedule("roundup.error.day", day=repr(found["day"]), example=_EXAMPLE)
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    if found["half"]:
        if not 1 <= hour <= 12:
            raise BadSchedule("roundup.error.time", text=repr(text.strip()), example=_EXAMPLE)
        hour = hour % 12 + (12 if found["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise BadSchedule("roundup.error.time", text=repr(text.strip()), example=_EXAMPLE)
    return day, time(hour, minute)


def parse_frequency(text: str) -> Frequency:
    try:
        return Frequency(text.strip().lower())
    except ValueError:
        raise BadSchedule("roundup.error.frequency", text=repr(text[:40]), first=Frequency.WEEKLY.value,
                          second=Frequency.FORTNIGHTLY.value, third=Frequency.MONTHLY.value) from None


def parse_schedule(when: str = "mon 09:00", frequency: str = "weekly") -> Schedule:
    weekday, at = parse_when(when)
    return Schedule(weekday, at, parse_frequency(frequency))


# --- slots ----------------------------------------------------------------------------------------


def is_slot_date(schedule: Schedule, day: date) -> bool:
    if day.weekday() != schedule.weekday:
        return False
    if schedule.frequency is Frequency.FORTNIGHTLY:
        return ((day - FORTNIGHT_EPOCH).days // 7) % 2 == 0
    if schedule.frequency is Frequency.MONTHLY:
        return day.day <= 7
    return True


def slot_on(schedule: Schedule, day: date, tz: tzinfo) -> datetime:
    """The UTC instant of the schedule's wall-clock time on ``day`` (see the module note on clock changes)."""
    return datetime.combine(day, schedule.at, tzinfo=tz).astimezone(UTC)


def _slot_dates(schedule: Schedule, start: date, step: int) -> Iterator[date]:
    day = start
    for _ in range(2 * _MAX_GAP_DAYS):
        if is_slot_date(schedule, day):
            yield day
        day += timedelta(days=step)


def latest_slot(schedule: Schedule, now: datetime, tz: tzinfo) -> datetime:
    """The most recent slot at or before ``now``."""
    start = now.astimezone(tz).date()
    for day in _slot_dates(schedule, start, -1):
        slot = slot_on(schedule, day, tz)
        if slot <= now:
            return slot
    raise AssertionError("unreachable: every schedule has a slot within 80 days")  # pragma: no cover


def next_slot(schedule: Schedule, after: datetime, tz: tzinfo) -> datetime:
    """The first slot strictly after ``after``: when the scheduler will next post."""
    start = after.astimezone(tz).date()
    for day in _slot_dates(schedule, start, 1):
        slot = slot_on(schedule, day, tz)
        if slot > after:
            return slot
    raise AssertionError("unreachable: every schedule has a slot within 80 days")  # pragma: no cover


def period_key(schedule: Schedule, slot: datetime, tz: tzinfo) -> str:
    day = slot.astimezone(tz).date()
    if schedule.frequency is Frequency.MONTHLY:
        return f"{day.year:04d}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def period_ending(schedule: Schedule, slot: datetime, tz: tzinfo) -> RoundupPeriod:
    """The period whose roundup is due at ``slot``: from the slot before up to this one."""
    previous = latest_slot(schedule, slot - timedelta(microseconds=1), tz)
    return RoundupPeriod(period_key(schedule, slot, tz), previous, slot)


def period_from_key(schedule: Schedule, key: str, tz: tzinfo) -> RoundupPeriod:
    """Read ``--period 2026-W48`` (or ``2026-12`` for monthly schedules) back into its period."""
    key = key.strip().upper()
    if schedule.frequency is Frequency.MONTHLY:
        found = _MONTH_KEY.match(key)
        if found is None or not 1 <= int(found["month"]) <= 12:
            raise BadSchedule("roundup.error.month", period=repr(key[:20]), example="2026-12")
        first = date(int(found["year"]), int(found["month"]), 1)
        day = next(d for d in _slot_dates(schedule, first, 1))
    else:
        found = _WEEK_KEY.match(key)
        if found is None:
            raise BadSchedule("roundup.error.week", period=repr(key[:20]), example="2026-W48")
        try:
            day = date.fromisocalendar(int(found["year"]), int(found["week"]), schedule.weekday + 1)
        except ValueError:
            raise BadSchedule("roundup.error.no_such_week", period=repr(key), year=found["year"]) from None
        if not is_slot_date(schedule, day):
            nearby = period_key(schedule, slot_on(schedule, day + timedelta(days=7), tz), tz)
            raise BadSchedule("roundup.error.fortnight", period=key, nearby=nearby)
    return period_ending(schedule, slot_on(schedule, day, tz), tz)
