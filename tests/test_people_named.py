"""Nobody is shown as a raw id: a broker named by `admin add-broker` who has never spoken to the bot has no
name yet, and every message about them describes them instead (through the service, on the in-memory store)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import PersonRef, Role
from bot.events import Action, Actor, Message
from bot.replies import Card, Text
from tests.support.memory import MemoryApp
from tests.test_review import ONE_SHOT, card_buttons, outbox

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BROKER_ID = "a4b3c2d1-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
OFFICER = Actor(PersonRef("teams", "tenant-kent", "aad-olly"), "Olly Officer")
BROKER = Actor(PersonRef("teams", "tenant-kent", BROKER_ID))  # Teams never told us this broker's name


def _every_word(value: object) -> str:
    return repr(value)


def test_an_unnamed_broker_is_described_never_shown_as_an_id(memory_app: MemoryApp) -> None:
    container = memory_app
    with container.uow_factory() as uow:
        officer = uow.people.ensure(OFFICER.ref, display_name=OFFICER.display_name, at=NOW)
        uow.people.set_force(officer.person_id, "kent")
        broker = uow.people.ensure(BROKER.ref, at=NOW)  # as `admin add-broker kent teams:tenant-kent:…` leaves it
        uow.people.grant(broker.person_id, Role.BROKER, "kent")
        uow.commit()

    container.service.handle(Message("m-1", OFFICER, ONE_SHOT, NOW))
    with container.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.draft is not None
    done = container.service.handle(Action("a-1", OFFICER, "capture.submit", f"{record.draft['draft_id']}|", NOW))
    told = " ".join(r.text for r in done.replies if isinstance(r, Text))
    assert "Your force's innovation broker at Kent Police will look at it" in told
    assert BROKER_ID not in told

    # The broker decides; the officer's news and the updated card describe them too.
    assert done.submitted_idea_id is not None
    value = str(card_buttons(outbox(container, BROKER_ID)[0])["review.approve-local"]["value"])
    decided = container.service.handle(Action("a-2", BROKER, "review.approve-local", value, NOW, text="Good for Kent"))
    assert decided.replies
    everything = [_every_word(r.payload) for r in outbox(container)] + [_every_word(r) for r in decided.replies]
    assert everything and not any(BROKER_ID in text for text in everything)
    news = [text for r in outbox(container, OFFICER.ref.user_id) for text in [_every_word(r.payload)]]
    assert any("by the innovation team" in text for text in news), news
    assert all(not isinstance(r, Card) or BROKER_ID not in r.title for r in decided.replies)
