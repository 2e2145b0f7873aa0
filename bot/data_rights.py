"""A person's rights over what the bot holds about them (export, erase) and how long declined ideas are kept.

Seeing their own data and withdrawing an idea are chat use cases (``bot/service.py``); these are the
operator's (``innovation-bot admin export-person`` / ``delete-person``) and the clock's (retention).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.data_rights_ports import Erased
from bot.domain import PersonRef, Status
from bot.ports import UnitOfWork


def declined_cutoff(now: datetime, declined_days: int) -> datetime:
    """Declined ideas last changed before this moment are past DECLINED_RETENTION_DAYS."""
    return now - timedelta(days=declined_days)


def export_person(uow_factory: Callable[[], UnitOfWork], ref: PersonRef) -> dict[str, Any] | None:
    """Everything held about one person (a subject access request); None when nobody is known as ``ref``."""
    with uow_factory() as uow:
        return uow.data_rights.export_person(ref)


def erase_person(uow_factory: Callable[[], UnitOfWork], ref: PersonRef) -> Erased | None:
    """Erase a person (their shared ideas stay as force practice without their name); None: nobody known."""
    with uow_factory() as uow:
        erased = uow.data_rights.erase(ref)
        if erased is not None:
            uow.commit()
        return erased


def apply_retention(uow_factory: Callable[[], UnitOfWork], now: datetime, declined_days: int) -> int:
    """Delete declined ideas past the retention period (with their cards, introductions and decisions)."""
    with uow_factory() as uow:
        deleted = uow.data_rights.delete_ideas(status=Status.DECLINED.value,
                                               updated_before=declined_cutoff(now, declined_days))
        uow.commit()
        return deleted
