"""What the core needs from storage, as protocols. ``storage/`` implements them with SQLAlchemy;
tests may implement them in memory. Keeping them here keeps ``bot/`` free of any database import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.admin_ports import AdminStore
from bot.data_rights_ports import DataRights
from bot.domain import Force, IdeaSummary, PersonRef, Role, Theme
from bot.evidence.ports import ExportQueries
from bot.installs.ports import Installations
from bot.metrics.ports import MetricsQueries
from bot.practice_import.ports import ImportedPractice
from bot.queues import OutboxItem, OutboxMessage
from bot.retention import RetentionStore
from bot.review.cards import IdeaForReview
from bot.review.policy import Grant
from bot.roundups.ports import Roundups, Subscriptions


class ConcurrentUpdate(Exception):
    """Another process changed the same conversation first: the caller retries the whole event."""


@dataclass(frozen=True)
class ConversationRecord:
    state: str
    draft: dict[str, Any] | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class PersonRecord:
    person_id: int
    ref: PersonRef
    display_name: str
    force_slug: str | None
    locale: str
    # Where ``locale`` came from: "platform" (as reported), "offered" (the choice was offered once) or
    # "chosen" (the person said Cymraeg / English or pressed a language button).
    locale_source: str = "platform"


@dataclass(frozen=True)
class KnownProfile:
    """What the platform's directory last said of a person, and when: while fresh, asking again is waste."""

    display_name: str
    email: str
    locale: str  # as the platform reported it ("en-GB"), not the language the person chose with us
    checked_at: datetime


@dataclass(frozen=True)
class NewIdea:
    title: str
    description: str
    problem: str
    stage: str
    theme_slug: str | None
    force_slug: str
    submitter_id: int
    submitted_at: datetime
    visibility: str = "named"
    contact_consent: bool = True


@dataclass(frozen=True)
class Address:
    """Where replies to an event should go on its platform: a DM channel, a conversation, a thread."""

    platform: str
    tenant: str
    target: str
    thread: str = ""


@dataclass(frozen=True)
class SentMessage:
    """A message the outbox delivered: where to, what it said (as queued) and what the platform answered."""

    platform: str
    target: str
    payload: dict[str, Any]
    result: dict[str, Any]


class Outbox(Protocol):
    def enqueue(self, message: OutboxMessage, at: datetime) -> int | None:
        """Queue a message an adapter or a feature composed whole; None when its dedupe key was queued before."""

    def sent(self, outbox_id: int) -> SentMessage | None:
        """The message, once delivered (None while pending, after failing for good, or when unknown)."""

    def take_for(self, platform: str, target: str, *, after: int, limit: int, at: datetime) -> list[OutboxItem]:
        """Messages to one target that the caller shows itself (the playground's inbox), oldest first and
        newer than outbox id ``after``: returned, and marked sent."""

    def enqueue_replies(self, address: Address, replies: Sequence[dict[str, Any]], *, dedupe_key: str | None,
                        at: datetime, kind: str = "post", original_id: int | None = None) -> int | None:
        """Queue replies (already encoded by ``bot.codec``) for delivery; None if queued before.

        ``kind`` is "post" (into ``address.target``, a channel or conversation), "dm" (to the person whose
        user id is ``address.target``; the sender finds or opens the direct conversation), "group" (a
        conversation with the people whose comma-separated user ids are in ``address.target``, on a
        platform whose sender opens one: ``ConversationService.group_chats``) or "update" (replace what outbox
        message ``original_id`` posted, e.g. a review card once decided).
        """


@dataclass(frozen=True)
class Recipient:
    person_id: int
    ref: PersonRef
    display_name: str
    locale: str = "en"  # what they are sent is rendered in their language, not the sender's

    @property
    def dm(self) -> Address:
        """Where a notice to this person goes: their direct conversation with the bot (outbox kind "dm")."""
        return Address(self.ref.platform, self.ref.tenant, self.ref.user_id)


class Reviews(Protocol):
    def load(self, idea_id: int) -> IdeaForReview | None: ...

    def submitter(self, idea_id: int) -> Recipient | None: ...

    def grants(self, person_id: int) -> list[Grant]: ...

    def decide(self, idea_id: int, *, expected_version: int, from_status: str, to_status: str,
               actor_id: int | None, reason: str, at: datetime, edits: Mapping[str, str] | None = None,
               shared_as_is: str | None = None) -> bool:
        """Change the status only if nobody changed the idea since ``expected_version``; record the Decision.
        ``edits`` (title, description, problem) and ``shared_as_is`` are the broker's check of a flagged idea,
        applied in the same compare-and-set."""

    def last_decision(self, idea_id: int) -> tuple[str, str, str, str] | None:
        """(to_status, decider name, reason, ISO date) of the newest decision, if any."""

    def people_with_role(self, role: Role, force_slug: str | None = None) -> list[Recipient]: ...

    def record_card(self, idea_id: int, person_id: int, outbox_id: int) -> None: ...

    def cards(self, idea_id: int) -> list[tuple[int, Recipient]]:
        """(outbox id, recipient) of every review card sent for the idea."""

    def open_for(self, grants: Sequence[Grant]) -> list[IdeaForReview]:
        """Ideas waiting for a decision by someone with these grants (the review queue)."""

    def waiting_since(self, before: datetime) -> list[tuple[IdeaForReview, datetime]]:
        """Submitted ideas with no decision since before ``before``, with when they were submitted."""


