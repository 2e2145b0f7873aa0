"""Idle drafts: a reminder first, then expiry; a broker's open question is never expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from adapters.bootstrap import Container
from bot.domain import PersonRef
from scheduler.jobs import expire_drafts, serve
from storage.models import OutboxRow

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SAM = PersonRef("local", "local", "sam")
INFO = PersonRef("local", "local", "ivy")


def test_reminder_then_expiry(container: Container) -> None:
    url = container.settings.database_url
    serve(container.clock)  # as a clock does: the stored jobs of this process run on its parts
    with container.uow_factory() as uow:
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "d1", "title": "Drone searches"},
                               expected_version=None, at=T0)
        uow.conversations.save(INFO, "awaiting-info", {"draft_id": "info-3", "info_for": 3},
                               expected_version=None, at=T0)
        uow.commit()
    assert expire_drafts(url, 72, T0 + timedelta(hours=47), reminder_hours=24) == 0
    assert _reminders(container) == []  # not yet: 25 hours before expiry
    expire_drafts(url, 72, T0 + timedelta(hours=49), reminder_hours=24)
    expire_drafts(url, 72, T0 + timedelta(hours=50), reminder_hours=24)  # the next sweep: no second reminder
    [reminder] = _reminders(container)
    assert (reminder.target, reminder.kind) == ("sam", "dm")
    assert "Drone searches" in reminder.payload["replies"][0]["text"]
    assert expire_drafts(url, 72, T0 + timedelta(hours=73), reminder_hours=24) == 1
    with container.uow_factory() as uow:
        sam, ivy = uow.conversations.get(SAM), uow.conversations.get(INFO)
    assert sam is not None and (sam.state, sam.draft) == ("idle", None)
    assert ivy is not None and ivy.state == "awaiting-info"  # still waiting for the officer's answer


def _reminders(container: Container) -> list[OutboxRow]:
    with container.sessions() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.dedupe_key.like("draft-reminder:%"))).all())
