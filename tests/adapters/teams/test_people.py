"""Teams people are known by name and email: the roster API is read the first time a person is met, so
introductions and dashboard sign-in work for Teams users as they do for Slack users."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import PersonRow
from tests.adapters.teams.conftest import SAM, TeamsBot


def person(bot: TeamsBot) -> PersonRow:
    with bot.container.sessions() as s:
        row = s.scalars(select(PersonRow).where(PersonRow.user_id == SAM["aadObjectId"])).one()
        s.expunge(row)
        return row


async def test_the_roster_gives_name_and_email_once_per_person(teams: TeamsBot) -> None:
    teams.fake.members[SAM["id"]] = {"name": "Sam Taylor", "email": "",
                                     "userPrincipalName": "sam.taylor@kent.police.example"}
    assert teams.install_personal().status_code == 200
    await teams.deliver()  # the install is stored first, then processed by the inbound worker
    row = person(teams)
    assert (row.display_name, row.email) == ("Sam Taylor", "sam.taylor@kent.police.example")

    await teams.say("help")
    await teams.say("status")
    roster = [c for c in teams.fake.calls if "/members/" in c.path]
    assert len(roster) == 1, "read once, not per message"
    assert roster[0].headers["authorization"].startswith("Bearer fake-")


async def test_a_failed_roster_read_never_fails_the_turn(teams: TeamsBot) -> None:
    # No roster entry: the fake answers 404. The person keeps the name their message carried.
    await teams.say("help")
    assert teams.sent(), "the bot still answered"
    row = person(teams)
    assert row.display_name == SAM["name"] and row.email == ""
