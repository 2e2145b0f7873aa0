""""Connect me" through the service on both databases: asked first, details only on yes."""

from __future__ import annotations

import json

from sqlalchemy import select

from adapters.bootstrap import Container
from bot.events import Action
from bot.i18n import Translator
from bot.replies import Card, Text
from storage.models import ConnectionRow, IdeaRow
from storage.seed import seed_demo_catalogue
from tests.test_review import BROKER, NOW, OFFICER, OTHER_BROKER, REVIEWER, card_buttons, outbox, setup_people, submit

t = Translator()


def press(c: Container, actor: object, action_id: str, value: str, n: list[int] = [0]) -> list[object]:  # noqa: B006
    n[0] += 1
    return list(c.service.handle(Action(f"connect-{n[0]}", actor, action_id, value, NOW)).replies)  # type: ignore[arg-type]


def texts(replies: list[object]) -> list[str]:
    return [r.text for r in replies if isinstance(r, Text)]


def approved_idea(c: Container) -> int:
    idea_id = submit(c)
    card = next(row for row in outbox(c, "bea") if f'"idea_id": "{idea_id}"' in json.dumps(row.payload))
    value = str(card_buttons(card)["review.approve-network"]["value"])
    c.service.handle(Action("approve", BROKER, "review.approve-network", value, NOW))
    return idea_id


def test_contact_is_asked_first_and_details_shared_on_yes(container: Container) -> None:
    c = container
    setup_people(c)
    idea_id = approved_idea(c)
    asked = texts(press(c, OTHER_BROKER, "connect.ask", str(idea_id)))
    assert asked[0].startswith("I've asked the people behind")
    request = [row for row in outbox(c, "olly") if "Someone would like to connect" in str(row.payload)]
    assert len(request) == 1 and "Bob Broker" in str(request[0].payload)
    assert "bob@" not in str(request[0].payload)  # no details before consent
    accept = next(b for b in request[0].payload["replies"][0]["buttons"] if b["action_id"] == "connect.accept")
    assert texts(press(c, REVIEWER, "connect.accept", accept["value"])) == [t("connect.not_yours")]
    replies = press(c, OFFICER, "connect.accept", accept["value"])
    assert isinstance(replies[0], Card) and replies[0].fields[0].value == "Bob Broker"
    intro = outbox(c, "bob")[-1].payload["replies"][0]
    assert intro["title"].startswith("Good news: meet the people behind")
    assert {"label": "Name", "value": "Olly Officer"} in intro["fields"]
    assert [r for r in outbox(c) if r.kind == "group"] == [], "the playground opens no group chat"
    assert texts(press(c, OFFICER, "connect.accept", accept["value"])) == [t("connect.answered")]
    with c.sessions() as s:
        row = s.scalars(select(ConnectionRow)).one()
    assert (row.status, row.idea_id, row.decided_at is not None) == ("accepted", idea_id, True)


def test_on_a_platform_with_group_chats_a_yes_opens_one_with_both(container: Container) -> None:
    """The introduction goes to a conversation with the two people only where the platform's sender can
    open one (the Slack adapter declares it when mounted); elsewhere each gets the other's card alone."""
    c = container
    setup_people(c)
    idea_id = approved_idea(c)
    press(c, OTHER_BROKER, "connect.ask", str(idea_id))
    c.service.group_chats.add("local")  # as if the playground's people could meet in a group chat
    request = next(row for row in outbox(c, "olly") if "Someone would like to connect" in str(row.payload))
    accept = next(b for b in request.payload["replies"][0]["buttons"] if b["action_id"] == "connect.accept")
    press(c, OFFICER, "connect.accept", accept["value"])
    [group] = [r for r in outbox(c) if r.kind == "group"]
    assert (group.platform, group.tenant, group.target) == ("local", "local", "bob,olly")
    said = group.payload["replies"][0]["text"]
    assert "Bob Broker" in said and "Olly Officer" in said


def test_a_no_is_passed_on_kindly(container: Container) -> None:
    c = container
    setup_people(c)
    idea_id = approved_idea(c)
    press(c, OTHER_BROKER, "connect.ask", str(idea_id))
    request = next(row for row in outbox(c, "olly") if "Someone would like to connect" in str(row.payload))
    decline = next(b for b in request.payload["replies"][0]["buttons"] if b["action_id"] == "connect.decline")
    assert texts(press(c, OFFICER, "connect.decline", decline["value"])) == [t("connect.declined_ok")]
    told = outbox(c, "bob")[-1].payload["replies"][0]["text"]
    assert "can't connect just now" in told
    assert texts(press(c, OTHER_BROKER, "connect.ask", str(idea_id)))[0].startswith("You've already asked")


def test_imported_practice_shares_its_published_contact(container: Container) -> None:
    c = container
    setup_people(c)
    with c.sessions.begin() as s:
        seed_demo_catalogue(s, NOW)
        demo = s.scalars(select(IdeaRow).where(IdeaRow.source == "demo").order_by(IdeaRow.id)).first()
        assert demo is not None
        demo_id, contact = demo.id, demo.contact
    answer = texts(press(c, OFFICER, "connect.ask", str(demo_id)))
    assert answer and contact in answer[0]


def test_refusals(container: Container) -> None:
    c = container
    setup_people(c)
    pending = submit(c)  # submitted, not yet in the catalogue
    assert texts(press(c, OTHER_BROKER, "connect.ask", str(pending))) == [t("connect.unavailable")]
    assert texts(press(c, OTHER_BROKER, "connect.ask", "99999")) == [t("connect.unavailable")]
    assert texts(press(c, OTHER_BROKER, "connect.ask", "abc")) == [t("action.unknown")]
    assert texts(press(c, OTHER_BROKER, "connect.frobnicate", "1")) == [t("action.unknown")]
    approved = approved_idea(c)
    assert texts(press(c, OFFICER, "connect.ask", str(approved))) == [t("connect.own_idea")]
    with c.sessions() as s:
        assert s.scalars(select(ConnectionRow)).all() == []
