"""Neutral outbound message types. Adapters render them as Block Kit, Adaptive Cards, HTML or text.

Every string here is *plain text*: adapters escape it for their platform, so user text can never
become a mention, a link or markup. An adapter that meets a type it does not know must fail loudly
(see ``render`` functions in ``adapters/``), never drop the message silently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import ClassVar


class ButtonStyle(enum.StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Input:
    """One box of a form: ``value`` is what it holds when the form opens."""

    name: str
    label: str
    value: str = ""
    multiline: bool = True
    required: bool = False
    max_chars: int = 2000
    hint: str = ""


@dataclass(frozen=True)
class Form:
    """What a click must be completed with before it counts: a title, what to read, and the boxes.

    Adapters show it as a modal, a card under the button, a form under the card or questions in turn,
    and deliver the answers as ``Action.inputs``.
    """

    title: str
    intro: str
    inputs: tuple[Input, ...]
    submit: str


@dataclass(frozen=True)
class Button:
    action_id: str
    value: str
    label: str
    style: ButtonStyle = ButtonStyle.DEFAULT
    # The click must carry a written reason (ask for more information, decline): adapters collect it
    # in a modal, a card input or a text box, and deliver it as ``Action.text``.
    needs_reason: bool = False
    # The click opens this form first (sharing a flagged idea); its answers come as ``Action.inputs``.
    form: Form | None = None


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
    # What a searchable list shows before anything is picked: nothing is chosen for the person.
    placeholder: str = ""


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


@dataclass(frozen=True)
class Series:
    """One coloured (and patterned) part of each bar, and one line of the legend."""

    label: str
    counts: tuple[int, ...]  # one per week, oldest first


@dataclass(frozen=True)
class Chart:
    """A small stacked bar chart of counts per week (a roundup's ideas by theme or by force).

    Adapters draw it as an image where the platform can show one. ``alt`` says in words everything
    the image shows (WCAG: no information by image alone); it is what a text-only renderer shows,
    and what a screen reader reads. Series are stacked in order, the first at the bottom.
    """

    title: str
    weeks: tuple[str, ...]  # the label under each bar, oldest first ("26 Oct")
    series: tuple[Series, ...]
    alt: str
    kind: str = "chart"

    MAX_WEEKS: ClassVar[int] = 26
    MAX_SERIES: ClassVar[int] = 12

    def __post_init__(self) -> None:
        if not 1 <= len(self.weeks) <= self.MAX_WEEKS:
            raise ValueError(f"a chart has 1 to {self.MAX_WEEKS} weeks, not {len(self.weeks)}")
        if len(self.series) > self.MAX_SERIES:
            raise ValueError(f"a chart has at most {self.MAX_SERIES} series, not {len(self.series)}")
        for s in self.series:
            if len(s.counts) != len(self.weeks) or any(not isinstance(c, int) or c < 0 for c in s.counts):
                raise ValueError(f"series {s.label[:40]!r} needs one count of 0 or more for each week")

    @property
    def totals(self) -> tuple[int, ...]:
        """Each week's height: every series added up."""
        return tuple(sum(s.counts[i] for s in self.series) for i in range(len(self.weeks)))


Reply = Text | Choices | Card | Chart
