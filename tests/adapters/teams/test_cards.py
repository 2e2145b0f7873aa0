"""Rendering neutral replies as Teams messages: Adaptive Cards the SDK's model accepts, user text that
cannot become a mention, a link or markup, and unknown reply types refused loudly."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import pytest
from microsoft_teams.cards import AdaptiveCard

from adapters.teams.cards import answered, plain, render_activity, render_card
from adapters.teams.payloads import click_from
from bot.codec import UnknownReply
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Card, Choices, Field, Option, Text
from tests.adapters.teams.conftest import TENANT, TeamsBot, find_button

t = Translator()
HOSTILE = "Ask <at>Someone</at> to see [link](http://x) — it's **bold** and _sly_"


async def test_user_text_renders_as_literal_text_in_cards_and_messages(teams: TeamsBot) -> None:
    with teams.container.uow_factory() as uow:
        uow.people.map_tenant("teams", TENANT, "kent")  # no force question: straight to the summary
        uow.commit()
    await teams.say(HOSTILE)
    await teams.say("Officers waited hours for <b>vans</b>; now they book them.")
    await teams.deliver()
    verb, data = find_button(teams.last_card(), t("stage.being-tried"))
    await teams.execute(verb, data)
    await teams.say("search <at>Someone</at> **bold**")
    await teams.deliver()

    summary = next(a for a in teams.sent() if t("summary.title") in str(a))
    AdaptiveCard.model_validate(summary["attachments"][0]["content"])
    rendered = json.dumps(summary, ensure_ascii=False) + json.dumps(teams.sent()[-1], ensure_ascii=False)
    for markup in ("<at>", "</at>", "[link]", "](", "**", "_sly_", "<b>"):
        assert markup not in rendered, markup
    assert "‹at›Someone‹/at›" in rendered and "［link］(http://x)" in rendered and "∗∗bold∗∗" in rendered
    assert "‹b›vans‹/b›" in rendered


def test_plain_neutralises_markup_and_keeps_ordinary_text() -> None:
    assert plain("# Heading\n- item\n1. first\n2) second\n  + more") == \
        "＃ Heading\n\n‐ item\n\n1․ first\n\n2） second\n\n  ＋ more"
    assert plain("Reference #12, 1.5 hours, -5 degrees (roughly)") == "Reference #12, 1.5 hours, -5 degrees (roughly)"
    assert plain("a `b` <https://x>") == "a ˋbˋ ‹https://x›"


def test_choices_become_buttons_or_a_searchable_list() -> None:
    few = Choices("How far along is it?", "capture.stage", (Option("d|idea", "An idea"), Option("d|tried", "Tried")))
    many = Choices("Which force?", "capture.force", tuple(Option(f"d|f{n}", f"Force {n}") for n in range(40)),
                   searchable=True)
    card = render_card([few, many], outbox_id=7, translate=t)
    AdaptiveCard.model_validate(card)
    verb, data = find_button(card, "Tried")
    assert (verb, data["value"], data["ob"]) == ("capture.stage", "d|tried", 7)
    verb, data = find_button(card, "Force 31")
    click = click_from(data, verb)
    assert click is not None and (click.action_id, click.value, click.outbox_id) == ("capture.force", "d|f31", 7)
    lists = [e for c in card["body"] for e in c["items"] if e["type"] == "Input.ChoiceSet"]
    assert [(x["style"], x["isRequired"], len(x["choices"])) for x in lists] == [("filtered", True, 40)]


def test_summary_card_is_facts_note_and_styled_actions() -> None:
    summary = Card("Your idea", (Field("Title", "Vans"), Field("Force", "Kent Police")), body="Check it",
                   note="No personal details", kind="summary",
                   buttons=(Button("capture.submit", "d|", "Submit", ButtonStyle.PRIMARY),
                            Button("capture.cancel", "d|", "Cancel", ButtonStyle.DANGER)))
    activity = render_activity([Text("Nearly there"), summary], outbox_id=3)
    card = activity["attachments"][0]["content"]
    AdaptiveCard.model_validate(card)
    assert activity["summary"] == "Nearly there" and card["version"] == "1.5"
    items = card["body"][1]["items"]
    assert [i["type"] for i in items] == ["TextBlock", "TextBlock", "FactSet", "TextBlock", "ActionSet"]
    assert items[2]["facts"] == [{"title": "Title", "value": "Vans"}, {"title": "Force", "value": "Kent Police"}]
    assert items[3]["isSubtle"] is True
    actions = items[4]["actions"]
    assert [(a["type"], a.get("style"), a["fallback"]["type"]) for a in actions] == [
        ("Action.Execute", "positive", "Action.Submit"), ("Action.Execute", "destructive", "Action.Submit")]
    assert "Action" not in json.dumps(render_card(answered([Text("Nearly there"), summary])))


def test_a_button_that_needs_a_reason_opens_a_text_input() -> None:
    decline = Button("review.decline", "idea-9", "Decline", ButtonStyle.DANGER, needs_reason=True)
    card = render_card([Card("Idea #9", buttons=(decline,))], outbox_id=5)
    AdaptiveCard.model_validate(card)
    show = card["body"][0]["items"][-1]["actions"][0]
    assert show["type"] == "Action.ShowCard"
    field = show["card"]["body"][0]
    submit = show["card"]["actions"][0]
    assert field["type"] == "Input.Text" and field["isRequired"] is True
    click = click_from({**submit["data"], field["id"]: "Not for us"}, submit["verb"])
    assert click is not None and (click.action_id, click.value, click.text) == ("review.decline", "idea-9",
                                                                               "Not for us")


def test_text_only_replies_are_a_plain_message() -> None:
    activity = render_activity([Text("Hello"), Text("**Second**")])
    assert activity == {"type": "message", "text": "Hello\n\n∗∗Second∗∗", "textFormat": "markdown",
                        "summary": "Hello"}


def test_a_roundup_of_two_hundred_ideas_with_its_chart_stays_under_teams_limit() -> None:
    from adapters.charts.png import render_png
    from adapters.teams.roundup_card import MAX_CARD_BYTES as TEAMS_MAX_CARD_BYTES
    from bot.replies import Chart
    from tests.bot.test_roundup import compose, content, idea
    from tests.bot.test_roundup_chart import weekly

    ideas = [idea(i, theme=i % 3 if i % 7 else None, force=i % 3, long=True) for i in range(200)]
    figures = weekly(*((f"Theme number {n} " + "x" * 60, (999, 1, 0, 25, 300, 7)) for n in range(8)), (None, (5,) * 6))
    replies = compose(content(ideas, weekly=figures, connections_made=3), t)
    [chart] = [r for r in replies if isinstance(r, Chart)]
    activity = render_activity(replies, outbox_id=12, translate=t)
    assert len(json.dumps(activity, ensure_ascii=False).encode("utf-8")) < TEAMS_MAX_CARD_BYTES
    card = activity["attachments"][0]["content"]
    AdaptiveCard.model_validate(card)
    [image] = [item for block in card["body"] for item in block.get("items", []) if item["type"] == "Image"]
    assert image["url"] == "data:image/png;base64," + base64.b64encode(render_png(chart)).decode()
    assert image["altText"] == chart.alt
    # The words are on the card as well, for anyone the picture does not reach.
    assert any(item.get("text") == plain(chart.alt) for block in card["body"] for item in block.get("items", []))


def test_a_chart_too_big_to_carry_keeps_its_words_and_loses_its_picture() -> None:
    from bot.replies import Chart, Series

    weeks = tuple(f"{n} Jan" for n in range(1, 27))
    huge = Chart("Ideas", weeks, tuple(Series(f"Theme {n} " * 6, tuple((n * 7 + w * 3) % 11 for w in range(26)))
                                      for n in range(12)), "Every figure in words")
    card = render_card([huge], translate=t)
    items = card["body"][0]["items"]
    assert [i["type"] for i in items] == ["TextBlock", "TextBlock"] and items[1]["text"] == "Every figure in words"


def test_unknown_reply_types_fail_loudly() -> None:
    @dataclass(frozen=True)
    class Poll:
        question: str

    with pytest.raises(UnknownReply):
        render_activity([Text("hi"), Poll("?")])  # type: ignore[list-item]
    with pytest.raises(UnknownReply):
        render_card([Poll("?")])  # type: ignore[list-item]


def test_button_data_that_is_not_ours_is_ignored() -> None:
    assert click_from(None) is None and click_from({"msteams": {"type": "imBack"}}) is None
    assert click_from(["capture.stage"]) is None
    click = click_from({"action": "capture.stage", "value": 3, "ob": True, "label": None})
    assert click is not None and (click.value, click.outbox_id, click.label) == ("3", None, "")
