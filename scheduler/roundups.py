"""Runs roundups: which channels are due, claim each (channel, period), compose, queue through the outbox,
then follow what the outbox did with them.

Exactly once: a channel's roundup for a period is posted by whoever inserts its ``roundups`` row (the
claim), and the outbox message carries the dedupe key ``roundup:{channel}:{period}``, so two scheduler
processes, a restart, or ``roundup --now`` beside the clock never post twice. Composition happens
between the claim and the enqueue, outside any lock; a process killed in between leaves a stale claim
that another run takes over after ``lease``.

A run is *due* at the latest slot of a subscription's schedule if that slot is at most ``grace`` old,
so a run missed while the process was down is caught up on start, and a slot older than that is left
alone (the next roundup then reaches back to where the last one stopped, so nothing is lost).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from adapters.delivery import MAX_SEND_ATTEMPTS
from bot.codec import reply_to_json
from bot.i18n import Translator
from bot.queues import OutboxMessage
from bot.replies import Reply, Text
from bot.roundup import (
    Limits,
    QuietMode,
    RoundupContent,
    RoundupIdea,
    Scope,
    SimilarFinder,
    SimilarPair,
    compose,
    similar_pairs,
)
from bot.roundup_chart import CHART_WEEKS, WeeklyCounts, WeeklyTally, week_bounds
from bot.schedule import latest_slot, next_slot, period_ending, period_from_key, period_key
from storage import roundups as store
from storage.models import OutboxRow
from storage.outbox_store import SqlOutbox
from storage.roundup_models import CLAIMED
from storage.roundups import ApprovedIdea, ChannelRef, SubscriptionView

log = logging.getLogger(__name__)

FinderFactory = Callable[[], SimilarFinder | None]


@dataclass(frozen=True)
class RoundupConfig:
    timezone: str = "Europe/London"
    grace: timedelta = timedelta(hours=6)
    quiet: QuietMode = QuietMode.NOTE
    lease: timedelta = timedelta(minutes=10)
    locale: str = "en"
    limits: Limits = field(default_factory=Limits)
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


@dataclass
class Report:
    queued: list[str] = field(default_factory=list)  # "channel period"
    quiet: list[str] = field(default_factory=list)  # nothing to say and QuietMode.SKIP
    already: list[str] = field(default_factory=list)  # claimed or posted before (by anyone)
    failed: list[str] = field(default_factory=list)
    posted: int = 0  # delivered since the last run
    undelivered: int = 0


@dataclass(frozen=True)
class Preview:
    plan: Plan
    replies: list[Reply]
    status: str | None  # the stored roundup's status for this period, if any


# --- planning -------------------------------------------------------------------------------------


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


# --- composing ------------------------------------------------------------------------------------


class _PeriodData:
    """Loads what a set of plans needs once, then serves each (window, scope) from memory."""

    def __init__(self, session: Session, plans: Sequence[Plan], now: datetime, finder: SimilarFinder | None,
                 tz: ZoneInfo) -> None:
        start, end = min(p.start for p in plans), max(p.end for p in plans)
        self._approved = store.approved_ideas(session, start, end)
        # The charts' weeks: one light read for every plan's six weeks, counted once per end (usually one).
        self._tz = tz
        # Weeks follow each subscription's slots: a run at its slot counts back from it; an early post
        # (``--now``) ends in the part week since the slot, as its header does.
        self._bounds = {self._chart_key(p): week_bounds(p.end, tz, CHART_WEEKS, latest_slot(p.sub.schedule, p.end, tz))
                        for p in plans}
        self._approvals = store.approvals(session, min(b[0] for b in self._bounds.values()), end)
        self._approval_times = [a.approved_at for a in self._approvals]
        self._tallies: dict[tuple[datetime, datetime], WeeklyTally] = {}
        self._times = [a.approved_at for a in self._approved]
        self._scoped: dict[tuple[datetime, datetime, Scope], list[RoundupIdea]] = {}
        self._similar: dict[tuple[datetime, datetime], list[SimilarPair]] = {}
        self._finder = finder
        scopes = {p.sub.scope for p in plans}
        self.names = {scope: store.scope_name(session, scope) for scope in scopes}
        self.waiting = {scope: store.waiting_ideas(session, scope, now)
                        for scope in {p.sub.scope for p in plans if p.sub.include_waiting}}
        self.connections = {window: store.connections_made(session, *window)
                            for window in {(p.start, p.end) for p in plans}}

    def _window(self, start: datetime, end: datetime) -> list[ApprovedIdea]:
        return self._approved[bisect.bisect_left(self._times, start):bisect.bisect_left(self._times, end)]

    def ideas(self, plan: Plan) -> list[RoundupIdea]:
        key = (plan.start, plan.end, plan.sub.scope)
        if key not in self._scoped:
            scope = plan.sub.scope
            # Newest approval first: the order similar-work lookups take.
            self._scoped[key] = [a.idea for a in reversed(self._window(plan.start, plan.end))
                                 if scope.includes(a.idea)]
        return self._scoped[key]

    def similar(self, plan: Plan) -> list[SimilarPair]:
        key = (plan.start, plan.end)
        if key not in self._similar:
            everything = [a.idea for a in reversed(self._window(plan.start, plan.end))]
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


def _compose_in(lang: str, content: RoundupContent, config: RoundupConfig) -> list[Reply]:
    """One channel's roundup in its language; "both" is one bilingual post, Welsh first, each half within
    half the platform's limits so that together they still fit one message."""
    if lang != "both":
        return compose(content, Translator(lang if lang in ("en", "cy") else config.locale), quiet=config.quiet,
                       limits=config.limits)
    half = Limits(config.limits.max_blocks // 2, config.limits.max_bytes // 2)
    return [*compose(content, Translator("cy"), quiet=config.quiet, limits=half),
            *compose(content, Translator("en"), quiet=config.quiet, limits=half)]


def _compose_all(sessions: sessionmaker[Session], plans: Sequence[Plan], now: datetime, config: RoundupConfig,
                 finder: SimilarFinder | None) -> list[list[Reply] | Exception]:
    if not plans:
        return []
    with sessions() as session:  # read everything first; compose without holding a transaction open
        data = _PeriodData(session, plans, now, finder, config.tz)
    # Channels with the same scope, window, kind and language get the same roundup: compose each once.
    done: dict[tuple[object, ...], list[Reply] | Exception] = {}
    results: list[list[Reply] | Exception] = []
    for plan in plans:
        key = (plan.start, plan.end, plan.period_key, plan.sub.scope, plan.sub.include_waiting,
               plan.sub.schedule.frequency, plan.sub.lang)
        if key not in done:
            try:
                done[key] = _compose_in(plan.sub.lang, data.content(plan, config), config)
            except Exception as exc:  # a bug for one channel must not stop the others
                log.exception("could not compose the %s roundup for %s", plan.period_key, plan.channel_key)
                done[key] = exc
        results.append(done[key])
    return results


# --- posting --------------------------------------------------------------------------------------


def dedupe_key(channel_key: str, period: str) -> str:
    return f"roundup:{channel_key}:{period}"


def _claim_all(sessions: sessionmaker[Session], plans: Sequence[Plan], now: datetime, config: RoundupConfig,
               report: Report) -> list[Plan]:
    with sessions() as session:
        existing = store.roundups_for(session, [(p.channel_key, p.period_key) for p in plans])
    open_plans = []
    for plan in plans:
        row = existing.get((plan.channel_key, plan.period_key))
        if row is not None and not (row.status == CLAIMED and row.claimed_at < now - config.lease):
            report.already.append(f"{plan.channel_key} {plan.period_key}")
        else:
            open_plans.append(plan)
    won = []
    with sessions.begin() as session:
        results = store.claim_all(session, [(p.channel_key, p.period_key, p.sub.id, (p.start, p.end))
                                            for p in open_plans], now=now, lease=config.lease)
    for plan, ours in zip(open_plans, results, strict=True):
        if ours:
            won.append(plan)
        else:
            report.already.append(f"{plan.channel_key} {plan.period_key}")
    return won


class Unreachable(Exception):
    """The bot cannot write to the channel at all (a Teams channel the app was never added to)."""


def _address(session: Session, ref: ChannelRef) -> tuple[str, str]:
    """(tenant, target) for the outbox. A Teams channel is written to through the conversation the app
    was installed in, so ``teams:TEAM_ID:CHANNEL_ID`` becomes (tenant id, conversation id)."""
    if ref.platform != "teams":
        return ref.tenant, ref.channel
    from adapters.teams.references import TeamsReferences

    stored = TeamsReferences(session).channel(ref.tenant, ref.channel)
    if stored is None:
        raise Unreachable(f"the app is not installed in channel {ref.key}")
    return stored.tenant_id, stored.conversation_id


def _enqueue(session: Session, plan: Plan, replies: list[Reply], now: datetime) -> int | None:
    key = dedupe_key(plan.channel_key, plan.period_key)
    tenant, target = _address(session, plan.sub.ref)
    message = OutboxMessage(plan.sub.ref.platform, tenant, target, {"replies": [reply_to_json(r) for r in replies]},
                            kind="post", dedupe_key=key)
    outbox_id = SqlOutbox(session).enqueue(message, now)
    if outbox_id is None:  # queued before by a process whose claim lapsed: still one message
        outbox_id = session.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == key))
    return outbox_id


