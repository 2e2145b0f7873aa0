"""Neutral replies → Block Kit. Every reply type is rendered or the call fails loudly.

User text reaches Slack only as ``mrkdwn`` escaped here (``&``, ``<``, ``>``), with ``verbatim`` set so
Slack does not turn words into links or mentions, so ``<!channel>`` typed into an idea arrives as
text and never pings anyone. ``plain_text`` objects carry only our own words (catalogue labels, force
and theme names). Slack's limits (50 blocks a message, 3,000 characters a section, 2,000 a field,
25 buttons a row, 100 options a menu) are met by splitting or trimming, never by failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bot.codec import UnknownReply
from bot.replies import Button, ButtonStyle, Card, Chart, Choices, Option, Reply, Text

Block = dict[str, Any]
# Where Slack can fetch a chart's image (adapters/charts), or None to say the chart in words instead.
ChartUrl = Callable[[Chart], str | None]

MAX_BLOCKS = 50  # a message; a home tab or modal takes 100
SECTION_CHARS = 3000
FIELD_CHARS = 2000
FALLBACK_CHARS = 300
SHORT_FIELD_CHARS = 120  # longer values get a section of their own instead of a narrow column
MAX_FIELDS = 10
BUTTONS_PER_ROW = 25
OPTIONS_PER_MENU = 100
LABEL_CHARS = 75
VALUE_CHARS = 2000
OPTION_VALUE_CHARS = 150
IMAGE_URL_CHARS = 3000
ALT_TEXT_CHARS = 2000


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int, *, bold: bool = False) -> str:
    """Escaped text no longer than ``limit`` once escaped, cut on a character boundary with "…"."""
    def wrap(s: str) -> str:
        return f"*{s}*" if bold else s

    out = wrap(escape(text))
    if len(out) <= limit:
        return out
    low, high = 0, len(text)  # the longest prefix that fits, found by bisection
    while low < high:
        mid = (low + high + 1) // 2
        if len(wrap(escape(text[:mid]) + "…")) <= limit:
            low = mid
        else:
            high = mid - 1
    return wrap(escape(text[:low].rstrip()) + "…")


def mrkdwn(escaped: str) -> dict[str, Any]:
    """A mrkdwn text object from text that is already escaped (use ``fit`` or ``escape``)."""
    return {"type": "mrkdwn", "text": escaped, "verbatim": True}


def plain(text: str, limit: int = LABEL_CHARS) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…", "emoji": True}


def section(escaped: str) -> Block:
    return {"type": "section", "text": mrkdwn(escaped)}


def context(escaped: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(escaped)]}


@dataclass
class ActionIds:
    """Numbers action ids so each is unique in its message (Slack rejects duplicates)."""

    n: int = 0

    def __call__(self, action_id: str, needs_reason: bool = False, form: bool = False) -> str:
        self.n += 1
        # "#r": the click must come with a written reason, so the adapter asks for one in a modal first.
        # "#f": the click opens the button's form (a modal the core describes) before it counts.
        marker = "f" if form else "r" if needs_reason else ""
        slack_id = f"{action_id}#{marker}{self.n}"
        if len(slack_id) > 255 or "#" in action_id:
            raise ValueError(f"action id {action_id[:40]!r} cannot be sent to Slack")
        return slack_id


def _value(value: str, limit: int) -> str:
    if len(value) > limit:
        # Trimming would corrupt what the button means; the sender marks the message undeliverable.
        raise ValueError(f"a button value of {len(value)} characters is over Slack's {limit}")
    return value


def button(b: Button, ids: ActionIds) -> Block:
    element: Block = {"type": "button", "text": plain(b.label), "action_id": ids(b.action_id, b.needs_reason,
                                                                                b.form is not None),
                      "value": _value(b.value, VALUE_CHARS)}
    if b.style is ButtonStyle.PRIMARY:
        element["style"] = "primary"
    elif b.style is ButtonStyle.DANGER:
        element["style"] = "danger"
    return element


def _option(o: Option) -> Block:
    return {"text": plain(o.label), "value": _value(o.value, OPTION_VALUE_CHARS)}


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _text_sections(text: str) -> list[Block]:
    """A long text as several sections, split between paragraphs where possible."""
    blocks: list[Block] = []
    rest = text
    while rest:
        piece = rest
        if len(escape(piece)) > SECTION_CHARS:
            piece = rest[:SECTION_CHARS // 2]
            split = max(piece.rfind("\n"), piece.rfind(". ") + 1)
            piece = rest[:split] if split > SECTION_CHARS // 4 else piece
        blocks.append(section(escape(piece)))
        rest = rest[len(piece):].lstrip("\n")
    return blocks or [section(" ")]


def _choices(reply: Choices, ids: ActionIds) -> list[Block]:
    prompt = fit(reply.prompt, SECTION_CHARS)
    if not reply.options:
        return [section(prompt)]
    if reply.searchable or len(reply.options) > BUTTONS_PER_ROW:
        # No initial option: the menu shows its placeholder until the person picks (never a default).
        extra = {"placeholder": plain(reply.placeholder, 150)} if reply.placeholder else {}
        menus = [{"type": "static_select", "action_id": ids(reply.action_id),
                  "options": [_option(o) for o in chunk], **extra}
                 for chunk in _chunks(reply.options, OPTIONS_PER_MENU)]
        if len(menus) == 1:
            return [{"type": "section", "text": mrkdwn(prompt), "accessory": menus[0]}]
        return [section(prompt), {"type": "actions", "elements": menus}]
    rows = [{"type": "actions", "elements": [button(Button(reply.action_id, o.value, o.label), ids) for o in chunk]}
            for chunk in _chunks(reply.options, BUTTONS_PER_ROW)]
    return [section(prompt), *rows]


def _card(card: Card, ids: ActionIds) -> list[Block]:
    blocks: list[Block] = []
    head = fit(card.title, 200, bold=True)
    if card.body:
        blocks.append(section(head + "\n" + fit(card.body, SECTION_CHARS - len(head) - 1)))
    else:
        blocks.append(section(head))
    short = [f for f in card.fields if len(f.value) <= SHORT_FIELD_CHARS and "\n" not in f.value]
    for f in card.fields:
        if f not in short:
            label = fit(f.label, 200, bold=True)
            blocks.append(section(label + "\n" + fit(f.value, SECTION_CHARS - len(label) - 1)))
    for chunk in _chunks(short, MAX_FIELDS):
        fields = []
        for f in chunk:
            label = fit(f.label, 200, bold=True)
            fields.append(mrkdwn(label + "\n" + fit(f.value, FIELD_CHARS - len(label) - 1)))
        blocks.append({"type": "section", "fields": fields})
    if card.note:
        blocks.append(context(fit(card.note, SECTION_CHARS)))
    for chunk in _chunks(card.buttons, BUTTONS_PER_ROW):
        blocks.append({"type": "actions", "elements": [button(b, ids) for b in chunk]})
    return blocks


def _chart(chart: Chart, chart_url: ChartUrl | None) -> list[Block]:
    """One block either way: the image with its words as alt text, or (no public URL) the words."""
    url = chart_url(chart) if chart_url is not None else None
    if url and len(url) <= IMAGE_URL_CHARS:
        alt = chart.alt if len(chart.alt) <= ALT_TEXT_CHARS else chart.alt[:ALT_TEXT_CHARS - 1] + "…"
        return [{"type": "image", "image_url": url, "alt_text": alt, "title": plain(chart.title, 2000)}]
    head = fit(chart.title, 200, bold=True)
    return [context(head + "\n" + fit(chart.alt, SECTION_CHARS - len(head) - 1))]


def reply_blocks(reply: Reply, ids: ActionIds | None = None, chart_url: ChartUrl | None = None) -> list[Block]:
    ids = ActionIds() if ids is None else ids
    if isinstance(reply, Text):
        return _text_sections(reply.text)
    if isinstance(reply, Choices):
        return _choices(reply, ids)
    if isinstance(reply, Card):
        return _card(reply, ids)
    if isinstance(reply, Chart):
        return _chart(reply, chart_url)
    raise UnknownReply(f"Slack cannot render {type(reply).__name__}")


def fallback_text(reply: Reply) -> str:
    """What notifications and screen readers show for a message (escaped: it is mrkdwn too)."""
    if isinstance(reply, Text):
        text = reply.text
    elif isinstance(reply, Choices):
        text = reply.prompt
    elif isinstance(reply, Card | Chart):
        text = reply.title
    else:
        raise UnknownReply(f"Slack cannot render {type(reply).__name__}")
    return fit(" ".join(text.split()), FALLBACK_CHARS)


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[Block]


def render(replies: Sequence[Reply], *, max_blocks: int = MAX_BLOCKS,
           chart_url: ChartUrl | None = None) -> list[SlackMessage]:
    """One event's replies as as few messages as Slack allows (usually one), a divider between cards.

    Action ids are numbered across the whole answer, so each is unique within its message.
    """
    if not replies:
        return []
    ids = ActionIds()
    messages: list[SlackMessage] = []
    blocks: list[Block] = []
    text = ""
    for reply in replies:
        rendered = reply_blocks(reply, ids, chart_url)
        if isinstance(reply, Card) and blocks:
            rendered = [{"type": "divider"}, *rendered]
        if blocks and len(blocks) + len(rendered) > max_blocks:
            messages.append(SlackMessage(text, blocks))
            blocks, text = [], ""
            if rendered[0]["type"] == "divider":
                rendered = rendered[1:]
        for start in range(0, len(rendered), max_blocks):  # one reply larger than a message
            if blocks and start:
                messages.append(SlackMessage(text, blocks))
                blocks, text = [], ""
            blocks.extend(rendered[start:start + max_blocks])
        text = text or fallback_text(reply)
    messages.append(SlackMessage(text, blocks))
    return messages


def after_click(blocks: Sequence[Block], block_id: str, picked_escaped: str) -> list[Block]:
    """The clicked message with the clicked row of buttons (or menu) replaced by what was picked,
    so a second click on an answered question cannot happen and the history reads clearly."""
    updated: list[Block] = []
    for block in blocks:
        if block.get("block_id") != block_id:
            updated.append(block)
        elif block.get("type") == "section" and "accessory" in block:
            kept = {k: v for k, v in block.items() if k != "accessory"}
            updated += [kept, context(picked_escaped)]
        else:
            updated.append(context(picked_escaped))
    return updated
