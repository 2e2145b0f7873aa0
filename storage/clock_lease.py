"""The clock's lease: one row per clock name saying which process runs the jobs, until when.

Taking it is compare-and-set in one statement (the holder renews; anyone takes a lapsed lease), and
the first take inserts the row, where the primary key lets one of two racing processes win.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from storage.guard_models import ClockLeaseRow


def take(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Hold (or keep holding) the lease ``name`` until ``now + ttl``; False while another holds it."""
    renewed = session.execute(
        update(ClockLeaseRow)
        .where(ClockLeaseRow.name == name, or_(ClockLeaseRow.holder == holder, ClockLeaseRow.until < now))
        .values(holder=holder, until=now + ttl))
    if renewed.rowcount:  # type: ignore[attr-defined]
        return True
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # RETURNING rather than the row count, which a driver may report as 1 for a conflict that did nothing.
    added = session.scalar(insert(ClockLeaseRow).values(name=name, holder=holder, until=now + ttl)
                           .on_conflict_do_nothing(index_elements=["name"]).returning(ClockLeaseRow.name))
    return added is not None


def holder_of(session: Session, name: str, now: datetime) -> tuple[str, datetime] | None:
    row = session.scalars(select(ClockLeaseRow).where(ClockLeaseRow.name == name, ClockLeaseRow.until >= now)).first()
    return (row.holder, row.until) if row is not None else None


def release(session: Session, name: str, holder: str) -> None:
    """Let it go at once (a clean shutdown), so a waiting clock need not wait for it to lapse."""
    session.execute(delete(ClockLeaseRow).where(ClockLeaseRow.name == name, ClockLeaseRow.holder == holder))


class SqlClockLeases:
    """The lease store the clock holds (``scheduler.lease.LeaseStore``): one transaction per call."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def take(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        with self._sessions.begin() as session:
            return take(session, name, holder, now, ttl)

    def holder_of(self, name: str, now: datetime) -> tuple[str, datetime] | None:
        with self._sessions.begin() as session:
            return holder_of(session, name, now)

    def release(self, name: str, holder: str) -> None:
        with self._sessions.begin() as session:
            release(session, name, holder)
