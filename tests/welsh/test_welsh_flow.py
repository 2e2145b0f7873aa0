"""The whole share-and-review flow in Welsh, through the service on the in-memory store, and the
language rules: a person's choice is kept and used for everything sent to them (the outbox renders in
the recipient's language), a platform's change of language is honoured, and the choice is offered once
on first contact in the four Welsh forces."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count
from typing import Any

import pytest

from bot.domain import PersonRef, Role
from bot.events import Action, Actor, Message
from bot.i18n import Translator
from bot.replies import Card, Choices, Reply, Text
from tests.support.memory import MemoryApp
from tests.test_review import App, outbox

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
OWAIN = Actor(PersonRef("local", "local", "owain"), "Owain Officer", locale="en")  # the platform says English
BETHAN = Actor(PersonRef("local", "local", "bethan"), "Bethan Brocer")
KATE = Actor(PersonRef("local", "local", "kate"), "Kate Kent")
KEN = Actor(PersonRef("local", "local", "ken"), "Ken Broker")
IDEA_CY = ("Rydym yn defnyddio dronau gyda chamerâu thermol i chwilio am bobl ar goll yn y nos yng nghefn gwlad. "
           "Mae'r tîm yn dod o hyd i bobl yn gynt o lawer nag o'r blaen.")
IDEA_EN = ("We have been trialling a WhatsApp-style group for shop staff and neighbourhood officers to share "
           "shoplifting alerts in real time. It stops repeat offenders moving from shop to shop because everyone is "
           "warned within minutes instead of days.")
_n = count(1)
cy, en = Translator("cy"), Translator("en")


def words(replies: tuple[Reply, ...] | list[Reply]) -> list[str]:
    out: list[str] = []
    for r in replies:
        if isinstance(r, Text):
            out.append(r.text)
        elif isinstance(r, Choices):
            out += [r.prompt, *(o.label for o in r.options)]
        elif isinstance(r, Card):
            out += [r.title, r.body, r.note, *(f.label for f in r.fields), *(b.label for b in r.buttons)]
    return [w for w in out if w]


def say(c: App, actor: Actor, text: str) -> tuple[Reply, ...]:
    return c.service.handle(Message(f"m{next(_n)}", actor, text, NOW)).replies


def press(c: App, actor: Actor, action_id: str, value: str = "", text: str = "") -> tuple[Reply, ...]:
    return c.service.handle(Action(f"a{next(_n)}", actor, action_id, value, NOW, text=text)).replies


def draft_id(c: App, actor: Actor) -> str:
    with c.uow_factory() as uow:
        record = uow.conversations.get(actor.ref)
    assert record is not None and record.draft is not None
    return str(record.draft["draft_id"])


def sent_to(c: App, user_id: str) -> list[dict[str, Any]]:
    return [reply for row in outbox(c, user_id) for reply in row.payload["replies"]]


def json_words(replies: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for r in replies:
        parts += [str(r.get(k, "")) for k in ("text", "title", "body", "note", "prompt")]
        parts += [f"{f['label']}: {f['value']}" for f in r.get("fields", [])]
        parts += [b["label"] for b in r.get("buttons", [])]
    return "\n".join(parts)


def people(c: App) -> None:
    with c.uow_factory() as uow:
        for actor, force, role, language in [(OWAIN, "gwent", None, None), (BETHAN, "gwent", Role.BROKER, "cy"),
                                             (KATE, "kent", None, None), (KEN, "kent", Role.BROKER, None)]:
            person = uow.people.ensure(actor.ref, display_name=actor.display_name, at=NOW)
            uow.people.set_force(person.person_id, force)
            if role:
                uow.people.grant(person.person_id, role, force)
            if language:
                uow.people.set_locale(person.person_id, language, "chosen")
        uow.commit()


@pytest.fixture
def c(memory_app: MemoryApp) -> MemoryApp:
    people(memory_app)
    return memory_app


def test_a_welsh_speaking_officer_shares_an_idea_and_a_broker_decides_in_welsh(c: App) -> None:
    # First contact in a Welsh force: offered the choice, in both languages, before anything else.
    first = say(c, OWAIN, "Mae gen i syniad")
    offer = first[0]
    assert isinstance(offer, Card) and offer.title == cy("language.offer")
    assert [(b.action_id, b.label) for b in offer.buttons] == [("language.cy", "Cymraeg"), ("language.en", "English")]
    assert words(first[1:]) == [en("greeting"), en("ask.description")]  # "Helo" is an opener in any language

    # He picks Cymraeg: said in Welsh, and the question he was asked comes again in Welsh.
    opened = press(c, OWAIN, "language.cy", "cy")
    assert words(opened) == [cy("language.set"), cy("resume.lead"), cy("ask.description")]
    described = words(say(c, OWAIN, IDEA_CY))
    assert cy("ask.problem") in described
    staged = say(c, OWAIN, "Mae chwiliadau'n cymryd hanner yr amser.")
    stage_choice = next(r for r in staged if isinstance(r, Choices))
    assert stage_choice.prompt == cy("ask.stage")
    assert [o.label for o in stage_choice.options] == [cy("stage.idea"), cy("stage.being-tried"),
                                                       cy("stage.evaluated-locally"),
                                                       cy("stage.independently-evaluated")]
    summary = next(r for r in press(c, OWAIN, "capture.stage", f"{draft_id(c, OWAIN)}|being-tried")
                   if isinstance(r, Card))
    assert summary.title == cy("summary.title")
    fields = {f.label: f.value for f in summary.fields}
    assert fields[cy("field.force")] == "Heddlu Gwent" and fields[cy("field.stage")] == cy("stage.being-tried")
    labels = {b.label for b in summary.buttons}
    assert {cy("button.submit"), cy("button.edit"), cy("button.cancel"), "Rhannu'n ddienw"} <= labels
    assert not labels & {en("button.submit"), en("button.edit"), en("button.cancel"), en("button.edit_title")}
    submitted = words(say(c, OWAIN, "cyflwyno"))
    assert submitted[0].startswith("Wedi'i gyflwyno — diolch! Eich cyfeirnod yw #")
    assert "Bethan Brocer, y brocer arloesi ar gyfer Heddlu Gwent" in submitted[0]

    # The broker's card, in her language; her decision; the officer's news, in his.
    card = next(r for r in sent_to(c, "bethan") if r["type"] == "card")
    assert cy("review.card_intro") in json_words([card])
    labels = {b["action_id"]: b["label"] for b in card["buttons"]}
    assert labels["review.approve-network"] == "Cymeradwyo ar gyfer y rhwydwaith"
    assert labels["review.decline"] == "Gwrthod"
    approve = next(b for b in card["buttons"] if b["action_id"] == "review.approve-network")
    done = words(press(c, BETHAN, "review.approve-network", approve["value"]))
    assert done[0].startswith("Wedi'i wneud — mae #") and cy("status.phrase.approved-network") in done[0]
    news = json_words(sent_to(c, "owain"))
    assert "mae wedi'i gymeradwyo ar gyfer y rhwydwaith gan Bethan Brocer" in news
    assert cy("review.next.approve-network") in news

    # Nothing the bot said to either of them was in English.
    everything = [*words(opened), *described, *submitted, *done, news, json_words(sent_to(c, "bethan"))]
    for line in everything:
        for english in (" the ", " your ", "Your ", "Submit", "Approve"):
            assert english not in line, line


def test_the_outbox_renders_in_the_recipients_language_not_the_senders(c: App) -> None:
    # An English-speaking officer in Kent, a Welsh-speaking broker moved to Kent: the card is Welsh,
    # the officer's news English.
    with c.uow_factory() as uow:
        ken = uow.people.ensure(KEN.ref, at=NOW)
        uow.people.set_locale(ken.person_id, "cy", "chosen")
        uow.commit()
    say(c, KATE, IDEA_EN)
    press(c, KATE, "capture.submit", f"{draft_id(c, KATE)}|")
    card = next(r for r in sent_to(c, "ken") if r["type"] == "card")
    assert {b["label"] for b in card["buttons"]} >= {"Cymeradwyo ar gyfer y rhwydwaith", "Gwrthod"}
    assert cy("review.new_for_broker").split("#")[0] in json_words(sent_to(c, "ken"))
    approve = next(b for b in card["buttons"] if b["action_id"] == "review.approve-local")
    press(c, KEN, "review.approve-local", approve["value"])
    news = json_words(sent_to(c, "kate"))
    assert "it was approved for local use by Ken Broker" in news and "wedi'i" not in news


def test_language_commands_switch_and_keep_the_conversation(c: App) -> None:
    say(c, KATE, "I've got an idea")
    switched = words(say(c, KATE, "Cymraeg"))
    assert switched == [cy("language.set"), cy("resume.lead"), cy("ask.description")]
    asked = say(c, KATE, "iaith")
    assert isinstance(asked[0], Card) and asked[0].title == cy("language.ask")
    back = words(say(c, KATE, "English"))
    assert back == [en("language.set"), en("resume.lead"), en("ask.description")]
    assert words(say(c, KATE, "help"))[0] == en("help.text")


def test_a_platforms_change_of_language_is_honoured_but_never_overrides_a_choice(c: App) -> None:
    teams_user = Actor(PersonRef("local", "local", "tomos"), "Tomos", locale="cy-GB")
    assert words(say(c, teams_user, "Helo"))[0] == cy("greeting")  # Teams set to Welsh: Welsh from the start
    say(c, teams_user, "English")  # his choice
    assert words(say(c, teams_user, "help"))[0] == en("help.text")  # still cy-GB from Teams: the choice stands
    moved = Actor(teams_user.ref, "Tomos", locale="en-GB")
    say(c, moved, "cancel")
    back_to_welsh = Actor(teams_user.ref, "Tomos", locale="cy-GB")  # Teams switched back to Cymraeg: news
    assert words(say(c, back_to_welsh, "help"))[0] == cy("help.text")


def test_the_offer_is_made_once_and_only_in_the_welsh_forces(c: App) -> None:
    assert not any(isinstance(r, Card) and r.title == cy("language.offer") for r in say(c, KATE, "hello"))
    first = say(c, OWAIN, "hello")
    assert isinstance(first[0], Card) and first[0].title == cy("language.offer")  # first contact in Gwent
    again = say(c, OWAIN, "help")
    assert not any(isinstance(r, Card) and r.title == cy("language.offer") for r in again)
    assert words(again)[0] == en("help.text")  # he did not choose: English, as his platform said


def test_every_welsh_command_in_the_teams_menu_is_understood(c: App) -> None:
    """The Welsh listing's command menu sends these words: each gets its own answer, in Welsh."""
    welsh_speaker = Actor(PersonRef("local", "local", "gwen"), "Gwen", locale="cy-GB")
    answers = {
        cy("manifest.command.idea.title"): cy("ask.description"),
        cy("manifest.command.status.title"): cy("status.none"),
        cy("manifest.command.search.title"): cy("search.usage"),
        cy("manifest.command.queue.title"): cy("review.queue.empty"),
        cy("manifest.command.my data.title"): cy("mydata.title"),
        cy("manifest.command.cancel.title"): cy("cancel.nothing"),
        cy("manifest.command.help.title"): cy("help.text"),
    }
    for command, answer in answers.items():
        said = words(say(c, welsh_speaker, command))
        assert answer in said, command
        assert cy("ask.problem") not in said, f"{command!r} was taken for an idea"
        say(c, welsh_speaker, "canslo")


