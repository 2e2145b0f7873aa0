"""Roundup storage: channel subscriptions, the period's ideas, and the (channel, period) claims.

    SubscriptionError (ValueError; one line for a person)
    ├── BadChannelRef     not slack:TEAM_ID:CHANNEL_ID / teams:TEAM_ID:CHANNEL_ID
    ├── UnknownScope      not network / force:SLUG / theme:SLUG, or no such force or theme
    ├── BadWhen           a day, time or frequency that does not parse
    └── NotSubscribed     a channel with no subscription
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import Role, Status, Visibility
from bot.roundup import BadScope, RoundupIdea, Scope, WaitingIdea, summarise
from bot.roundup_chart import Approval
from bot.schedule import BadSchedule, Frequency, Schedule, parse_schedule
from bot.sharing import beyond_force
from storage.catalogue import CATALOGUE_STATUSES
from storage.metrics import SqlMetricsQueries
from storage.models import DecisionRow, ForceRow, IdeaRow, OutboxRow, PersonRow, RoleRow, ThemeRow
from storage.roundup_models import CLAIMED, FAILED, POSTED, QUEUED, SKIPPED, Roundup, Subscription


class SubscriptionError(ValueError):
    pass


class BadChannelRef(SubscriptionError):
    pass


class UnknownScope(SubscriptionError):
    pass


class BadWhen(SubscriptionError):
    pass


class NotSubscribed(SubscriptionError):
    pass


# --- channel references ---------------------------------------------------------------------------

_SLACK_TEAM = re.compile(r"[TE][A-Z0-9]{1,30}")
_SLACK_CHANNEL = re.compile(r"[CG][A-Z0-9]{1,30}")
# Teams team and channel ids look like 19:abc…@thread.tacv2, colon included; other ids have no colon.
_TEAMS_REF = re.compile(r"(?P<tenant>19:[^\s:]{1,160}|[^\s:]{1,128}):(?P<channel>19:[^\s:]{1,230}|[^\s:]{1,255})")
_LOCAL_REF = re.compile(r"(?P<tenant>[^\s:]{1,128}):(?P<channel>[^\s:]{1,255})")


@dataclass(frozen=True, order=True)
class ChannelRef:
    platform: str
    tenant: str
    channel: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.tenant}:{self.channel}"

    def __str__(self) -> str:
        return self.key


LOCAL_CHANNEL = ChannelRef("local", "local", "network")  # the playground's "Network channel" panel


def parse_channel_ref(text: str) -> ChannelRef:
    """``slack:T0123:C0456``, ``teams:19:…@thread.tacv2:19:…@thread.tacv2`` or ``local:local:network``."""
    usage = "expected slack:TEAM_ID:CHANNEL_ID or teams:TEAM_ID:CHANNEL_ID"
    shown = text.strip()[:120]
    platform, _, rest = text.strip().partition(":")
    if platform == "slack":
        tenant, _, channel = rest.partition(":")
        tenant, channel = tenant.upper(), channel.upper()  # Slack's ids are upper case
        if _SLACK_TEAM.fullmatch(tenant) and _SLACK_CHANNEL.fullmatch(channel):
            return ChannelRef(platform, tenant, channel)
        raise BadChannelRef(f"malformed channel {shown!r}: {usage} (Slack ids look like T0123ABC and C0456DEF)")
    pattern = {"teams": _TEAMS_REF, "local": _LOCAL_REF}.get(platform)
    found = pattern.fullmatch(rest) if pattern else None
    if found is None:
        raise BadChannelRef(f"malformed channel {shown!r}: {usage}")
    return ChannelRef(platform, found["tenant"], found["channel"])


# --- subscriptions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription read out of the database, for the scheduler to reason about without a session."""

    id: int
    ref: ChannelRef
    scope: Scope
    schedule: Schedule
    include_waiting: bool
    created_at: datetime
    lang: str = "en"  # en | cy | both


def view(row: Subscription) -> SubscriptionView:
    hour, minute = (int(p) for p in row.time_of_day.split(":"))
    return SubscriptionView(row.id, ChannelRef(row.platform, row.tenant, row.channel), Scope.parse(row.scope),
                            Schedule(row.weekday, time(hour, minute), Frequency(row.frequency)),
                            row.include_waiting, row.created_at, row.lang or "en")


def check_scope(session: Session, text: str) -> Scope:
    try:
        scope = Scope.parse(text)
    except BadScope as exc:
        raise UnknownScope(str(exc)) from None
    if scope.kind == "force" and session.get(ForceRow, scope.slug) is None:
        raise UnknownScope(f"unknown force {scope.slug!r}; use a slug from the forces list, e.g. force:kent")
    if scope.kind == "theme" and session.get(ThemeRow, scope.slug) is None:
        known = ", ".join(session.scalars(select(ThemeRow.slug).order_by(ThemeRow.position).limit(4)).all())
        raise UnknownScope(f"unknown theme {scope.slug!r}; use a theme slug, e.g. theme:{known.split(', ')[0]} "
                           f"(others: {known})")
    return scope


