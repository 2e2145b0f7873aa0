"""The conversation and capture repositories in memory, with the semantics of ``storage.repositories``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain import Force, IdeaSummary, PersonRef, Role, Status, Theme
from bot.i18n import language_of
from bot.ports import ConcurrentUpdate, ConversationRecord, KnownProfile, NewIdea, PersonRecord
from storage.memory.tables import (
    ConversationRow,
    DecisionRow,
    DuplicateFlagRow,
    IdeaRow,
    Ids,
    PersonRow,
    RoleRow,
    Tables,
    stored_json,
)


class MemoryProcessedEvents:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def claim(self, event_id: str, at: datetime) -> bool:
        key = event_id[:255]
        if key in self._t.processed_events:
            return False
        self._t.processed_events[key] = at
        return True


def _record(row: ConversationRow) -> ConversationRecord:
    return ConversationRecord(row.state, stored_json(row.draft), row.version, row.updated_at)


class MemoryConversations:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def get(self, ref: PersonRef) -> ConversationRecord | None:
        row = self._t.conversations.get(ref)
        return _record(row) if row else None

    def save(self, ref: PersonRef, state: str, draft: dict[str, Any] | None, *, expected_version: int | None,
             at: datetime) -> int:
        row = self._t.conversations.get(ref)
        if expected_version is None:
            if row is not None:  # someone else started this conversation first (the unique key)
                raise ConcurrentUpdate(str(ref))
            self._t.conversations[ref] = ConversationRow(self._ids.next("conversations"), ref.platform, ref.tenant,
                                                         ref.user_id, state, stored_json(draft), 1, at)
            return 1
        if row is None or row.version != expected_version:  # compare-and-set on the version
            raise ConcurrentUpdate(str(ref))
        self._t.conversations[ref] = replace(row, state=state, draft=stored_json(draft),
                                             version=expected_version + 1, updated_at=at)
        return expected_version + 1

    def idle_since(self, before: datetime) -> list[tuple[PersonRef, ConversationRecord]]:
        return [(ref, _record(row)) for ref, row in self._t.conversations.items()
                if row.updated_at < before and row.state not in ("idle", "awaiting-info")]


class MemoryPeople:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def find(self, ref: PersonRef) -> PersonRecord | None:
        row = self._t.person(ref)
        return None if row is None else PersonRecord(row.id, ref, row.display_name, row.force_slug, row.locale,
                                                      row.locale_source)

    def ensure(self, ref: PersonRef, *, display_name: str = "", email: str = "", locale: str = "",
               at: datetime, profile_checked_at: datetime | None = None) -> PersonRecord:
        row = self._t.person(ref)
        locale = locale[:16]
        if row is None:
            row = PersonRow(self._ids.next("people"), ref.platform, ref.tenant, ref.user_id, display_name[:200],
                            email[:320], None, locale or "en", locale, "platform", at, profile_checked_at)
        else:
            if display_name and row.display_name != display_name[:200]:
                row = replace(row, display_name=display_name[:200])
            if email and row.email != email[:320]:
                row = replace(row, email=email[:320])
            # The same rule as SqlPeople.ensure: a platform's change of language is news, the same one is not.
            previous = row.platform_locale or (locale if row.locale_source == "chosen" else row.locale)
            if locale and language_of(locale) != language_of(previous):
                row = replace(row, locale=locale, locale_source="platform")
            if locale and row.platform_locale != locale:
                row = replace(row, platform_locale=locale)
            if profile_checked_at is not None and (row.profile_checked_at is None
                                                   or profile_checked_at > row.profile_checked_at):
                row = replace(row, profile_checked_at=profile_checked_at)
        self._t.people[row.id] = row
        return PersonRecord(row.id, ref, row.display_name, row.force_slug, row.locale, row.locale_source)

    def known_profile(self, ref: PersonRef) -> KnownProfile | None:
        row = self._t.person(ref)
        if row is None or row.profile_checked_at is None:
            return None
        return KnownProfile(row.display_name, row.email, row.platform_locale, row.profile_checked_at)

    def _update(self, person_id: int, **values: Any) -> None:
        row = self._t.people.get(person_id)
        if row is not None:
            self._t.people[person_id] = replace(row, **values)

    def set_locale(self, person_id: int, locale: str, source: str) -> None:
        self._update(person_id, locale=locale[:16], locale_source=source[:16])

    def set_force(self, person_id: int, force_slug: str) -> None:
        self._update(person_id, force_slug=force_slug)

    def grant(self, person_id: int, role: Role, force_slug: str | None = None) -> None:
        if not any(r.person_id == person_id and r.role == role.value and r.force_slug == force_slug
                   for r in self._t.roles.values()):
            row = RoleRow(self._ids.next("roles"), person_id, role.value, force_slug)
            self._t.roles[row.id] = row

    def roles_of(self, person_id: int) -> list[tuple[Role, str | None]]:
        return [(Role(r.role), r.force_slug) for r in self._t.roles.values() if r.person_id == person_id]

    def tenant_force(self, platform: str, tenant: str) -> str | None:
        return self._t.tenant_forces.get((platform, tenant))

    def map_tenant(self, platform: str, tenant: str, force_slug: str) -> None:
        self._t.tenant_forces[(platform, tenant)] = force_slug

    def broker_names(self, force_slug: str) -> list[str]:
        ids = {r.person_id for r in self._t.roles.values()
               if r.role == Role.BROKER.value and r.force_slug == force_slug}
        return sorted(self._t.people[i].display_name for i in ids if i in self._t.people)


class MemoryIdeas:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def submit(self, idea: NewIdea) -> int:
        row = IdeaRow(
            id=self._ids.next("ideas"), title=idea.title[:300], description=idea.description, problem=idea.problem,
            stage=idea.stage, theme_slug=idea.theme_slug, force_slug=idea.force_slug, submitter_id=idea.submitter_id,
            contact_consent=idea.contact_consent, visibility=idea.visibility, status=Status.SUBMITTED.value,
            source="chat", created_at=idea.submitted_at, submitted_at=idea.submitted_at, updated_at=idea.submitted_at)
        self._t.ideas[row.id] = row
        self.add_decision(row.id, idea.submitter_id, Status.DRAFT.value, Status.SUBMITTED.value, "", idea.submitted_at)
        return row.id

    def add_decision(self, idea_id: int, actor_id: int | None, from_status: str, to_status: str, reason: str,
                     at: datetime) -> None:
        decision = DecisionRow(self._ids.next("decisions"), idea_id, actor_id, from_status, to_status, reason, at)
        self._t.decisions[decision.id] = decision

    def flag_duplicates(self, idea_id: int, similar: Sequence[tuple[int, float]], at: datetime) -> None:
        for similar_id, score in similar:
            flag = DuplicateFlagRow(self._ids.next("duplicate_flags"), idea_id, similar_id, score, at)
            self._t.duplicate_flags[flag.id] = flag

    def for_person(self, person_id: int) -> list[IdeaSummary]:
        mine = sorted((i for i in self._t.ideas.values()
                       if i.submitter_id == person_id and i.force_slug in self._t.forces),
                      key=lambda i: i.id, reverse=True)[:20]
        return [IdeaSummary(i.id, i.title, Status(i.status), self._t.forces[i.force_slug].name,
                            (i.submitted_at or i.created_at).date().isoformat()) for i in mine]

    def get(self, idea_id: int) -> IdeaRow | None:
        return self._t.ideas.get(idea_id)

    def decisions(self, idea_id: int) -> list[DecisionRow]:
        return sorted((d for d in self._t.decisions.values() if d.idea_id == idea_id), key=lambda d: d.id)

    def duplicate_flags(self, idea_id: int) -> list[DuplicateFlagRow]:
        """The flags recorded for an idea (tests and evaluations read them)."""
        return sorted((f for f in self._t.duplicate_flags.values() if f.idea_id == idea_id), key=lambda f: f.id)


class MemoryReference:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def forces(self) -> Sequence[Force]:
        return sorted(self._t.forces.values(), key=lambda f: f.name)

    def themes(self) -> Sequence[Theme]:
        rows = sorted((th for th in self._t.themes.values() if th.active), key=lambda th: (th.position, th.name))
        return [Theme(th.slug, th.name, tuple(k for k in th.keywords.split("|") if k)) for th in rows]
