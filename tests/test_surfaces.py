"""What the platform adapters ask the core before rendering something other than a reply (``bot/surfaces.py``,
``bot/installs``), on both databases: the edit box, a shared message, installs and proactive notices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.bootstrap import Container
from bot.conversation import Draft, State
from bot.domain import PersonRef
from bot.events import Action, Actor, Message
from bot.installs.ports import PERSONAL, ConversationRef, NoReference
from bot.replies import Text
from bot.surfaces import ChatSurfaces
from storage.models import OutboxRow

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SAM = Actor(PersonRef("teams", "tenant-1", "aad-sam"), "Sam Officer")
CHAT = ConversationRef(PERSONAL, "tenant-1", "a:sam-chat", "https://smba.example/uk/", aad_object_id="aad-sam",
                       user_id="29:sam")


def _awaiting_edit(c: Container, field: str) -> Draft:
    draft = Draft(draft_id="d-1", title="Drones", description="Drones for missing people", editing=field)
    with c.uow_factory() as uow:
        uow.conversations.save(SAM.ref, State.AWAITING_EDIT.value, draft.to_json(), expected_version=None, at=NOW)
        uow.commit()
    return draft


def test_an_edit_box_opens_only_for_the_field_the_conversation_waits_for(container: Container) -> None:
    surfaces = container.surfaces
    assert surfaces.edit_form(SAM.ref, "capture.edit-field", "d-1|description") is None, "no conversation yet"
    _awaiting_edit(container, "description")
    form = surfaces.edit_form(SAM.ref, "capture.edit-field", "d-1|description")
    assert form is not None and (form.draft_id, form.field, form.current) == ("d-1", "description",
                                                                             "Drones for missing people")
    assert form.max_chars == container.service.limits.max_message_chars
    assert surfaces.edit_form(SAM.ref, "capture.edit-field", "d-1|title") is None, "another field is not open"
    assert surfaces.edit_form(SAM.ref, "capture.stage", "d-1|description") is None, "not an edit click"


def test_whether_a_click_could_open_an_edit_box_is_known_from_the_click_alone() -> None:
    assert ChatSurfaces.asks_to_edit("capture.edit-field", "d-1|description")
    assert ChatSurfaces.asks_to_edit("capture.edit-field", "d-1|title")
    assert not ChatSurfaces.asks_to_edit("capture.edit-field", "d-1|stage"), "not a text field"
    assert not ChatSurfaces.asks_to_edit("capture.stage", "d-1|description"), "not an edit click"
    assert not ChatSurfaces.asks_to_edit("capture.edit-field", "")


def test_an_edit_sent_back_is_the_answer_only_while_the_question_stands(container: Container) -> None:
    _awaiting_edit(container, "title")
    answer = container.surfaces.edit_answer("e-1", SAM, "d-1", "title", "Drone searches", NOW)
    assert isinstance(answer, Message) and answer.text == "Drone searches"
    stale = container.surfaces.edit_answer("e-2", SAM, "d-0", "title", "Drone searches", NOW)
    assert isinstance(stale, Action) and (stale.action_id, stale.value) == ("capture.edit-field", "d-0|title")


def test_a_shared_message_starts_a_draft_only_when_idle(container: Container) -> None:
    idle = container.surfaces.shared_message("e-1", SAM, "We use drones", NOW)
    assert isinstance(idle, Message) and idle.text == "We use drones"
    _awaiting_edit(container, "title")
    busy = container.surfaces.shared_message("e-2", SAM, "We use drones", NOW)
    assert isinstance(busy, Action) and busy.action_id == "capture.start"


def test_notices_need_an_installation_and_queue_once(container: Container) -> None:
    installs = container.installs
    with pytest.raises(NoReference):
        installs.notify_person(SAM.ref, [Text("hello")])
    installs.installed("teams", [CHAT], [Text("Welcome")], welcome_key="welcome:sam")
    installs.installed("teams", [CHAT], [Text("Welcome")], welcome_key="welcome:sam")  # a retried install event
    assert installs.reply_address("teams", "tenant-1", user_id="aad-sam") is not None
    assert installs.notify_person(SAM.ref, [Text("Approved")], dedupe_key="decision:1") is not None
    assert installs.notify_person(SAM.ref, [Text("Approved")], dedupe_key="decision:1") is None
    with container.sessions() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
    assert [(r.kind, r.target, r.thread) for r in rows] == [("post", "a:sam-chat", CHAT.service_url),
                                                             ("dm", "aad-sam", "")]
    assert installs.uninstalled(conversation_id="a:sam-chat") == 1
    assert installs.reply_address("teams", "tenant-1", user_id="aad-sam") is None
    with pytest.raises(NoReference):
        installs.notify_person(SAM.ref, [Text("hello again")])
