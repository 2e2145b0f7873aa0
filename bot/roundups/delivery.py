"""After a roundup is queued: follow what the outbox did with it, and tell the admins when a channel got none.

A refusal (``channel_not_found``, the bot was removed, the app is not in the channel) pauses the
subscription until an admin subscribes the channel again; running out of retries (an outage) does not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.codec import reply_to_json
from bot.domain import Platform, Role
from bot.i18n import Translator
from bot.ports import UnitOfWork
from bot.replies import Text

log = logging.getLogger(__name__)


@dataclass
class Report:
    queued: list[str] = field(default_factory=list)  # "channel period"
    quiet: list[str] = field(default_factory=list)  # nothing to say and QuietMode.SKIP
    already: list[str] = field(default_factory=list)  # claimed or posted before (by anyone)
    failed: list[str] = field(default_factory=list)
    posted: int = 0  # delivered since the last run
    undelivered: int = 0


def settle_deliveries(uow: UnitOfWork, t: Translator, now: datetime, delivery_attempts: int,
                      report: Report) -> None:
    """Mark delivered roundups posted, and report the ones the outbox gave up on (in ``uow``; the caller
    commits). ``delivery_attempts`` is how often the outbox tries before it gives up."""
    report.posted, undelivered = uow.roundups.settle(now)
    for failure in undelivered:
        report.undelivered += 1
        report_failure(uow, t, failure.channel_key, failure.period_key, failure.subscription_id, failure.error,
                       gave_up=failure.attempts >= delivery_attempts, now=now)


def report_failure(uow: UnitOfWork, t: Translator, channel_key: str, period: str, subscription_id: int | None,
                   error: str, *, gave_up: bool, now: datetime) -> None:
    """Record why a channel got no roundup on its subscription and tell every admin the bot can reach."""
    reason = error.strip()[:300] or "no reason given"
    if subscription_id is not None:
        uow.subscriptions.record_failure(subscription_id, f"{period}: {reason}", pause=not gave_up, at=now)
    text = t("roundup.undelivered.admin" if gave_up else "roundup.failed.admin", period=period, channel=channel_key,
             reason=reason)
    told = 0
    for admin in uow.reviews.people_with_role(Role.ADMIN):
        if admin.ref.platform == Platform.LOCAL:  # nobody reads a console admin's direct messages later
            continue
        uow.outbox.enqueue_replies(admin.dm, [reply_to_json(Text(text))], at=now, kind="dm",
                                   dedupe_key=f"roundup-failed:{channel_key}:{period}:{admin.person_id}")
        told += 1
    log.warning("the %s roundup for %s was not delivered (%s); subscription %s; %d admin(s) told",
                period, channel_key, reason, "kept" if gave_up else "paused", told)
    if not told:
        log.error("no admin with a chat platform identity can be told that the %s roundup for %s failed; "
                  "the failure is recorded on the subscription", period, channel_key)
