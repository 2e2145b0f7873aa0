"""What admin commands need from storage (``storage/admin.py`` implements it): it stores and queries;
the rules and every word said about it are ``bot/admin_service.py``'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain import PersonRef, Role


@dataclass(frozen=True)
class RoleHeld:
    role: str
    force_slug: str | None
    person: PersonRef
    display_name: str


@dataclass(frozen=True)
class TenantMapping:
    platform: str
    tenant: str
    force_slug: str


@dataclass(frozen=True)
class ErasedCounts:
    conversations: int
    messages: int
    ideas_anonymised: int


class AdminStore(Protocol):
    def grant(self, ref: PersonRef, role: Role, force_slug: str | None, at: datetime) -> None:
        """Give the person (created if new) the role; granting it twice changes nothing."""

    def remove_role(self, ref: PersonRef, role: Role) -> int | None:
        """How many of the person's grants of ``role`` were removed; None when nobody is known by ``ref``."""

    def map_tenant(self, platform: str, tenant: str, force_slug: str) -> None: ...

    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        """Everything held about the person (a subject access request); None when nobody is known."""

    def delete_person(self, ref: PersonRef) -> ErasedCounts | None:
        """Erase the person (their ideas stay as force practice, without their name); None when unknown."""

    def roles(self) -> list[RoleHeld]:
        """Every role granted, by role, force and person."""

    def mappings(self) -> list[TenantMapping]: ...
