"""What a roundup is about: the period's ideas, similar work, waiting ideas, and a channel's scope (values only).

Anonymous submitters are never named: a ``RoundupIdea`` only ever carries a name the submitter chose
to show (``submitter_visible_name``), and the composer shows nothing else about who shared it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.roundups.chart import WeeklyCounts
from bot.roundups.errors import Refusal
from bot.roundups.schedule import Frequency


class QuietMode(enum.StrEnum):
    NOTE = "note"  # a short "quiet week" note
    SKIP = "skip"  # post nothing


@dataclass(frozen=True)
class RoundupIdea:
    idea_id: int
    title: str
    summary: str
    force_slug: str
    force_name: str
    theme_slug: str | None
    theme_name: str | None
    stage: str
    submitter_visible_name: str | None = None  # None when anonymous to peers, or not known
    connectable: bool = True  # the submitter agreed to be contacted


@dataclass(frozen=True)
class WaitingIdea:
    idea_id: int
    title: str
    force_name: str
    waiting_days: int


@dataclass(frozen=True)
class PairSide:
    idea_id: int
    title: str
    force_slug: str
    force_name: str


@dataclass(frozen=True)
class SimilarPair:
    first: PairSide  # an idea of this period
    second: PairSide  # similar work in another force (this period or the catalogue)
    shared: tuple[str, ...] = ()
    score: float = 0.0


class BadScope(Refusal):
    pass


@dataclass(frozen=True)
class Scope:
    """What a channel subscribes to: the whole network, one force, or one theme."""

    kind: str  # "network" | "force" | "theme"
    slug: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        value = text.strip().lower()
        if value in ("network", "all"):
            return cls("network")
        kind, _, slug = value.partition(":")
        if kind in ("force", "theme") and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", slug):
            return cls(kind, slug)
        raise BadScope("roundup.error.scope", scope=repr(text[:80]), first="network", second="force:SLUG",
                       third="theme:SLUG")

    def __str__(self) -> str:
        return self.kind if self.kind == "network" else f"{self.kind}:{self.slug}"

    def includes(self, idea: RoundupIdea) -> bool:
        if self.kind == "force":
            return idea.force_slug == self.slug
        if self.kind == "theme":
            return idea.theme_slug == self.slug
        return True


@dataclass(frozen=True)
class RoundupContent:
    """Everything one channel's roundup says. ``ideas`` are already limited to the channel's scope."""

    scope_name: str  # "" for the whole network; otherwise the force's or the theme's name
    first_day: date  # local dates the period covers, for the title
    last_day: date
    frequency: Frequency
    ideas: Sequence[RoundupIdea]
    connections_made: int | None = None  # None until connections are recorded
    similar: Sequence[SimilarPair] = ()  # may cover other channels too: only this channel's ideas are shown
    waiting: Sequence[WaitingIdea] | None = None  # None: not a broker channel
    weekly: WeeklyCounts | None = None  # the chart's figures; None: no chart
    extra: dict[str, str] = field(default_factory=dict)