def post(sessions: sessionmaker[Session], plans: Sequence[Plan], now: datetime, config: RoundupConfig,
         finder: FinderFactory | None = None, report: Report | None = None) -> Report:
    """Claim, compose and queue each plan's roundup; plans someone else holds are left alone."""
    report = report or Report()
    won = _claim_all(sessions, plans, now, config, report)
    if not won:
        return report
    try:
        similar = finder() if finder is not None else None  # before the read: it may open its own session
        composed = _compose_all(sessions, won, now, config, similar)
    except Exception:
        log.exception("could not read this period's ideas; the claims are released for the next run")
        _release(sessions, won, now)
        raise
    t = Translator(config.locale)
    for start in range(0, len(won), config.batch):
        batch = list(zip(won[start:start + config.batch], composed[start:start + config.batch], strict=True))
        queued: list[tuple[str, str, int | None, int]] = []
        quiet: list[str] = []
        failed: list[str] = []
        try:
            with sessions.begin() as session:
                for plan, replies in batch:
                    label = f"{plan.channel_key} {plan.period_key}"
                    if isinstance(replies, Exception):
                        store.mark_failed(session, plan.channel_key, plan.period_key, repr(replies), now)
                        failed.append(label)
                    elif not replies:
                        store.mark_skipped(session, plan.channel_key, plan.period_key, now)
                        quiet.append(label)
                    else:
                        try:
                            outbox_id = _enqueue(session, plan, replies, now)
                        except Unreachable as exc:
                            store.mark_failed(session, plan.channel_key, plan.period_key, str(exc), now)
                            _report_failure(session, t, plan.channel_key, plan.period_key, plan.sub.id, str(exc),
                                            gave_up=False, now=now)
                            failed.append(label)
                            continue
                        ideas = sum(1 for r in replies if getattr(r, "kind", "") == "roundup-idea")
                        queued.append((plan.channel_key, plan.period_key, outbox_id, ideas))
                store.mark_queued(session, queued, now)
        except Exception:
            log.exception("could not queue %d roundups; their claims are released for the next run", len(batch))
            _release(sessions, [plan for plan, _ in batch], now)
            report.failed += [f"{plan.channel_key} {plan.period_key}" for plan, _ in batch]
            continue
        report.queued += [f"{channel} {period}" for channel, period, _, _ in queued]
        report.quiet += quiet
        report.failed += failed
    return report


