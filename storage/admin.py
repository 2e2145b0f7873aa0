"""Carries out admin commands (parsed by ``bot.admin``) against the database."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

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
    Subscribe,
)
from bot.roundups.subscriptions import subscribe
from storage.data_rights import UnknownPerson, delete_person, export_person
from storage.models import PersonRow, RoleRow, TenantForceRow
from storage.repositories import SqlPeople, SqlReference, find_person
from storage.roundups import SqlSubscriptions


def apply(session: Session, op: AdminOp, at: datetime) -> str:
    """Apply one admin operation; returns one line saying what changed."""
    people = SqlPeople(session)
    if isinstance(op, GrantRole):
        person = people.ensure(op.person, at=at)
        people.grant(person.person_id, op.role, op.force)
        where = f" for {op.force}" if op.force else ""
        return f"{op.person} is now {op.role.value}{where}"
    if isinstance(op, RemoveRole):
        row = find_person(session, op.person)
        if row is None:
            raise PersonNotFound(f"no one known as {op.person}")
        removed = session.execute(delete(RoleRow).where(RoleRow.person_id == row.id, RoleRow.role == op.role.value))
        count = removed.rowcount  # type: ignore[attr-defined]
        return f"removed {count} {op.role.value} role(s) from {op.person}" if count else \
            f"{op.person} had no {op.role.value} role"
    if isinstance(op, MapTenant):
        people.map_tenant(op.platform, op.tenant, op.force)
        return f"{op.platform}:{op.tenant} now maps to {op.force}"
    if isinstance(op, Subscribe):
        try:
            subscribe(SqlSubscriptions(session), SqlReference(session), op.channel, op.scope, op.when, lang=op.lang,
                      at=at)
        except ValueError as exc:
            raise AdminError(str(exc)) from None
        language = {"en": "English", "cy": "Welsh", "both": "Welsh and English"}[op.lang]
        return f"{op.channel} subscribed to {op.scope} roundups ({op.when}, in {language})"
    if isinstance(op, ExportPerson):
        try:
            return json.dumps(export_person(session, op.person), ensure_ascii=False, indent=2)
        except UnknownPerson as exc:
            raise PersonNotFound(str(exc)) from None
    if isinstance(op, DeletePerson):
        try:
            erased = delete_person(session, op.person)
        except UnknownPerson as exc:
            raise PersonNotFound(str(exc)) from None
        return (f"deleted {op.person}: {erased.conversations} conversation(s), {erased.messages} queued message(s); "
                f"{erased.ideas_anonymised} idea(s) kept as force practice without their name")
    assert isinstance(op, ListAll)
    return "\n".join(_listing(session)) or "no roles or mappings yet"


def _listing(session: Session) -> list[str]:
    lines = []
    for role, person in session.execute(select(RoleRow, PersonRow).join(PersonRow, PersonRow.id == RoleRow.person_id)
                                        .order_by(RoleRow.role, RoleRow.force_slug, PersonRow.id)).all():
        where = f" ({role.force_slug})" if role.force_slug else ""
        name = f" {person.display_name}" if person.display_name else ""
        lines.append(f"{role.role}{where}: {person.platform}:{person.tenant}:{person.user_id}{name}")
    for mapping in session.scalars(select(TenantForceRow).order_by(TenantForceRow.platform)).all():
        lines.append(f"mapping: {mapping.platform}:{mapping.tenant} → {mapping.force_slug}")
    return lines