@pytest.mark.parametrize(("answer", "then"), [("parhau", "ask.problem"), ("dechrau eto", "ask.description")])
def test_coming_back_to_an_unfinished_idea_in_welsh(answer: str, then: str) -> None:
    from bot.conversation import State
    from tests.bot.dialogue import Dialogue, texts

    d = Dialogue(person_force="gwent", t=cy)
    d.say(IDEA_CY.split(".")[0] + ".")
    assert d.state is State.AWAITING_PROBLEM
    offered = texts(d.say("Mae gen i syniad"))
    assert d.state is State.RESUMING and cy("resume.question") in offered
    assert cy(then) in texts(d.say(answer))


def test_each_turn_says_which_language_the_adapters_words_around_it_are_in(c: App) -> None:
    """``Handled.locale``: the person's choice, else their platform's, as it stands after the turn (a card
    marked as answered, a pointer after a slash command follow it without reading the person again)."""
    slack_user = Actor(PersonRef("slack", "T1", "U0DAI"), "Dai", locale="en-GB")

    def turn(text: str, actor: Actor = slack_user) -> str:
        return c.service.handle(Message(f"m{next(_n)}", actor, text, NOW)).locale

    def click(action_id: str) -> str:
        return c.service.handle(Action(f"a{next(_n)}", slack_user, action_id, "", NOW)).locale

    assert turn("hello") == "en"  # the platform's language
    assert turn("Cymraeg") == "cy"  # chosen in this very turn
    assert turn("help") == "cy"  # Slack still says en-GB: the choice stands
    assert click("language.en") == "en" and click("language.cy") == "cy"
    assert click("language.xx") == "cy"  # an unknown language changes nothing
    duplicate = c.service.handle(Message("m-once", slack_user, "help", NOW))
    assert duplicate.locale == "cy" and c.service.handle(Message("m-once", slack_user, "help", NOW)).locale == ""
    assert turn("help", Actor(slack_user.ref, "Dai", locale="cy-GB")) == "cy"
    assert turn("help", Actor(slack_user.ref, "Dai", locale="fr-FR")) == "en"  # platform change is news: no French
