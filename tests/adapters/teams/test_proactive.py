"""Install events store conversation references; proactive messages go through the outbox to each
conversation's own serviceUrl, survive 429s and 5xx without loss or duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from adapters.teams import NoReference, notify_channel, notify_person
from bot.domain import PersonRef
from bot.i18n import Translator
from bot.replies import Button, Card, Field, Text
from storage.installations import SqlInstallations as TeamsReferences
from storage.models import OutboxRow
from tests.adapters.teams.conftest import BOT, SAM, SAM_CHAT, TEAM, TENANT, TeamsBot

t = Translator()
SAM_REF = PersonRef("teams", TENANT, SAM["aadObjectId"])
ROUNDUPS = "19:roundups@thread.tacv2"


async def test_personal_install_stores_a_reference_and_says_hello(teams: TeamsBot) -> None:
    assert teams.install_personal().status_code == 200
    await teams.deliver()  # the stored activity processed, and its greeting sent
    with teams.container.sessions() as s:
        ref = TeamsReferences(s).person(TENANT, "aad-sam")
    assert ref is not None
    assert (ref.conversation_id, ref.service_url, ref.user_id, ref.aad_object_id, ref.tenant_id, ref.bot_id) == (
        SAM_CHAT, teams.fake.base_url, SAM["id"], "aad-sam", TENANT, BOT)
    assert len(teams.sent()) == 1 and t("greeting") in teams.sent()[0]["summary"]


async def test_proactive_message_to_a_person_is_queued_once_and_delivered(teams: TeamsBot) -> None:
    with pytest.raises(NoReference):
        notify_person(teams.container, SAM_REF, [Text("hello")])
    teams.install_personal()
    await teams.deliver()
    first = notify_person(teams.container, SAM_REF, [Text("Your idea #12 was approved.")], dedupe_key="decision:12")
    again = notify_person(teams.container, SAM_REF, [Text("Your idea #12 was approved.")], dedupe_key="decision:12")
    assert first is not None and again is None
    await teams.deliver()
    delivered = [a for a in teams.sent() if a.get("text") == "Your idea #12 was approved."]
    assert len(delivered) == 1


async def test_team_install_stores_every_channel_and_uninstall_forgets_them(teams: TeamsBot) -> None:
    teams.fake.channels[TEAM] = [{"id": TEAM, "name": None}, {"id": ROUNDUPS, "name": "Roundups"}]
    assert teams.install_team().status_code == 200
    await teams.deliver()  # stored, then processed by the inbound worker
    with teams.container.sessions() as s:
        channels = TeamsReferences(s).channels(TEAM)
    assert [(c.channel_id, c.name, c.team_id, c.aad_group_id, c.service_url) for c in channels] == [
        (TEAM, "", TEAM, "group-1", teams.fake.base_url), (ROUNDUPS, "Roundups", TEAM, "group-1", teams.fake.base_url)]

    card = Card("This week in the network", (Field("New ideas", "4"),), buttons=(Button("roundup.open", "1", "Open"),))
    assert notify_channel(teams.container, TEAM, ROUNDUPS, [card], dedupe_key="roundup:2026-W48") is not None
    await teams.deliver()
    posted = teams.fake.posts(ROUNDUPS)
    assert len(posted) == 1 and posted[0].body["attachments"][0]["content"]["body"][0]["type"] == "Container"

    # A channel created later is remembered; a deleted one forgotten.
    created = teams.activity("conversationUpdate", conversation={"id": TEAM, "conversationType": "channel",
                                                                  "tenantId": TENANT},
                             channelData={"tenant": {"id": TENANT}, "eventType": "channelCreated",
                                          "team": {"id": TEAM}, "channel": {"id": "19:new@thread.tacv2",
                                                                            "name": "Pilots"}})
    assert teams.post(created).status_code == 200
    deleted = dict(created, id="act-del", channelData={**created["channelData"], "eventType": "channelDeleted"})
    await teams.deliver()
    with teams.container.sessions() as s:
        assert TeamsReferences(s).channel(TEAM, "19:new@thread.tacv2") is not None
    assert teams.post(deleted).status_code == 200

    removed = teams.activity("conversationUpdate", conversation={"id": TEAM, "conversationType": "channel",
                                                                  "tenantId": TENANT},
                             membersRemoved=[{"id": BOT}],
                             channelData={"tenant": {"id": TENANT}, "eventType": "teamMemberRemoved",
                                          "team": {"id": TEAM}})
    assert teams.post(removed).status_code == 200
    await teams.deliver()
    with teams.container.sessions() as s:
        assert TeamsReferences(s).channels(TEAM) == []
    with pytest.raises(NoReference):
        notify_channel(teams.container, TEAM, ROUNDUPS, [Text("anyone there?")])


async def test_personal_uninstall_forgets_the_chat(teams: TeamsBot) -> None:
    teams.install_personal()
    uninstall = teams.activity("installationUpdate", action="remove")
    assert teams.post(uninstall).status_code == 200
    await teams.deliver()
    with pytest.raises(NoReference):
        notify_person(teams.container, SAM_REF, [Text("hello")])


async def test_a_429_is_retried_after_retry_after_and_delivered_once(teams: TeamsBot) -> None:
    teams.fake.fail_next(429, headers={"Retry-After": "30"})
    await teams.say("help")
    await teams.deliver()
    assert [c.status for c in teams.fake.posts(delivered=False)] == [429]
    with teams.container.sessions() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert (row.status, row.attempts) == ("pending", 1) and "429" in row.last_error
    assert row.next_attempt_at >= datetime.now(UTC) + timedelta(seconds=25)  # Retry-After honoured
    await teams.container.dispatcher.run_once()
    assert len(teams.fake.posts(delivered=False)) == 1, "nothing is sent before Retry-After"

    _due_now(teams)  # thirty seconds pass
    await teams.deliver()
    assert [c.status for c in teams.fake.posts(delivered=False)] == [429, 201]
    assert t("help.start_title") in str(teams.sent()[0])
    with teams.container.sessions() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert (row.status, row.attempts) == ("sent", 2) and row.result and row.result["activity_id"]


async def test_server_errors_are_retried_and_a_removed_bot_is_given_up(teams: TeamsBot) -> None:
    teams.fake.fail_next(503, times=2)
    await teams.say("help")
    await teams.deliver()
    _due_now(teams)
    await teams.deliver()
    _due_now(teams)
    await teams.deliver()
    assert [c.status for c in teams.fake.posts(delivered=False)] == [503, 503, 201]

    teams.fake.fail_next(403)  # the person removed the bot: retrying cannot help
    await teams.say("status")
    await teams.deliver()
    with teams.container.sessions() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
    assert [r.status for r in rows] == ["sent", "dead"] and "403" in rows[1].last_error


def _due_now(teams: TeamsBot) -> None:
    with teams.container.sessions.begin() as s:
        s.execute(update(OutboxRow).where(OutboxRow.status == "pending")
                  .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