def subscribe(session: Session, channel_ref: str, scope: str, when: str = "mon 09:00", frequency: str = "weekly",
              *, include_waiting: bool = False, now: datetime | None = None, lang: str = "en") -> Subscription:
    """Subscribe a channel to roundups, or change (and re-activate) its subscription. Raises a
    SubscriptionError with one clear line for a malformed channel, an unknown scope or a bad time."""
    ref = parse_channel_ref(channel_ref)
    checked = check_scope(session, scope)
    try:
        schedule = parse_schedule(when, frequency)
    except BadSchedule as exc:
        raise BadWhen(str(exc)) from None
    now = now or datetime.now(UTC)
    row = find_subscription(session, ref)
    if row is None:
        row = Subscription(platform=ref.platform, tenant=ref.tenant, channel=ref.channel, created_at=now)
        session.add(row)
    row.scope = str(checked)
    row.weekday = schedule.weekday
    row.time_of_day = f"{schedule.at:%H:%M}"
    row.frequency = schedule.frequency.value
    row.include_waiting = include_waiting
    row.lang = lang
    row.active = True
    row.failed_reason = ""
    row.updated_at = now
    session.flush()
    return row


def find_subscription(session: Session, ref: ChannelRef) -> Subscription | None:
    return session.scalars(select(Subscription).where(
        Subscription.platform == ref.platform, Subscription.tenant == ref.tenant,
        Subscription.channel == ref.channel)).one_or_none()


def unsubscribe(session: Session, channel_ref: str) -> bool:
    row = find_subscription(session, parse_channel_ref(channel_ref))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def subscriptions(session: Session, *, active_only: bool = True) -> list[Subscription]:
    query = select(Subscription).order_by(Subscription.platform, Subscription.tenant, Subscription.channel)
    if active_only:
        query = query.where(Subscription.active.is_(True))
    return list(session.scalars(query).all())


def scope_name(session: Session, scope: Scope) -> str:
    """The force's or theme's name ("" for the whole network)."""
    if scope.kind == "force":
        force = session.get(ForceRow, scope.slug)
        return force.name if force else scope.slug
    if scope.kind == "theme":
        theme = session.get(ThemeRow, scope.slug)
        return theme.name if theme else scope.slug
    return ""


# --- what a period holds --------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovedIdea:
    idea: RoundupIdea
    approved_at: datetime


def approved_ideas(session: Session, start: datetime, end: datetime) -> list[ApprovedIdea]:
    """Ideas approved for the network in [start, end) that other forces may still see, oldest approval first."""
    approvals = (select(DecisionRow.idea_id, func.max(DecisionRow.created_at).label("approved_at"))
                 .where(DecisionRow.to_status == Status.APPROVED_NETWORK.value,
                        DecisionRow.created_at >= start, DecisionRow.created_at < end)
                 .group_by(DecisionRow.idea_id).subquery())
    rows = session.execute(
        select(IdeaRow.id, IdeaRow.title, IdeaRow.description, IdeaRow.force_slug, ForceRow.name,
               IdeaRow.theme_slug, ThemeRow.name, IdeaRow.stage, IdeaRow.visibility, IdeaRow.contact_consent,
               PersonRow.display_name, approvals.c.approved_at, IdeaRow.shared_as_is)
        .join(approvals, approvals.c.idea_id == IdeaRow.id)
        .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
        .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
        .outerjoin(PersonRow, PersonRow.id == IdeaRow.submitter_id)
        .where(IdeaRow.status.in_(CATALOGUE_STATUSES))
        .order_by(approvals.c.approved_at, IdeaRow.id)).all()
    result = []
    for (idea_id, title, description, force_slug, force_name, theme_slug, theme_name, stage, visibility,
         consent, person_name, approved_at, shared_as_is) in rows:
        # Only a name the submitter chose to show to other forces ever leaves this function, and flagged
        # detail only when a broker shared it as it is.
        shown = person_name if visibility == Visibility.NAMED.value and person_name else None
        summary = summarise(beyond_force(description, shared_as_is))
        idea = RoundupIdea(idea_id, beyond_force(title, shared_as_is), summary, force_slug,
                           force_name, theme_slug, theme_name, stage, shown, bool(consent))
        result.append(ApprovedIdea(idea, approved_at))
    return result


