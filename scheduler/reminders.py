"""Broker reminders, run by the clock (and by `innovation-bot reminders` by hand)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.i18n import Translator
from bot.ports import UnitOfWork
from bot.review.reminders import ReminderCounts, remind
from bot.review.workflow import ReviewWorkflow


def send_reminders(uow_factory: Callable[[], UnitOfWork], now: datetime, working_days: int) -> ReminderCounts:
    with uow_factory() as uow:
        counts = remind(uow, ReviewWorkflow(), now, working_days, Translator())
        uow.commit()
    return counts
