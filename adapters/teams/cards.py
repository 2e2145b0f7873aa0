"""Neutral replies → Teams message activities: Adaptive Cards 1.5 for anything with structure, plain
text otherwise. Every string a person could have typed is passed through ``plain`` first.

Why ``plain`` swaps characters instead of backslash-escaping them: Teams renders a limited markdown
in message text, ``TextBlock`` and ``FactSet`` and honours ``<at>…</at>`` mention tags, but it has no
escape syntax that every client respects. Replacing the few characters that start markup with
look-alikes (``*`` → ``∗``, ``[`` → ``［``, ``<`` → ``‹`` …) keeps the text readable and makes it
impossible for an idea to bold itself, link somewhere or mention someone.

Buttons are ``Action.Execute`` (Universal Actions: Teams answers them with an ``adaptiveCard/action``
invoke) with an ``Action.Submit`` fallback for clients without them. Their ``data`` carries the core's
action id and value plus ``ob``, the outbox message that rendered the card, so a click can update
that very card in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from adapters.charts.png import chart_data_uri
from adapters.teams.roundup_card import CHART_IMAGE_BYTES
from bot.codec import UnknownReply
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Card, Chart, Choices, Form, Reply, Text

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
MAX_BUTTONS = 6  # more options than this become a drop-down list (Teams folds long action rows away)
SUMMARY_CHARS = 200

_LOOKALIKES = str.maketrans({
    "*": "\u2217",  # ∗ asterisk operator: no bold or italics
    "_": "\u02cd",  # ˍ modifier low macron: no italics
    "[": "\uff3b", "]": "\uff3d",  # ［ ］: no markdown links
    "<": "\u2039", ">": "\u203a",  # ‹ ›: no <at> mentions, HTML or autolinks
    "`": "\u02cb",  # ˋ: no code spans
})
# Line-start markers ("- ", "+ ", "1. ", "2) ", "# "): the marker character is swapped, the text kept.
# A "#" elsewhere ("reference #12") is left alone: only a line-start "#" makes a heading.
_LIST_MARKER = re.compile(
    r"^(?P<lead>\s*)(?:(?P<bullet>[-+]|#+)(?=\s|$)|(?P<num>\d{1,9})(?P<end>[.)])(?=\s|$))")
_MARKER_LOOKALIKES = {"-": "\u2010", "+": "\uff0b", ".": "\u2024", ")": "\uff09", "#": "\uff03"}


def plain(text: str) -> str:
    """User or catalogue text made inert for Teams markdown: it shows as typed and creates no markup.

    Parentheses stay as they are: a markdown link needs ``](`` and ``]`` never survives. Each line
    becomes a paragraph (blank lines fold away): the only line break every Teams client keeps.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        line = _LIST_MARKER.sub(_neutral_marker, line.translate(_LOOKALIKES)).rstrip()
        if line.strip():
            out.append(line)
    return "\n\n".join(out)


def _neutral_marker(m: re.Match[str]) -> str:
    if m.group("bullet"):
        return m.group("lead") + "".join(_MARKER_LOOKALIKES[c] for c in m.group("bullet"))
    return m.group("lead") + m.group("num") + _MARKER_LOOKALIKES[m.group("end")]


# --- activities ------------------------------------------------------------------------------------

def render_activity(replies: Sequence[Reply], *, outbox_id: int | None = None, translate: Translator | None = None,
                    as_card: bool = False) -> dict[str, Any]:
    """One outbox message → one Teams message activity (one POST, so a retry can never half-repeat it).

    Only text → a plain message; anything else → one Adaptive Card holding every reply in order.
    """
    if not replies:
        raise ValueError("nothing to render")
    for reply in replies:
        if not isinstance(reply, Text | Choices | Card | Chart):
            raise UnknownReply(f"Teams cannot render a {type(reply).__name__}")
    summary = _summary(replies)
    if not as_card and all(isinstance(r, Text) for r in replies):
        text = "\n\n".join(plain(r.text) for r in replies if isinstance(r, Text))
        return {"type": "message", "text": text, "textFormat": "markdown", "summary": summary}
    card = render_card(replies, outbox_id=outbox_id, translate=translate)
    return {"type": "message", "summary": summary,
            "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}]}


def _summary(replies: Sequence[Reply]) -> str:
    """The notification preview: the first thing said, on one line, as inert as the rest."""
    first = replies[0]
    text = first.text if isinstance(first, Text) else first.prompt if isinstance(first, Choices) else first.title
    line = " ".join(text.split()).translate(_LOOKALIKES)
    return line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS - 1].rstrip() + "…"


