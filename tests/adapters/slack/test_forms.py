"""A form as a Slack modal: every box labelled, pre-filled, and a text over Slack's 3,000 characters split
over two boxes and joined again on the way back — never cut."""

from __future__ import annotations

from adapters.slack.forms import INPUT_CHARS, form_answers, form_view
from bot.i18n import Translator
from bot.replies import Form, Input


def test_a_long_text_is_split_over_boxes_and_joined_back_whole() -> None:
    long = "".join(f"{i:05d} " for i in range(700))  # 4,200 characters
    form = Form("Edit before sharing", "Rewrite as you wish", (
        Input("title", "Title", "Short", multiline=False, required=True, max_chars=300),
        Input("description", "What it is", long, required=True, max_chars=4400),
        Input("note", "Note (optional)")), "Approve for the network")
    view = form_view(form, "review.form", "{}", Translator())
    boxes = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in boxes] == ["title~0", "description~0", "description~1", "note~0"]
    assert [b["label"]["text"] for b in boxes] == ["Title", "What it is", "What it is (continued)", "Note (optional)"]
    assert all(len(b["element"].get("initial_value", "")) <= INPUT_CHARS for b in boxes)
    assert [b["optional"] for b in boxes] == [False, False, True, True]
    assert "initial_value" not in boxes[3]["element"]
    submitted = {b["element"]["action_id"]: b["element"].get("initial_value", "") for b in boxes}
    assert form_answers(submitted) == {"title": "Short", "description": long, "note": ""}
    assert view["title"]["text"] == "Edit before sharing" and len(view["submit"]["text"]) <= 24