def _release(sessions: sessionmaker[Session], plans: Sequence[Plan], now: datetime) -> None:
    try:
        with sessions.begin() as session:
            for plan in plans:
                store.release(session, plan.channel_key, plan.period_key, now)
    except Exception:  # the lease will free them instead
        log.exception("could not release %d roundup claims", len(plans))


def _views(session: Session, channel: str | None, *, active_only: bool = True) -> list[SubscriptionView]:
    if channel is None:
        views = []
        for stored in store.subscriptions(session, active_only=active_only):
            try:
                views.append(store.view(stored))
            except ValueError:  # a row edited by hand into nonsense must not stop every other channel
                log.error("subscription %d (%s) cannot be read; skipped", stored.id, stored.channel_key)
        return views
    ref = store.parse_channel_ref(channel)
    row = store.find_subscription(session, ref)
    if row is None:
        raise store.NotSubscribed(f"{ref.key} is not subscribed to roundups; subscribe it first with "
                                  f"innovation-bot admin subscribe {ref.key} --scope network")
    if active_only and not row.active:
        raise store.NotSubscribed(f"{ref.key}'s subscription is paused ({row.failed_reason or 'no reason given'}); "
                                  "subscribe it again to resume")
    return [store.view(row)]


def run_due(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig,
            finder: FinderFactory | None = None) -> Report:
    """The scheduler's job: follow up deliveries, then post every roundup that is due now."""
    report = settle_deliveries(sessions, now, config)
    with sessions() as session:
        subs = [sub for sub in _views(session, None) if is_due(sub, now, config)]
        if not subs:
            return report
        last_ends = store.last_window_ends(session, [s.ref.key for s in subs])
    return post(sessions, plan_due(subs, now, config, last_ends), now, config, finder, report)


