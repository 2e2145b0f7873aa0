"""Fixtures for roundup and scheduler tests: a database on both backends, and ideas approved at set times."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain import Role
from bot.queues import OutboxItem
from bot.roundups.channels_service import RoundupChannels
from bot.roundups.delivery import Report
from bot.roundups.planning import RoundupConfig
from bot.roundups.ports import ClaimRecord
from bot.roundups.service import FinderFactory, Preview
from scheduler import roundups as trigger
from storage.db import make_engine, session_factory
from storage.models import DecisionRow, IdeaRow, OutboxRow, PersonRow, RoleRow
from storage.unit_of_work import SqlUnitOfWork

# Monday 30 November 2026, 09:00 in London (GMT, so 09:00 UTC): the slot of a "mon 09:00" subscription.
SLOT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PREVIOUS_SLOT = SLOT - timedelta(days=7)
SUBSCRIBED = PREVIOUS_SLOT + timedelta(hours=1)  # the week before the slot, so SLOT is its first
CONFIG = RoundupConfig()


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def uow(sessions: sessionmaker[Session]) -> Callable[[], SqlUnitOfWork]:
    return lambda: SqlUnitOfWork(sessions)


def channels(sessions: sessionmaker[Session]) -> RoundupChannels:
    return RoundupChannels(uow(sessions))


def subscribe(sessions: sessionmaker[Session], channel: str, scope: str = "network", when: str = "mon 09:00",
              **kwargs: Any) -> None:
    channels(sessions).subscribe(channel, scope, when, now=kwargs.pop("now", SUBSCRIBED), **kwargs)


# The clock's triggers (scheduler/roundups.py), on a test's database.
def run_due(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig = CONFIG,
            finder: FinderFactory | None = None) -> Report:
    return trigger.run_due(uow(sessions), now, config, finder)


def post_now(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig = CONFIG,
             channel: str | None = None, finder: FinderFactory | None = None) -> Report:
    return trigger.post_now(uow(sessions), now, config, channel, finder)


def preview(sessions: sessionmaker[Session], now: datetime, config: RoundupConfig = CONFIG,
            channel: str | None = None, period: str | None = None,
            finder: FinderFactory | None = None) -> list[Preview]:
    return trigger.preview(uow(sessions), now, config, channel, period, finder)


def stored_roundup(sessions: sessionmaker[Session], channel: str, period: str) -> ClaimRecord | None:
    with uow(sessions)() as u:
        return u.roundups.find(channel, period)


def person(s: Session, name: str, *, platform: str = "slack", tenant: str = "T1", user_id: str | None = None) -> int:
    row = PersonRow(platform=platform, tenant=tenant, user_id=user_id or name.replace(" ", ""), display_name=name,
                    email="", force_slug=None, locale="en", created_at=SUBSCRIBED)
    s.add(row)
    s.flush()
    return row.id


def make_admin(sessions: sessionmaker[Session], name: str, **kwargs: Any) -> int:
    with sessions.begin() as s:
        person_id = person(s, name, **kwargs)
        s.add(RoleRow(person_id=person_id, role=Role.ADMIN.value, force_slug=None))
    return person_id


def add_idea(sessions: sessionmaker[Session], title: str, approved_at: datetime | None, *, force: str = "kent",
             theme: str | None = "cybercrime", status: str = "approved-network", submitter: str | None = None,
             anonymous: bool = False, submitted_at: datetime | None = None) -> int:
    """An idea, with its decisions: submitted, then (when ``approved_at`` is given) approved for the network."""
    at = submitted_at or (approved_at - timedelta(days=1) if approved_at else SLOT - timedelta(days=3))
    with sessions.begin() as s:
        submitter_id = person(s, submitter) if submitter else None
        row = IdeaRow(title=title, description=f"{title}. More detail that the roundup leaves out.", problem="",
                      evidence="", stage="being-tried", theme_slug=theme, force_slug=force, submitter_id=submitter_id,
                      contact_consent=True, visibility="anonymous-to-peers" if anonymous else "named", status=status,
                      source="chat", contact="", url="", version=1, created_at=at, submitted_at=at, updated_at=at)
        s.add(row)
        s.flush()
        s.add(DecisionRow(idea_id=row.id, actor_id=None, from_status="draft", to_status="submitted", reason="",
                          created_at=at))
        if approved_at is not None:
            s.add(DecisionRow(idea_id=row.id, actor_id=None, from_status="submitted", to_status="approved-network",
                              reason="", created_at=approved_at))
        return row.id


def outbox_rows(sessions: sessionmaker[Session], prefix: str = "roundup:") -> list[OutboxRow]:
    with sessions() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.dedupe_key.startswith(prefix))
                              .order_by(OutboxRow.id)).all())


def count(sessions: sessionmaker[Session], model: Any) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@dataclass
class RecordingSender:
    """An outbox sender that records what it was given and answers with scripted outcomes."""

    outcomes: list[Exception] = field(default_factory=list)
    sent: list[OutboxItem] = field(default_factory=list)

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        self.sent.append(item)
        if self.outcomes:
            raise self.outcomes.pop(0)
        return {"ok": True}
