"""The review workflow on Teams: the broker's card reaches their personal chat, the decision updates it,
and the officer hears — observed at the fake Bot Connector."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain import PersonRef, Role
from bot.i18n import Translator
from tests.adapters.teams.conftest import BOT, SAM_CHAT, TENANT, TeamsBot, find_button, texts

t = Translator()
BEA = {"id": "29:bea-teams-id", "name": "Bea Broker", "aadObjectId": "aad-bea"}
BEA_CHAT = "a:personal-chat-with-bea"
IDEA = ("We started lending spare body-worn cameras to PCSOs on late shifts in the town centre. It saves time "
        "because disorder is evidenced on the spot instead of officers writing long statements later.")


def as_bea(teams: TeamsBot, type_: str = "message", **fields: Any) -> dict[str, Any]:
    conversation = {"id": BEA_CHAT, "conversationType": "personal", "tenantId": TENANT}
    return teams.activity(type_, sender=BEA, conversation=conversation, **fields)


async def test_broker_decides_on_teams_and_the_officer_hears(teams: TeamsBot) -> None:
    assert teams.install_personal().status_code == 200
    assert teams.post(as_bea(teams, "conversationUpdate", membersAdded=[{"id": BOT}])).status_code == 200
    with teams.container.uow_factory() as uow:
        uow.people.map_tenant("teams", TENANT, "kent")
        bea = uow.people.ensure(PersonRef("teams", TENANT, "aad-bea"), display_name="Bea Broker", at=datetime.now(UTC))
        uow.people.grant(bea.person_id, Role.BROKER, "kent")
        uow.commit()
    await teams.deliver()

    await teams.say(IDEA)
    verb, data = find_button(teams.last_card(), t("button.submit"))
    await teams.execute(verb, data)
    assert any("Bea Broker, the innovation broker for Kent Police" in x for a in teams.sent() for x in texts(a))

    card = teams.last_card(BEA_CHAT)
    assert any("We started lending spare body-worn cameras" in x for x in texts({"attachments": [
        {"content": card}]}))
    verb, data = find_button(card, t("review.button.approve-network"))
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    response = teams.post(as_bea(teams, "invoke", name="adaptiveCard/action", value=value))
    assert response.status_code == 200
    await teams.deliver()

    news = [x for a in teams.sent(SAM_CHAT) for x in texts(a)]
    assert any("it was approved for the network by Bea Broker" in x for x in news)
    updated = [u.body for u in teams.fake.updates() if BEA_CHAT in u.path]
    assert updated and any("approved for the network by Bea Broker" in x for u in updated for x in texts(u))
