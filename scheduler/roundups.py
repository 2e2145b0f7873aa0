"""The clock's side of roundups: a service wired with every platform's message budget, and the triggers the
scheduler, ``innovation-bot roundup`` and tests call. The work itself is ``bot.roundups.service``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.send_outcomes import MAX_SEND_ATTEMPTS
from adapters.slack.roundup_blocks import BUDGET as BLOCKS
from adapters.teams.roundup_card import BUDGET as CARD_BYTES
from bot.ports import UnitOfWork
from bot.roundups.budget import Budget
from bot.roundups.delivery import Report
from bot.roundups.planning import RoundupConfig
from bot.roundups.service import FinderFactory, Preview, RoundupService

# Every roundup fits every platform's message: what one channel gets is composed once for all alike.
PLATFORM_BUDGETS: tuple[Budget, ...] = (BLOCKS, CARD_BYTES)

__all__ = ["PLATFORM_BUDGETS", "Preview", "Report", "RoundupConfig", "post_now", "preview", "roundup_service",
           "run_due"]


def roundup_service(uow: Callable[[], UnitOfWork], finder: FinderFactory | None = None) -> RoundupService:
    return RoundupService(uow, budgets=PLATFORM_BUDGETS, delivery_attempts=MAX_SEND_ATTEMPTS, finder=finder)


def run_due(uow: Callable[[], UnitOfWork], now: datetime, config: RoundupConfig,
            finder: FinderFactory | None = None) -> Report:
    """The scheduler's job: follow up deliveries, then post every roundup that is due now."""
    return roundup_service(uow, finder).run_due(now, config)


def post_now(uow: Callable[[], UnitOfWork], now: datetime, config: RoundupConfig, channel: str | None = None,
             finder: FinderFactory | None = None) -> Report:
    """``roundup --now``: post the period in progress now; its scheduled post will then not happen."""
    return roundup_service(uow, finder).post_now(now, config, channel)


def preview(uow: Callable[[], UnitOfWork], now: datetime, config: RoundupConfig, channel: str | None = None,
            period: str | None = None, finder: FinderFactory | None = None) -> list[Preview]:
    """``roundup --dry-run``: what would be posted, without claiming or queueing anything."""
    return roundup_service(uow, finder).preview(now, config, channel, period)
