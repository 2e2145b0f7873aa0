"""Tables for roundups: channel subscriptions, one claim row per (channel, period), and the scheduler's
job store. On ``storage.models.Base`` so Alembic sees them (migration ``0003_roundups``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, DecisionRow
from storage.types import UTCDateTime


class Subscription(Base):
    """A channel that gets roundups: what of (scope), when (weekday, time, frequency), and whether it works."""

    __tablename__ = "roundup_subscriptions"
    __table_args__ = (UniqueConstraint("platform", "tenant", "channel", name="uq_roundup_subscriptions_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))  # slack | teams | local
    tenant: Mapped[str] = mapped_column(String(128))  # Slack team id, Teams team id, "local"
    channel: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(80), default="network")  # network | force:SLUG | theme:SLUG
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    time_of_day: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM, local time (TIMEZONE)
    frequency: Mapped[str] = mapped_column(String(16), default="weekly")  # weekly | fortnightly | monthly
    lang: Mapped[str] = mapped_column(String(8), default="en")  # en | cy | both (bilingual, Welsh first)
    include_waiting: Mapped[bool] = mapped_column(Boolean, default=False)  # a broker channel
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def channel_key(self) -> str:
        return f"{self.platform}:{self.tenant}:{self.channel}"


class Roundup(Base):
    """One roundup for one channel and period. The unique key is the claim: whoever inserts the row
    posts it, so two scheduler processes or a restart never post twice."""

    __tablename__ = "roundups"
    __table_args__ = (UniqueConstraint("channel_key", "period_key", name="uq_roundups_channel_period"),
                      Index("ix_roundups_status", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_key: Mapped[str] = mapped_column(String(420))  # platform:tenant:channel
    period_key: Mapped[str] = mapped_column(String(16))  # 2026-W48 or 2026-12
    subscription_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # claimed | queued | posted | failed | skipped
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    idea_count: Mapped[int] = mapped_column(Integer, default=0)
    outbox_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# Finding a period's approvals reads decisions by status and time.
Index("ix_decisions_to_status_created_at", DecisionRow.to_status, DecisionRow.created_at)

# APScheduler's persistent job store (SQLAlchemyJobStore) on the app's database. Declared here, with the
# columns the job store expects, so migrations own the table and schema checks see it; the job store's own
# "create if missing" then finds it already there.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
