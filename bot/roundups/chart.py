"""The roundup's chart: ideas approved for the network in each of the last few weeks, by theme (by force
for a theme's channel), as a neutral ``Chart`` with every figure also said in words (pure; no I/O).

The weeks are counted back from the end of the roundup's period, so for a weekly roundup the last bar
is exactly the period the roundup covers and each bar before it an earlier roundup; for fortnightly
and monthly ones the bars are seven-day spans counted back from the same moment. Week boundaries are
wall-clock times in the schedule's zone: a week across a clock change lasts 167 or 169 hours, and the
roundup at 09:00 stays a boundary at 09:00.

An idea counts in each week with an approved-network decision on it, and only while other forces may
still see it: the same rule as the roundup's list, so a weekly roundup's last bar matches its count.

A scheduler run counts once however many channels it serves (``WeeklyTally``): each approval is put
in its week once, per (force, theme) cell, and each scope then reads its groups off an index.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol

from bot.i18n import Translator
from bot.replies import Chart, Series
from bot.roundups.text import clip, format_day

CHART_WEEKS = 6
CHART_SERIES = 5  # the four biggest groups, then everything else as one
CHART_LABEL_CHARS = 40
CHART_ALT_CHARS = 1900  # within Slack's 2,000 for an image's alt text


@dataclass(frozen=True)
class Approval:
    """One approved-network decision: when, on which idea, and the force and theme it counts under."""

    approved_at: datetime
    idea_id: int
    force_slug: str
    force_name: str
    theme_slug: str | None
    theme_name: str | None


@dataclass(frozen=True)
class WeeklyCounts:
    """What one channel's chart shows: per group (a theme, or a force), its ideas in each week."""

    starts: tuple[date, ...]  # each week's first local day, oldest first
    by: str  # "theme" | "force"
    groups: tuple[tuple[str | None, tuple[int, ...]], ...]  # (name, one count per week); None: no theme


