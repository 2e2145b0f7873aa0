"""The conversation's inputs and outputs: the context it is given, the effects it asks for, its outcome."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.conversation.state import Draft, State
from bot.domain import Force, Theme
from bot.i18n import Translator
from bot.replies import Reply

if TYPE_CHECKING:
    from bot.matching import Match


class SimilarFinder(Protocol):
    def match(self, text: str, limit: int = 3, *, exclude: Collection[int] = ()) -> list[Match]: ...

    def search(self, text: str, limit: int = 5) -> list[Match]: ...


@dataclass(frozen=True)
class Limits:
    # Slack's own message limit is 4,000 characters before it truncates; Teams allows more, but an
    # idea longer than this is better shortened than half-read by a busy broker.
    max_message_chars: int = 4000
    draft_ttl: timedelta = timedelta(days=3)
    # Back after this long mid-draft: the person is shown the draft and asked whether to carry on, as
    # they may well have come back with a new idea rather than the answer to the old question.
    resume_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Context:
    now: datetime
    translate: Translator
    forces: Sequence[Force]
    themes: Sequence[Theme]
    person_force: str | None = None
    person_name: str = ""
    last_activity: datetime | None = None
    finder: SimilarFinder | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class SubmitDraft:
    draft: Draft


@dataclass(frozen=True)
class ShowMyIdeas:
    in_progress: str = ""  # the title of an unfinished draft, so the list can mention it


@dataclass(frozen=True)
class ShowQueue:
    """A broker's or reviewer's list of ideas waiting for their decision."""


@dataclass(frozen=True)
class ProvideInfo:
    idea_id: int
    text: str


@dataclass(frozen=True)
class AdminCommand:
    text: str


@dataclass(frozen=True)
class ShowMyData:
    pass


@dataclass(frozen=True)
class Withdraw:
    idea_id: int


@dataclass(frozen=True)
class SetLanguage:
    """The person chose a language ("cy" or "en"): kept, and used for everything sent to them."""

    language: str


Effect = SubmitDraft | ShowMyIdeas | ShowQueue | ProvideInfo | AdminCommand | ShowMyData | Withdraw | SetLanguage


@dataclass(frozen=True)
class Outcome:
    state: State
    draft: Draft | None
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
    # A click that changed nothing (stale, out of turn, unknown): adapters must not show it as done.
    refused: bool = False

