"""Slack modals the core asks for: a reason for a review decision, and a box to edit one field of a
draft. Each carries what it is about in ``private_metadata``, read back when it is submitted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.slack.blocks import plain
from adapters.slack.payloads import BadPayload, Click
from bot.i18n import Translator
from bot.review.policy import MAX_REASON_CHARS
from bot.surfaces import EditForm

EDIT_CALLBACK = "capture.edit"
REASON_CALLBACK = "review.reason"
FORM_CALLBACK = "review.form"
SHARE_CALLBACK = "share_as_idea"


def reason_view(click: Click, channel: str, t: Translator) -> dict[str, Any]:
    """Decline, ask for more info, or share a flagged idea: the decision waits for a written reason."""
    meta = {"action": click.action_id, "value": click.value, "channel": channel,
            "message_ts": click.message_ts, "block_id": click.block_id}
    return {
        "type": "modal", "callback_id": REASON_CALLBACK, "private_metadata": json.dumps(meta),
        "title": plain(t("modal.reason.title"), 24), "submit": plain(t("modal.reason.send"), 24),
        "close": plain(t("modal.close"), 24),
        "blocks": [{"type": "section", "text": plain(click.label or click.action_id, 3000)},
                   {"type": "input", "block_id": "value", "label": plain(t("modal.reason.label"), 2000),
                    "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                                "min_length": 1, "max_length": MAX_REASON_CHARS}}],
    }


def edit_view(form: EditForm, channel: str, t: Translator) -> dict[str, Any]:
    """A text field is easier to edit in a box that already holds it; the chat way still works."""
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": form.field != "title",
                               "max_length": form.max_chars, "min_length": 1}
    if form.current:
        element["initial_value"] = form.current
    return {
        "type": "modal", "callback_id": EDIT_CALLBACK,
        "private_metadata": json.dumps({"draft": form.draft_id, "field": form.field, "channel": channel}),
        "title": plain(t("modal.edit.title"), 24), "submit": plain(t("modal.edit.save"), 24),
        "close": plain(t("modal.close"), 24),
        "blocks": [{"type": "input", "block_id": "value", "label": plain(t(f"field.{form.field}"), 2000),
                    "element": element}],
    }


def metadata(body: Mapping[str, Any], *keys: str, what: str) -> tuple[str, ...]:
    """The values a modal carried in its ``private_metadata``; ``BadPayload`` when any is missing."""
    try:
        meta = json.loads(str((body.get("view") or {}).get("private_metadata") or "{}"))
        return tuple(str(meta[key]) for key in keys)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadPayload(f"{what} submission without its metadata") from None


def trigger_of(body: Mapping[str, Any], what: str) -> str:
    trigger = body.get("trigger_id")
    if not isinstance(trigger, str):
        raise BadPayload(f"a click that {what} came without a trigger id")
    return trigger
