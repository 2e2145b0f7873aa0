"""Data rights: see, withdraw and refuse an unknown person through the service on the in-memory store; export,
erase (with the inbound queue) and retention on both databases."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from adapters.bootstrap import Container
from bot.domain import PersonRef
from bot.events import Message
from bot.i18n import Translator
from bot.queues import InboundEvent
from bot.replies import Card, Text
from bot.retention import enforce_retention
from storage.inbound_store import SqlInbound
from storage.models import (
    ConnectionRow,
    ConversationRow,
    DecisionRow,
    IdeaRow,
    InboundEventRow,
    OutboxRow,
    PersonRow,
    RoleRow,
)
from tests.support.memory import MemoryApp
from tests.test_review import (
    ADMIN,
    BROKER,
    NOW,
    OFFICER,
    OTHER_BROKER,
    App,
    card_buttons,
    click,
    decisions,
    idea_row,
    outbox,
    setup_people,
    submit,
)

t = Translator()


def say(c: App, actor: object, text: str, key: str) -> list[object]:
    return list(c.service.handle(Message(key, actor, text, NOW)).replies)  # type: ignore[arg-type]


def test_my_data_shows_what_is_held(memory_app: MemoryApp) -> None:
    c = memory_app
    setup_people(c)
    idea_id = submit(c)
    say(c, OFFICER, "We could put QR codes on bikes so stolen ones are returned faster.", "d1")  # a draft
    card = next(r for r in say(c, OFFICER, "my data", "d2") if isinstance(r, Card))
    fields = {f.label: f.value for f in card.fields}
    assert fields["Name"] == "Olly Officer" and fields["Force"] == "Kent Police"
    assert fields["Account"] == "local:local:olly"
    assert f"#{idea_id} " in fields["Ideas you shared"]
    assert fields["Unfinished idea"].startswith("Yes")


def test_withdraw_takes_an_idea_out_of_the_catalogue(memory_app: MemoryApp) -> None:
    c = memory_app
    setup_people(c)
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.approve-network"]["value"])
    click(c, BROKER, "review.approve-network", value)
    assert idea_id in c.matcher
    assert [r.text for r in say(c, OTHER_BROKER, f"withdraw #{idea_id}", "w0") if isinstance(r, Text)] == [
        t("withdraw.not_yours", ref=idea_id)]
    replies = say(c, OFFICER, f"withdraw #{idea_id}", "w1")
    assert isinstance(replies[0], Text) and replies[0].text == t("withdraw.done", ref=idea_id)
    assert idea_id not in c.matcher
    row = idea_row(c, idea_id)
    assert (row.status, row.description, row.problem) == ("withdrawn", "", "")
    last = decisions(c, idea_id)[-1]
    assert (last.from_status, last.to_status) == ("approved-network", "withdrawn")
    assert [r.text for r in say(c, OFFICER, f"withdraw {idea_id}", "w2") if isinstance(r, Text)] == [
        t("withdraw.already", ref=idea_id)]


def test_admin_exports_and_deletes_one_person(container: Container) -> None:
    c = container
    setup_people(c)
    idea_id = submit(c)
    with c.sessions.begin() as s:  # a message of theirs still waiting to be processed, and someone else's
        SqlInbound(s).add([InboundEvent("local", "q1", "message", "local:local:olly", {"text": "mine"}),
                           InboundEvent("local", "q2", "message", "local:local:bea", {"text": "not mine"})], NOW)
    exported = say(c, ADMIN, "admin export-person local:olly", "e1")[0]
    assert isinstance(exported, Text)
    data = json.loads(exported.text)
    assert data["person"]["display_name"] == "Olly Officer" and data["ideas"][0]["id"] == idea_id
    assert [r.text for r in say(c, OFFICER, "admin delete-person local:bea", "e2") if isinstance(r, Text)] == [
        t("admin.not_allowed")]
    gone = say(c, ADMIN, "admin delete-person local:olly", "e3")[0]
    assert isinstance(gone, Text) and gone.text.startswith("deleted local:local:olly")
    with c.sessions() as s:
        assert s.scalars(select(PersonRow).where(PersonRow.user_id == "olly")).all() == []
        assert s.scalars(select(ConversationRow).where(ConversationRow.user_id == "olly")).all() == []
        assert s.scalars(select(OutboxRow).where(OutboxRow.target == "olly")).all() == []
        assert [e.event_id for e in s.scalars(select(InboundEventRow))] == ["q2"]
        idea = s.get(IdeaRow, idea_id)
        assert idea is not None and idea.submitter_id is None and idea.visibility == "anonymous-to-peers"
    unknown = say(c, ADMIN, "admin delete-person local:nobody", "e4")[0]
    assert isinstance(unknown, Text) and unknown.text == "no one known as local:local:nobody"


def test_retention_deletes_old_declined_ideas_only(container: Container) -> None:
    c = container
    setup_people(c)
    declined, kept = submit(c), submit(c)
    value = next(str(card_buttons(r)["review.decline"]["value"]) for r in outbox(c, "bea")
                 if f'"idea_id": "{declined}"' in json.dumps(r.payload))
    click(c, BROKER, "review.decline", value, text="Already done nationally")
    with c.sessions.begin() as s:
        s.add(ConnectionRow(asker_id=s.scalar(select(PersonRow.id).where(PersonRow.user_id == "bob")),
                            idea_id=declined, status="declined", created_at=NOW))
    assert enforce_retention(c.uow_factory, NOW + timedelta(days=364), 365) == 0
    assert enforce_retention(c.uow_factory, NOW + timedelta(days=366), 365) == 1
    with c.sessions() as s:
        assert s.get(IdeaRow, declined) is None and s.get(IdeaRow, kept) is not None
        assert s.scalar(select(func.count()).select_from(DecisionRow).where(DecisionRow.idea_id == declined)) == 0
        assert s.scalar(select(func.count()).select_from(RoleRow)) == 4


def test_person_ref_for_unknown_people_in_export(memory_app: MemoryApp) -> None:
    c = memory_app
    setup_people(c)
    reply = say(c, ADMIN, "admin export-person slack:T1:U404", "x1")[0]
    assert isinstance(reply, Text) and reply.text == f"no one known as {PersonRef('slack', 'T1', 'U404')}"


def test_the_use_cases_export_erase_and_retain_through_the_unit_of_work(container: Container) -> None:
    """``bot.data_rights``, as the admin command and the clock call it: through the ports, committing itself."""
    from bot import data_rights

    c = container
    setup_people(c)
    idea_id = submit(c)
    olly = PersonRef("local", "local", "olly")
    exported = data_rights.export_person(c.uow_factory, olly)
    assert exported is not None and exported["ideas"][0]["id"] == idea_id
    assert data_rights.export_person(c.uow_factory, PersonRef("local", "local", "nobody")) is None
    erased = data_rights.erase_person(c.uow_factory, olly)
    assert erased is not None and (erased.people, erased.ideas_anonymised) == (1, 1)
    assert data_rights.erase_person(c.uow_factory, olly) is None  # already gone: nothing to do, no error
    with c.sessions() as s:
        idea = s.get(IdeaRow, idea_id)
        assert idea is not None and idea.submitter_id is None
    assert data_rights.apply_retention(c.uow_factory, NOW + timedelta(days=400), 365) == 0  # not declined
