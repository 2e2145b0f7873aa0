"""What roundups need from storage, as protocols: the channels' subscriptions, and the roundups themselves
(one claim per channel and period, where they are posted, what a period holds). ``storage/roundups.py``
and ``storage/roundup_period.py`` implement them; ``bot.ports.UnitOfWork`` hands them out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.roundups.channels import ChannelRef
from bot.roundups.chart import Approval

# A roundup's claim moves claimed → queued → posted, or ends skipped (a quiet period) or failed.
CLAIMED, QUEUED, POSTED, FAILED, SKIPPED = "claimed", "queued", "posted", "failed", "skipped"


@dataclass(frozen=True)
class SubscriptionRecord:
    """A subscription as stored; ``bot.roundups.subscriptions.view`` reads it (and may find it unreadable)."""

    id: int
    ref: ChannelRef
    scope: str
    weekday: int
    time_of_day: str  # HH:MM, local time
    frequency: str
    include_waiting: bool
    lang: str
    active: bool
    failed_reason: str
    created_at: datetime


@dataclass(frozen=True)
class SubscriptionChange:
    """What ``Subscriptions.save`` writes (already checked): a new subscription, or a changed one re-activated."""

    scope: str
    weekday: int
    time_of_day: str
    frequency: str
    include_waiting: bool
    lang: str


class Subscriptions(Protocol):
    def find(self, ref: ChannelRef) -> SubscriptionRecord | None: ...

    def every(self, *, active_only: bool = True) -> list[SubscriptionRecord]:
        """Ordered by platform, tenant and channel."""

    def save(self, ref: ChannelRef, change: SubscriptionChange, at: datetime) -> SubscriptionRecord:
        """Create or change the channel's subscription; it is active again with no failure recorded."""

    def remove(self, ref: ChannelRef) -> bool: ...

    def record_failure(self, subscription_id: int, reason: str, *, pause: bool, at: datetime) -> None: ...


@dataclass(frozen=True)
class Claim:
    channel_key: str
    period_key: str
    subscription_id: int | None
    window: tuple[datetime, datetime]


@dataclass(frozen=True)
class ClaimRecord:
    status: str
    claimed_at: datetime
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True)
class Queued:
    channel_key: str
    period_key: str
    outbox_id: int | None
    ideas: int


@dataclass(frozen=True)
class Undelivered:
    channel_key: str
    period_key: str
    subscription_id: int | None
    error: str
    attempts: int


@dataclass(frozen=True)
class ApprovedRecord:
    """An idea approved for the network in a period, as stored (the roundup decides what of it to show)."""

    idea_id: int
    title: str
    description: str
    force_slug: str
    force_name: str
    theme_slug: str | None
    theme_name: str | None
    stage: str
    visibility: str
    contact_consent: bool
    submitter_name: str | None
    approved_at: datetime
    shared_as_is: str | None


@dataclass(frozen=True)
class WaitingRecord:
    idea_id: int
    title: str
    force_name: str
    since: datetime  # submitted (or, for an old row with no submission time, created)


@dataclass(frozen=True)
class ChannelPost:
    """A roundup message queued for a channel: the outbox id, its dedupe key and its payload."""

    outbox_id: int
    dedupe_key: str
    payload: dict[str, Any]
    sent: bool


class Roundups(Protocol):
    # --- the (channel, period) claims ---
    def find(self, channel_key: str, period_key: str) -> ClaimRecord | None: ...

    def existing(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ClaimRecord]: ...

    def claim_all(self, claims: Sequence[Claim], *, now: datetime, lease: timedelta) -> list[bool]:
        """Insert each claim; one nobody holds, or held by a claim older than ``lease`` and never queued, is
        ours (True). Decided by the database's unique key, so two processes never both win."""

    def release(self, channel_key: str, period_key: str, claimed_at: datetime) -> None: ...

    def mark_queued(self, queued: Sequence[Queued], now: datetime) -> None: ...

    def mark_skipped(self, channel_key: str, period_key: str, now: datetime) -> None: ...

    def mark_failed(self, channel_key: str, period_key: str, error: str, now: datetime) -> None: ...

    def last_window_ends(self, channel_keys: Iterable[str]) -> dict[str, datetime]:
        """Where each channel's last roundup that did not fail stopped."""

    def settle(self, now: datetime) -> tuple[int, list[Undelivered]]:
        """Queued roundups the outbox has finished with: sent ones become posted (counted), dead ones failed."""

    # --- where roundups go ---
    def address(self, ref: ChannelRef) -> tuple[str, str] | None:
        """(tenant, target) the outbox posts to for this channel; None when the bot cannot write there."""

    def outbox_id(self, dedupe_key: str) -> int | None: ...

    def posts(self, ref: ChannelRef, key_prefix: str, *, after: int, limit: int) -> list[ChannelPost]:
        """Messages queued for the channel whose dedupe key starts with ``key_prefix``, oldest first: the
        newest ``limit``, or those after outbox id ``after``."""

    def mark_sent(self, outbox_ids: Sequence[int], at: datetime) -> None: ...

    # --- what a period holds ---
    def approved(self, start: datetime, end: datetime) -> list[ApprovedRecord]:
        """Ideas approved for the network in [start, end) that other forces may still see, oldest approval first."""

    def approvals(self, start: datetime, end: datetime) -> list[Approval]:
        """Every approved-network decision in [start, end) on an idea other forces may still see, oldest first."""

    def waiting(self, scope_kind: str, slug: str, limit: int = 200) -> list[WaitingRecord]:
        """Ideas waiting for a broker's decision, of one force or theme (or all), longest waiting first."""

    def connections_made(self, since: datetime, until: datetime) -> int:
        """Introductions made in [since, until), across the network (the metrics' one rule)."""
