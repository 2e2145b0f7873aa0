"""Claiming queued rows with a lease: the step the outbox and the inbound event queue share.

A claim is one statement (``claim_statement``: the choice of rows and their lease together). It runs
several times a turn, so its statements are built once, here and in the two stores, as
Core statements on the tables with bound parameters: SQLAlchemy then only looks them up in its
compiled cache. Built per call (a new ``aliased(...)`` each time, an ORM ``UPDATE … RETURNING`` of
whole rows with ``populate_existing``) they were most of a claim's CPU (docs/PERFORMANCE.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningUpdate, Update


def due(table: Table, *, waiting: str, available: str, leased: str) -> ColumnElement[bool]:
    """Rows ready to be taken at ``:now``: ``waiting`` ones whose ``available`` time has come, and
    ``leased`` ones whose lease ran out (their worker died)."""
    now = bindparam("now", type_=table.c.lease_until.type)
    return or_((table.c.status == waiting) & (table.c[available] <= now),
               (table.c.status == leased) & (table.c.lease_until < now))


def lease_statement(table: Table, is_due: ColumnElement[bool], *, status: str,
                    returning: Sequence[str]) -> ReturningUpdate[Any]:
    """Take the rows ``:ids`` that are still due at ``:now``: they become ``status`` until ``:until``
    and count one more attempt; the statement returns the ``returning`` columns of each row won.

    Compare-and-set in one statement: a row another process claimed since it was chosen is no longer
    due, so each row is won by one claimer only, even across processes."""
    return _take(update(table).where(table.c.id.in_(bindparam("ids", expanding=True)), is_due), table, status,
                 returning)


def claim_statement(table: Table, choose: Select[Any], is_due: ColumnElement[bool], *, status: str,
                    returning: Sequence[str]) -> ReturningUpdate[Any]:
    """``lease_statement`` with the choice inside it: take the rows ``choose`` picks (ids, a ``SELECT`` of
    ``table``) in one statement, one round trip to the database where choosing and then leasing took two.
    The rows come back in no particular order (``claim`` sorts them).

    On PostgreSQL the choice locks the rows it picks, in its own order, and passes over rows another
    claimer holds (``FOR UPDATE SKIP LOCKED``): without it, two workers claiming at once could lock the
    same rows in different orders and deadlock (three times in one search with two workers, each holding
    both claims for the server's one-second deadlock timeout: docs/PERFORMANCE.md). SQLite has no row
    locks and runs one writer at a time; it leaves the clause out. Still compare-and-set: the update
    takes a chosen row only while it is due."""
    # The choice reads the table on its own (correlate(None)): left to correlate, it would read the
    # row being updated rather than choose among all of them.
    # As a WITH query: PostgreSQL runs it once (a sub-select that locks cannot be hashed, and would run
    # again for every row the update visits, each time choosing afresh).
    chosen = choose.correlate(None).with_for_update(skip_locked=True).cte("chosen")
    return _take(update(table).where(table.c.id.in_(select(chosen.c.id)), is_due), table, status, returning)


def _take(statement: Update, table: Table, status: str, returning: Sequence[str]) -> ReturningUpdate[Any]:
    return (statement
            .values(status=status, lease_until=bindparam("until", type_=table.c.lease_until.type),
                    attempts=table.c.attempts + 1)
            .returning(*(table.c[name] for name in returning)))


def lease(session: Session, statement: ReturningUpdate[Any], ids: Sequence[int], *, now: datetime,
          until: datetime) -> list[Row[Any]]:
    """Run a ``lease_statement`` on ``ids``; the rows won come back in the order of ``ids``."""
    if not ids:
        return []
    won = session.execute(statement, {"ids": list(ids), "now": now, "until": until}).all()
    order = {row_id: n for n, row_id in enumerate(ids)}
    return sorted(won, key=lambda row: order[row.id])


def claim(session: Session | Connection, statement: ReturningUpdate[Any], parameters: dict[str, Any], *,
          now: datetime, until: datetime, order: Callable[[Row[Any]], Any]) -> list[Row[Any]]:
    """Run a ``claim_statement`` (in a session's transaction, or alone on a connection in autocommit); the
    rows won come back sorted by ``order`` (the choice's own order)."""
    won = session.execute(statement, {**parameters, "now": now, "until": until}).all()
    return sorted(won, key=order)
