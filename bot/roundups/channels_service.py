"""Setting up roundup channels, and reading what one channel got: the admin command, the playground's
"Network channel" panel and tests call this instead of reaching for storage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.codec import reply_from_json
from bot.ports import UnitOfWork
from bot.replies import Reply
from bot.roundups.channels import ChannelRef
from bot.roundups.service import dedupe_key
from bot.roundups.subscriptions import SubscriptionView, subscribe, subscribed, unsubscribe


@dataclass(frozen=True)
class PostedRoundup:
    outbox_id: int
    period: str
    replies: list[Reply]


class RoundupChannels:
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    def subscribe(self, channel: str, scope: str, when: str = "mon 09:00", frequency: str = "weekly", *,
                  include_waiting: bool = False, lang: str = "en", now: datetime | None = None) -> SubscriptionView:
        """Subscribe (or change) a channel; raises a SubscriptionError with one line for a person."""
        with self._uow() as uow:
            view = subscribe(uow.subscriptions, uow.reference, channel, scope, when, frequency,
                             include_waiting=include_waiting, lang=lang, at=now or datetime.now(UTC))
            uow.commit()
        return view

    def ensure_subscribed(self, ref: ChannelRef, scope: str = "network") -> bool:
        """Subscribe ``ref`` unless it already has a subscription (an admin's choice is kept). True if added."""
        with self._uow() as uow:
            if uow.subscriptions.find(ref) is not None:
                return False
            subscribe(uow.subscriptions, uow.reference, ref.key, scope, at=datetime.now(UTC))
            uow.commit()
        return True

    def unsubscribe(self, channel: str) -> bool:
        with self._uow() as uow:
            removed = unsubscribe(uow.subscriptions, channel)
            uow.commit()
        return removed

    def subscriptions(self, channel: str | None = None, *, active_only: bool = True) -> list[SubscriptionView]:
        with self._uow() as uow:
            return subscribed(uow.subscriptions, channel, active_only=active_only)

    def delivered_to(self, ref: ChannelRef, *, after: int = 0, limit: int = 5, now: datetime) -> list[PostedRoundup]:
        """Roundups queued for a channel that a page stands in for (the playground's): the newest ``limit``,
        or with ``after`` only newer ones, oldest first. Reading them there is their delivery, so they are
        marked sent and the roundups then count as posted. A malformed stored reply fails here, loudly,
        and nothing is marked."""
        prefix = dedupe_key(ref.key, "")
        with self._uow() as uow:
            posts = uow.roundups.posts(ref, prefix, after=after, limit=limit)
            result = [PostedRoundup(p.outbox_id, p.dedupe_key.removeprefix(prefix),
                                    [reply_from_json(r) for r in p.payload.get("replies", [])]) for p in posts]
            uow.roundups.mark_sent([p.outbox_id for p in posts if not p.sent], now)
            uow.commit()
        return result
