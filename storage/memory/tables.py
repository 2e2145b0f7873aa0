"""The in-memory database: one dict per table of immutable rows, shaped like ``storage.models``.

Rows are frozen, so a transaction's working copy only needs a shallow copy of each dict (copy-on-begin):
a change replaces a row, never edits one another transaction may be reading. JSON columns (a draft, an
outbox payload) go through ``json`` on the way in and out, as they do through a database: what is read
back is a fresh object, and whatever JSON cannot hold fails here as it would there.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from bot.domain import Force, PersonRef
from bot.ports import Recipient


def stored_json(value: Any) -> Any:
    """What a JSON column would hold for ``value`` (tuples become lists, keys strings)."""
    return None if value is None else json.loads(json.dumps(value))


@dataclass(frozen=True)
class ThemeRow:
    slug: str
    name: str
    keywords: str  # "|"-separated, as the themes table keeps them
    position: int
    active: bool = True


@dataclass(frozen=True)
class PersonRow:
    id: int
    platform: str
    tenant: str
    user_id: str
    display_name: str
    email: str
    force_slug: str | None
    locale: str
    platform_locale: str
    locale_source: str
    created_at: datetime
    profile_checked_at: datetime | None = None

    @property
    def ref(self) -> PersonRef:
        return PersonRef(self.platform, self.tenant, self.user_id)


@dataclass(frozen=True)
class RoleRow:
    id: int
    person_id: int
    role: str
    force_slug: str | None


@dataclass(frozen=True)
class IdeaRow:
    id: int
    title: str
    description: str
    stage: str
    force_slug: str
    status: str
    created_at: datetime
    updated_at: datetime
    problem: str = ""
    evidence: str = ""
    theme_slug: str | None = None
    submitter_id: int | None = None
    contact_consent: bool = True
    visibility: str = "named"
    source: str = "chat"
    contact: str = ""
    url: str = ""
    import_key: str | None = None
    shared_as_is: str | None = None
    version: int = 1
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class DecisionRow:
    id: int
    idea_id: int
    actor_id: int | None
    from_status: str
    to_status: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ConversationRow:
    id: int
    platform: str
    tenant: str
    user_id: str
    state: str
    draft: dict[str, Any] | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class OutboxRow:
    id: int
    platform: str
    tenant: str
    target: str
    thread: str
    kind: str
    payload: dict[str, Any]
    dedupe_key: str | None
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    lease_until: datetime | None = None
    last_error: str = ""
    result: dict[str, Any] | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class ReviewCardRow:
    id: int
    idea_id: int
    person_id: int
    outbox_id: int


@dataclass(frozen=True)
class ConnectionRow:
    id: int
    asker_id: int
    idea_id: int
    contact_id: int | None
    status: str
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class DuplicateFlagRow:
    id: int
    idea_id: int
    similar_idea_id: int | None
    score: float
    created_at: datetime


@dataclass(frozen=True)
class SubscriptionRow:
    id: int
    platform: str
    tenant: str
    channel: str
    scope: str
    weekday: int
    time_of_day: str
    frequency: str
    include_waiting: bool
    lang: str
    active: bool
    failed_reason: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RoundupRow:
    id: int
    channel_key: str
    period_key: str
    subscription_id: int | None
    status: str
    window_start: datetime
    window_end: datetime
    claimed_at: datetime
    updated_at: datetime
    idea_count: int = 0
    outbox_id: int | None = None
    error: str = ""


@dataclass(frozen=True)
class ReferenceRow:
    """A stored conversation reference (``storage.teams_models.TeamsReferenceRow``)."""

    id: int
    scope: str
    tenant_id: str
    conversation_id: str
    service_url: str
    created_at: datetime
    updated_at: datetime
    bot_id: str = ""
    aad_object_id: str = ""
    user_id: str = ""
    team_id: str = ""
    aad_group_id: str = ""
    channel_id: str = ""
    name: str = ""


@dataclass
class Tables:
    """Every table, keyed as the database keys it. Shallow copies are safe: rows are immutable."""

    forces: dict[str, Force] = field(default_factory=dict)
    themes: dict[str, ThemeRow] = field(default_factory=dict)
    people: dict[int, PersonRow] = field(default_factory=dict)
    roles: dict[int, RoleRow] = field(default_factory=dict)
    tenant_forces: dict[tuple[str, str], str] = field(default_factory=dict)
    ideas: dict[int, IdeaRow] = field(default_factory=dict)
    decisions: dict[int, DecisionRow] = field(default_factory=dict)
    conversations: dict[PersonRef, ConversationRow] = field(default_factory=dict)
    processed_events: dict[str, datetime] = field(default_factory=dict)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    review_cards: dict[int, ReviewCardRow] = field(default_factory=dict)
    connections: dict[int, ConnectionRow] = field(default_factory=dict)
    duplicate_flags: dict[int, DuplicateFlagRow] = field(default_factory=dict)
    subscriptions: dict[int, SubscriptionRow] = field(default_factory=dict)
    roundups: dict[tuple[str, str], RoundupRow] = field(default_factory=dict)  # by (channel, period)
    references: dict[str, ReferenceRow] = field(default_factory=dict)  # by conversation id

    def copy(self) -> Tables:
        return Tables(**{f.name: dict(getattr(self, f.name)) for f in fields(self)})

    def load(self, other: Tables) -> None:
        """Become a copy of ``other`` (a rollback to what is committed)."""
        for f in fields(self):
            setattr(self, f.name, dict(getattr(other, f.name)))

    def person(self, ref: PersonRef) -> PersonRow | None:
        return next((p for p in self.people.values()
                     if (p.platform, p.tenant, p.user_id) == (ref.platform, ref.tenant, ref.user_id)), None)

    def force_name(self, slug: str | None) -> str | None:
        force = self.forces.get(slug) if slug else None
        return force.name if force else None


def recipient(row: PersonRow) -> Recipient:
    return Recipient(row.id, row.ref, row.display_name, row.locale)


class Ids:
    """Identity counters shared by every transaction and never rolled back, like a database sequence."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}
        self._lock = threading.Lock()

    def next(self, table: str) -> int:
        with self._lock:
            self._last[table] = self._last.get(table, 0) + 1
            return self._last[table]
