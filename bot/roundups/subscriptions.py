"""A channel's subscription to roundups: the rules for subscribing, changing and reading one back.

The functions take the repositories they need (``Subscriptions``, ``bot.ports.Reference``) inside a unit
of work the caller commits, so the admin command and the playground's panel share one set of rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from bot.ports import Reference
from bot.roundups.channels import BadWhen, ChannelRef, NotSubscribed, UnknownScope, parse_channel_ref
from bot.roundups.content import BadScope, Scope
from bot.roundups.ports import SubscriptionChange, SubscriptionRecord, Subscriptions
from bot.roundups.schedule import BadSchedule, Frequency, Schedule, parse_schedule

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class SubscriptionView:
    """A subscription the scheduler can reason about: its channel, scope, schedule and language."""

    id: int
    ref: ChannelRef
    scope: Scope
    schedule: Schedule
    include_waiting: bool
    created_at: datetime
    lang: str = "en"  # en | cy | both


def view(record: SubscriptionRecord) -> SubscriptionView:
    """Read a stored subscription. Raises ValueError for one edited by hand into nonsense."""
    hour, minute = (int(p) for p in record.time_of_day.split(":"))
    return SubscriptionView(record.id, record.ref, Scope.parse(record.scope),
                            Schedule(record.weekday, time(hour, minute), Frequency(record.frequency)),
                            record.include_waiting, record.created_at, record.lang or "en")


def check_scope(reference: Reference, text: str) -> Scope:
    """``network``, ``force:SLUG`` or ``theme:SLUG`` naming a force or theme that exists."""
    try:
        scope = Scope.parse(text)
    except BadScope as exc:
        raise UnknownScope(exc.key, **exc.params) from None
    if scope.kind == "force" and scope.slug not in {f.slug for f in reference.forces()}:
        raise UnknownScope("roundup.error.unknown_force", slug=repr(scope.slug), example="force:kent")
    if scope.kind == "theme":
        slugs = [theme.slug for theme in reference.themes()]
        if scope.slug not in slugs:
            raise UnknownScope("roundup.error.unknown_theme", slug=repr(scope.slug),
                               example=f"theme:{slugs[0]}" if slugs else "theme:SLUG", known=", ".join(slugs[:4]))
    return scope


def scope_names(reference: Reference, scopes: Iterable[Scope]) -> dict[Scope, str]:
    """Each scope's force or theme name ("" for the whole network), reading the reference data once."""
    forces = {f.slug: f.name for f in reference.forces()}
    themes = {t.slug: t.name for t in reference.themes()}
    names = {"force": forces, "theme": themes}
    return {scope: names[scope.kind].get(scope.slug, scope.slug) if scope.kind in names else "" for scope in scopes}


def subscribe(subscriptions: Subscriptions, reference: Reference, channel: str, scope: str,
              when: str = "mon 09:00", frequency: str = "weekly", *, include_waiting: bool = False,
              lang: str = "en", at: datetime) -> SubscriptionView:
    """Subscribe a channel to roundups, or change (and re-activate) its subscription. Raises a
    SubscriptionError with one clear line for a malformed channel, an unknown scope or a bad time."""
    ref = parse_channel_ref(channel)
    checked = check_scope(reference, scope)
    try:
        schedule = parse_schedule(when, frequency)
    except BadSchedule as exc:
        raise BadWhen(exc.key, **exc.params) from None
    change = SubscriptionChange(str(checked), schedule.weekday, f"{schedule.at:%H:%M}", schedule.frequency.value,
                                include_waiting, lang)
    return view(subscriptions.save(ref, change, at))


def unsubscribe(subscriptions: Subscriptions, channel: str) -> bool:
    return subscriptions.remove(parse_channel_ref(channel))


def subscribed(subscriptions: Subscriptions, channel: str | None, *,
               active_only: bool = True) -> list[SubscriptionView]:
    """Every (active) subscription, or the one of ``channel``, which must be subscribed (and active)."""
    if channel is None:
        views = []
        for record in subscriptions.every(active_only=active_only):
            try:
                views.append(view(record))
            except ValueError:  # a row edited by hand into nonsense must not stop every other channel
                log.error("subscription %d (%s) cannot be read; skipped", record.id, record.ref.key)
        return views
    ref = parse_channel_ref(channel)
    found = subscriptions.find(ref)
    if found is None:
        raise NotSubscribed("roundup.error.not_subscribed", channel=ref.key,
                            command=f"innovation-bot admin subscribe {ref.key} --scope network")
    if active_only and not found.active:
        if found.failed_reason:
            raise NotSubscribed("roundup.error.paused", channel=ref.key, reason=found.failed_reason)
        raise NotSubscribed("roundup.error.paused_no_reason", channel=ref.key)
    return [view(found)]
