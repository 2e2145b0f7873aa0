"""Roundup storage in memory, with the semantics of ``storage.roundups``: channel subscriptions (one per
channel), the (channel, period) claims (one per pair, as the database's unique key keeps them) and the
roundup messages in the outbox. What a period holds is ``storage/memory/roundup_period.py``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

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
from storage.memory.roundup_period import MemoryRoundupPeriod
from storage.memory.tables import Ids, RoundupRow, SubscriptionRow, Tables, stored_json
from storage.outbox_store import DEAD, SENT


def _record(row: SubscriptionRow) -> SubscriptionRecord:
    return SubscriptionRecord(row.id, ChannelRef(row.platform, row.tenant, row.channel), row.scope, row.weekday,
                              row.time_of_day, row.frequency, row.include_waiting, row.lang or "en", row.active,
                              row.failed_reason, row.created_at)


class MemorySubscriptions:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def _row(self, ref: ChannelRef) -> SubscriptionRow | None:
        return next((s for s in self._t.subscriptions.values()
                     if (s.platform, s.tenant, s.channel) == (ref.platform, ref.tenant, ref.channel)), None)

    def find(self, ref: ChannelRef) -> SubscriptionRecord | None:
        row = self._row(ref)
        return _record(row) if row is not None else None

    def every(self, *, active_only: bool = True) -> list[SubscriptionRecord]:
        rows = sorted(self._t.subscriptions.values(), key=lambda s: (s.platform, s.tenant, s.channel))
        return [_record(s) for s in rows if s.active or not active_only]

    def save(self, ref: ChannelRef, change: SubscriptionChange, at: datetime) -> SubscriptionRecord:
        row = self._row(ref) or SubscriptionRow(
            self._ids.next("roundup_subscriptions"), ref.platform, ref.tenant, ref.channel, change.scope,
            change.weekday, change.time_of_day, change.frequency, change.include_waiting, change.lang, True, "", at, at)
        row = replace(row, scope=change.scope, weekday=change.weekday, time_of_day=change.time_of_day,
                      frequency=change.frequency, include_waiting=change.include_waiting, lang=change.lang,
                      active=True, failed_reason="", updated_at=at)
        self._t.subscriptions[row.id] = row
        return _record(row)

    def remove(self, ref: ChannelRef) -> bool:
        row = self._row(ref)
        if row is None:
            return False
        del self._t.subscriptions[row.id]
        return True

    def record_failure(self, subscription_id: int, reason: str, *, pause: bool, at: datetime) -> None:
        row = self._t.subscriptions.get(subscription_id)
        if row is not None:
            self._t.subscriptions[row.id] = replace(row, failed_reason=reason[:2000], updated_at=at,
                                                    active=row.active and not pause)


def _claim_record(row: RoundupRow) -> ClaimRecord:
    return ClaimRecord(row.status, row.claimed_at, row.window_start, row.window_end)


class MemoryRoundups(MemoryRoundupPeriod):
    def __init__(self, tables: Tables, ids: Ids) -> None:
        super().__init__(tables)
        self._ids = ids

    # --- claims -----------------------------------------------------------------------------------

    def find(self, channel_key: str, period_key: str) -> ClaimRecord | None:
        row = self._t.roundups.get((channel_key, period_key))
        return _claim_record(row) if row is not None else None

    def existing(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ClaimRecord]:
        return {key: _claim_record(self._t.roundups[key]) for key in set(keys) if key in self._t.roundups}

    def _claim(self, claim: Claim, now: datetime, lease: timedelta) -> bool:
        key = (claim.channel_key, claim.period_key)
        held = self._t.roundups.get(key)
        if held is None:
            self._t.roundups[key] = RoundupRow(self._ids.next("roundups"), claim.channel_key, claim.period_key,
                                               claim.subscription_id, CLAIMED, claim.window[0], claim.window[1],
                                               now, now)
            return True
        if held.status != CLAIMED or not held.claimed_at < now - lease:  # held, and its process may be alive
            return False
        self._t.roundups[key] = replace(held, claimed_at=now, updated_at=now, window_start=claim.window[0],
                                        window_end=claim.window[1])
        return True

    def claim_all(self, claims: Sequence[Claim], *, now: datetime, lease: timedelta) -> list[bool]:
        return [self._claim(c, now, lease) for c in claims]

    def release(self, channel_key: str, period_key: str, claimed_at: datetime) -> None:
        row = self._t.roundups.get((channel_key, period_key))
        if row is not None and row.status == CLAIMED and row.claimed_at == claimed_at:
            del self._t.roundups[(channel_key, period_key)]

    def _set(self, channel_key: str, period_key: str, now: datetime, **values: object) -> None:
        row = self._t.roundups.get((channel_key, period_key))
        if row is not None:
            self._t.roundups[(channel_key, period_key)] = replace(row, updated_at=now, **values)  # type: ignore[arg-type]

    def mark_queued(self, queued: Sequence[Queued], now: datetime) -> None:
        for q in queued:
            self._set(q.channel_key, q.period_key, now, status=QUEUED, outbox_id=q.outbox_id, idea_count=q.ideas)

    def mark_skipped(self, channel_key: str, period_key: str, now: datetime) -> None:
        self._set(channel_key, period_key, now, status=SKIPPED)

    def mark_failed(self, channel_key: str, period_key: str, error: str, now: datetime) -> None:
        self._set(channel_key, period_key, now, status=FAILED, error=error[:2000])

    def last_window_ends(self, channel_keys: Iterable[str]) -> dict[str, datetime]:
        wanted, ends = set(channel_keys), dict[str, datetime]()
        for row in self._t.roundups.values():
            if row.channel_key in wanted and row.status != FAILED:
                ends[row.channel_key] = max(ends.get(row.channel_key, row.window_end), row.window_end)
        return ends

    def settle(self, now: datetime) -> tuple[int, list[Undelivered]]:
        posted, failed = 0, []
        for row in sorted(self._t.roundups.values(), key=lambda r: r.id):
            message = self._t.outbox.get(row.outbox_id) if row.outbox_id is not None else None
            if row.status != QUEUED or message is None or message.status not in (SENT, DEAD):
                continue
            key = (row.channel_key, row.period_key)
            if message.status == SENT:
                self._t.roundups[key] = replace(row, status=POSTED, updated_at=now)
                posted += 1
            else:
                self._t.roundups[key] = replace(row, status=FAILED, error=message.last_error[:2000], updated_at=now)
                failed.append(Undelivered(row.channel_key, row.period_key, row.subscription_id, message.last_error,
                                          message.attempts))
        return posted, failed

    # --- where roundups go ------------------------------------------------------------------------

    def address(self, ref: ChannelRef) -> tuple[str, str] | None:
        if ref.platform != "teams":
            return ref.tenant, ref.channel
        row = next((r for r in self._t.references.values()
                    if r.scope == "channel" and r.team_id == ref.tenant and r.channel_id == ref.channel), None)
        return (row.tenant_id, row.conversation_id) if row is not None else None

    def outbox_id(self, dedupe_key: str) -> int | None:
        return next((r.id for r in self._t.outbox.values() if r.dedupe_key == dedupe_key), None)

    def posts(self, ref: ChannelRef, key_prefix: str, *, after: int, limit: int) -> list[ChannelPost]:
        rows = sorted((r for r in self._t.outbox.values()
                       if (r.platform, r.tenant, r.target) == (ref.platform, ref.tenant, ref.channel)
                       and r.dedupe_key is not None and r.dedupe_key.startswith(key_prefix)), key=lambda r: r.id)
        chosen = [r for r in rows if r.id > after][:limit] if after else rows[-limit:] if limit > 0 else []
        return [ChannelPost(r.id, r.dedupe_key or "", stored_json(r.payload), r.status == SENT) for r in chosen]

    def mark_sent(self, outbox_ids: Sequence[int], at: datetime) -> None:
        for outbox_id in outbox_ids:
            row = self._t.outbox.get(outbox_id)
            if row is not None:
                self._t.outbox[outbox_id] = replace(row, status=SENT, sent_at=at, lease_until=None)