def approvals(session: Session, start: datetime, end: datetime) -> list[Approval]:
    """Every approved-network decision in [start, end) on an idea other forces may still see, with the
    idea's force and theme and nothing else: the roundup chart's weekly counts, for many weeks at once.
    Oldest first. (An idea sent back and approved again appears once for each approval.)"""
    rows = session.execute(
        select(DecisionRow.created_at, IdeaRow.id, IdeaRow.force_slug, ForceRow.name, IdeaRow.theme_slug,
               ThemeRow.name)
        .join(IdeaRow, IdeaRow.id == DecisionRow.idea_id)
        .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
        .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
        .where(DecisionRow.to_status == Status.APPROVED_NETWORK.value, DecisionRow.created_at >= start,
               DecisionRow.created_at < end, IdeaRow.status.in_(CATALOGUE_STATUSES))
        .order_by(DecisionRow.created_at, IdeaRow.id)).all()
    return [Approval(at, idea_id, force, force_name, theme, theme_name)
            for at, idea_id, force, force_name, theme, theme_name in rows]


def waiting_ideas(session: Session, scope: Scope, now: datetime, limit: int = 200) -> list[WaitingIdea]:
    """Ideas submitted and waiting for a broker's decision, in the scope of a broker channel."""
    query = (select(IdeaRow.id, IdeaRow.title, ForceRow.name, IdeaRow.submitted_at, IdeaRow.created_at)
             .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
             .where(IdeaRow.status == Status.SUBMITTED.value)
             .order_by(IdeaRow.submitted_at, IdeaRow.id).limit(limit))
    if scope.kind == "force":
        query = query.where(IdeaRow.force_slug == scope.slug)
    elif scope.kind == "theme":
        query = query.where(IdeaRow.theme_slug == scope.slug)
    # Not decided yet, so nobody has chosen to share anything as it is: a channel sees titles masked.
    return [WaitingIdea(i, beyond_force(title, None), force, max(0, (now - (submitted or created)).days))
            for i, title, force, submitted, created in session.execute(query).all()]


def connections_made(session: Session, start: datetime, end: datetime) -> int:
    """Introductions made in [start, end), across the network: the one rule, ``bot.metrics.rules``."""
    return SqlMetricsQueries(session).connections_made(start, end)


# --- claims ---------------------------------------------------------------------------------------


def claim(session: Session, *, channel_key: str, period_key: str, subscription_id: int | None,
          window: tuple[datetime, datetime], now: datetime, lease: timedelta) -> bool:
    """Take the (channel, period) roundup for this process. True when it is ours to post.

    The unique insert decides between processes; a claim that was never queued (its process died) may
    be taken over once ``lease`` has passed. The outbox's dedupe key backs this up: even two owners
    could queue only one message.
    """
    try:
        with session.begin_nested():
            session.add(Roundup(channel_key=channel_key, period_key=period_key, subscription_id=subscription_id,
                                status=CLAIMED, window_start=window[0], window_end=window[1], idea_count=0,
                                error="", claimed_at=now, updated_at=now))
            session.flush()
        return True
    except IntegrityError:
        pass
    taken = session.execute(
        update(Roundup).where(Roundup.channel_key == channel_key, Roundup.period_key == period_key,
                              Roundup.status == CLAIMED, Roundup.claimed_at < now - lease)
        .values(claimed_at=now, updated_at=now, window_start=window[0], window_end=window[1])
        .execution_options(synchronize_session=False))
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def claim_all(session: Session, claims: Sequence[tuple[str, str, int | None, tuple[datetime, datetime]]], *,
              now: datetime, lease: timedelta) -> list[bool]:
    """``claim`` for many (channel, period, subscription id, window) at once: one insert when nobody else
    holds any of them (the usual case), else one by one."""
    if not claims:
        return []
    rows = [{"channel_key": c, "period_key": p, "subscription_id": sub, "status": CLAIMED, "window_start": w[0],
             "window_end": w[1], "idea_count": 0, "error": "", "claimed_at": now, "updated_at": now}
            for c, p, sub, w in claims]
    try:
        with session.begin_nested():
            session.execute(insert(Roundup), rows)
        return [True] * len(claims)
    except IntegrityError:
        return [claim(session, channel_key=c, period_key=p, subscription_id=sub, window=w, now=now, lease=lease)
                for c, p, sub, w in claims]


def release(session: Session, channel_key: str, period_key: str, claimed_at: datetime) -> None:
    """Give a claim back (the work failed in this process) so the next run can try again."""
    session.execute(delete(Roundup).where(Roundup.channel_key == channel_key, Roundup.period_key == period_key,
                                          Roundup.status == CLAIMED, Roundup.claimed_at == claimed_at))


