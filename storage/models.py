"""The database schema as typed SQLAlchemy 2.x models. Every change here needs a new migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.queues import OutboxStatus
from storage.types import UTCDateTime


class Base(DeclarativeBase):
    pass


class ForceRow(Base):
    __tablename__ = "forces"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    nation: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(32), default="territorial")
    name_cy: Mapped[str] = mapped_column(String(200), default="")  # the Welsh name, where the force has one


class ThemeRow(Base):
    __tablename__ = "themes"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[str] = mapped_column(Text, default="")  # "|"-separated phrases used to guess it
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id", name="uq_people_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    force_slug: Mapped[str | None] = mapped_column(ForeignKey("forces.slug"), nullable=True)
    locale: Mapped[str] = mapped_column(String(16), default="en")
    # The language the platform last reported, and where ``locale`` came from: "platform", "offered" or
    # "chosen". A platform change (Teams set to Cymraeg) is honoured; an unchanged one never overrides a choice.
    platform_locale: Mapped[str] = mapped_column(String(16), default="")
    locale_source: Mapped[str] = mapped_column(String(16), default="platform")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the platform's directory (Slack's users.info) last gave name, email and platform_locale: while
    # fresh, every worker and a restarted process use these instead of asking the platform again.
    profile_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class TenantForceRow(Base):
    """An admin's mapping of a whole Slack workspace or Teams tenant to one force."""

    __tablename__ = "tenant_forces"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(128), primary_key=True)
    force_slug: Mapped[str] = mapped_column(ForeignKey("forces.slug"))


class RoleRow(Base):
    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("person_id", "role", "force_slug", name="uq_roles_assignment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # Brokers are per force; reviewers and admins are national, so their force is empty.
    force_slug: Mapped[str | None] = mapped_column(ForeignKey("forces.slug"), nullable=True)


class IdeaRow(Base):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(32))
    theme_slug: Mapped[str | None] = mapped_column(ForeignKey("themes.slug"), nullable=True)
    force_slug: Mapped[str] = mapped_column(ForeignKey("forces.slug"), index=True)
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True, index=True)
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    visibility: Mapped[str] = mapped_column(String(32), default="named")
    status: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str] = mapped_column(String(16), default="chat")  # chat | import
    contact: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # For imported practice: a stable key (force + normalised title) so re-importing updates in place.
    import_key: Mapped[str | None] = mapped_column(String(400), nullable=True)
    # A broker's "Share as it is" for a flagged idea ("local" or "network", bot.sharing.SharedAsIs); empty
    # means flagged detail is masked wherever the idea travels beyond its force.
    shared_as_is: Mapped[str | None] = mapped_column(String(16), nullable=True)

    __table_args__ = (UniqueConstraint("import_key", name="uq_ideas_import_key"),)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DecisionRow(Base):
    """One status change of an idea: the audit trail, appended to and never edited."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id", name="uq_conversations_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(32))
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ProcessedEventRow(Base):
    """Platform event ids already handled: claimed before any side effect, so retries do nothing."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# An outbox message's statuses before it is sent (bot.queues.OutboxStatus), and the condition of the index
# of such messages written out with its values: SQLite uses a partial index only for a query whose WHERE
# holds the index's own condition with the same literal values (a bound parameter's value is not known
# when the plan is made), and PostgreSQL's generic plans likewise (storage/outbox_store.py).
OUTBOX_UNSENT = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
OUTBOX_UNSENT_SQL = "status IN ({})".format(", ".join(f"'{status}'" for status in OUTBOX_UNSENT))


class OutboxRow(Base):
    """A message waiting to leave (or that left) for a platform.

    Replies are stored as neutral JSON and rendered for the platform only when sent, so a platform
    outage or a 429 delays a message but never loses it; ``dedupe_key`` stops the same message from
    being queued twice (for example when a platform retries the event that caused it).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(128))
    target: Mapped[str] = mapped_column(String(255))  # a channel, conversation or user id
    thread: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(16), default="post")  # post | update
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A message waits for the earlier ones to its conversation (SqlOutbox.claim_due): without this
        # index that check read every pending message, so a backlog made each claim slower still.
        Index("ix_outbox_conversation", "platform", "tenant", "target", "id"),
        # The same, of the messages not yet sent: the claim reads only these (SqlOutbox.claim_due). Sent
        # messages stay for days (a card is updated in place from its stored result), and a claim that
        # walked them all cost 7.7 ms at 12,000 of them, growing with every message the bot sent.
        Index("ix_outbox_unsent", "platform", "tenant", "target", "id",
              sqlite_where=text(OUTBOX_UNSENT_SQL), postgresql_where=text(OUTBOX_UNSENT_SQL)),
    )


class ReviewCardRow(Base):
    """Which outbox message carried an idea's review card to whom, so every copy can be updated in place
    once someone decides."""

    __tablename__ = "review_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"))


class ConnectionRow(Base):
    """An introduction asked for between two people over an idea ("connect me")."""

    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("asker_id", "idea_id", name="uq_connections_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # asked | accepted | declined | shared (imported contact)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DuplicateFlagRow(Base):
    """A submitted idea that the matcher found to be a likely duplicate of catalogue work (for evaluation)."""

    __tablename__ = "duplicate_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    similar_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"), nullable=True)
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class InboundEventRow(Base):
    """A platform event stored before it is acknowledged, waiting to be processed.

    The row is the promise behind the acknowledgement: once the platform hears "200 OK" it will not
    send the event again, so the event must already be on disk. ``(platform, event_id)`` is unique, so
    a platform's retry of an event still queued adds nothing. A processed event's row is deleted (it
    holds a person's words); one that keeps failing is kept as ``dead`` for an operator to look at,
    and purged by the retention job. An event its own request answers with (a Teams card invoke) is
    stored already ``working``, leased to that request, which finishes it before answering.
    """

    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))  # what to do with it, e.g. "message", "app_home_opened"
    # Events with the same key are processed one at a time, in the order they arrived (one person's DMs).
    queue_key: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)  # where it was received (workspace, org); never tokens
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | working | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("platform", "event_id", name="uq_inbound_events_event"),
        Index("ix_inbound_events_due", "status", "available_at"),
        Index("ix_inbound_events_queue", "queue_key", "id"),
    )
