"""Claiming queued rows with a lease: the step the outbox and the inbound event queue share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session

from storage.models import InboundEventRow, OutboxRow

Row = TypeVar("Row", InboundEventRow, OutboxRow)


def lease(session: Session, model: type[Row], ids: Sequence[int], due: ColumnElement[bool], *, status: str,
          until: datetime) -> list[Row]:
    """Take the rows ``ids`` that are still ``due``, in the order of ``ids``: they become ``status``
    until ``until`` and count one more attempt.

    Compare-and-set in one statement: a row another process claimed since it was chosen is no longer
    due, so each row is won by one claimer only, even across processes."""
    if not ids:
        return []
    won = session.scalars(
        update(model).where(model.id.in_(ids), due)
        .values(status=status, lease_until=until, attempts=model.attempts + 1)
        .returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)).all()
    order = {row_id: n for n, row_id in enumerate(ids)}
    return sorted(won, key=lambda row: order[row.id])
