"""When roundups are due and which window each covers: the plans a run posts (pure; time passed in).

A run is *due* at the latest slot of a subscription's schedule if that slot is at most ``grace`` old,
so a run missed while the process was down is caught up on start, and a slot older than that is left
alone (the next roundup then reaches back to where the last one stopped, so nothing is lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.roundups.content import QuietMode
from bot.roundups.schedule import latest_slot, next_slot, period_ending, period_key
from bot.roundups.subscriptions import SubscriptionView


@dataclass(frozen=True)
class RoundupConfig:
    timezone: str = "Europe/London"
    grace: timedelta = timedelta(hours=6)
    quiet: QuietMode = QuietMode.NOTE
    lease: timedelta = timedelta(minutes=10)
    locale: str = "en"
    batch: int = 100  # channels queued per transaction

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Plan:
    sub: SubscriptionView
    period_key: str
    start: datetime
    end: datetime

    @property
    def channel_key(self) -> str:
        return self.sub.ref.key

    @property
    def label(self) -> str:
        return f"{self.channel_key} {self.period_key}"


def window_start(sub: SubscriptionView, nominal_start: datetime, end: datetime, last_end: datetime | None,
                 tz: ZoneInfo) -> datetime:
    """Where a roundup's window starts: where the channel's last roundup stopped (after an early ``--now``
    post, a slot missed beyond the grace window, or a changed schedule), else the slot before. It reaches
    back at most one period further, and a new subscription's first roundup covers its whole period."""
    if last_end is not None and nominal_start <= last_end < end:
        return last_end
    anchor = last_end if last_end is not None else sub.created_at
    if anchor >= nominal_start:
        return nominal_start
    return max(anchor, latest_slot(sub.schedule, nominal_start - timedelta(microseconds=1), tz))


def is_due(sub: SubscriptionView, now: datetime, config: RoundupConfig) -> bool:
    """Its latest slot is within the grace window, and not from before the channel subscribed. (A slot
    missed for longer is left alone: the next roundup reaches back to cover it.)"""
    slot = latest_slot(sub.schedule, now, config.tz)
    return now - slot <= config.grace and slot >= sub.created_at


def plan_due(subs: Sequence[SubscriptionView], now: datetime, config: RoundupConfig,
             last_ends: dict[str, datetime]) -> list[Plan]:
    tz = config.tz
    plans = []
    for sub in subs:
        if not is_due(sub, now, config):
            continue
        slot = latest_slot(sub.schedule, now, tz)
        period = period_ending(sub.schedule, slot, tz)
        start = window_start(sub, period.start, slot, last_ends.get(sub.ref.key), tz)
        plans.append(Plan(sub, period.key, start, slot))
    return plans


def plan_now(sub: SubscriptionView, now: datetime, config: RoundupConfig, last_end: datetime | None) -> Plan:
    """The roundup of the period in progress, cut off at ``now`` (``roundup --now`` and dry runs)."""
    tz = config.tz
    upcoming = next_slot(sub.schedule, now, tz)
    start = window_start(sub, latest_slot(sub.schedule, now, tz), now, last_end, tz)
    return Plan(sub, period_key(sub.schedule, upcoming, tz), start, now)
