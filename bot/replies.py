"""Neutral outbound message types. Adapters render them as Block Kit, Adaptive Cards, HTML or text.

Every string here is *plain text*: adapters escape it for their platform, so user text can never
become a mention, a link or markup. An adapter that meets a type it does not know must fail loudly
(see ``render`` functions in ``adapters/``), never drop the message silently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ButtonStyle(enum.StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    action_id: str
    value: str
    label: str
    style: ButtonStyle = ButtonStyle.DEFAULT
    # The click must carry a written reason (ask for more information, decline): adapters collect it
    # in a modal, a card input or a text box, and deliver it as ``Action.text``.
    needs_reason: bool = False


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Choices:
    """A question answered by picking one option.

    ``searchable`` asks the adapter for a filterable list (a select menu) rather than a row of buttons,
    for long lists such as the 50-odd forces.
    """

    prompt: str
    action_id: str
    options: tuple[Option, ...]
    searchable: bool = False


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """A titled block of labelled fields with optional buttons (idea summaries, matches, lists)."""

    title: str
    fields: tuple[Field, ...] = ()
    body: str = ""
    note: str = ""
    buttons: tuple[Button, ...] = ()
    kind: str = "info"  # a hint for styling: "summary", "match", "list", "info"
    extra: dict[str, str] = field(default_factory=dict, compare=False)


Reply = Text | Choices | Card
