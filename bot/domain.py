"""Domain words shared by every part of the bot (see DESIGN.md, "Domain words")."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Stage(enum.StrEnum):
    """How far a piece of practice has got, in the order it usually moves."""

    IDEA = "idea"
    BEING_TRIED = "being-tried"
    EVALUATED_LOCALLY = "evaluated-locally"
    INDEPENDENTLY_EVALUATED = "independently-evaluated"


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs-info"
    APPROVED_LOCAL = "approved-local"
    APPROVED_NETWORK = "approved-network"
    DECLINED = "declined"
    NATIONAL_REVIEW = "national-review"
    NATIONAL_DISSEMINATION = "national-dissemination"
    NATIONAL_TESTING = "national-testing"
    WITHDRAWN = "withdrawn"


class Role(enum.StrEnum):
    OFFICER = "officer"
    BROKER = "broker"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Visibility(enum.StrEnum):
    NAMED = "named"
    ANONYMOUS = "anonymous-to-peers"


class Platform(enum.StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    LOCAL = "local"


@dataclass(frozen=True, order=True)
class PersonRef:
    """Who someone is on one platform: ``(platform, tenant, user_id)``.

    ``tenant`` is the Slack team id, the Teams tenant id, or ``"local"`` for the playground and console.
    """

    platform: str
    tenant: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.tenant}:{self.user_id}"


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    nation: str = ""
    kind: str = "territorial"
    name_cy: str = ""  # the Welsh name ("Heddlu Gwent"), where the force has one

    def name_in(self, language: str) -> str:
        """The force's name in a catalogue language: its Welsh name in Welsh when it has one."""
        return self.name_cy if language == "cy" and self.name_cy else self.name

    @property
    def in_wales(self) -> bool:
        return self.nation == "Wales"


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdeaSummary:
    """What the core needs to show about a stored idea (``status`` / ``my ideas``)."""

    idea_id: int
    title: str
    status: Status
    force_name: str
    submitted_on: str  # ISO date, already formatted by the caller so the core never reads a clock
