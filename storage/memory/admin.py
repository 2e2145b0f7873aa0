"""Admin commands in memory, answering exactly as ``storage.admin.apply`` does (the contract suite runs the
same commands on every store and compares the lines)."""

from __future__ import annotations

import json
from datetime import datetime

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
from storage.data_rights import UnknownPerson
from storage.memory.data_rights import delete_person, export_person
from storage.memory.repositories import MemoryPeople
from storage.memory.tables import Ids, Tables


def apply(tables: Tables, ids: Ids, op: AdminOp, at: datetime) -> str:
    """Apply one admin operation; returns one line saying what changed."""
    people = MemoryPeople(tables, ids)
    if isinstance(op, GrantRole):
        person = people.ensure(op.person, at=at)
        people.grant(person.person_id, op.role, op.force)
        where = f" for {op.force}" if op.force else ""
        return f"{op.person} is now {op.role.value}{where}"
    if isinstance(op, RemoveRole):
        row = tables.person(op.person)
        if row is None:
            raise PersonNotFound(f"no one known as {op.person}")
        gone = [key for key, r in tables.roles.items() if r.person_id == row.id and r.role == op.role.value]
        for key in gone:
            del tables.roles[key]
        return f"removed {len(gone)} {op.role.value} role(s) from {op.person}" if gone else \
            f"{op.person} had no {op.role.value} role"
    if isinstance(op, MapTenant):
        people.map_tenant(op.platform, op.tenant, op.force)
        return f"{op.platform}:{op.tenant} now maps to {op.force}"
    if isinstance(op, ExportPerson):
        try:
            return json.dumps(export_person(tables, op.person), ensure_ascii=False, indent=2)
        except UnknownPerson as exc:
            raise PersonNotFound(str(exc)) from None
    if isinstance(op, DeletePerson):
        try:
            erased = delete_person(tables, op.person)
        except UnknownPerson as exc:
            raise PersonNotFound(str(exc)) from None
        return (f"deleted {op.person}: {erased.conversations} conversation(s), {erased.messages} queued message(s); "
                f"{erased.ideas_anonymised} idea(s) kept as force practice without their name")
    if isinstance(op, ListAll):
        return "\n".join(_listing(tables)) or "no roles or mappings yet"
    # Roundup subscriptions have no port on the unit of work yet (issue #15, slice A adds one).
    raise AdminError("roundup subscriptions are not available in this version")


def _listing(tables: Tables) -> list[str]:
    lines = []
    roles = sorted((r for r in tables.roles.values() if r.person_id in tables.people),
                   key=lambda r: (r.role, r.force_slug or "", r.person_id))
    for role in roles:
        person = tables.people[role.person_id]
        where = f" ({role.force_slug})" if role.force_slug else ""
        name = f" {person.display_name}" if person.display_name else ""
        lines.append(f"{role.role}{where}: {person.platform}:{person.tenant}:{person.user_id}{name}")
    for (platform, tenant), force in sorted(tables.tenant_forces.items(), key=lambda m: m[0][0]):
        lines.append(f"mapping: {platform}:{tenant} → {force}")
    return lines
