"""Admin commands in memory. ``MemoryAdmin`` only stores and queries (grant, remove, map, export, erase, list);
``apply`` answers exactly as ``storage.admin.apply`` does today (the contract suite runs the same commands on
every store and compares the lines). When the words move to ``bot/`` (issue #15), ``apply`` goes and
``MemoryAdmin`` is what remains."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.admin import (
    AdminError,
    AdminOp,
    DeletePerson,
    ExportPerson,
    GrantRole,
    ListAll,
    MapTenant,
    PersonNotFound,
    RemoveRole,
)
from bot.domain import PersonRef, Role
from bot.ports import Erased
from storage.data_rights import UnknownPerson
from storage.memory.data_rights import delete_person, export_person
from storage.memory.repositories import MemoryPeople
from storage.memory.tables import Ids, PersonRow, Tables


class MemoryAdmin:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def grant(self, ref: PersonRef, role: Role, force_slug: str | None, at: datetime) -> None:
        people = MemoryPeople(self._t, self._ids)
        people.grant(people.ensure(ref, at=at).person_id, role, force_slug)

    def remove_role(self, ref: PersonRef, role: Role) -> int | None:
        """How many grants of ``role`` went; None when nobody is known by ``ref``."""
        person = self._t.person(ref)
        if person is None:
            return None
        gone = [key for key, r in self._t.roles.items() if r.person_id == person.id and r.role == role.value]
        for key in gone:
            del self._t.roles[key]
        return len(gone)

    def map_tenant(self, platform: str, tenant: str, force_slug: str) -> None:
        MemoryPeople(self._t, self._ids).map_tenant(platform, tenant, force_slug)

    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        try:
            return export_person(self._t, ref)
        except UnknownPerson:
            return None

    def delete_person(self, ref: PersonRef) -> Erased | None:
        try:
            return delete_person(self._t, ref)
        except UnknownPerson:
            return None

    def roles(self) -> list[tuple[str, str | None, PersonRow]]:
        """(role, force, person) of every grant, by role, force and person (as the SQL orders them)."""
        held = sorted((r for r in self._t.roles.values() if r.person_id in self._t.people),
                      key=lambda r: (r.role, r.force_slug or "", r.person_id))
        return [(r.role, r.force_slug, self._t.people[r.person_id]) for r in held]

    def mappings(self) -> list[tuple[str, str, str]]:
        """(platform, tenant, force) of every workspace or tenant mapped to a force."""
        return [(platform, tenant, force)
                for (platform, tenant), force in sorted(self._t.tenant_forces.items(), key=lambda m: m[0][0])]


def apply(admin: MemoryAdmin, op: AdminOp, at: datetime) -> str:
    """Apply one admin operation; returns one line saying what changed."""
    if isinstance(op, GrantRole):
        admin.grant(op.person, op.role, op.force, at)
        where = f" for {op.force}" if op.force else ""
        return f"{op.person} is now {op.role.value}{where}"
    if isinstance(op, RemoveRole):
        count = admin.remove_role(op.person, op.role)
        if count is None:
            raise PersonNotFound(f"no one known as {op.person}")
        return f"removed {count} {op.role.value} role(s) from {op.person}" if count else \
            f"{op.person} had no {op.role.value} role"
    if isinstance(op, MapTenant):
        admin.map_tenant(op.platform, op.tenant, op.force)
        return f"{op.platform}:{op.tenant} now maps to {op.force}"
    if isinstance(op, ExportPerson):
        exported = admin.export_person(op.person)
        if exported is None:
            raise PersonNotFound(f"no one known as {op.person}")
        return json.dumps(exported, ensure_ascii=False, indent=2)
    if isinstance(op, DeletePerson):
        erased = admin.delete_person(op.person)
        if erased is None:
            raise PersonNotFound(f"no one known as {op.person}")
        return (f"deleted {op.person}: {erased.conversations} conversation(s), {erased.messages} queued message(s); "
                f"{erased.ideas_anonymised} idea(s) kept as force practice without their name")
    if isinstance(op, ListAll):
        return "\n".join(_listing(admin)) or "no roles or mappings yet"
    # Roundup subscriptions have no port on the unit of work yet (issue #15, slice A adds one).
    raise AdminError("roundup subscriptions are not available in this version")


def _listing(admin: MemoryAdmin) -> list[str]:
    lines = []
    for role, force, person in admin.roles():
        where = f" ({force})" if force else ""
        name = f" {person.display_name}" if person.display_name else ""
        lines.append(f"{role}{where}: {person.platform}:{person.tenant}:{person.user_id}{name}")
    for platform, tenant, force in admin.mappings():
        lines.append(f"mapping: {platform}:{tenant} → {force}")
    return lines
