"""Stores what admin commands change (``bot/admin_service.py`` decides and words it): roles, tenant
mappings and a person's data rights (export, erase)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.admin_ports import ErasedCounts, RoleHeld, TenantMapping
from bot.domain import PersonRef, Role
from storage.data_rights import UnknownPerson, delete_person, export_person
from storage.models import PersonRow, RoleRow, TenantForceRow
from storage.repositories import SqlPeople, find_person


class SqlAdmin:
    def __init__(self, session: Session) -> None:
        self._s = session

    def grant(self, ref: PersonRef, role: Role, force_slug: str | None, at: datetime) -> None:
        people = SqlPeople(self._s)
        people.grant(people.ensure(ref, at=at).person_id, role, force_slug)

    def remove_role(self, ref: PersonRef, role: Role) -> int | None:
        row = find_person(self._s, ref)
        if row is None:
            return None
        removed = self._s.execute(delete(RoleRow).where(RoleRow.person_id == row.id, RoleRow.role == role.value))
        return int(removed.rowcount)  # type: ignore[attr-defined]

    def map_tenant(self, platform: str, tenant: str, force_slug: str) -> None:
        SqlPeople(self._s).map_tenant(platform, tenant, force_slug)

    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        try:
            return export_person(self._s, ref)
        except UnknownPerson:
            return None

    def delete_person(self, ref: PersonRef) -> ErasedCounts | None:
        try:
            erased = delete_person(self._s, ref)
        except UnknownPerson:
            return None
        return ErasedCounts(erased.conversations, erased.messages, erased.ideas_anonymised)

    def roles(self) -> list[RoleHeld]:
        rows = self._s.execute(select(RoleRow, PersonRow).join(PersonRow, PersonRow.id == RoleRow.person_id)
                               .order_by(RoleRow.role, RoleRow.force_slug, PersonRow.id)).all()
        return [RoleHeld(role.role, role.force_slug, PersonRef(person.platform, person.tenant, person.user_id),
                         person.display_name or "") for role, person in rows]

    def mappings(self) -> list[TenantMapping]:
        return [TenantMapping(m.platform, m.tenant, m.force_slug)
                for m in self._s.scalars(select(TenantForceRow).order_by(TenantForceRow.platform)).all()]
