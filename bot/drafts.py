"""Idle drafts, swept by the clock: a reminder before a draft expires, then expiry.

The conversation engine also expires a stale draft lazily when its owner next writes; this sweep makes
sure abandoned drafts do not sit in the database for ever, and tells their owner once beforehand."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.codec import reply_to_json
from bot.conversation import Draft
from bot.i18n import Translator
from bot.ports import Address, ConcurrentUpdate, UnitOfWork
from bot.replies import Text

log = logging.getLogger(__name__)


def expire_idle_drafts(uow_factory: Callable[[], UnitOfWork], now: datetime, ttl: timedelta) -> int:
    """Drop drafts idle for longer than ``ttl``; returns how many were expired."""
    expired = 0
    try:
        with uow_factory() as uow:
            for ref, record in uow.conversations.idle_since(now - ttl):
                uow.conversations.save(ref, "idle", None, expected_version=record.version, at=now)
                expired += 1
            uow.commit()
    except ConcurrentUpdate:  # someone wrote at that moment: their draft is alive; the next sweep decides
        log.info("a draft changed during the expiry sweep; trying again next time")
        return 0
    if expired:
        log.info("expired %d idle drafts", expired)
    return expired


def remind_idle_drafts(uow_factory: Callable[[], UnitOfWork], now: datetime, ttl: timedelta,
                       before: timedelta) -> int:
    """Tell people their unfinished idea will expire soon (once per idle spell); returns how many were told."""
    if before >= ttl:
        before = ttl / 2
    told = 0
    with uow_factory() as uow:
        for ref, record in uow.conversations.idle_since(now - (ttl - before)):
            if record.updated_at <= now - ttl or not record.draft:
                continue  # already due to expire: the sweep takes it
            draft = Draft.from_json(record.draft)
            t = Translator(uow.people.ensure(ref, at=now).locale)
            text = t("draft.reminder", title=draft.title or t("draft.untitled"))
            queued = uow.outbox.enqueue_replies(
                Address(ref.platform, ref.tenant, ref.user_id), [reply_to_json(Text(text))],
                dedupe_key=f"draft-reminder:{ref}:{record.version}", at=now, kind="dm")
            told += queued is not None
        uow.commit()
    if told:
        log.info("reminded %d people of unfinished ideas", told)
    return told