def post_now(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig, channel: str | None = None,
             finder: FinderFactory | None = None) -> Report:
    """``roundup --now``: post the period in progress now; its scheduled post will then not happen."""
    report = settle_deliveries(sessions, now, config)
    with sessions() as session:
        subs = _views(session, channel)
        last_ends = store.last_window_ends(session, [s.ref.key for s in subs])
    plans = [plan_now(sub, now, config, last_ends.get(sub.ref.key)) for sub in subs]
    return post(sessions, plans, now, config, finder, report) if plans else report


def preview(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig, channel: str | None = None,
            period: str | None = None, finder: FinderFactory | None = None) -> list[Preview]:
    """``roundup --dry-run``: what would be posted, without claiming or queueing anything."""
    tz = config.tz
    similar = finder() if finder is not None else None
    with sessions() as session:
        subs = _views(session, channel, active_only=channel is None)
        last_ends = store.last_window_ends(session, [s.ref.key for s in subs])
        plans, statuses = [], []
        for sub in subs:
            if period is None:
                plan = plan_now(sub, now, config, last_ends.get(sub.ref.key))
            else:
                nominal = period_from_key(sub.schedule, period, tz)
                plan = Plan(sub, nominal.key, window_start(sub, nominal.start, nominal.end,
                                                           last_ends.get(sub.ref.key), tz), min(nominal.end, now))
            row = store.find_roundup(session, sub.ref.key, plan.period_key)
            if row is not None and row.status != "failed":  # show what was posted, over the window it covered
                plan = Plan(sub, plan.period_key, row.window_start, row.window_end)
            plans.append(plan)
            statuses.append(row.status if row is not None else None)
    composed = _compose_all(sessions, plans, now, config, similar)
    result = []
    for plan, replies, status in zip(plans, composed, statuses, strict=True):
        if isinstance(replies, Exception):
            raise replies
        result.append(Preview(plan, replies, status))
    return result


# --- after delivery -------------------------------------------------------------------------------


def settle_deliveries(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig,
                      report: Report | None = None) -> Report:
    """Mark delivered roundups posted, and report the ones the outbox gave up on."""
    report = report or Report()
    t = Translator(config.locale)
    with sessions.begin() as session:
        report.posted, undelivered = store.settle(session, now)
        for failure in undelivered:
            report.undelivered += 1
            # Running out of retries (an outage) leaves the subscription on; a refusal pauses it.
            _report_failure(session, t, failure.channel_key, failure.period_key, failure.subscription_id,
                            failure.error, gave_up=failure.attempts >= MAX_SEND_ATTEMPTS, now=now)
    return report


def _report_failure(session: Session, t: Translator, channel_key: str, period: str, subscription_id: int | None,
                    error: str, *, gave_up: bool, now: datetime) -> None:
    """Record why a channel got no roundup on its subscription and tell every admin the bot can reach.

    A refusal (``channel_not_found``, the bot was removed, the app is not in the channel) pauses the
    subscription until an admin subscribes the channel again; retries running out do not."""
    reason = error.strip()[:300] or "no reason given"
    store.record_failure(session, subscription_id, f"{period}: {reason}", pause=not gave_up, now=now)
    text = t("roundup.undelivered.admin" if gave_up else "roundup.failed.admin", period=period, channel=channel_key,
             reason=reason)
    told = 0
    for person in store.admins(session):
        if person.platform not in ("slack", "teams"):
            continue
        # Slack opens the direct message when posting to a user id; Teams looks up the personal chat.
        kind = "dm" if person.platform == "teams" else "post"
        SqlOutbox(session).enqueue(OutboxMessage(
            person.platform, person.tenant, person.user_id, {"replies": [reply_to_json(Text(text))]}, kind=kind,
            dedupe_key=f"roundup-failed:{channel_key}:{period}:{person.id}"), now)
        told += 1
    log.warning("the %s roundup for %s was not delivered (%s); subscription %s; %d admin(s) told",
                period, channel_key, reason, "kept" if gave_up else "paused", told)
    if not told:
        log.error("no admin with a Slack or Teams identity can be told that the %s roundup for %s failed; "
                  "the failure is recorded on the subscription", period, channel_key)
