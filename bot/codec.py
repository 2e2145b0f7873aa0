"""Neutral replies to and from plain JSON-able dicts.

Used to store replies in the outbox (rendered for a platform only when sent) and by the playground.
An unknown type fails loudly in both directions: a message is never silently dropped.
"""

from __future__ import annotations

from typing import Any

from bot.replies import Button, ButtonStyle, Card, Chart, Choices, Field, Form, Input, Option, Reply, Series, Text


class UnknownReply(TypeError):
    pass


def _button(b: Button) -> dict[str, Any]:
    data: dict[str, Any] = {"action_id": b.action_id, "value": b.value, "label": b.label, "style": b.style.value}
    if b.needs_reason:
        data["needs_reason"] = True
    if b.form is not None:
        data["form"] = {"title": b.form.title, "intro": b.form.intro, "submit": b.form.submit,
                        "inputs": [{"name": i.name, "label": i.label, "value": i.value, "multiline": i.multiline,
                                    "required": i.required, "max_chars": i.max_chars, "hint": i.hint}
                                   for i in b.form.inputs]}
    return data


def _form(data: Any) -> Form | None:
    if not isinstance(data, dict):
        return None
    return Form(str(data["title"]), str(data.get("intro", "")),
                tuple(Input(str(i["name"]), str(i["label"]), str(i.get("value", "")), bool(i.get("multiline", True)),
                            bool(i.get("required", False)), int(i.get("max_chars", 2000)), str(i.get("hint", "")))
                      for i in data.get("inputs", ())),
                str(data.get("submit", "")))


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a chart count must be a whole number, not {value!r}")
    return value


def reply_to_json(reply: Reply) -> dict[str, Any]:
    if isinstance(reply, Text):
        return {"type": "text", "text": reply.text}
    if isinstance(reply, Choices):
        return {"type": "choices", "prompt": reply.prompt, "action_id": reply.action_id,
                "searchable": reply.searchable, "placeholder": reply.placeholder,
                "options": [{"value": o.value, "label": o.label} for o in reply.options]}
    if isinstance(reply, Card):
        return {"type": "card", "kind": reply.kind, "title": reply.title, "body": reply.body, "note": reply.note,
                "fields": [{"label": f.label, "value": f.value} for f in reply.fields],
                "buttons": [_button(b) for b in reply.buttons], "extra": dict(reply.extra)}
    if isinstance(reply, Chart):
        # The data, never a picture: each platform draws it when the message is sent.
        return {"type": "chart", "kind": reply.kind, "title": reply.title, "weeks": list(reply.weeks),
                "series": [{"label": s.label, "counts": list(s.counts)} for s in reply.series], "alt": reply.alt}
    raise UnknownReply(f"cannot encode {type(reply).__name__}")


def reply_from_json(data: dict[str, Any]) -> Reply:
    kind = data.get("type")
    if kind == "text":
        return Text(str(data["text"]))
    if kind == "choices":
        return Choices(str(data["prompt"]), str(data["action_id"]),
                       tuple(Option(str(o["value"]), str(o["label"])) for o in data["options"]),
                       bool(data.get("searchable", False)), str(data.get("placeholder", "")))
    if kind == "card":
        return Card(
            str(data["title"]),
            tuple(Field(str(f["label"]), str(f["value"])) for f in data.get("fields", ())),
            body=str(data.get("body", "")), note=str(data.get("note", "")),
            buttons=tuple(Button(str(b["action_id"]), str(b["value"]), str(b["label"]),
                                 ButtonStyle(b.get("style", "default")), bool(b.get("needs_reason", False)),
                                 _form(b.get("form")))
                     for b in data.get("buttons", ())),
            kind=str(data.get("kind", "info")), extra={str(k): str(v) for k, v in data.get("extra", {}).items()},
        )
    if kind == "chart":
        return Chart(str(data["title"]), tuple(str(w) for w in data["weeks"]),
                     tuple(Series(str(s["label"]), tuple(_count(c) for c in s["counts"])) for s in data["series"]),
                     str(data["alt"]), kind=str(data.get("kind", "chart")))
    raise UnknownReply(f"cannot decode a reply of type {kind!r}")
