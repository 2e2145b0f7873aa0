"""Admin commands carried out: the same use case for chat (inside the conversation's unit of work) and the
command line (its own). Says what changed in the admin's language (``bot/i18n/admin_*.py``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
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
    Subscribe,
    parse,
    parse_person,
)
from bot.domain import PersonRef, Role
from bot.i18n import Translator
from bot.ports import UnitOfWork
from bot.roundups.errors import Refusal
from bot.roundups.subscriptions import subscribe


def carry_out(uow: UnitOfWork, op: AdminOp, at: datetime, t: Translator) -> str:
    """Apply one admin operation in ``uow`` (the caller commits); one line saying what changed.
    Raises AdminError (PersonNotFound for a well-formed command about nobody held)."""
    store = uow.admin
    if isinstance(op, GrantRole):
        store.grant(op.person, op.role, op.force, at)
        role = t(f"admin.role.{op.role.value}")
        return t("admin.granted_for", person=str(op.person), role=role, force=op.force) if op.force else \
            t("admin.granted", person=str(op.person), role=role)
    if isinstance(op, RemoveRole):
        count = store.remove_role(op.person, op.role)
        if count is None:
            raise PersonNotFound(op.person)
        role = t(f"admin.role.{op.role.value}")
        return t("admin.removed", count=count, role=role, person=str(op.person)) if count else \
            t("admin.had_no_role", person=str(op.person), role=role)
    if isinstance(op, MapTenant):
        store.map_tenant(op.platform, op.tenant, op.force)
        return t("admin.mapped", tenant=f"{op.platform}:{op.tenant}", force=op.force)
    if isinstance(op, Subscribe):
        try:
            subscribe(uow.subscriptions, uow.reference, op.channel, op.scope, op.when, lang=op.lang, at=at)
        except Refusal as exc:  # the roundup rules' own one line, in the admin's language
            raise AdminError("admin.refused", reason=exc.say(t)) from None
        return t("admin.subscribed", channel=op.channel, scope=op.scope, when=op.when,
                 language=t(f"admin.language.{op.lang}"))
    if isinstance(op, ExportPerson):
        held = store.export_person(op.person)
        if held is None:
            raise PersonNotFound(op.person)
        return json.dumps(held, ensure_ascii=False, indent=2)
    if isinstance(op, DeletePerson):
        erased = store.delete_person(op.person)
        if erased is None:
            raise PersonNotFound(op.person)
        return t("admin.deleted", person=str(op.person), conversations=erased.conversations,
                 messages=erased.messages, ideas=erased.ideas_anonymised)
    assert isinstance(op, ListAll)
    return "\n".join(listing(uow, t)) or t("admin.list.empty")


def listing(uow: UnitOfWork, t: Translator) -> list[str]:
    lines = []
    for held in uow.admin.roles():
        who = f"{held.person} {held.display_name}" if held.display_name else str(held.person)
        # The role as typed in commands (broker, reviewer, admin), so the listing can be pasted back.
        lines.append(t("admin.list.role_for", role=held.role, force=held.force_slug, person=who)
                     if held.force_slug else t("admin.list.role", role=held.role, person=who))
    for mapping in uow.admin.mappings():
        lines.append(t("admin.list.mapping", tenant=f"{mapping.platform}:{mapping.tenant}", force=mapping.force_slug))
    return lines


class AdminService:
    """Admin commands from the command line and settings, each in a unit of work of its own."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], forces: Collection[str]) -> None:
        self._uow_factory = uow_factory
        self._forces = frozenset(forces)

    def parse(self, words: Sequence[str] | str) -> AdminOp:
        return parse(words, self._forces)

    def run(self, op: AdminOp, at: datetime, t: Translator | None = None) -> str:
        with self._uow_factory() as uow:
            done = carry_out(uow, op, at, t or Translator())
            uow.commit()
        return done

    def display_name(self, ref: PersonRef, at: datetime) -> str:
        """The name held for the person, "" when none is known yet."""
        with self._uow_factory() as uow:  # read only: a person named by an admin is created by the grant
            return uow.people.ensure(ref, at=at).display_name

    def name(self, ref: PersonRef, display_name: str, email: str, at: datetime) -> None:
        """Keep the name and email the person's platform gave for them."""
        with self._uow_factory() as uow:
            uow.people.ensure(ref, display_name=display_name, email=email, at=at)
            uow.commit()

    def grant_initial_admins(self, people: str, at: datetime) -> int:
        """INITIAL_ADMINS (comma-separated PERSONs): the first admins, so someone can name brokers from chat
        on day one. All or none: a malformed one raises AdminError before anything is granted."""
        ops = [GrantRole(Role.ADMIN, parse_person(ref)) for ref in filter(None, (p.strip() for p in people.split(",")))]
        with self._uow_factory() as uow:
            for op in ops:
                carry_out(uow, op, at, Translator())
            uow.commit()
        return len(ops)
