"""Roundup storage: channel subscriptions, the (channel, period) claims, and the roundup messages queued.

Implements ``bot.roundups.ports.Subscriptions`` and ``Roundups`` (the period's reads come from
``storage/roundup_period.py``). The rules — what a channel reference or a scope may be, who may be named,
when a claim may be taken over — live in ``bot/roundups``; this module stores and queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.roundups.channels import ChannelRef
from bot.roundups.ports import (
    CLAIMED,
    FAILED,
    POSTED,
    QUEUED,
    SKIPPED,
    ChannelPost,
    Claim,
    ClaimRecord,
    Queued,
    SubscriptionChange,
    SubscriptionRecord,
    Undelivered,
)
from storage.models import OutboxRow
from storage.roundup_models import Roundup, Subscription
from storage.roundup_period import SqlRoundupPeriod
from storage.teams_models import TeamsReferenceRow


def _record(row: Subscription) -> SubscriptionRecord:
    return SubscriptionRecord(row.id, ChannelRef(row.platform, row.tenant, row.channel), row.scope, row.weekday,
                              row.time_of_day, row.frequency, row.include_waiting, row.lang or "en", row.active,
                              row.failed_reason, row.created_at)


class SqlSubscriptions:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _row(self, ref: ChannelRef) -> Subscription | None:
        return self._s.scalars(select(Subscription).where(
            Subscription.platform == ref.platform, Subscription.tenant == ref.tenant,
            Subscription.channel == ref.channel)).one_or_none()

    def find(self, ref: ChannelRef) -> SubscriptionRecord | None:
        row = self._row(ref)
        return _record(row) if row is not None else None

    def every(self, *, active_only: bool = True) -> list[SubscriptionRecord]:
        query = select(Subscription).order_by(Subscription.platform, Subscription.tenant, Subscription.channel)
        if active_only:
            query = query.where(Subscription.active.is_(True))
        return [_record(row) for row in self._s.scalars(query).all()]

    def save(self, ref: ChannelRef, change: SubscriptionChange, at: datetime) -> SubscriptionRecord:
        row = self._row(ref)
        if row is None:
            row = Subscription(platform=ref.platform, tenant=ref.tenant, channel=ref.channel, created_at=at)
            self._s.add(row)
        row.scope, row.weekday, row.time_of_day = change.scope, change.weekday, change.time_of_day
        row.frequency, row.include_waiting, row.lang = change.frequency, change.include_waiting, change.lang
        row.active, row.failed_reason, row.updated_at = True, "", at
        self._s.flush()
        return _record(row)

    def remove(self, ref: ChannelRef) -> bool:
        row = self._row(ref)
        if row is None:
            return False
        self._s.delete(row)
        self._s.flush()
        return True

    def record_failure(self, subscription_id: int, reason: str, *, pause: bool, at: datetime) -> None:
        row = self._s.get(Subscription, subscription_id)
        if row is None:
            return
        row.failed_reason = reason[:2000]
        row.updated_at = at
        if pause:
            row.active = False
        self._s.flush()


def _claim_record(row: Roundup) -> ClaimRecord:
    return ClaimRecord(row.status, row.claimed_at, row.window_start, row.window_end)


class SqlRoundups(SqlRoundupPeriod):
    # --- claims -----------------------------------------------------------------------------------

    def find(self, channel_key: str, period_key: str) -> ClaimRecord | None:
        row = self._s.scalars(select(Roundup).where(Roundup.channel_key == channel_key,
                                                    Roundup.period_key == period_key)).one_or_none()
        return _claim_record(row) if row is not None else None

    def existing(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ClaimRecord]:
        wanted = set(keys)
        found: dict[tuple[str, str], ClaimRecord] = {}
        for chunk in _chunks(sorted({c for c, _ in wanted}), 500):
            for row in self._s.scalars(select(Roundup).where(Roundup.channel_key.in_(chunk))).all():
                if (row.channel_key, row.period_key) in wanted:
                    found[(row.channel_key, row.period_key)] = _claim_record(row)
        return found

    def _claim(self, claim: Claim, now: datetime, lease: timedelta) -> bool:
        """The unique insert decides between processes; a claim never queued (its process died) may be taken
        over once ``lease`` has passed. The outbox's dedupe key backs this up."""
        try:
            with self._s.begin_nested():
                self._s.add(Roundup(channel_key=claim.channel_key, period_key=claim.period_key,
                                    subscription_id=claim.subscription_id, status=CLAIMED,
                                    window_start=claim.window[0], window_end=claim.window[1], idea_count=0,
                                    error="", claimed_at=now, updated_at=now))
                self._s.flush()
            return True
        except IntegrityError:
            pass
        taken = self._s.execute(
            update(Roundup).where(Roundup.channel_key == claim.channel_key, Roundup.period_key == claim.period_key,
                                  Roundup.status == CLAIMED, Roundup.claimed_at < now - lease)
            .values(claimed_at=now, updated_at=now, window_start=claim.window[0], window_end=claim.window[1])
            .execution_options(synchronize_session=False))
        return bool(taken.rowcount == 1)  # type: ignore[attr-defined]

    def claim_all(self, claims: Sequence[Claim], *, now: datetime, lease: timedelta) -> list[bool]:
        """One insert when nobody else holds any of them (the usual case), else one by one."""
        if not claims:
            return []
        rows = [{"channel_key": c.channel_key, "period_key": c.period_key, "subscription_id": c.subscription_id,
                 "status": CLAIMED, "window_start": c.window[0], "window_end": c.window[1], "idea_count": 0,
                 "error": "", "claimed_at": now, "updated_at": now} for c in claims]
        try:
            with self._s.begin_nested():
                self._s.execute(insert(Roundup), rows)
            return [True] * len(claims)
        except IntegrityError:
            return [self._claim(c, now, lease) for c in claims]

    def release(self, channel_key: str, period_key: str, claimed_at: datetime) -> None:
        self._s.execute(delete(Roundup).where(Roundup.channel_key == channel_key, Roundup.period_key == period_key,
                                              Roundup.status == CLAIMED, Roundup.claimed_at == claimed_at))

    def _set(self, channel_key: str, period_key: str, now: datetime, **values: object) -> None:
        self._s.execute(update(Roundup).where(Roundup.channel_key == channel_key, Roundup.period_key == period_key)
                        .values(updated_at=now, **values).execution_options(synchronize_session=False))

    def mark_queued(self, queued: Sequence[Queued], now: datetime) -> None:
        """In one statement."""
        if not queued:
            return
        table = cast(Table, Roundup.__table__)
        statement = (table.update()
                     .where(table.c.channel_key == bindparam("b_channel"), table.c.period_key == bindparam("b_period"))
                     .values(status=QUEUED, outbox_id=bindparam("b_outbox"), idea_count=bindparam("b_ideas"),
                             updated_at=now))
        self._s.execute(statement, [{"b_channel": q.channel_key, "b_period": q.period_key, "b_outbox": q.outbox_id,
                                     "b_ideas": q.ideas} for q in queued])

    def mark_skipped(self, channel_key: str, period_key: str, now: datetime) -> None:
        self._set(channel_key, period_key, now, status=SKIPPED)

    def mark_failed(self, channel_key: str, period_key: str, error: str, now: datetime) -> None:
        self._set(channel_key, period_key, now, status=FAILED, error=error[:2000])

    def last_window_ends(self, channel_keys: Iterable[str]) -> dict[str, datetime]:
        ends: dict[str, datetime] = {}
        for chunk in _chunks(sorted(set(channel_keys)), 500):
            rows = self._s.execute(select(Roundup.channel_key, func.max(Roundup.window_end))
                                   .where(Roundup.channel_key.in_(chunk), Roundup.status != FAILED)
                                   .group_by(Roundup.channel_key)).all()
            ends.update({key: end for key, end in rows})
        return ends

    def settle(self, now: datetime) -> tuple[int, list[Undelivered]]:
        rows = self._s.execute(
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
        self._s.flush()
        return posted, failed

    # --- where roundups go ------------------------------------------------------------------------

    def address(self, ref: ChannelRef) -> tuple[str, str] | None:
        """A Teams channel is written to through the conversation the app was installed in, so
        ``teams:TEAM_ID:CHANNEL_ID`` becomes (tenant id, conversation id); other channels are their own."""
        if ref.platform != "teams":
            return ref.tenant, ref.channel
        row = self._s.scalars(select(TeamsReferenceRow).where(
            TeamsReferenceRow.scope == "channel", TeamsReferenceRow.team_id == ref.tenant,
            TeamsReferenceRow.channel_id == ref.channel)).one_or_none()
        return (row.tenant_id, row.conversation_id) if row is not None else None

    def outbox_id(self, dedupe_key: str) -> int | None:
        return self._s.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == dedupe_key))

    def posts(self, ref: ChannelRef, key_prefix: str, *, after: int, limit: int) -> list[ChannelPost]:
        query = select(OutboxRow).where(
            OutboxRow.platform == ref.platform, OutboxRow.tenant == ref.tenant, OutboxRow.target == ref.channel,
            OutboxRow.dedupe_key.startswith(key_prefix, autoescape=True))
        if after:
            rows = list(self._s.scalars(query.where(OutboxRow.id > after).order_by(OutboxRow.id).limit(limit)))
        else:
            rows = list(reversed(self._s.scalars(query.order_by(OutboxRow.id.desc()).limit(limit)).all()))
        return [ChannelPost(row.id, row.dedupe_key or "", row.payload, row.status == "sent") for row in rows]

    def mark_sent(self, outbox_ids: Sequence[int], at: datetime) -> None:
        if outbox_ids:
            self._s.execute(update(OutboxRow).where(OutboxRow.id.in_(list(outbox_ids)))
                            .values(status="sent", sent_at=at, lease_until=None)
                            .execution_options(synchronize_session=False))


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