class _Scope(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def slug(self) -> str: ...


def week_bounds(end: datetime, tz: tzinfo, weeks: int = CHART_WEEKS, anchor: datetime | None = None) -> list[datetime]:
    """The ``weeks + 1`` instants (UTC) around the chart's weeks, oldest first; the last one is ``end``.

    ``anchor`` is the subscription's latest slot at or before ``end``: weeks then run slot to slot, as the
    roundup's own period does, and a roundup posted before its slot (``--now``) ends in a part week from
    the last whole week boundary to ``end`` — never seven days back from an arbitrary moment.
    """
    local = end.astimezone(tz)
    if anchor is not None and anchor < end:
        base = anchor.astimezone(tz)
        # The last whole-week boundary after the slot (a monthly slot can be weeks back).
        whole = int((end - anchor) / timedelta(days=7))
        last = base + timedelta(days=7 * whole)
        if last < end:
            # Aware arithmetic keeps the wall clock: a week before Monday 09:00 is the Monday before at 09:00.
            return [(last - timedelta(days=7 * k)).astimezone(UTC) for k in range(weeks - 1, -1, -1)] + [end]
    return [(local - timedelta(days=7 * k)).astimezone(UTC) for k in range(weeks, -1, -1)]


Cells = dict[str | None, list[int]]


def _add(into: dict[str | None, list[int]], key: str | None, counts: Sequence[int]) -> None:
    row = into.setdefault(key, [0] * len(counts))
    for i, n in enumerate(counts):
        row[i] += n


class WeeklyTally:
    """The approvals of the weeks before one moment, counted once and indexed for every kind of scope.

    ``approvals`` must be in order of ``approved_at`` and may cover more than the weeks (a run reads
    once for all its plans); only those inside the weeks are counted.
    """

    def __init__(self, approvals: Sequence[Approval], times: Sequence[datetime], bounds: Sequence[datetime],
                 tz: tzinfo) -> None:
        self.starts = tuple(b.astimezone(tz).date() for b in bounds[:-1])
        weeks = len(bounds) - 1
        cells: dict[tuple[str, str | None], list[int]] = {}
        self._force_names: dict[str, str] = {}
        self._theme_names: dict[str | None, str | None] = {None: None}
        for week in range(weeks):
            low, high = bisect.bisect_left(times, bounds[week]), bisect.bisect_left(times, bounds[week + 1])
            seen: set[int] = set()  # approved twice in one week (sent back in between): one idea
            for a in approvals[low:high]:
                if a.idea_id in seen:
                    continue
                seen.add(a.idea_id)
                cells.setdefault((a.force_slug, a.theme_slug), [0] * weeks)[week] += 1
                self._force_names[a.force_slug] = a.force_name
                self._theme_names[a.theme_slug] = a.theme_name
        self._network: Cells = {}
        self._by_force: dict[str, Cells] = {}
        self._by_theme: dict[str | None, dict[str | None, list[int]]] = {}
        for (force, theme), counts in cells.items():
            _add(self._network, theme, counts)
            _add(self._by_force.setdefault(force, {}), theme, counts)
            _add(self._by_theme.setdefault(theme, {}), force, counts)

    def counts(self, scope: _Scope) -> WeeklyCounts:
        """A network or force channel: its ideas by theme; a theme channel: that theme's ideas by force."""
        if scope.kind == "theme":
            groups = self._by_theme.get(scope.slug, {})
            return self._result("force", ((self._force_names[f] if f else None, c) for f, c in groups.items()))
        groups = self._network if scope.kind == "network" else self._by_force.get(scope.slug, {})
        return self._result("theme", ((self._theme_names[t], c) for t, c in groups.items()))

    def _result(self, by: str, groups: Iterable[tuple[str | None, list[int]]]) -> WeeklyCounts:
        ordered = sorted(((name, tuple(c)) for name, c in groups if any(c)),
                         key=lambda g: (g[0] is None, -sum(g[1]), (g[0] or "").lower()))
        return WeeklyCounts(self.starts, by, tuple(ordered))


# --- the chart as a reply ------------------------------------------------------------------------


def _week_label(t: Translator, day: date) -> str:
    return t("roundup.chart.week", day=day.day, month=t(f"roundup.month_short.{day.month}"))


def _series(t: Translator, weekly: WeeklyCounts) -> list[Series]:
    """The biggest groups by name, then the rest (and ideas with no theme) together, so that every
    week's bar still adds up to all of its ideas."""
    named = [(name, counts) for name, counts in weekly.groups if name is not None]
    rest = [counts for name, counts in weekly.groups if name is None]
    if len(named) > CHART_SERIES - (1 if rest else 0):
        keep = CHART_SERIES - 1
        rest += [counts for _, counts in named[keep:]]
        named = named[:keep]
    series = [Series(clip(name, CHART_LABEL_CHARS), counts) for name, counts in named]
    if rest:
        together = tuple(sum(week) for week in zip(*rest, strict=True))
        series.append(Series(t(f"roundup.chart.other.{weekly.by}"), together))
    return series


def chart_reply(t: Translator, weekly: WeeklyCounts | None) -> Chart | None:
    """The chart for a roundup, or None when none of its weeks had an idea."""
    if weekly is None or not weekly.starts or not any(sum(c) for _, c in weekly.groups):
        return None
    series = _series(t, weekly)
    title = t(f"roundup.chart.title.{weekly.by}")
    weeks = tuple(_week_label(t, day) for day in weekly.starts)
    totals = [sum(s.counts[i] for s in series) for i in range(len(weeks))]
    described = "; ".join(t("roundup.chart.alt.series", label=s.label, counts=", ".join(map(str, s.counts)),
                            total=sum(s.counts)) for s in series)
    alt = t("roundup.chart.alt", title=title, count=len(weeks), first=format_day(t, weekly.starts[0]),
            last=format_day(t, weekly.starts[-1]), total=sum(totals), series=described,
            totals=", ".join(map(str, totals)))
    return Chart(title, weeks, tuple(series), clip(alt, CHART_ALT_CHARS), kind="roundup-chart")
