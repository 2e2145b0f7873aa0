"""Runs roundups: which channels are due, claim each (channel, period), compose, queue through the outbox,
then follow what the outbox did with them. The clock, ``innovation-bot roundup`` and the playground call this.

Exactly once: a channel's roundup for a period is posted by whoever inserts its claim, and the outbox
message carries the dedupe key ``roundup:{channel}:{period}``, so two scheduler processes, a restart, or
``roundup --now`` beside the clock never post twice. Composition happens between the claim and the
enqueue, outside any transaction; a process killed in between leaves a stale claim that another run
takes over after ``lease``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.codec import reply_to_json
from bot.i18n import Translator
from bot.ports import Address, UnitOfWork
from bot.replies import Reply
from bot.roundups.budget import Budget
from bot.roundups.delivery import Report, report_failure, settle_deliveries
from bot.roundups.period import PeriodData, compose_in
from bot.roundups.planning import Plan, RoundupConfig, is_due, plan_due, plan_now, window_start
from bot.roundups.ports import CLAIMED, FAILED, Claim, Queued
from bot.roundups.schedule import period_from_key
from bot.roundups.similar import CatalogueLookup
from bot.roundups.subscriptions import SubscriptionView, subscribed

log = logging.getLogger(__name__)

FinderFactory = Callable[[], CatalogueLookup | None]
Composed = list[Reply] | Exception


@dataclass(frozen=True)
class Preview:
    plan: Plan
    replies: list[Reply]
    status: str | None  # the stored roundup's status for this period, if any


class Unreachable(Exception):
    """The bot cannot write to the channel at all (a channel the app was never added to)."""


def dedupe_key(channel_key: str, period: str) -> str:
    return f"roundup:{channel_key}:{period}"


class RoundupService:
    """``budgets``: each renderer's limit on one message; ``delivery_attempts``: how often the outbox tries
    a message before giving up (a roundup that ran out of them leaves its subscription on)."""

    def __init__(self, uow: Callable[[], UnitOfWork], *, budgets: Sequence[Budget], delivery_attempts: int,
                 finder: FinderFactory | None = None) -> None:
        self._uow = uow
        self.budgets = tuple(budgets)
        self._attempts = delivery_attempts
        self._finder = finder

    # --- entry points -----------------------------------------------------------------------------

    def run_due(self, now: datetime, config: RoundupConfig) -> Report:
        """The scheduler's job: follow up deliveries, then post every roundup that is due now."""
        report = self.settle_deliveries(now, config)
        with self._uow() as uow:
            subs = [sub for sub in subscribed(uow.subscriptions, None) if is_due(sub, now, config)]
            if not subs:
                return report
            last_ends = uow.roundups.last_window_ends([s.ref.key for s in subs])
        return self.post(plan_due(subs, now, config, last_ends), now, config, report)

    def post_now(self, now: datetime, config: RoundupConfig, channel: str | None = None) -> Report:
        """``roundup --now``: post the period in progress now; its scheduled post will then not happen."""
        report = self.settle_deliveries(now, config)
        with self._uow() as uow:
            subs = subscribed(uow.subscriptions, channel)
            last_ends = uow.roundups.last_window_ends([s.ref.key for s in subs])
        plans = [plan_now(sub, now, config, last_ends.get(sub.ref.key)) for sub in subs]
        return self.post(plans, now, config, report) if plans else report

    def preview(self, now: datetime, config: RoundupConfig, channel: str | None = None,
                period: str | None = None) -> list[Preview]:
        """``roundup --dry-run``: what would be posted, without claiming or queueing anything."""
        similar = self._finder() if self._finder is not None else None
        with self._uow() as uow:
            subs = subscribed(uow.subscriptions, channel, active_only=channel is None)
            last_ends = uow.roundups.last_window_ends([s.ref.key for s in subs])
            plans, statuses = [], []
            for sub in subs:
                plan = self._preview_plan(sub, now, config, period, last_ends.get(sub.ref.key))
                stored = uow.roundups.find(sub.ref.key, plan.period_key)
                if stored is not None and stored.status != FAILED:  # what was posted, over the window it covered
                    plan = Plan(sub, plan.period_key, stored.window_start, stored.window_end)
                plans.append(plan)
                statuses.append(stored.status if stored is not None else None)
        result = []
        for plan, replies, status in zip(plans, self._compose_all(plans, now, config, similar), statuses, strict=True):
            if isinstance(replies, Exception):
                raise replies
            result.append(Preview(plan, replies, status))
        return result

    def settle_deliveries(self, now: datetime, config: RoundupConfig, report: Report | None = None) -> Report:
        """Mark delivered roundups posted, and report the ones the outbox gave up on."""
        report = report or Report()
        with self._uow() as uow:
            settle_deliveries(uow, Translator(config.locale), now, self._attempts, report)
            uow.commit()
        return report

    # --- claim, compose, queue --------------------------------------------------------------------

    @staticmethod
    def _preview_plan(sub: SubscriptionView, now: datetime, config: RoundupConfig, period: str | None,
                      last_end: datetime | None) -> Plan:
        if period is None:
            return plan_now(sub, now, config, last_end)
        nominal = period_from_key(sub.schedule, period, config.tz)
        return Plan(sub, nominal.key, window_start(sub, nominal.start, nominal.end, last_end, config.tz),
                    min(nominal.end, now))

    def post(self, plans: Sequence[Plan], now: datetime, config: RoundupConfig, report: Report | None = None) -> Report:
        """Claim, compose and queue each plan's roundup; plans someone else holds are left alone."""
        report = report or Report()
        won = self._claim_all(plans, now, config, report)
        if not won:
            return report
        try:
            similar = self._finder() if self._finder is not None else None  # it may read the database itself
            composed = self._compose_all(won, now, config, similar)
        except Exception:
            log.exception("could not read this period's ideas; the claims are released for the next run")
            self._release(won, now)
            raise
        t = Translator(config.locale)
        for start in range(0, len(won), config.batch):
            batch = list(zip(won[start:start + config.batch], composed[start:start + config.batch], strict=True))
            try:
                with self._uow() as uow:
                    queued, quiet, failed = self._queue(uow, t, batch, now)
                    uow.commit()
            except Exception:
                log.exception("could not queue %d roundups; their claims are released for the next run", len(batch))
                self._release([plan for plan, _ in batch], now)
                report.failed += [plan.label for plan, _ in batch]
                continue
            report.queued += [f"{q.channel_key} {q.period_key}" for q in queued]
            report.quiet += quiet
            report.failed += failed
        return report

    def _claim_all(self, plans: Sequence[Plan], now: datetime, config: RoundupConfig, report: Report) -> list[Plan]:
        with self._uow() as uow:
            existing = uow.roundups.existing([(p.channel_key, p.period_key) for p in plans])
        open_plans = []
        for plan in plans:
            stored = existing.get((plan.channel_key, plan.period_key))
            if stored is not None and not (stored.status == CLAIMED and stored.claimed_at < now - config.lease):
                report.already.append(plan.label)
            else:
                open_plans.append(plan)
        with self._uow() as uow:
            results = uow.roundups.claim_all([Claim(p.channel_key, p.period_key, p.sub.id, (p.start, p.end))
                                              for p in open_plans], now=now, lease=config.lease)
            uow.commit()
        won = []
        for plan, ours in zip(open_plans, results, strict=True):
            if ours:
                won.append(plan)
            else:
                report.already.append(plan.label)
        return won

    def _compose_all(self, plans: Sequence[Plan], now: datetime, config: RoundupConfig,
                     finder: CatalogueLookup | None) -> list[Composed]:
        if not plans:
            return []
        with self._uow() as uow:  # read everything first; compose without holding a transaction open
            data = PeriodData(uow, plans, now, finder, config.tz)
        # Channels with the same scope, window, kind and language get the same roundup: compose each once.
        done: dict[tuple[object, ...], Composed] = {}
        results: list[Composed] = []
        for plan in plans:
            key = (plan.start, plan.end, plan.period_key, plan.sub.scope, plan.sub.include_waiting,
                   plan.sub.schedule.frequency, plan.sub.lang)
            if key not in done:
                try:
                    done[key] = compose_in(plan.sub.lang, data.content(plan, config), config, self.budgets)
                except Exception as exc:  # a bug for one channel must not stop the others
                    log.exception("could not compose the %s roundup for %s", plan.period_key, plan.channel_key)
                    done[key] = exc
            results.append(done[key])
        return results

    def _queue(self, uow: UnitOfWork, t: Translator, batch: Sequence[tuple[Plan, Composed]],
               now: datetime) -> tuple[list[Queued], list[str], list[str]]:
        queued: list[Queued] = []
        quiet: list[str] = []
        failed: list[str] = []
        for plan, replies in batch:
            if isinstance(replies, Exception):
                uow.roundups.mark_failed(plan.channel_key, plan.period_key, repr(replies), now)
                failed.append(plan.label)
            elif not replies:
                uow.roundups.mark_skipped(plan.channel_key, plan.period_key, now)
                quiet.append(plan.label)
            else:
                try:
                    outbox_id = self._enqueue(uow, plan, replies, now)
                except Unreachable as exc:
                    uow.roundups.mark_failed(plan.channel_key, plan.period_key, str(exc), now)
                    report_failure(uow, t, plan.channel_key, plan.period_key, plan.sub.id, str(exc), gave_up=False,
                                   now=now)
                    failed.append(plan.label)
                    continue
                ideas = sum(1 for r in replies if getattr(r, "kind", "") == "roundup-idea")
                queued.append(Queued(plan.channel_key, plan.period_key, outbox_id, ideas))
        uow.roundups.mark_queued(queued, now)
        return queued, quiet, failed

    def _enqueue(self, uow: UnitOfWork, plan: Plan, replies: list[Reply], now: datetime) -> int | None:
        key = dedupe_key(plan.channel_key, plan.period_key)
        ref = plan.sub.ref
        where = uow.roundups.address(ref)
        if where is None:
            raise Unreachable(f"the app is not installed in channel {ref.key}")
        outbox_id = uow.outbox.enqueue_replies(Address(ref.platform, *where), [reply_to_json(r) for r in replies],
                                               dedupe_key=key, at=now, kind="post")
        if outbox_id is None:  # queued before by a process whose claim lapsed: still one message
            outbox_id = uow.roundups.outbox_id(key)
        return outbox_id

    def _release(self, plans: Sequence[Plan], now: datetime) -> None:
        try:
            with self._uow() as uow:
                for plan in plans:
                    uow.roundups.release(plan.channel_key, plan.period_key, now)
                uow.commit()
        except Exception:  # the lease will free them instead
            log.exception("could not release %d roundup claims", len(plans))
