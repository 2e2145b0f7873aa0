"""Repositories: the only code that writes SQL for the conversation and capture flow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Row, Select, Table, and_, bindparam, literal_column, select, update
from sqlalchemy.orm import Session

from bot.domain import Force, IdeaSummary, PersonRef, Role, Status, Theme
from bot.i18n import language_of
from bot.ports import ConcurrentUpdate, ConversationRecord, KnownProfile, NewIdea, PersonRecord, Recipient
from storage.insert_new import InsertNew
from storage.models import (
    ConversationRow,
    DecisionRow,
    DuplicateFlagRow,
    ForceRow,
    IdeaRow,
    PersonRow,
    ProcessedEventRow,
    RoleRow,
    TenantForceRow,
    ThemeRow,
)

_PROCESSED: Table = ProcessedEventRow.__table__  # type: ignore[assignment]
_CONVERSATIONS: Table = ConversationRow.__table__  # type: ignore[assignment]
_PEOPLE: Table = PersonRow.__table__  # type: ignore[assignment]
_TENANT_FORCES: Table = TenantForceRow.__table__  # type: ignore[assignment]

# Every conversation turn runs these: built once, as Core statements (what they read goes straight into
# a record, so the ORM's objects and identity map would add only CPU: docs/PERFORMANCE.md, "A lighter turn").
_C, _P = _CONVERSATIONS.c, _PEOPLE.c
_REF: tuple[BindParameter[str], ...] = (bindparam("ref_platform"), bindparam("ref_tenant"), bindparam("ref_user"))
_CLAIM = InsertNew(_PROCESSED, _PROCESSED.c.event_id)
_CONVERSATION = select(_C.state, _C.draft, _C.version, _C.updated_at).where(
    _C.platform == _REF[0], _C.tenant == _REF[1], _C.user_id == _REF[2])
_START_CONVERSATION = InsertNew(_CONVERSATIONS, _C.id)
# Compare-and-set on the version: the row changes only if nobody else changed it since it was read.
_CHANGE_CONVERSATION = update(_CONVERSATIONS).where(
    _C.platform == _REF[0], _C.tenant == _REF[1], _C.user_id == _REF[2], _C.version == bindparam("expected_version"))
_TENANT_FORCE = select(_TENANT_FORCES.c.force_slug).where(
    _TENANT_FORCES.c.platform == _REF[0], _TENANT_FORCES.c.tenant == _REF[1])
# The person and, in the same statement, their workspace's force and their conversation (one row, with
# null ids for a new person or one with no conversation yet): a person without a force of their own is
# in the workspace's, and the turn reads the conversation next.
_ONE_ROW = select(literal_column("1").label("one")).subquery("one_row")
_PERSON: Select[Any] = select(
    _TENANT_FORCE.scalar_subquery().label("tenant_force"), _P.id, _P.display_name, _P.email, _P.force_slug,
    _P.locale, _P.platform_locale, _P.locale_source, _P.profile_checked_at, _C.id.label("conversation_id"),
    _C.state, _C.draft, _C.version, _C.updated_at,
).select_from(_ONE_ROW
              .outerjoin(_PEOPLE, and_(_P.platform == _REF[0], _P.tenant == _REF[1], _P.user_id == _REF[2]))
              .outerjoin(_CONVERSATIONS, and_(_C.platform == _REF[0], _C.tenant == _REF[1], _C.user_id == _REF[2])))
# Where a unit of work keeps the tenant mappings it has read or made (its session's ``info``), so
# repositories sharing the session read each one once a transaction.
TENANT_FORCES_READ = "tenant_forces"
# And the conversations read with their people (SqlPeople._find), for SqlConversations.get to take once
# instead of reading again. A conversation changes only through SqlConversations.save (compare-and-set
# on its version, so a read a moment earlier in the transaction is as safe as one now) and an erasure,
# and both drop what was kept.
CONVERSATIONS_READ = "conversations"
_KNOWN_PROFILE = select(_P.display_name, _P.email, _P.platform_locale, _P.profile_checked_at).where(
    _P.platform == _REF[0], _P.tenant == _REF[1], _P.user_id == _REF[2])
_CHANGE_PERSON = update(_PEOPLE).where(_P.id == bindparam("person_id"))  # the columns to set come with the values
_NEW_PERSON = InsertNew(_PEOPLE, _P.id, _P.display_name, _P.force_slug, _P.locale, _P.locale_source)
_MY_IDEAS = (select(IdeaRow, ForceRow.name).join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
             .where(IdeaRow.submitter_id == bindparam("person_id")).order_by(IdeaRow.id.desc()).limit(20))
_FIND_PERSON = select(PersonRow).where(PersonRow.platform == _REF[0], PersonRow.tenant == _REF[1],
                                       PersonRow.user_id == _REF[2])


def _by_ref(ref: PersonRef) -> dict[str, Any]:
    return {"ref_platform": ref.platform, "ref_tenant": ref.tenant, "ref_user": ref.user_id}


class SqlProcessedEvents:
    def __init__(self, session: Session) -> None:
        self._s = session

    def claim(self, event_id: str, at: datetime) -> bool:
        # Skipped, not failed, on a duplicate: the transaction stays usable and the caller can answer cleanly.
        # RETURNING, not rowcount, says whether it was inserted (psycopg reports -1 for this statement).
        return self._s.execute(_CLAIM.on(self._s), {"event_id": event_id[:255], "processed_at": at}).first() \
            is not None


class SqlConversations:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, ref: PersonRef) -> ConversationRecord | None:
        read: dict[PersonRef, ConversationRecord | None] = self._s.info.get(CONVERSATIONS_READ, {})
        if ref in read:
            return read.pop(ref)
        row = self._s.execute(_CONVERSATION, _by_ref(ref)).one_or_none()
        return None if row is None else ConversationRecord(row.state, row.draft, row.version, row.updated_at)

    def save(self, ref: PersonRef, state: str, draft: dict[str, Any] | None, *, expected_version: int | None,
             at: datetime) -> int:
        forget_conversation(self._s, ref)
        if expected_version is None:
            new = self._s.execute(_START_CONVERSATION.on(self._s), {
                "platform": ref.platform, "tenant": ref.tenant, "user_id": ref.user_id, "state": state,
                "draft": draft, "version": 1, "updated_at": at}).first()
            if new is None:  # started by a concurrent event a moment ago
                raise ConcurrentUpdate(str(ref))
            return 1
        result = self._s.execute(_CHANGE_CONVERSATION, {
            **_by_ref(ref), "expected_version": expected_version,
            "state": state, "draft": draft, "version": expected_version + 1, "updated_at": at})
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(str(ref))
        return expected_version + 1

    def idle_since(self, before: datetime) -> list[tuple[PersonRef, ConversationRecord]]:
        # A question from a broker (awaiting-info) is not a draft: it waits for the officer's answer.
        rows = self._s.scalars(select(ConversationRow).where(
            ConversationRow.updated_at < before, ConversationRow.state.not_in(("idle", "awaiting-info")))).all()
        return [(PersonRef(r.platform, r.tenant, r.user_id), ConversationRecord(r.state, r.draft, r.version,
                                                                               r.updated_at)) for r in rows]


def forget_conversation(session: Session, ref: PersonRef) -> None:
    """What this transaction read of a conversation is no longer what is stored (it is changing)."""
    session.info.get(CONVERSATIONS_READ, {}).pop(ref, None)


def find_person(session: Session, ref: PersonRef) -> PersonRow | None:
    return session.scalars(_FIND_PERSON, _by_ref(ref)).one_or_none()


def recipient(row: PersonRow) -> Recipient:
    # No id stands in for a missing name: the core words an unnamed person itself.
    return Recipient(row.id, PersonRef(row.platform, row.tenant, row.user_id), row.display_name, row.locale)


class SqlPeople:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _find(self, ref: PersonRef) -> Row[Any] | None:
        # Session.execute flushes what is pending first (a PersonRow changed in this unit of work), Core
        # statements too (SQLAlchemy 2.1), so this reads what an ORM query would.
        row = self._s.execute(_PERSON, _by_ref(ref)).one()
        self._tenant_forces()[(ref.platform, ref.tenant)] = row.tenant_force
        self._s.info.setdefault(CONVERSATIONS_READ, {})[ref] = None if row.conversation_id is None else \
            ConversationRecord(row.state, row.draft, row.version, row.updated_at)
        return row if row.id is not None else None

    def _tenant_forces(self) -> dict[tuple[str, str], str | None]:
        read: dict[tuple[str, str], str | None] = self._s.info.setdefault(TENANT_FORCES_READ, {})
        return read

    def find(self, ref: PersonRef) -> PersonRecord | None:
        row = self._find(ref)
        return None if row is None else PersonRecord(row.id, ref, row.display_name, row.force_slug, row.locale,
                                                      row.locale_source)

    def ensure(self, ref: PersonRef, *, display_name: str = "", email: str = "", locale: str = "",
               at: datetime, profile_checked_at: datetime | None = None) -> PersonRecord:
        row = self._find(ref)
        locale = locale[:16]
        if row is None:
            new = self._s.execute(_NEW_PERSON.on(self._s), {
                "platform": ref.platform, "tenant": ref.tenant, "user_id": ref.user_id,
                "display_name": display_name[:200], "email": email[:320], "locale": locale or "en",
                "platform_locale": locale, "locale_source": "platform", "created_at": at,
                "profile_checked_at": profile_checked_at}).first()
            if new is not None:
                return PersonRecord(new.id, ref, new.display_name, new.force_slug, new.locale, new.locale_source)
            row = self._find(ref)  # created by a concurrent event a moment ago
            assert row is not None
            return PersonRecord(row.id, ref, row.display_name, row.force_slug, row.locale, row.locale_source)
        changes: dict[str, Any] = {}
        if display_name and row.display_name != display_name[:200]:
            changes["display_name"] = display_name[:200]
        if email and row.email != email[:320]:
            changes["email"] = email[:320]
        # A platform's language changing (Teams switched to Cymraeg) is news; the same one is not, so a
        # person's own choice stands until they or their platform change language again.
        # Never reported before: a choice stands, a platform default is compared with what it held.
        previous = row.platform_locale or (locale if row.locale_source == "chosen" else row.locale)
        if locale and language_of(locale) != language_of(previous):
            changes["locale"], changes["locale_source"] = locale, "platform"
        if locale and row.platform_locale != locale:
            changes["platform_locale"] = locale
        if profile_checked_at is not None and (row.profile_checked_at is None
                                               or profile_checked_at > row.profile_checked_at):
            changes["profile_checked_at"] = profile_checked_at
        if changes:
            self._change(row.id, changes)
        return PersonRecord(row.id, ref, changes.get("display_name", row.display_name), row.force_slug,
                            changes.get("locale", row.locale), changes.get("locale_source", row.locale_source))

    def _change(self, person_id: int, values: dict[str, Any]) -> None:
        """What the ORM's own UPDATE of a PersonRow did, without building one per call: a PersonRow of
        this person loaded in this unit of work reads the new values (pending changes are flushed first by
        Session.execute itself)."""
        self._s.execute(_CHANGE_PERSON, {"person_id": person_id, **values})
        loaded = self._s.identity_map.get(self._s.identity_key(PersonRow, person_id))
        if loaded is not None:
            self._s.expire(loaded, list(values))

    def known_profile(self, ref: PersonRef) -> KnownProfile | None:
        # Four columns, no ORM row: this is read for every person a process has not yet seen.
        found = self._s.execute(_KNOWN_PROFILE, _by_ref(ref)).first()
        if found is None or found.profile_checked_at is None:
            return None
        return KnownProfile(found.display_name, found.email, found.platform_locale, found.profile_checked_at)

    def set_locale(self, person_id: int, locale: str, source: str) -> None:
        self._change(person_id, {"locale": locale[:16], "locale_source": source[:16]})

    def set_force(self, person_id: int, force_slug: str) -> None:
        self._change(person_id, {"force_slug": force_slug})

    def grant(self, person_id: int, role: Role, force_slug: str | None = None) -> None:
        exists = self._s.scalars(select(RoleRow).where(
            RoleRow.person_id == person_id, RoleRow.role == role.value,
            RoleRow.force_slug.is_(None) if force_slug is None else RoleRow.force_slug == force_slug)).first()
        if exists is None:
            self._s.add(RoleRow(person_id=person_id, role=role.value, force_slug=force_slug))
            self._s.flush()

    def roles_of(self, person_id: int) -> list[tuple[Role, str | None]]:
        rows = self._s.scalars(select(RoleRow).where(RoleRow.person_id == person_id)).all()
        return [(Role(r.role), r.force_slug) for r in rows]

    def tenant_force(self, platform: str, tenant: str) -> str | None:
        # Usually read with the person a moment ago, in the same transaction (_find).
        read = self._tenant_forces()
        if (platform, tenant) not in read:
            read[(platform, tenant)] = self._s.execute(_TENANT_FORCE, {"ref_platform": platform,
                                                                       "ref_tenant": tenant}).scalar()
        return read[(platform, tenant)]

    def map_tenant(self, platform: str, tenant: str, force_slug: str) -> None:
        row = self._s.get(TenantForceRow, (platform, tenant))
        if row is None:
            self._s.add(TenantForceRow(platform=platform, tenant=tenant, force_slug=force_slug))
        else:
            row.force_slug = force_slug
        self._s.flush()
        self._tenant_forces()[(platform, tenant)] = force_slug

    def broker_names(self, force_slug: str) -> list[str]:
        rows = self._s.scalars(
            select(PersonRow).join(RoleRow, RoleRow.person_id == PersonRow.id)
            .where(RoleRow.role == Role.BROKER.value, RoleRow.force_slug == force_slug)
            .order_by(PersonRow.display_name)).all()
        return [r.display_name for r in rows]  # "" for a broker whose name is not known yet


class SqlIdeas:
    def __init__(self, session: Session) -> None:
        self._s = session

    def submit(self, idea: NewIdea) -> int:
        row = IdeaRow(
            title=idea.title[:300], description=idea.description, problem=idea.problem, stage=idea.stage,
            theme_slug=idea.theme_slug, force_slug=idea.force_slug, submitter_id=idea.submitter_id,
            contact_consent=idea.contact_consent, visibility=idea.visibility, status=Status.SUBMITTED.value,
            source="chat", created_at=idea.submitted_at, submitted_at=idea.submitted_at,
            updated_at=idea.submitted_at,
        )
        self._s.add(row)
        self._s.flush()
        self._s.add(DecisionRow(idea_id=row.id, actor_id=idea.submitter_id, from_status=Status.DRAFT.value,
                                to_status=Status.SUBMITTED.value, reason="", created_at=idea.submitted_at))
        self._s.flush()
        return row.id

    def flag_duplicates(self, idea_id: int, similar: Sequence[tuple[int, float]], at: datetime) -> None:
        for similar_id, score in similar:
            self._s.add(DuplicateFlagRow(idea_id=idea_id, similar_idea_id=similar_id, score=score, created_at=at))
        self._s.flush()

    def for_person(self, person_id: int) -> list[IdeaSummary]:
        rows = self._s.execute(_MY_IDEAS, {"person_id": person_id}).all()
        return [IdeaSummary(r.id, r.title, Status(r.status), name,
                            (r.submitted_at or r.created_at).date().isoformat()) for r, name in rows]

    def get(self, idea_id: int) -> IdeaRow | None:
        return self._s.get(IdeaRow, idea_id)

    def decisions(self, idea_id: int) -> list[DecisionRow]:
        return list(self._s.scalars(select(DecisionRow).where(DecisionRow.idea_id == idea_id)
                                    .order_by(DecisionRow.id)).all())


class SqlReference:
    def __init__(self, session: Session) -> None:
        self._s = session

    def forces(self) -> Sequence[Force]:
        rows = self._s.scalars(select(ForceRow).order_by(ForceRow.name)).all()
        return [Force(r.slug, r.name, r.nation, r.kind, r.name_cy) for r in rows]

    def themes(self) -> Sequence[Theme]:
        rows = self._s.scalars(select(ThemeRow).where(ThemeRow.active.is_(True))
                               .order_by(ThemeRow.position, ThemeRow.name)).all()
        return [Theme(r.slug, r.name, tuple(k for k in r.keywords.split("|") if k)) for r in rows]
