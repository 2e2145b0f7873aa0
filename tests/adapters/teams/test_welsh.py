"""Teams in Welsh: the activity's locale (cy-GB) is honoured through the real Teams SDK, a change of the
client's language is followed, and a choice made in the chat stands while the locale stays the same."""

from __future__ import annotations

from bot.i18n import Translator
from tests.adapters.teams.conftest import TeamsBot, texts

cy, en = Translator("cy"), Translator("en")


def said(bot: TeamsBot, before: int) -> str:
    return " ".join(text for activity in bot.sent()[before:] for text in texts(activity))


async def test_a_teams_client_set_to_welsh_gets_welsh(teams: TeamsBot) -> None:
    before = len(teams.sent())
    await teams.say("Mae gen i syniad", locale="cy-GB")
    assert cy("ask.description") in said(teams, before)

    before = len(teams.sent())
    await teams.say("English", locale="cy-GB")  # the person's own choice…
    await teams.say("help", locale="cy-GB")  # …stands while Teams still says cy-GB
    assert en("language.set") in said(teams, before) and en("help.text").splitlines()[0] in said(teams, before)

    before = len(teams.sent())
    await teams.say("canslo", locale="en-GB")  # Teams switched to English: nothing changes (already English)
    await teams.say("help", locale="cy-GB")  # and back to Cymraeg: a change, so it is followed
    assert cy("help.text").splitlines()[0] in said(teams, before)
