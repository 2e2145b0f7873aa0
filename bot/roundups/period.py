"""What a set of roundups says: read once for every plan of a run, then each channel's content from memory.

Who sees what: an idea is shown with its submitter's name only when they chose to be named to other
forces, and its title and summary as other forces may see them (``bot.sharing.beyond_force``); ideas
still waiting for a decision are masked the same way, since nobody has chosen to share them as they are.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import Visibility
from bot.i18n import Translator
from bot.ports import UnitOfWork
from bot.replies import Reply
from bot.roundups.budget import Budget
from bot.roundups.chart import CHART_WEEKS, WeeklyCounts, WeeklyTally, week_bounds
from bot.roundups.compose import compose
from bot.roundups.content import RoundupContent, RoundupIdea, Scope, SimilarPair, WaitingIdea
from bot.roundups.planning import Plan, RoundupConfig
from bot.roundups.ports import ApprovedRecord, WaitingRecord
from bot.roundups.schedule import latest_slot
from bot.roundups.similar import CatalogueLookup, similar_pairs
from bot.roundups.subscriptions import scope_names
from bot.roundups.text import summarise
from bot.sharing import beyond_force


def roundup_idea(record: ApprovedRecord) -> RoundupIdea:
    """Only a name the submitter chose to show to other forces, and flagged detail only when a broker
    shared it as it is."""
    shown = record.submitter_name if record.visibility == Visibility.NAMED.value and record.submitter_name else None
    return RoundupIdea(record.idea_id, beyond_force(record.title, record.shared_as_is),
                       summarise(beyond_force(record.description, record.shared_as_is)), record.force_slug,
                       record.force_name, record.theme_slug, record.theme_name, record.stage, shown,
                       bool(record.contact_consent))


def waiting_idea(record: WaitingRecord, now: datetime) -> WaitingIdea:
    return WaitingIdea(record.idea_id, beyond_force(record.title, None), record.force_name,
                       max(0, (now - record.since).days))


class PeriodData:
    """Loads what a set of plans needs once (in the caller's unit of work), then serves each
    (window, scope) from memory."""

    def __init__(self, uow: UnitOfWork, plans: Sequence[Plan], now: datetime, finder: CatalogueLookup | None,
                 tz: ZoneInfo) -> None:
        start, end = min(p.start for p in plans), max(p.end for p in plans)
        store = uow.roundups
        self._approved = [(r.approved_at, roundup_idea(r)) for r in store.approved(start, end)]
        self._tz = tz
        # The charts' weeks follow each subscription's slots: a run at its slot counts back from it; an
        # early post (``--now``) ends in the part week since the slot, as its header does. One light read
        # covers every plan's six weeks, counted once per end (usually one).
        self._bounds = {self._chart_key(p): week_bounds(p.end, tz, CHART_WEEKS, latest_slot(p.sub.schedule, p.end, tz))
                        for p in plans}
        self._approvals = store.approvals(min(b[0] for b in self._bounds.values()), end)
        self._approval_times = [a.approved_at for a in self._approvals]
        self._tallies: dict[tuple[datetime, datetime], WeeklyTally] = {}
        self._times = [at for at, _ in self._approved]
        self._scoped: dict[tuple[datetime, datetime, Scope], list[RoundupIdea]] = {}
        self._similar: dict[tuple[datetime, datetime], list[SimilarPair]] = {}
        self._finder = finder
        self.names = scope_names(uow.reference, {p.sub.scope for p in plans})
        self.waiting = {scope: [waiting_idea(w, now) for w in store.waiting(scope.kind, scope.slug)]
                        for scope in {p.sub.scope for p in plans if p.sub.include_waiting}}
        self.connections = {window: store.connections_made(*window) for window in {(p.start, p.end) for p in plans}}

    def _window(self, start: datetime, end: datetime) -> list[RoundupIdea]:
        low, high = bisect.bisect_left(self._times, start), bisect.bisect_left(self._times, end)
        return [idea for _, idea in self._approved[low:high]]

    def ideas(self, plan: Plan) -> list[RoundupIdea]:
        key = (plan.start, plan.end, plan.sub.scope)
        if key not in self._scoped:
            # Newest approval first: the order similar-work lookups take.
            self._scoped[key] = [i for i in reversed(self._window(plan.start, plan.end)) if plan.sub.scope.includes(i)]
        return self._scoped[key]

    def similar(self, plan: Plan) -> list[SimilarPair]:
        key = (plan.start, plan.end)
        if key not in self._similar:
            everything = list(reversed(self._window(plan.start, plan.end)))
            self._similar[key] = similar_pairs(everything, self._finder) if self._finder else []
        return self._similar[key]

    def _chart_key(self, plan: Plan) -> tuple[datetime, datetime]:
        return plan.end, latest_slot(plan.sub.schedule, plan.end, self._tz)

    def weekly(self, plan: Plan) -> WeeklyCounts:
        key = self._chart_key(plan)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = WeeklyTally(self._approvals, self._approval_times, self._bounds[key],
                                                     self._tz)
        return tally.counts(plan.sub.scope)

    def content(self, plan: Plan, config: RoundupConfig) -> RoundupContent:
        tz = config.tz
        return RoundupContent(
            scope_name=self.names[plan.sub.scope], first_day=plan.start.astimezone(tz).date(),
            last_day=(plan.end - timedelta(microseconds=1)).astimezone(tz).date(),
            frequency=plan.sub.schedule.frequency, ideas=self.ideas(plan),
            connections_made=self.connections[(plan.start, plan.end)],
            similar=self.similar(plan),
            waiting=self.waiting.get(plan.sub.scope) if plan.sub.include_waiting else None,
            weekly=self.weekly(plan), extra={"period": plan.period_key})


def compose_in(lang: str, content: RoundupContent, config: RoundupConfig, budgets: Sequence[Budget]) -> list[Reply]:
    """One channel's roundup in its language; "both" is one bilingual post, Welsh first, each half within
    half of every budget so that together they still fit one message."""
    if lang != "both":
        return compose(content, Translator(lang if lang in ("en", "cy") else config.locale), quiet=config.quiet,
                       budgets=budgets)
    half = [b.halved() for b in budgets]
    return [*compose(content, Translator("cy"), quiet=config.quiet, budgets=half),
            *compose(content, Translator("en"), quiet=config.quiet, budgets=half)]
