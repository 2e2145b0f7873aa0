"""Issue 16's rough edges for brokers, through the service on the in-memory store: each failed before its fix."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import PersonRef, Role
from bot.events import Action, Actor, Message
from bot.ports import Address
from bot.replies import Card, Text
from scheduler.reminders import send_reminders
from tests.support.memory import MemoryApp
from tests.test_review import ADMIN, BROKER, NOW, OFFICER, OTHER_BROKER, c, card_buttons, outbox, submit, t

__all__ = ["c"]  # the fixture, shared with tests/test_review.py


def test_a_card_opened_from_queue_is_updated_after_the_decision(c: MemoryApp) -> None:
    idea_id = submit(c)
    where = Address("local", "local", "bea-chat")
    c.service.handle(Message("q-1", BROKER, "queue", NOW), reply_to=where)
    opened = [r for r in outbox(c, "bea-chat") if any(x["type"] == "card" for x in r.payload["replies"])]
    assert len(opened) == 1  # the card from the queue, in a message of its own
    value = str(card_buttons(opened[0])["review.ask-info"]["value"])
    c.service.handle(Action("q-2", BROKER, "review.ask-info", value, NOW, text="How many shops?"))
    updates = [r for r in outbox(c) if r.kind == "update" and r.payload["original_id"] == opened[0].id]
    assert len(updates) == 1
    decided = updates[0].payload["replies"][0]
    assert decided["buttons"] == []
    assert "sent back with a question by Bea Broker on 2026-11-02" in decided["body"]
    status = next(f["value"] for f in decided["fields"] if f["label"] == t("field.status"))
    assert status == t("status.needs-info")
    assert idea_id


def test_a_refused_click_is_marked_as_refused(c: MemoryApp) -> None:
    submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.approve-network"]["value"])
    refused = c.service.handle(Action("r-1", OTHER_BROKER, "review.approve-network", value, NOW))
    assert refused.refused and "only a broker of Kent Police" in refused.replies[0].text  # type: ignore[union-attr]
    stale = c.service.handle(Action("r-2", OFFICER, "capture.submit", "nope|", NOW))
    assert stale.refused
    accepted = c.service.handle(Action("r-3", BROKER, "review.approve-network", value, NOW))
    assert not accepted.refused


def test_status_phrases_in_the_brokers_answers_read_as_sentences(c: MemoryApp) -> None:
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.ask-info"]["value"])
    done = c.service.handle(Action("s-1", BROKER, "review.ask-info", value, NOW, text="How many shops?"))
    assert done.replies[0] == Text(f"Done — #{idea_id} is now waiting for more information from the officer. "
                                   "The officer has been told.")


def test_brokers_hear_when_an_idea_from_their_force_goes_to_the_national_team(c: MemoryApp) -> None:
    idea_id = submit(c, at=NOW)
    before = len(outbox(c, "bea"))
    send_reminders(c.uow_factory, NOW + timedelta(days=16), 5)  # 12 working days: the national team
    told = [r["text"] for row in outbox(c, "bea")[before:] for r in row.payload["replies"] if r["type"] == "text"]
    assert any(f"#{idea_id}" in x and "national team" in x for x in told), told
    queue = c.service.handle(Message("n-1", BROKER, "queue", NOW + timedelta(days=16))).replies
    [card] = [r for r in queue if isinstance(r, Card)]
    assert any(f.label == t("review.went_national.label") for f in card.fields)


def test_a_broker_set_up_later_sees_what_went_to_the_national_team(c: MemoryApp) -> None:
    cara = Actor(PersonRef("local", "local", "cara"), "Cara Officer")
    with c.uow_factory() as uow:
        person = uow.people.ensure(cara.ref, display_name=cara.display_name, at=NOW)
        uow.people.set_force(person.person_id, "cumbria")  # Cumbria has no broker yet
        uow.commit()
    idea_id = submit(c, cara)
    new_broker = Actor(PersonRef("local", "local", "cal"), "Cal Broker")
    with c.uow_factory() as uow:
        person = uow.people.ensure(new_broker.ref, display_name=new_broker.display_name, at=NOW)
        uow.people.grant(person.person_id, Role.BROKER, "cumbria")
        uow.commit()
    queue = c.service.handle(Message("n-2", new_broker, "queue", NOW)).replies
    [card] = [r for r in queue if isinstance(r, Card)]
    assert card.title.startswith(f"#{idea_id}")
    note = next(f.value for f in card.fields if f.label == t("review.went_national.label"))
    assert "national team" in note


def test_the_brokers_card_shows_similar_work_as_one_line_summaries(c: MemoryApp) -> None:
    first = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.approve-network"]["value"])
    c.service.handle(Action("m-1", BROKER, "review.approve-network", value, NOW))  # now in the catalogue
    submit(c, at=NOW + timedelta(minutes=5))
    card = next(r for r in outbox(c, "bea")[-1].payload["replies"] if r["type"] == "card")
    similar = next(f["value"] for f in card["fields"] if f["label"] == t("review.similar"))
    assert f"#{first}" not in similar  # titles, not references
    assert ": We have been trialling a WhatsApp-style group" in similar
    assert " · Kent Police · being tried, no results yet" in similar


def test_a_broker_added_later_is_told_what_went_to_the_national_team(c: MemoryApp) -> None:
    cara = Actor(PersonRef("local", "local", "cara"), "Cara Officer")
    with c.uow_factory() as uow:
        person = uow.people.ensure(cara.ref, display_name=cara.display_name, at=NOW)
        uow.people.set_force(person.person_id, "cumbria")  # Cumbria has no broker yet
        uow.commit()
    idea_id = submit(c, cara)
    c.service.handle(Message("adm-1", ADMIN, "admin add-broker cumbria local:cal", NOW))
    told = [r["text"] for row in outbox(c, "cal") for r in row.payload["replies"] if r["type"] == "text"]
    assert told == [t("review.broker_welcome", force="Cumbria Constabulary", count=1)], told
    assert idea_id
