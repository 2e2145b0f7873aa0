"""Admin commands answer in the admin's language: what changed and what is wrong, in Welsh for a Welsh
speaker in chat, in English on the command line; the commands themselves are typed the same in both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.bootstrap import Container
from bot import admin
from bot.domain import PersonRef, Platform, Role
from bot.events import Actor, Message
from bot.i18n import Translator
from bot.replies import Text

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
FORCES = {"kent", "gwent"}
GWEN = Actor(PersonRef("local", "local", "gwen"), "Gwen Gweinyddwr", locale="cy")
ADAM = Actor(PersonRef("local", "local", "adam"), "Adam Admin", locale="en")


def admins(c: Container) -> None:
    for actor in (GWEN, ADAM):
        c.admin.run(admin.GrantRole(Role.ADMIN, actor.ref), NOW)
    with c.uow_factory() as uow:  # Gwen chose Welsh
        uow.people.set_locale(uow.people.ensure(GWEN.ref, at=NOW).person_id, "cy", "chosen")
        uow.commit()


def say(c: Container, actor: Actor, text: str, n: int) -> str:
    [reply] = c.service.handle(Message(f"admin-{n}", actor, text, NOW)).replies
    assert isinstance(reply, Text)
    return reply.text


def test_a_welsh_speaking_admin_is_answered_in_welsh(container: Container) -> None:
    admins(container)
    assert say(container, GWEN, "admin add-broker gwent local:Olly", 1) == \
        "Mae gan local:local:olly y rôl hon bellach: brocer ar gyfer gwent"
    assert say(container, GWEN, "admin add-broker atlantis local:Olly", 2).startswith("heddlu anhysbys 'atlantis'")
    assert say(container, GWEN, "admin remove-role broker local:Nobody", 3) == \
        "does neb yn hysbys fel local:local:nobody"
    # The same commands from an English-speaking admin: English, word for word as before.
    assert say(container, ADAM, "admin add-reviewer local:Rhys", 4) == "local:local:rhys is now reviewer"
    assert say(container, ADAM, "admin remove-role superuser local:Rhys", 5) == \
        "unknown role 'superuser': use broker, reviewer or admin"


def test_an_error_is_one_line_in_either_language() -> None:
    with pytest.raises(admin.AdminError) as caught:
        admin.parse("map-tenant slack:T1 kent", FORCES)
    assert str(caught.value) == "'slack:T1' is not a teams reference: use teams:TENANT_ID"
    assert caught.value.render(Translator("cy")) == "nid yw 'slack:T1' yn gyfeiriad teams: defnyddiwch teams:TENANT_ID"


@pytest.mark.parametrize("platform", [p for p in Platform if p is not Platform.LOCAL])
def test_every_platform_names_its_people_the_same_way(platform: Platform) -> None:
    assert admin.parse_person(f"{platform.value}:T1:U9") == PersonRef(platform.value, "T1", "U9")
    with pytest.raises(admin.AdminError, match="is not a person"):
        admin.parse_person(f"{platform.value}:U9")


def test_initial_admins_are_granted_all_or_none(container: Container) -> None:
    with pytest.raises(admin.AdminError, match="is not a person"):
        container.admin.grant_initial_admins("local:Ann, not-a-person", NOW)
    assert container.admin.run(admin.ListAll(), NOW) == "no roles or mappings yet"
    assert container.admin.grant_initial_admins("local:Ann, local:Bo", NOW) == 2
    assert container.admin.run(admin.ListAll(), NOW) == "admin: local:local:ann\nadmin: local:local:bo"
