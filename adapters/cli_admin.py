"""`innovation-bot admin`: the admin commands from the command line, through the admin service."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from adapters.bootstrap import Container
from adapters.cli_parser import ADMIN_USAGE
from adapters.person_lookup import look_up
from bot.admin import AdminError, GrantRole, PersonNotFound
from bot.domain import PersonRef

# A well-formed admin command about a person nobody holds (unknown, or erased): not a usage error (2).
EXIT_NOT_FOUND = 3


def admin_command(container: Container, words: Sequence[str]) -> int:
    """``innovation-bot admin WORDS``: prints what changed; the exit status says how it went."""
    if not words or words[0] in ("help", "-h", "--help"):
        print(ADMIN_USAGE)
        return 0 if words else 2
    try:
        op = container.admin.parse(words)
        print(container.admin.run(op, datetime.now(UTC)))
    except PersonNotFound as exc:  # a well-formed command about nobody we hold: not a usage error
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except AdminError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    if isinstance(op, GrantRole):
        name_from_platform(container, op.person)
    return 0


def name_from_platform(container: Container, ref: PersonRef) -> None:
    """A person named by id gets their name and email from their platform, so nobody is shown an id."""
    if container.admin.display_name(ref, datetime.now(UTC)):
        return
    found = asyncio.run(look_up(container, ref))
    if found is None:
        print("(no name on record yet: until they first message the bot, it speaks of them by their role, "
              "never by this id)", file=sys.stderr)
        return
    container.admin.name(ref, found.name, found.email, datetime.now(UTC))
    print(f"(found on {ref.platform}: {found.name})", file=sys.stderr)