def _set(session: Session, channel_key: str, period_key: str, now: datetime, **values: object) -> None:
    session.execute(update(Roundup).where(Roundup.channel_key == channel_key, Roundup.period_key == period_key)
                    .values(updated_at=now, **values).execution_options(synchronize_session=False))


def mark_queued(session: Session, queued: Sequence[tuple[str, str, int | None, int]], now: datetime) -> None:
    """Mark (channel, period, outbox id, idea count) rows queued, in one statement."""
    if not queued:
        return
    table = cast(Table, Roundup.__table__)
    statement = (table.update()
                 .where(table.c.channel_key == bindparam("b_channel"), table.c.period_key == bindparam("b_period"))
                 .values(status=QUEUED, outbox_id=bindparam("b_outbox"), idea_count=bindparam("b_ideas"),
                         updated_at=now))
    session.execute(statement, [{"b_channel": c, "b_period": p, "b_outbox": o, "b_ideas": n} for c, p, o, n in queued])


def mark_skipped(session: Session, channel_key: str, period_key: str, now: datetime) -> None:
    _set(session, channel_key, period_key, now, status=SKIPPED)


def mark_failed(session: Session, channel_key: str, period_key: str, error: str, now: datetime) -> None:
    _set(session, channel_key, period_key, now, status=FAILED, error=error[:2000])


def find_roundup(session: Session, channel_key: str, period_key: str) -> Roundup | None:
    return session.scalars(select(Roundup).where(Roundup.channel_key == channel_key,
                                                 Roundup.period_key == period_key)).one_or_none()


def roundups_for(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Roundup]:
    wanted = set(keys)
    channels = {c for c, _ in wanted}
    found: dict[tuple[str, str], Roundup] = {}
    for chunk in _chunks(sorted(channels), 500):
        for row in session.scalars(select(Roundup).where(Roundup.channel_key.in_(chunk))).all():
            if (row.channel_key, row.period_key) in wanted:
                found[(row.channel_key, row.period_key)] = row
    return found


def last_window_ends(session: Session, channel_keys: Iterable[str]) -> dict[str, datetime]:
    """Where each channel's last roundup (posted, queued, skipped or in progress) stopped."""
    ends: dict[str, datetime] = {}
    for chunk in _chunks(sorted(set(channel_keys)), 500):
        rows = session.execute(select(Roundup.channel_key, func.max(Roundup.window_end))
                               .where(Roundup.channel_key.in_(chunk), Roundup.status != FAILED)
                               .group_by(Roundup.channel_key)).all()
        ends.update({key: end for key, end in rows})
    return ends


def recent_local_roundups(session: Session, channel: ChannelRef, limit: int = 5) -> list[OutboxRow]:
    """The newest roundup messages queued for a channel (the playground panel reads these)."""
    return list(session.scalars(
        select(OutboxRow).where(OutboxRow.platform == channel.platform, OutboxRow.tenant == channel.tenant,
                                OutboxRow.target == channel.channel,
                                OutboxRow.dedupe_key.like(f"roundup:{channel.key}:%"))
        .order_by(OutboxRow.id.desc()).limit(limit)).all())


# --- delivery outcomes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Undelivered:
    channel_key: str
    period_key: str
    subscription_id: int | None
    error: str
    attempts: int


def settle(session: Session, now: datetime) -> tuple[int, list[Undelivered]]:
    """Move queued roundups on once the outbox has settled them: sent → posted, dead → failed."""
    rows = session.execute(
        select(Roundup, OutboxRow.status, OutboxRow.last_error, OutboxRow.attempts)
        .join(OutboxRow, OutboxRow.id == Roundup.outbox_id)
        .where(Roundup.status == QUEUED, OutboxRow.status.in_(("sent", "dead")))).all()
    posted, failed = 0, []
    for roundup, status, error, attempts in rows:
        if status == "sent":
            roundup.status, roundup.updated_at = POSTED, now
            posted += 1
        else:
            roundup.status, roundup.error, roundup.updated_at = FAILED, error[:2000], now
            failed.append(Undelivered(roundup.channel_key, roundup.period_key, roundup.subscription_id, error,
                                      attempts))
    session.flush()
    return posted, failed


def record_failure(session: Session, subscription_id: int | None, reason: str, *, pause: bool,
                   now: datetime) -> None:
    if subscription_id is None:
        return
    row = session.get(Subscription, subscription_id)
    if row is None:
        return
    row.failed_reason = reason[:2000]
    row.updated_at = now
    if pause:
        row.active = False
    session.flush()


def admins(session: Session) -> list[PersonRow]:
    return list(session.scalars(
        select(PersonRow).join(RoleRow, RoleRow.person_id == PersonRow.id)
        .where(RoleRow.role == Role.ADMIN.value).order_by(PersonRow.id).distinct()).all())


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
