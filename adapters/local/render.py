"""Neutral replies → JSON for the playground page (which escapes everything by using textContent)."""

from __future__ import annotations

from typing import Any

from bot.replies import Button, Card, Choices, Reply, Text


class UnknownReply(TypeError):
    """A reply type this adapter cannot show: fail loudly rather than drop a message."""


def _button(b: Button) -> dict[str, str]:
    return {"action_id": b.action_id, "value": b.value, "label": b.label, "style": b.style.value}


def reply_to_json(reply: Reply) -> dict[str, Any]:
    if isinstance(reply, Text):
        return {"type": "text", "text": reply.text}
    if isinstance(reply, Choices):
        return {"type": "choices", "prompt": reply.prompt, "action_id": reply.action_id,
                "searchable": reply.searchable,
                "options": [{"value": o.value, "label": o.label} for o in reply.options]}
    if isinstance(reply, Card):
        return {"type": "card", "kind": reply.kind, "title": reply.title, "body": reply.body, "note": reply.note,
                "fields": [{"label": f.label, "value": f.value} for f in reply.fields],
                "buttons": [_button(b) for b in reply.buttons], "extra": dict(reply.extra)}
    raise UnknownReply(f"the playground cannot render {type(reply).__name__}")
