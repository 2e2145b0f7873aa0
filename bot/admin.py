"""Admin commands, parsed from the words an admin types (in chat or on the command line). Pure.

    add-broker FORCE PERSON       add-reviewer PERSON        add-admin PERSON
    remove-role ROLE PERSON       map-workspace slack:TEAM_ID FORCE
    map-tenant teams:TENANT_ID FORCE                          list
    subscribe CHANNEL --scope network|force:SLUG|theme:SLUG [--when "mon 09:00"] [--lang en|cy|both]
    export-person PERSON          delete-person PERSON       (a person's data rights)

PERSON is PLATFORM:TENANT:USER_ID (a platform of ``bot.domain.Platform``) or local:NAME.
CHANNEL is PLATFORM:TEAM_ID:CHANNEL_ID. What is wrong is said with a catalogue key (``bot/i18n/admin_*.py``),
so an admin reads it in their language; ``str()`` of an error is its English line (the command line's).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.domain import PersonRef, Platform, Role
from bot.i18n import Translator


class AdminError(ValueError):
    """One line that says what is wrong with the command: a catalogue key and its values."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(Translator("en")(key, **params))

    def render(self, t: Translator) -> str:
        return t(self.key, **self.params)


class PersonNotFound(AdminError):
    """The command was well formed, but nobody is known by that reference (never seen, or erased).
    The command line exits with its own code for it (``innovation-bot admin``: 3), not a usage error's."""

    def __init__(self, person: PersonRef) -> None:
        super().__init__("admin.not_found", person=str(person))


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

SUBSCRIBE_SHAPE = "CHANNEL --scope network|force:SLUG|theme:SLUG [--when \"mon 09:00\"] [--lang en|cy|both]"
# The commands' own syntax is not translated: it is what the admin types, in either language.
USAGE = ("add-broker FORCE PERSON | add-reviewer PERSON | add-admin PERSON | remove-role ROLE PERSON | "
         "map-workspace slack:TEAM_ID FORCE | map-tenant teams:TENANT_ID FORCE | "
         f"subscribe {SUBSCRIBE_SHAPE} | list | export-person PERSON | delete-person PERSON")
PERSON_FORMS = "slack:TEAM_ID:USER_ID, teams:TENANT_ID:AAD_OBJECT_ID, local:NAME"
# Which platform each tenant-mapping command is about, and what that platform calls a tenant: data the
# public command names fix (README), looked up rather than branched on.
TENANT_COMMANDS: dict[str, tuple[Platform, str]] = {
    "map-workspace": (Platform("slack"), "TEAM_ID"),
    "map-tenant": (Platform("teams"), "TENANT_ID"),
}

# A roundup channel's language: English, Welsh, or both in one post (Welsh first, as the Welsh Language
# Standards expect of the Welsh forces' channels).
ROUNDUP_LANGUAGES = ("en", "cy", "both")
# The roles a command can name, as typed (the same words in either language).
_ROLES = {"first": Role.BROKER.value, "second": Role.REVIEWER.value, "third": Role.ADMIN.value}
_ID = re.compile(r"^[A-Za-z0-9._@-]{1,128}$")


def local_user_id(name: str) -> str:
    """The playground's and console's user id for a display name (shared so admins can name them)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "officer"


def _platform(text: str) -> Platform | None:
    try:
        return Platform(text)
    except ValueError:
        return None


def parse_person(text: str) -> PersonRef:
    parts = text.split(":")
    platform = _platform(parts[0])
    if platform is Platform.LOCAL and len(parts) == 2 and parts[1].strip():
        return PersonRef(platform.value, platform.value, local_user_id(parts[1]))
    if platform is not None and platform is not Platform.LOCAL and len(parts) == 3 and \
            all(_ID.match(p) for p in parts[1:]):
        return PersonRef(platform.value, parts[1], parts[2])
    raise AdminError("admin.error.not_a_person", text=repr(text[:80]), forms=PERSON_FORMS)


def _force(slug: str, forces: Collection[str]) -> str:
    if slug not in forces:
        raise AdminError("admin.error.unknown_force", slug=repr(slug[:64]), example="kent")
    return slug


def _tenant(text: str, platform: Platform, word: str) -> str:
    prefix, _, tenant = text.partition(":")
    if prefix != platform.value or not _ID.match(tenant):
        raise AdminError("admin.error.not_a_tenant", text=repr(text[:80]), platform=platform.value,
                         form=f"{platform.value}:{word}")
    return tenant


def _subscribe(rest: list[str]) -> Subscribe:
    if not rest:
        raise AdminError("admin.error.usage", shape=f"subscribe {SUBSCRIBE_SHAPE}")
    channel, options = rest[0], rest[1:]
    values = {"--scope": "network", "--when": "mon 09:00", "--lang": "en"}
    while options:
        flag = options.pop(0)
        if flag not in values or not options:
            raise AdminError("admin.error.unexpected", flag=repr(flag[:20]),
                             shape="subscribe CHANNEL --scope SCOPE [--when \"mon 09:00\"] [--lang en|cy|both]")
        values[flag] = options.pop(0)
    if values["--lang"] not in ROUNDUP_LANGUAGES:
        raise AdminError("admin.error.unknown_language", lang=repr(values["--lang"][:20]), first="--lang en",
                         second="cy", third="both")
    return Subscribe(channel, values["--scope"], values["--when"], values["--lang"])


def parse(words: Sequence[str] | str, forces: Collection[str]) -> AdminOp:
    args = shlex.split(words) if isinstance(words, str) else list(words)
    if not args:
        raise AdminError("admin.usage", usage=USAGE)
    command, rest = args[0].lower(), args[1:]

    def need(n: int, shape: str) -> None:
        if len(rest) != n:
            raise AdminError("admin.error.usage", shape=f"{command} {shape}".strip())

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
            raise AdminError("admin.error.unknown_role", role=repr(rest[0][:20]), **_ROLES) from None
        if role is Role.OFFICER:
            raise AdminError("admin.error.officer", **_ROLES)
        return RemoveRole(role, parse_person(rest[1]))
    if command in TENANT_COMMANDS:
        platform, word = TENANT_COMMANDS[command]
        need(2, f"{platform.value}:{word} FORCE")
        return MapTenant(platform.value, _tenant(rest[0], platform, word), _force(rest[1], forces))
    if command == "subscribe":
        return _subscribe(rest)
    if command in ("export-person", "delete-person"):
        need(1, "PERSON")
        return (ExportPerson if command == "export-person" else DeletePerson)(parse_person(rest[0]))
    if command == "list":
        need(0, "")
        return ListAll()
    raise AdminError("admin.error.unknown_command", command=repr(command[:30]), usage=USAGE)
