"""What admin commands change, in memory (``bot.admin_ports.AdminStore``), with the semantics of
``storage.admin``: roles, tenant mappings, a person's export and erasure. The words are
``bot/admin_service.py``'s, on every store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.admin_ports import ErasedCounts, RoleHeld, TenantMapping
from bot.domain import PersonRef, Role
from storage.memory.data_rights import MemoryDataRights
from storage.memory.repositories import MemoryPeople
from storage.memory.tables import Ids, Tables


class MemoryAdmin:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def grant(self, ref: PersonRef, role: Role, force_slug: str | None, at: datetime) -> None:
        people = MemoryPeople(self._t, self._ids)
        people.grant(people.ensure(ref, at=at).person_id, role, force_slug)

    def remove_role(self, ref: PersonRef, role: Role) -> int | None:
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
        return MemoryDataRights(self._t, self._ids).export_person(ref)

    def delete_person(self, ref: PersonRef) -> ErasedCounts | None:
        erased = MemoryDataRights(self._t, self._ids).erase(ref)
        return None if erased is None else ErasedCounts(erased.conversations, erased.messages,
                                                        erased.ideas_anonymised)

    def roles(self) -> list[RoleHeld]:
        # By role, force and person, as the SQL orders them. A grant for no force sorts first here, as on SQLite
        # (PostgreSQL puts NULLs last): the listing is for reading, nothing depends on that order.
        held = sorted((r for r in self._t.roles.values() if r.person_id in self._t.people),
                      key=lambda r: (r.role, r.force_slug or "", r.person_id))
        return [RoleHeld(r.role, r.force_slug, self._t.people[r.person_id].ref,
                         self._t.people[r.person_id].display_name) for r in held]

    def mappings(self) -> list[TenantMapping]:
        return [TenantMapping(platform, tenant, force)
                for (platform, tenant), force in sorted(self._t.tenant_forces.items(), key=lambda m: m[0][0])]