def render_card(replies: Sequence[Reply], *, outbox_id: int | None = None,
                translate: Translator | None = None) -> dict[str, Any]:
    t = translate or Translator()
    body: list[dict[str, Any]] = []
    inputs = _InputIds()
    for reply in replies:
        if isinstance(reply, Text):
            body.append(_text(reply.text))
        elif isinstance(reply, Choices):
            body.append(_container(_choices(reply, outbox_id, t, inputs), separator=bool(body)))
        elif isinstance(reply, Card):
            body.append(_container(_card(reply, outbox_id, inputs), separator=bool(body),
                                   emphasis=reply.kind == "summary"))
        elif isinstance(reply, Chart):
            body.append(_container(_chart(reply), separator=bool(body)))
        else:
            raise UnknownReply(f"Teams cannot render a {type(reply).__name__}")
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body,
            "msteams": {"width": "full"}}


def answered(replies: Sequence[Reply]) -> list[Reply]:
    """The same message with its buttons and choices taken away: what a card shows once it was used,
    so nobody clicks it twice. The next message says what happened."""
    out: list[Reply] = []
    for reply in replies:
        if isinstance(reply, Choices):
            out.append(Text(reply.prompt))
        elif isinstance(reply, Card):
            out.append(Card(reply.title, reply.fields, body=reply.body, note=reply.note, kind=reply.kind,
                            extra=dict(reply.extra)))
        else:
            out.append(reply)
    return out


# --- elements --------------------------------------------------------------------------------------

class _InputIds:
    """Input ids must be unique within a card; several questions can share one card."""

    def __init__(self) -> None:
        self._n = 0

    def next(self, kind: str) -> str:
        self._n += 1
        return f"{kind}{self._n}"


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": plain(text), "wrap": True, **style}


def _container(items: list[dict[str, Any]], *, separator: bool, emphasis: bool = False) -> dict[str, Any]:
    container: dict[str, Any] = {"type": "Container", "items": items}
    if separator:
        container["separator"] = True
        container["spacing"] = "medium"
    if emphasis:
        container["style"] = "emphasis"
    return container


def _data(action_id: str, outbox_id: int | None, label: str, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {"action": action_id, "label": label, **extra}
    if outbox_id is not None:
        data["ob"] = outbox_id
    return data


def _execute(title: str, verb: str, data: dict[str, Any], style: ButtonStyle = ButtonStyle.DEFAULT) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Execute", "title": title, "verb": verb, "data": data,
                              "fallback": {"type": "Action.Submit", "title": title, "data": data}}
    if style is ButtonStyle.PRIMARY:
        action["style"] = "positive"
    elif style is ButtonStyle.DANGER:
        action["style"] = "destructive"
    return action


