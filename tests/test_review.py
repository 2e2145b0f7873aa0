"""The broker review workflow through the service, on the in-memory store; two deciders racing on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.bootstrap import Container
from bot.conversation import State
from bot.domain import PersonRef, Role
from bot.events import Action, Actor, Message
from bot.i18n import Translator
from bot.replies import Text
from bot.review.policy import Decision
from scheduler.reminders import send_reminders
from storage.memory.tables import DecisionRow as MemoryDecisionRow
from storage.memory.tables import IdeaRow as MemoryIdeaRow
from storage.memory.tables import OutboxRow as MemoryOutboxRow
from storage.models import DecisionRow, IdeaRow, OutboxRow
from tests.support.memory import MemoryApp

t = Translator()
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
ONE_SHOT = ("We have been trialling a WhatsApp-style group for shop staff and neighbourhood officers to share "
            "shoplifting alerts in real time. It stops repeat offenders moving from shop to shop because everyone is "
            "warned within minutes instead of days.")

OFFICER = Actor(PersonRef("local", "local", "olly"), "Olly Officer")
BROKER = Actor(PersonRef("local", "local", "bea"), "Bea Broker")
OTHER_BROKER = Actor(PersonRef("local", "local", "bob"), "Bob Broker")
REVIEWER = Actor(PersonRef("local", "local", "rita"), "Rita Reviewer")
ADMIN = Actor(PersonRef("local", "local", "ada"), "Ada Admin")
_n = iter(range(1, 1_000_000))


# What the review workflow does is tested on the in-memory store (fast); how two deciders racing are kept
# apart is a database's work, tested on SQLite and PostgreSQL (``c_db``).
App = Container | MemoryApp
IdeaRowLike = IdeaRow | MemoryIdeaRow
DecisionRowLike = DecisionRow | MemoryDecisionRow


def setup_people(c: App) -> None:
    with c.uow_factory() as uow:
        for actor, role, force in [(OFFICER, None, "kent"), (BROKER, Role.BROKER, "kent"),
                                   (OTHER_BROKER, Role.BROKER, "essex"), (REVIEWER, Role.REVIEWER, None),
                                   (ADMIN, Role.ADMIN, None)]:
            person = uow.people.ensure(actor.ref, display_name=actor.display_name, at=NOW)
            if force:
                uow.people.set_force(person.person_id, force)
            if role:
                uow.people.grant(person.person_id, role, force if role is Role.BROKER else None)
        uow.commit()


def say(c: App, actor: Actor, text: str, at: datetime = NOW) -> tuple[object, ...]:
    return c.service.handle(Message(f"m{next(_n)}", actor, text, at)).replies


def click(c: App, actor: Actor, action_id: str, value: str, text: str = "",
          at: datetime = NOW) -> list[str]:
    replies = c.service.handle(Action(f"a{next(_n)}", actor, action_id, value, at, text=text)).replies
    return [r.text for r in replies if isinstance(r, Text)]


def submit(c: App, actor: Actor = OFFICER, at: datetime = NOW) -> int:
    c.service.handle(Message(f"m{next(_n)}", actor, ONE_SHOT, at))
    with c.uow_factory() as uow:
        record = uow.conversations.get(actor.ref)
    assert record is not None and record.draft is not None
    handled = c.service.handle(Action(f"a{next(_n)}", actor, "capture.submit", f"{record.draft['draft_id']}|", at))
    assert handled.submitted_idea_id is not None
    return handled.submitted_idea_id


def outbox(c: App, target: str | None = None) -> list[OutboxRow] | list[MemoryOutboxRow]:
    if isinstance(c, MemoryApp):
        with c.uow_factory() as uow:
            return [r for r in uow.outbox.rows() if target is None or r.target == target]
    with c.sessions() as s:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if target:
            query = query.where(OutboxRow.target == target)
        return list(s.scalars(query).all())


def idea_row(c: App, idea_id: int) -> IdeaRowLike:
    with c.uow_factory() as uow:
        row = uow.ideas.get(idea_id)
    assert row is not None
    return row


def decisions(c: App, idea_id: int) -> list[DecisionRowLike]:
    with c.uow_factory() as uow:
        return list(uow.ideas.decisions(idea_id))


def card_buttons(row: OutboxRow | MemoryOutboxRow) -> dict[str, dict[str, object]]:
    card = next(r for r in row.payload["replies"] if r["type"] == "card")
    return {b["action_id"]: b for b in card["buttons"]}


@pytest.fixture
def c(memory_app: MemoryApp) -> MemoryApp:
    setup_people(memory_app)
    return memory_app


@pytest.fixture
def c_db(container: Container) -> Container:
    setup_people(container)
    return container


def test_new_idea_goes_to_the_forces_brokers_and_the_officer_is_told_who(c: App) -> None:
    replies = [r for r in c.service.handle(Message("m-x", OFFICER, ONE_SHOT, NOW)).replies]
    with c.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.draft is not None
    done = c.service.handle(Action("a-x", OFFICER, "capture.submit", f"{record.draft['draft_id']}|", NOW))
    assert replies and "Bea Broker, the innovation broker for Kent Police" in done.replies[0].text  # type: ignore[union-attr]
    [card] = outbox(c, "bea")
    assert (card.kind, card.platform, card.status) == ("dm", "local", "pending")
    buttons = card_buttons(card)
    assert set(buttons) == {"review.approve-network", "review.approve-local", "review.ask-info", "review.decline",
                            "review.escalate"}
    assert buttons["review.decline"]["needs_reason"] is True
    assert outbox(c, "bob") == [] and outbox(c, "rita") == []  # other forces and the national team: nothing


def test_no_broker_sends_it_to_the_national_team_and_tells_admins(c: App) -> None:
    stranger = Actor(PersonRef("local", "local", "sid"), "Sid")
    with c.uow_factory() as uow:
        person = uow.people.ensure(stranger.ref, display_name="Sid", at=NOW)
        uow.people.set_force(person.person_id, "dorset")
        uow.commit()
    idea_id = submit(c, stranger)
    assert card_buttons(outbox(c, "rita")[0])  # the reviewer got the card
    admin_rows = outbox(c, "ada")
    texts = [r["text"] for row in admin_rows for r in row.payload["replies"] if r["type"] == "text"]
    assert any("Dorset Police has no innovation broker set up" in x for x in texts)
    assert idea_row(c, idea_id).status == "submitted"


def test_a_brokers_own_idea_goes_to_another_broker_or_the_national_team(c: App) -> None:
    submit(c, BROKER)
    assert outbox(c, "bea") == []  # never to herself
    assert outbox(c, "rita")  # Kent has no other broker: national team


def test_approve_for_the_network_tells_everyone_and_joins_the_catalogue(c: App) -> None:
    idea_id = submit(c)
    [card] = outbox(c, "bea")
    value = str(card_buttons(card)["review.approve-network"]["value"])
    assert click(c, BROKER, "review.approve-network", value)[0].startswith(f"Done — #{idea_id} is now")
    row = idea_row(c, idea_id)
    assert (row.status, row.version) == ("approved-network", 2)
    assert [(d.from_status, d.to_status) for d in decisions(c, idea_id)] == [("draft", "submitted"),
                                                                 ("submitted", "approved-network")]
    news = [r["text"] for row in outbox(c, "olly") for r in row.payload["replies"]]
    assert any("approved for the network by Bea Broker" in x for x in news)
    update = [r for r in outbox(c, "bea") if r.kind == "update"]
    assert len(update) == 1 and update[0].payload["original_id"] == card.id
    decided = update[0].payload["replies"][0]
    assert decided["buttons"] == [] and "approved for the network by Bea Broker" in decided["body"]
    assert any(card_buttons(r).get("review.national-disseminate") for r in outbox(c, "rita"))
    assert idea_id in c.matcher  # findable at once


def test_needs_info_loop_reaches_the_broker_on_the_same_card(c: App) -> None:
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.ask-info"]["value"])
    assert click(c, BROKER, "review.ask-info", value) == [t("review.reason_needed")]
    assert idea_row(c, idea_id).status == "submitted"
    click(c, BROKER, "review.ask-info", value, text="How many shops took part?")
    assert idea_row(c, idea_id).status == "needs-info"
    with c.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.state == State.AWAITING_INFO.value
    replies = say(c, OFFICER, "Fourteen shops on the high street.")
    assert [r.text for r in replies if isinstance(r, Text)] == [t("review.info.thanks")]
    row = idea_row(c, idea_id)
    assert (row.status, row.version) == ("submitted", 3)
    latest = outbox(c, "bea")[-1]
    texts = [r.get("text") for r in latest.payload["replies"]]
    assert "Fourteen shops on the high street." in texts
    card = next(r for r in latest.payload["replies"] if r["type"] == "card")
    assert {"label": "More information from the officer", "value": "Fourteen shops on the high street."} in \
        card["fields"]
    # the broker's new card works; the old one is stale
    new_value = str(card_buttons(latest)["review.approve-local"]["value"])
    assert click(c, BROKER, "review.approve-local", value)[0].startswith(f"#{idea_id} has already")
    assert click(c, BROKER, "review.approve-local", new_value)[0].startswith("Done")


def test_second_decider_is_told_who_decided(c: App) -> None:
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.approve-network"]["value"])
    click(c, BROKER, "review.approve-network", value)
    answer = click(c, REVIEWER, "review.decline", value, text="Duplicate")
    assert answer == [f"#{idea_id} was already approved for the network by Bea Broker on 2026-11-02. "
                      "Nothing has changed."]


@pytest.mark.parametrize("reason", ["", "x" * 10_000])
def test_decline_needs_a_reasonable_reason(c: App, reason: str) -> None:
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.decline"]["value"])
    answer = click(c, BROKER, "review.decline", value, text=reason)
    assert answer[0] in (t("review.reason_needed"), t("review.reason_too_long", length=10_000, limit=2000))
    assert idea_row(c, idea_id).status == "submitted"


@pytest.mark.parametrize("value", ["999999:1", "abc", "1:2:3", "", "1" * 100])
def test_forged_or_missing_ideas_change_nothing(c: App, value: str) -> None:
    idea_id = submit(c)
    answer = click(c, BROKER, "review.approve-network", value)
    assert answer and answer[0] in (t("review.not_found", ref=999999), t("action.unknown"))
    assert idea_row(c, idea_id).status == "submitted"


def test_unknown_review_action_is_refused(c: App) -> None:
    idea_id = submit(c)
    assert click(c, BROKER, "review.promote", f"{idea_id}:1") == [t("action.unknown")]


def test_two_concurrent_decisions_make_exactly_one_decision(c_db: Container) -> None:
    c = c_db
    idea_id = submit(c)
    value = str(card_buttons(outbox(c, "bea")[0])["review.approve-network"]["value"])
    barrier = threading.Barrier(2)
    answers: list[list[str]] = []

    def decide(actor: Actor, action: str, reason: str) -> None:
        barrier.wait()
        answers.append(click(c, actor, action, value, text=reason))

    threads = [threading.Thread(target=decide, args=(BROKER, "review.approve-network", "")),
               threading.Thread(target=decide, args=(REVIEWER, "review.decline", "Not for us"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    with c.sessions() as s:
        decisions = s.scalars(select(DecisionRow).where(DecisionRow.idea_id == idea_id,
                                                        DecisionRow.from_status == "submitted")).all()
    assert len(decisions) == 1
    assert sorted(a[0].split(" ")[0] for a in answers) == sorted(["Done", f"#{idea_id}"])


def test_reminders_after_n_working_days_and_national_after_2n(c: App) -> None:
    idea_id = submit(c, at=NOW)
    before = len(outbox(c, "bea"))
    assert send_reminders(c.uow_factory, NOW + timedelta(days=7), 5).reminded == 0  # 5 working days: not yet
    counts = send_reminders(c.uow_factory, NOW + timedelta(days=8), 5)  # Tuesday week: 6 working days
    assert counts.reminded == 1
    send_reminders(c.uow_factory, NOW + timedelta(days=8, hours=3), 5)  # the clock runs again: no repeat
    reminders = outbox(c, "bea")[before:]
    assert len(reminders) == 1 and "waited 6 working days" in reminders[0].payload["replies"][0]["text"]
    counts = send_reminders(c.uow_factory, NOW + timedelta(days=16), 5)  # 12 working days
    assert counts.escalated == 1
    assert any(f"#{idea_id}" in str(r.payload) and "waited 12 working days" in str(r.payload)
               for r in outbox(c, "rita"))


def test_anonymous_idea_shows_the_name_to_the_broker_only(c: App) -> None:
    c.service.handle(Message("anon-1", OFFICER, ONE_SHOT, NOW))
    with c.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.draft is not None
    draft_id = record.draft["draft_id"]
    c.service.handle(Action("anon-2", OFFICER, "capture.visibility", f"{draft_id}|anonymous-to-peers", NOW))
    idea_id = c.service.handle(Action("anon-3", OFFICER, "capture.submit", f"{draft_id}|", NOW)).submitted_idea_id
    assert idea_id and idea_row(c, idea_id).visibility == "anonymous-to-peers"
    card = next(r for r in outbox(c, "bea")[0].payload["replies"] if r["type"] == "card")
    submitted_by = next(f["value"] for f in card["fields"] if f["label"] == "Submitted by")
    assert submitted_by.startswith("Olly Officer (anonymous to peers")


def test_queue_lists_what_waits_for_each_role(c: App) -> None:
    submit(c)
    broker_queue = [r for r in c.service.handle(Message("q1", BROKER, "queue", NOW)).replies]
    assert isinstance(broker_queue[0], Text) and broker_queue[0].text == t("review.queue.title", count=1)
    other = c.service.handle(Message("q2", OTHER_BROKER, "queue", NOW)).replies
    assert [r.text for r in other if isinstance(r, Text)] == [t("review.queue.empty")]


def test_admin_commands_in_chat(c: App) -> None:
    assert [r.text for r in say(c, OFFICER, "admin add-broker kent local:olly")  # type: ignore[attr-defined]
            ] == [t("admin.not_allowed")]
    assert say(c, ADMIN, "admin add-broker kent local:Olly")[0].text == "local:local:olly is now broker for kent"  # type: ignore[attr-defined]
    assert "unknown force 'atlantis'" in say(c, ADMIN, "admin add-broker atlantis local:olly")[0].text  # type: ignore[attr-defined]
    listing = say(c, ADMIN, "admin list")[0].text  # type: ignore[attr-defined]
    assert "broker (kent): local:local:olly Olly Officer" in listing
    with c.uow_factory() as uow:
        person = uow.people.ensure(OFFICER.ref, at=NOW)
        assert (Role.BROKER, "kent") in uow.people.roles_of(person.person_id)


def test_withdrawn_idea_cannot_be_decided(c: App) -> None:
    idea_id = submit(c)
    with c.uow_factory() as uow:
        assert uow.data_rights.withdraw(idea_id, uow.people.ensure(OFFICER.ref, at=NOW).person_id, NOW) == "withdrawn"
        uow.commit()
    value = f"{idea_id}:1"
    assert click(c, BROKER, "review.approve-network", value) == [t("review.not_found", ref=idea_id)]


def test_decisions_enum_covers_every_button() -> None:
    assert {d.value for d in Decision} == {"approve-network", "approve-local", "ask-info", "decline", "escalate",
                                           "national-disseminate", "national-test"}


def test_reminders_days_0_remind_now_of_everything_once_a_day(c: App) -> None:
    first, second = submit(c, at=NOW), submit(c, at=NOW + timedelta(hours=1))
    before = len(outbox(c, "bea"))
    counts = send_reminders(c.uow_factory, NOW + timedelta(hours=2), 0)
    assert (counts.reminded, counts.escalated, counts.messages, counts.untold) == (2, 0, 1, [])
    [digest] = outbox(c, "bea")[before:]
    text = digest.payload["replies"][0]["text"]
    assert f"#{first} " in text and f"#{second} " in text and "(2)" in text
    again = send_reminders(c.uow_factory, NOW + timedelta(hours=5), 0)  # the clock runs again the same day
    assert (again.reminded, again.messages) == (0, 0) and len(outbox(c, "bea")) == before + 1
    assert send_reminders(c.uow_factory, NOW + timedelta(days=1), 0).messages == 1  # the next day
    assert not [r for r in outbox(c, "rita") if "working days without" in str(r.payload)]  # nothing escalated


def test_reminders_say_when_nobody_could_be_told(memory_app: MemoryApp) -> None:
    container = memory_app
    with container.uow_factory() as uow:  # an officer in a force with no broker, and no national team at all
        person = uow.people.ensure(OFFICER.ref, display_name=OFFICER.display_name, at=NOW)
        uow.people.set_force(person.person_id, "kent")
        uow.commit()
    idea_id = submit(container, at=NOW)
    waiting = send_reminders(container.uow_factory, NOW + timedelta(days=8), 5)
    assert (waiting.reminded, waiting.escalated, waiting.messages, waiting.untold) == (0, 0, 0, [idea_id])
    overdue = send_reminders(container.uow_factory, NOW + timedelta(days=16), 5)
    assert (overdue.escalated, overdue.messages, overdue.untold) == (0, 0, [idea_id])


def test_reminders_count_only_what_was_sent(c: App) -> None:
    submit(c, at=NOW)
    assert send_reminders(c.uow_factory, NOW + timedelta(days=16), 5).escalated == 1
    repeat = send_reminders(c.uow_factory, NOW + timedelta(days=16, hours=1), 5)
    assert (repeat.escalated, repeat.messages) == (0, 0)  # already sent: nothing to report as sent
