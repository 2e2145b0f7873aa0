"""The same story through the service on the memory store and on each database: the same replies, word for
word, and the same messages queued. This is what lets the service tests run in memory and still prove what
they proved on the databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from adapters.bootstrap import Container
from bot.codec import reply_to_json
from bot.events import Action, Event, Message
from scheduler.reminders import send_reminders
from tests.conftest import make_container
from tests.support.memory import MemoryApp
from tests.test_review import (
    ADMIN,
    BROKER,
    NOW,
    OFFICER,
    ONE_SHOT,
    OTHER_BROKER,
    REVIEWER,
    App,
    card_buttons,
    outbox,
    setup_people,
)


@pytest.fixture
def database_app(database_url: str) -> Iterator[Container]:
    c = make_container(database_url)
    yield c
    c.engine.dispose()


def story(c: App) -> tuple[list[Any], list[Any]]:
    """An officer shares, a broker asks for more, the officer answers, the broker approves for the network,
    someone in another force asks to connect and is introduced, the officer withdraws; reminders run."""
    setup_people(c)
    said: list[Any] = []
    n = iter(range(1, 1000))

    def run(event: Event) -> None:
        handled = c.service.handle(event)
        said.append((event.event_id, handled.duplicate, handled.refused, handled.submitted_idea_id,
                     [reply_to_json(r) for r in handled.replies]))

    def say(actor: Any, text: str) -> None:
        run(Message(f"m{next(n)}", actor, text, NOW + timedelta(minutes=len(said))))

    def press(actor: Any, action_id: str, value: str, text: str = "") -> None:
        run(Action(f"a{next(n)}", actor, action_id, value, NOW + timedelta(minutes=len(said)), text=text))

    def button(target: str, action_id: str) -> str:
        row = [r for r in outbox(c, target) if action_id in json.dumps(r.payload)][-1]
        return str((card_buttons(row) if action_id.startswith("review.") else
                    {b["action_id"]: b for b in row.payload["replies"][0]["buttons"]})[action_id]["value"])

    say(OFFICER, ONE_SHOT)
    with c.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.draft is not None
    press(OFFICER, "capture.submit", f"{record.draft['draft_id']}|")
    press(OFFICER, "capture.submit", f"{record.draft['draft_id']}|")  # a double click
    idea_id = said[-2][3]
    press(BROKER, "review.ask-info", button("bea", "review.ask-info"), "How many shops?")
    say(OFFICER, "Twelve shops on the high street.")
    press(BROKER, "review.approve-network", button("bea", "review.approve-network"))
    said.append(("findable once approved", idea_id in c.matcher))
    press(REVIEWER, "review.decline", button("bea", "review.approve-network"), "Too late")  # already decided
    say(OTHER_BROKER, "status")
    press(OTHER_BROKER, "connect.ask", str(idea_id))
    press(OFFICER, "connect.accept", button("olly", "connect.accept"))
    say(OFFICER, "my data")
    say(OFFICER, f"withdraw #{idea_id}")
    said.append(("findable once withdrawn", idea_id in c.matcher))
    say(ADMIN, "admin list")
    say(OFFICER, "I have another idea about bikes")
    counts = send_reminders(c.uow_factory, NOW + timedelta(days=16), 5)
    said.append(("reminders", counts.reminded, counts.escalated, counts.messages, counts.untold))
    rows = outbox(c)
    # Ids are the store's business (a PostgreSQL sequence skips a number when a duplicate insert fails):
    # an update names the message it replaces by its place in the queue instead.
    place = {row.id: n for n, row in enumerate(rows)}
    queued = []
    for row in rows:
        payload = dict(row.payload)
        if "original_id" in payload:
            payload["original_id"] = place[payload["original_id"]]
        queued.append((row.platform, row.tenant, row.target, row.thread, row.kind, row.status, row.dedupe_key,
                       payload))
    return said, queued


def test_the_memory_store_and_the_database_tell_the_same_story(memory_app: MemoryApp,
                                                               database_app: Container) -> None:
    in_memory = story(memory_app)
    on_database = story(database_app)
    assert len(in_memory[0]) == 17 and len(in_memory[1]) > 10
    assert ("findable once approved", True) in in_memory[0] and ("findable once withdrawn", False) in in_memory[0]
    assert in_memory[0] == on_database[0]
    assert in_memory[1] == on_database[1]
