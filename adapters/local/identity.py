"""Who you are in the playground and the console: a name, a force and a role you pick yourself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.admin import local_user_id
from bot.domain import PersonRef, Platform, Role
from bot.events import Actor
from storage.unit_of_work import SqlUnitOfWork

LOCAL_TENANT = "local"


@dataclass(frozen=True)
class Persona:
    name: str
    force: str | None
    role: Role = Role.OFFICER
    locale: str = ""  # the language picked on the page ("" from the console: not reported)

    @property
    def ref(self) -> PersonRef:
        return PersonRef(Platform.LOCAL.value, LOCAL_TENANT, local_user_id(self.name))

    @property
    def actor(self) -> Actor:
        return Actor(self.ref, display_name=self.name[:200], locale=self.locale)


def register(uow: SqlUnitOfWork, persona: Persona, at: datetime, known_forces: set[str]) -> None:
    """Make the stored person match the persona picked on the page (a playground-only shortcut)."""
    person = uow.people.ensure(persona.ref, display_name=persona.name[:200], at=at)
    if persona.force and persona.force in known_forces and person.force_slug != persona.force:
        uow.people.set_force(person.person_id, persona.force)
    if persona.role is Role.BROKER and persona.force in known_forces:
        uow.people.grant(person.person_id, Role.BROKER, persona.force)
    elif persona.role in (Role.REVIEWER, Role.ADMIN):
        uow.people.grant(person.person_id, persona.role)