@dataclass(frozen=True)
class ConnectTarget:
    idea_id: int
    title: str
    force_name: str
    in_catalogue: bool
    submitter: Recipient | None
    contact: str  # the published contact line of imported practice


@dataclass(frozen=True)
class PersonDetails:
    name: str
    email: str
    force_name: str


@dataclass(frozen=True)
class ConnectionInfo:
    connection_id: int
    status: str
    asker: Recipient
    contact_id: int | None
    idea_id: int
    idea_title: str


class Connections(Protocol):
    def target(self, idea_id: int) -> ConnectTarget | None: ...

    def create(self, asker_id: int, idea_id: int, contact_id: int | None, status: str, at: datetime) -> int | None:
        """A new request; None when this person already asked about this idea."""

    def get(self, connection_id: int) -> ConnectionInfo | None: ...

    def decide(self, connection_id: int, status: str, at: datetime) -> bool:
        """Move an ``asked`` request to ``status``; False if it was already answered."""

    def details(self, person_id: int) -> PersonDetails: ...


class ProcessedEvents(Protocol):
    def claim(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False when it was already processed (a platform retry)."""


class Conversations(Protocol):
    def get(self, ref: PersonRef) -> ConversationRecord | None: ...

    def save(self, ref: PersonRef, state: str, draft: dict[str, Any] | None, *, expected_version: int | None,
             at: datetime) -> int:
        """Store the new state; raise ConcurrentUpdate when ``expected_version`` is stale."""

    def idle_since(self, before: datetime) -> list[tuple[PersonRef, ConversationRecord]]:
        """Conversations with a draft untouched since ``before`` (a broker's question is not a draft)."""


class People(Protocol):
    def find(self, ref: PersonRef) -> PersonRecord | None:
        """The person, if the bot has met them (never creates one)."""

    def ensure(self, ref: PersonRef, *, display_name: str = "", email: str = "", locale: str = "",
               at: datetime, profile_checked_at: datetime | None = None) -> PersonRecord:
        """The person, created on first contact. ``locale`` is what the platform reports now ("" when it
        says nothing): a change of language there is honoured; the same one never overrides a choice.
        ``profile_checked_at``: when the platform's directory gave name, email and locale (kept if newer)."""

    def known_profile(self, ref: PersonRef) -> KnownProfile | None:
        """What the platform's directory last said of the person, or None if it was never asked."""

    def set_locale(self, person_id: int, locale: str, source: str) -> None:
        """Keep the person's language ("cy" / "en") and where it came from ("chosen", "offered")."""

    def set_force(self, person_id: int, force_slug: str) -> None: ...

    def grant(self, person_id: int, role: Role, force_slug: str | None = None) -> None:
        """Give the person a role (for a force, for a broker); granting one they hold changes nothing."""

    def broker_names(self, force_slug: str) -> list[str]: ...

    def tenant_force(self, platform: str, tenant: str) -> str | None:
        """The force an admin mapped a whole Slack workspace or Teams tenant to, if any."""


class Ideas(Protocol):
    def submit(self, idea: NewIdea) -> int:
        """Store a submitted idea with its first Decision (draft → submitted); return its id."""

    def for_person(self, person_id: int) -> list[IdeaSummary]: ...

    def flag_duplicates(self, idea_id: int, similar: Sequence[tuple[int, float]], at: datetime) -> None:
        """Record catalogue entries the matcher judged likely duplicates of a new idea (for the evaluation)."""


class Reference(Protocol):
    def forces(self) -> Sequence[Force]: ...

    def themes(self) -> Sequence[Theme]: ...


class UnitOfWork(Protocol):
    # Read-only members, so an implementation may narrow them to its own repository classes.
    @property
    def events(self) -> ProcessedEvents: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def people(self) -> People: ...

    @property
    def ideas(self) -> Ideas: ...

    @property
    def reference(self) -> Reference: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def reviews(self) -> Reviews: ...

    @property
    def connections(self) -> Connections: ...

    @property
    def data_rights(self) -> DataRights: ...

    @property
    def metrics(self) -> MetricsQueries: ...

    @property
    def exports(self) -> ExportQueries: ...

    @property
    def imported_practice(self) -> ImportedPractice: ...

    @property
    def subscriptions(self) -> Subscriptions: ...

    @property
    def roundups(self) -> Roundups: ...

    @property
    def installations(self) -> Installations: ...

    @property
    def retention(self) -> RetentionStore: ...

    @property
    def admin(self) -> AdminStore:
        """Roles, tenant mappings and a person's data rights, for ``bot.admin_service``."""

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