def _choices(choices: Choices, outbox_id: int | None, t: Translator, inputs: _InputIds) -> list[dict[str, Any]]:
    items = [_text(choices.prompt, weight="Bolder")]
    if not choices.options:
        return items
    if choices.searchable or len(choices.options) > MAX_BUTTONS:
        input_id = inputs.next("choice")
        items.append({
            "type": "Input.ChoiceSet", "id": input_id, "style": "filtered" if choices.searchable else "compact",
            "isRequired": True, "label": choices.prompt, "errorMessage": choices.prompt,
            "choices": [{"title": o.label, "value": o.value} for o in choices.options],
            # No "value": nothing is pre-selected, and isRequired stops "Choose" with nothing picked.
            **({"placeholder": plain(choices.placeholder)} if choices.placeholder else {}),
        })
        title = t("button.choose") if t.has("button.choose") else t("button.submit")
        data = _data(choices.action_id, outbox_id, title, input=input_id)
        items.append({"type": "ActionSet", "actions": [_execute(title, choices.action_id, data,
                                                                ButtonStyle.PRIMARY)]})
        return items
    actions = [_execute(o.label, choices.action_id, _data(choices.action_id, outbox_id, o.label, value=o.value))
               for o in choices.options]
    items.append({"type": "ActionSet", "actions": actions})
    return items


def _card(card: Card, outbox_id: int | None, inputs: _InputIds) -> list[dict[str, Any]]:
    items = [_text(card.title, weight="Bolder", size="Medium")]
    if card.body:
        items.append(_text(card.body))
    if card.fields:
        items.append({"type": "FactSet", "facts": [{"title": plain(f.label), "value": plain(f.value)}
                                                   for f in card.fields]})
    if card.note:
        items.append(_text(card.note, isSubtle=True, size="Small"))
    if card.buttons:
        items.append({"type": "ActionSet", "actions": [_button(b, outbox_id, inputs) for b in card.buttons]})
    return items


def _chart(chart: Chart) -> list[dict[str, Any]]:
    """The title, the image inline as a data URI (Teams shows those; nothing to host), and the figures
    in words under it. An image over the roundup composer's budget is left out: the words remain."""
    items = [_text(chart.title, weight="Bolder")]
    image = chart_data_uri(chart)
    if len(image) <= CHART_IMAGE_BYTES:
        items.append({"type": "Image", "url": image, "altText": chart.alt, "size": "Stretch"})
    items.append(_text(chart.alt, isSubtle=True, size="Small"))
    return items


def _button(button: Button, outbox_id: int | None, inputs: _InputIds) -> dict[str, Any]:
    data = _data(button.action_id, outbox_id, button.label, value=button.value)
    if button.form is not None:
        return _form(button, button.form, data, inputs)
    if not button.needs_reason:
        return _execute(button.label, button.action_id, data, button.style)
    # A click that must carry a written reason opens a small form under the button.
    input_id = inputs.next("reason")
    data["reason_input"] = input_id
    form = {"type": "AdaptiveCard", "body": [
        {"type": "Input.Text", "id": input_id, "isMultiline": True, "isRequired": True, "maxLength": 2000,
         "label": button.label, "errorMessage": button.label},
    ], "actions": [_execute(button.label, button.action_id, data, button.style)]}
    return {"type": "Action.ShowCard", "title": button.label, "card": form}


def _form(button: Button, form: Form, data: dict[str, Any], inputs: _InputIds) -> dict[str, Any]:
    """A button with a form (sharing a flagged idea): the form opens under it, filled in where it says so.
    ``form_inputs`` maps each box's name to its id in this card, so the answers come back by name."""
    names: dict[str, str] = {}
    body: list[dict[str, Any]] = [_text(form.title, weight="Bolder"), _text(form.intro)]
    for box in form.inputs:
        input_id = names[box.name] = inputs.next("form")
        element: dict[str, Any] = {"type": "Input.Text", "id": input_id, "isMultiline": box.multiline,
                                   "isRequired": box.required, "maxLength": box.max_chars, "label": plain(box.label)}
        if box.value:
            element["value"] = box.value
        if box.required:
            element["errorMessage"] = plain(box.label)
        if box.hint:
            element["placeholder"] = plain(box.hint)
        body.append(element)
    data = {**data, "form_inputs": names}
    card = {"type": "AdaptiveCard", "body": body,
            "actions": [_execute(form.submit or button.label, button.action_id, data, button.style)]}
    return {"type": "Action.ShowCard", "title": button.label, "card": card}
