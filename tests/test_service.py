"""The service layer: one event, one unit of work; retries and races are safe.

What the service does runs on the in-memory store (``memory_app``, fast); what needs a real database — a
restart finding the conversation, messages racing in one conversation — runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from adapters.bootstrap import Container
from bot.domain import PersonRef, Role
from bot.events import Action, Actor, Message
from bot.i18n import Translator
from bot.replies import Card, Choices, Reply, Text
from tests.conftest import make_container
from tests.support.memory import MemoryApp

t = Translator()
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SAM = Actor(PersonRef("local", "local", "sam"), display_name="Sam Taylor")
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."


App = Container | MemoryApp


class Chat:
    def __init__(self, container: App, actor: Actor = SAM) -> None:
        self.c, self.actor, self.n, self.now = container, actor, 0, NOW
        self.last: tuple[Reply, ...] = ()

    def _next(self) -> str:
        self.n += 1
        self.now += timedelta(seconds=20)
        return f"{self.actor.ref.user_id}-evt-{self.n}"

    def say(self, text: str, event_id: str | None = None) -> tuple[Reply, ...]:
        self.last = self.c.service.handle(Message(event_id or self._next(), self.actor, text, self.now)).replies
        return self.last

    def press(self, label: str) -> tuple[Reply, ...]:
        for reply in self.last:
            buttons = [(b.action_id, b.value, b.label) for b in reply.buttons] if isinstance(reply, Card) else \
                [(reply.action_id, o.value, o.label) for o in reply.options] if isinstance(reply, Choices) else []
            for action_id, value, button_label in buttons:
                if button_label == label:
                    self.last = self.c.service.handle(
                        Action(self._next(), self.actor, action_id, value, self.now)).replies
                    return self.last
        raise AssertionError(f"no {label!r} button")


def _texts(replies: tuple[Reply, ...]) -> list[str]:
    return [r.text if isinstance(r, Text) else r.prompt if isinstance(r, Choices) else r.title for r in replies]


def test_share_an_idea_end_to_end(memory_app: MemoryApp) -> None:
    chat = Chat(memory_app)
    chat.say("I've got an idea")
    chat.say(DESCRIPTION)
    chat.say(PROBLEM)
    chat.press(t("stage.being-tried"))
    assert t("ask.force") in _texts(chat.last)
    chat.say("North Wales")
    replies = chat.press(t("button.submit"))
    assert _texts(replies)[0].startswith("Submitted — thank you! Your reference is #")
    [idea] = memory_app.db.committed.ideas.values()
    with memory_app.uow_factory() as uow:
        decisions = uow.ideas.decisions(idea.id)
    assert (idea.force_slug, idea.stage, idea.status, idea.description, idea.problem) == (
        "north-wales", "being-tried", "submitted", DESCRIPTION, PROBLEM)
    assert [(d.from_status, d.to_status) for d in decisions] == [("draft", "submitted")]
    # The person's force is remembered: the next idea does not ask again.
    chat.say(DESCRIPTION)
    chat.say(PROBLEM)
    chat.press(t("stage.idea"))
    assert t("ask.force") not in _texts(chat.last)
    assert t("summary.title") in _texts(chat.last)
    # status lists what was shared
    listing = chat.say("status")
    card = next(r for r in listing if isinstance(r, Card))
    assert card.fields[0].label.startswith(f"#{idea.id} ")
    assert t("status.submitted") in card.fields[0].value


def test_submission_names_the_forces_brokers(memory_app: MemoryApp) -> None:
    container = memory_app
    with container.uow_factory() as uow:
        broker = uow.people.ensure(PersonRef("local", "local", "bea"), display_name="Bea Broker", at=NOW)
        uow.people.grant(broker.person_id, Role.BROKER, "kent")
        sam = uow.people.ensure(SAM.ref, display_name="Sam Taylor", at=NOW)
        uow.people.set_force(sam.person_id, "kent")
        uow.commit()
    chat = Chat(container)
    chat.say(DESCRIPTION)
    chat.say(PROBLEM)
    chat.press(t("stage.idea"))
    replies = chat.press(t("button.submit"))
    assert "Bea Broker, the innovation broker for Kent Police" in _texts(replies)[0]


def test_same_event_twice_gives_one_effect_and_one_reply(memory_app: MemoryApp) -> None:
    container = memory_app
    chat = Chat(container)
    first = chat.say(DESCRIPTION, event_id="Ev-retried")
    again = chat.say(DESCRIPTION, event_id="Ev-retried")
    assert first and again == ()
    with container.uow_factory() as uow:
        record = uow.conversations.get(SAM.ref)
    assert record is not None and record.version == 1 and record.state == "awaiting-problem"


def test_conversation_resumes_after_a_restart(database_url: str) -> None:
    first = make_container(database_url)
    chat = Chat(first)
    chat.say(DESCRIPTION)
    chat.say(PROBLEM)
    first.engine.dispose()
    second = make_container(database_url)  # a new process: new engine, new service, same database
    chat.c = second
    chat.last = ()
    replies = chat.say("being tried")
    assert t("summary.title") in _texts(replies) or t("ask.force") in _texts(replies)
    with second.uow_factory() as uow:
        record = uow.conversations.get(SAM.ref)
    assert record is not None and record.draft is not None
    assert record.draft["problem"] == PROBLEM and record.draft["stage"] == "being-tried"
    second.engine.dispose()


def test_concurrent_messages_never_corrupt_a_conversation(container: Container) -> None:
    chat = Chat(container)
    chat.say(DESCRIPTION)  # now waiting for the problem
    barrier = threading.Barrier(6)
    outcomes: list[tuple[Reply, ...]] = []

    def send(n: int) -> None:
        barrier.wait()
        outcomes.append(container.service.handle(Message(f"race-{n}", SAM, f"Problem version {n}", NOW)).replies)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    with container.uow_factory() as uow:
        record = uow.conversations.get(SAM.ref)
    assert record is not None and record.draft is not None
    # Messages are applied one at a time on fresh state: the first sets the problem and moves on to the
    # stage question, the rest are answers to that question ("pick a stage"). Nothing is lost or mixed.
    assert record.draft["problem"].startswith("Problem version ")
    assert record.version == 1 + 6 - sum(1 for o in outcomes if _texts(o) == [t("error.busy")])
    assert record.state == "awaiting-stage"
    assert all(o for o in outcomes)


def test_replies_are_queued_in_the_outbox_with_the_change(memory_app: MemoryApp) -> None:
    from bot.ports import Address

    container = memory_app
    address = Address("slack", "T1", "D42")
    actor = Actor(PersonRef("slack", "T1", "U42"), display_name="Uma")
    with container.uow_factory() as uow:
        uow.people.map_tenant("slack", "T1", "kent")
        uow.commit()
    handled = container.service.handle(Message("Ev42", actor, DESCRIPTION, NOW), reply_to=address)
    again = container.service.handle(Message("Ev42", actor, DESCRIPTION, NOW), reply_to=address)
    assert handled.replies and again.duplicate
    with container.uow_factory() as uow:
        rows = uow.outbox.rows()
    assert len(rows) == 1
    row = rows[0]
    assert (row.platform, row.tenant, row.target, row.status, row.dedupe_key) == (
        "slack", "T1", "D42", "pending", "Ev42:replies")
    assert row.payload["replies"][-1] == {"type": "text", "text": t("ask.problem")}
    # the workspace's force was used: after the stage, no force question
    container.service.handle(Message("Ev43", actor, PROBLEM, NOW), reply_to=address)
    stage = container.service.handle(Message("Ev44", actor, "1", NOW), reply_to=address)
    assert t("summary.title") in _texts(stage.replies)


def test_likely_duplicates_are_shown_and_recorded() -> None:
    from tests.support.memory import memory_app

    c = memory_app(demo=True)  # the index is built from the seeded demo catalogue, as at start-up
    chat = Chat(c)
    replies = chat.say("We fly drones with thermal cameras to search woodland and moorland for vulnerable "
                       "missing people, streaming live video to the search adviser.")
    matches = [r for r in replies if isinstance(r, Card) and r.kind == "match"]
    assert matches and matches[0].title == "Thermal drones for missing person searches"
    assert matches[0].buttons[0].action_id == "connect.ask"
    chat.say("Foot searches of open country took hours.")
    chat.press(t("stage.being-tried"))
    chat.say("Devon and Cornwall")
    chat.press(t("button.submit"))
    flags = list(c.db.committed.duplicate_flags.values())
    assert [f.similar_idea_id for f in flags] == [int(matches[0].extra["idea_id"])]
