"""Admin commands, parsed from the words an admin types (in chat or on the command line). Pure.

    add-broker FORCE PERSON       add-reviewer PERSON        add-admin PERSON
    remove-role ROLE PERSON       map-workspace slack:TEAM_ID FORCE
    map-tenant teams:TENANT_ID FORCE                          list
    subscribe CHANNEL --scope network|force:SLUG|theme:SLUG [--when "mon 09:00"] [--lang en|cy|both]
    export-person PERSON          delete-person PERSON       (a person's data rights)

PERSON is slack:TEAM_ID:USER_ID, teams:TENANT_ID:AAD_OBJECT_ID or local:NAME.
CHANNEL is slack:TEAM_ID:CHANNEL_ID or teams:TEAM_ID:CHANNEL_ID.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.domain import PersonRef, Platform, Role


class AdminError(ValueError):
    """One line that says what is wrong with the command."""


class PersonNotFound(AdminError):
    """The command was well formed, but nobody is known by that reference (never seen, or erased).
    The command line exits with its own code for it (``innovation-bot admin``: 3), not a usage error's."""


@dataclass(frozen=True)
class GrantRole:
    role: Role
    person: PersonRef
    force: str | None = None


@dataclass(frozen=True)
class RemoveRole:
    role: Role
    person: PersonRef


@dataclass(frozen=True)
class MapTenant:
    platform: str
    tenant: str
    force: str


@dataclass(frozen=True)
class Subscribe:
    channel: str
    scope: str
    when: str
    lang: str = "en"  # the roundup's language: en, cy, or both (bilingual, Welsh first)


@dataclass(frozen=True)
class ListAll:
    pass


@dataclass(frozen=True)
class ExportPerson:
    person: PersonRef


@dataclass(frozen=True)
class DeletePerson:
    person: PersonRef


AdminOp = GrantRole | RemoveRole | MapTenant | Subscribe | ListAll | ExportPerson | DeletePerson

USAGE = ("admin commands: add-broker FORCE PERSON | add-reviewer PERSON | add-admin PERSON | "
         "remove-role ROLE PERSON | map-workspace slack:TEAM_ID FORCE | map-tenant teams:TENANT_ID FORCE | "
         "subscribe CHANNEL --scope network|force:SLUG|theme:SLUG [--when \"mon 09:00\"] [--lang en|cy|both] | list | "
         "export-person PERSON | delete-person PERSON")

# A roundup channel's language: English, Welsh, or both in one post (Welsh first, as the Welsh Language
# Standards expect of the Welsh forces' channels).
ROUNDUP_LANGUAGES = ("en", "cy", "both")
_ID = re.compile(r"^[A-Za-z0-9._@-]{1,128}$")


def local_user_id(name: str) -> str:
    """The playground's and console's user id for a display name (shared so admins can name them)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "officer"


def parse_person(text: str) -> PersonRef:
    parts = text.split(":")
    if parts[0] == Platform.LOCAL.value and len(parts) == 2 and parts[1].strip():
        return PersonRef("local", "local", local_user_id(parts[1]))
    if parts[0] in (Platform.SLACK.value, Platform.TEAMS.value) and len(parts) == 3 and \
            all(_ID.match(p) for p in parts[1:]):
        return PersonRef(parts[0], parts[1], parts[2])
    raise AdminError(f"{text[:80]!r} is not a person: use slack:TEAM_ID:USER_ID, teams:TENANT_ID:AAD_OBJECT_ID "
                     "or local:NAME")


def _force(slug: str, forces: Collection[str]) -> str:
    if slug not in forces:
        raise AdminError(f"unknown force {slug[:64]!r}: use a slug from the forces list, e.g. kent")
    return slug


def _tenant(text: str, platform: str) -> str:
    prefix, _, tenant = text.partition(":")
    if prefix != platform or not _ID.match(tenant):
        raise AdminError(f"{text[:80]!r} is not a {platform} reference: use {platform}:"
                         f"{'TEAM_ID' if platform == 'slack' else 'TENANT_ID'}")
    return tenant


def parse(words: Sequence[str] | str, forces: Collection[str]) -> AdminOp:
    args = shlex.split(words) if isinstance(words, str) else list(words)
    if not args:
        raise AdminError(USAGE)
    command, rest = args[0].lower(), args[1:]

    def need(n: int, shape: str) -> None:
        if len(rest) != n:
            raise AdminError(f"usage: {command} {shape}")

    if command == "add-broker":
        need(2, "FORCE PERSON")
        return GrantRole(Role.BROKER, parse_person(rest[1]), _force(rest[0], forces))
    if command in ("add-reviewer", "add-admin"):
        need(1, "PERSON")
        return GrantRole(Role.REVIEWER if command == "add-reviewer" else Role.ADMIN, parse_person(rest[0]))
    if command == "remove-role":
        need(2, "ROLE PERSON")
        try:
            role = Role(rest[0].lower())
        except ValueError:
            raise AdminError(f"unknown role {rest[0][:20]!r}: use broker, reviewer or admin") from None
        if role is Role.OFFICER:
            raise AdminError("everyone is an officer; remove broker, reviewer or admin")
        return RemoveRole(role, parse_person(rest[1]))
    if command in ("map-workspace", "map-tenant"):
        platform = "slack" if command == "map-workspace" else "teams"
        need(2, f"{platform}:{'TEAM_ID' if platform == 'slack' else 'TENANT_ID'} FORCE")
        return MapTenant(platform, _tenant(rest[0], platform), _force(rest[1], forces))
    if command == "subscribe":
        if not rest:
            raise AdminError("usage: subscribe CHANNEL --scope network|force:SLUG|theme:SLUG [--when \"mon 09:00\"] "
                             "[--lang en|cy|both]")
        channel, options = rest[0], rest[1:]
        values = {"--scope": "network", "--when": "mon 09:00", "--lang": "en"}
        while options:
            flag = options.pop(0)
            if flag not in values or not options:
                raise AdminError(f"unexpected {flag[:20]!r}: subscribe CHANNEL --scope SCOPE [--when \"mon 09:00\"] "
                                 "[--lang en|cy|both]")
            values[flag] = options.pop(0)
        if values["--lang"] not in ROUNDUP_LANGUAGES:
            raise AdminError(f"unknown language {values['--lang'][:20]!r}: use --lang en, cy or both")
        return Subscribe(channel, values["--scope"], values["--when"], values["--lang"])
    if command in ("export-person", "delete-person"):
        need(1, "PERSON")
        return (ExportPerson if command == "export-person" else DeletePerson)(parse_person(rest[0]))
    if command == "list":
        need(0, "")
        return ListAll()
    raise AdminError(f"unknown admin command {command[:30]!r}. {USAGE}")
