"""Trying the product without a chat platform (the web playground, the terminal console): a persona
you pick yourself — a name, a force and a role — and the messages the bot sent it on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.admin import local_user_id
from bot.domain import Force, PersonRef, Platform, Role
from bot.events import Actor
from bot.i18n import Translator, language_of
from bot.ports import Recipient, UnitOfWork
from bot.review.workflow import ReviewWorkflow

LOCAL_TENANT = "local"
INBOX_PAGE = 50  # messages per poll of the playground's inbox


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


class PersonaService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, review: ReviewWorkflow,
                 forces: Sequence[Force]) -> None:
        self._uow = uow_factory
        self._review = review
        self.known_forces = {f.slug for f in forces}

    def take_on(self, persona: Persona, at: datetime) -> None:
        """Make the stored person match the persona (a shortcut only trying the product has)."""
        with self._uow() as uow:
            self._register(uow, persona, at)
            uow.commit()

    def choose(self, persona: Persona, at: datetime) -> list[str]:
        """Picking a persona makes it so at once: a broker for Kent is Kent's broker before saying anything.
        A new broker is told, in the inbox, of the force's ideas that went to the national team meanwhile.
        Returns the persona's roles."""
        with self._uow() as uow:
            self._register(uow, persona, at)
            person = uow.people.ensure(persona.ref, at=at)
            roles = sorted({g.role.value for g in uow.reviews.grants(person.person_id)})
            if persona.role is Role.BROKER and persona.force:
                self._review.welcome_broker(
                    uow, Recipient(person.person_id, person.ref, person.display_name, person.locale),
                    persona.force, at, Translator(person.locale))
            uow.commit()
        return roles

    def language(self, persona: Persona) -> str:
        """The language the bot now speaks to the persona ("en" for one it has not met)."""
        with self._uow() as uow:
            person = uow.people.find(persona.ref)
        return language_of(person.locale if person is not None else None)

    def inbox(self, persona: Persona, after: int, at: datetime) -> list[dict[str, Any]]:
        """What the bot sent the persona on its own (broker cards, decisions, reminders), newer than
        outbox id ``after``: the stand-in for a direct message on a chat platform. Shown means delivered."""
        with self._uow() as uow:
            items = uow.outbox.take_for(Platform.LOCAL.value, persona.ref.user_id, after=after, limit=INBOX_PAGE,
                                        at=at)
            uow.commit()
        return [{"id": i.id, "kind": i.message.kind, "original_id": i.message.payload.get("original_id"),
                 "replies": i.message.payload.get("replies", [])} for i in items]

    def _register(self, uow: UnitOfWork, persona: Persona, at: datetime) -> None:
        # The page's language setting counts as the platform's locale (a new persona starts in it).
        person = uow.people.ensure(persona.ref, display_name=persona.name[:200], locale=persona.locale, at=at)
        if persona.force and persona.force in self.known_forces and person.force_slug != persona.force:
            uow.people.set_force(person.person_id, persona.force)
        if persona.role is Role.BROKER and persona.force in self.known_forces:
            uow.people.grant(person.person_id, Role.BROKER, persona.force)
        elif persona.role in (Role.REVIEWER, Role.ADMIN):
            uow.people.grant(person.person_id, persona.role)
