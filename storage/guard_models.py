"""Tables that keep people out and keep one clock: dashboard sign-in failures and sessions, and the
clock's lease. On ``storage.models.Base`` so Alembic sees them (migration ``0011_sign_in_and_clock``).

All three are shared state between processes: a throttle or a sign-out held in one process's memory
would not hold in the next (two web processes, a restart)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class SignInFailureRow(Base):
    """One refused dashboard sign-in. ``client`` is a keyed hash of the client's address (the address
    itself is not kept); rows older than the throttle's window are deleted as new ones arrive."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_sign_in_failures_client", "client", "failed_at"),
        Index("ix_sign_in_failures_failed_at", "failed_at"),
    )


class DashboardSessionRow(Base):
    """A signed-in dashboard session. The cookie names it (and is signed with the admin token); signing
    out deletes the row, so the cookie stops working at once, wherever it is presented."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's random part
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ClockLeaseRow(Base):
    """Which process is the clock, until when. A clock renews its lease well before it runs out; one
    that dies lets it lapse, and the next waiting clock takes over."""

    __tablename__ = "clock_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    until: Mapped[datetime] = mapped_column(UTCDateTime())
