"""Neutral replies → Block Kit: Slack's limits met, action ids unique and reversible, unknown types loud."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from adapters.slack.blocks import after_click, render, reply_blocks
from adapters.slack.payloads import core_action_id
from bot.codec import UnknownReply
from bot.replies import Button, ButtonStyle, Card, Chart, Choices, Field, Option, Series, Text


def _options(n: int) -> tuple[Option, ...]:
    return tuple(Option(f"d1|force-{i}", f"Force {i}") for i in range(n))


def test_searchable_choices_are_a_select_menu_and_long_lists_are_split() -> None:
    [section] = reply_blocks(Choices("Which force?", "capture.force", _options(52), searchable=True))
    menu = section["accessory"]
    assert menu["type"] == "static_select" and len(menu["options"]) == 52
    assert core_action_id(menu["action_id"]) == "capture.force"
    _, row = reply_blocks(Choices("Which?", "capture.force", _options(150), searchable=True))
    assert [len(m["options"]) for m in row["elements"]] == [100, 50]
    assert len({m["action_id"] for m in row["elements"]}) == 2
    # too many for a row of buttons: a menu even when not asked to be searchable
    assert reply_blocks(Choices("Pick", "x", _options(30)))[0]["accessory"]["type"] == "static_select"


def test_buttons_have_unique_action_ids_that_translate_back() -> None:
    card = Card("Similar", buttons=(Button("match.connect", "1", "Connect me"),))
    stages = Choices("How far along is it?", "capture.stage", _options(4))
    [message] = render([card, card, stages])
    ids = [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert {core_action_id(i) for i in ids} == {"match.connect", "capture.stage"}
    assert [b["type"] for b in message.blocks].count("divider") == 1  # between the two cards


def test_summary_card_is_fields_a_context_note_and_actions() -> None:
    card = Card("Your idea", (Field("Title", "Drones"), Field("What it is", "x" * 500), Field("Stage", "Idea")),
                body="Check the details.", note="No personal data, please.",
                buttons=(Button("capture.submit", "d|", "Submit", ButtonStyle.PRIMARY),
                         Button("capture.cancel", "d|", "Cancel", ButtonStyle.DANGER)), kind="summary")
    head, long_field, fields, note, actions = reply_blocks(card)
    assert head["text"]["text"] == "*Your idea*\nCheck the details."
    assert long_field["text"]["text"].startswith("*What it is*\nxxx")
    assert [f["text"] for f in fields["fields"]] == ["*Title*\nDrones", "*Stage*\nIdea"]
    assert note["type"] == "context" and actions["type"] == "actions"
    assert [e.get("style") for e in actions["elements"]] == ["primary", "danger"]


def test_slack_limits_are_met_by_splitting() -> None:
    blocks = reply_blocks(Text("A sentence that goes on. " * 400))
    assert len(blocks) > 1 and all(len(b["text"]["text"]) <= 3000 for b in blocks)
    many = Card("Many", tuple(Field(f"F{i}", "v") for i in range(23)))
    assert [len(b["fields"]) for b in reply_blocks(many) if "fields" in b] == [10, 10, 3]
    messages = render([Text(f"line {i}") for i in range(120)])
    assert [len(m.blocks) for m in messages] == [50, 50, 20]
    assert all(m.text for m in messages)
    with pytest.raises(ValueError, match="button value"):
        reply_blocks(Card("x", buttons=(Button("a", "v" * 2001, "A"),)))


CHART = Chart("Ideas shared each week, by theme", ("16 Nov", "23 Nov"), (Series("Cybercrime <b>", (1, 3)),),
              "Bar chart: Cybercrime <b> 1, 3 & more words", kind="roundup-chart")


def test_a_chart_is_an_image_where_slack_can_fetch_one_and_words_where_not() -> None:
    [image] = reply_blocks(CHART, chart_url=lambda chart: "https://bot.example.police.uk/charts/t.s.png")
    assert image == {"type": "image", "image_url": "https://bot.example.police.uk/charts/t.s.png",
                     "alt_text": CHART.alt, "title": {"type": "plain_text", "text": CHART.title, "emoji": True}}
    [words] = reply_blocks(CHART)  # no public URL
    assert words == {"type": "context", "elements": [{
        "type": "mrkdwn", "verbatim": True,
        "text": "*Ideas shared each week, by theme*\nBar chart: Cybercrime &lt;b&gt; 1, 3 &amp; more words"}]}
    assert reply_blocks(CHART, chart_url=lambda chart: None) == [words]  # a link too long, say
    assert reply_blocks(CHART, chart_url=lambda chart: "https://x/" + "a" * 3000) == [words]
    long = Chart(CHART.title, CHART.weeks, CHART.series, "w" * 2500)
    [image] = reply_blocks(long, chart_url=lambda chart: "https://x/c.png")
    assert len(image["alt_text"]) == 2000
    [message] = render([Card("Roundup"), CHART, Card("An idea")], chart_url=lambda chart: "https://x/c.png")
    assert [b["type"] for b in message.blocks] == ["section", "image", "divider", "section"]


def test_an_unknown_reply_type_fails_loudly() -> None:
    @dataclass(frozen=True)
    class Hologram:
        text: str

    with pytest.raises(UnknownReply):
        render([Text("fine"), Hologram("not fine")])  # type: ignore[list-item]


def test_answered_question_keeps_its_text_and_loses_its_buttons() -> None:
    blocks = [{"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "How far?"}},
              {"type": "actions", "block_id": "b", "elements": [{"type": "button"}]},
              {"type": "section", "block_id": "c", "text": {"type": "mrkdwn", "text": "Force?"},
               "accessory": {"type": "static_select"}}]
    assert [b["type"] for b in after_click(blocks, "b", "✓ Idea")] == ["section", "context", "section"]
    menu_answered = after_click(blocks, "c", "✓ Kent")
    assert "accessory" not in menu_answered[2] and menu_answered[3]["elements"][0]["text"] == "✓ Kent"
