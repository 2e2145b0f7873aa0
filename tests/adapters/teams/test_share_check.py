"""Sharing a flagged idea on Teams, through the real Teams SDK over real HTTP with real JWTs: the approval
answers with each flagged item, "Share as it is" opens a form under its button, and its reason reaches the
audit trail but never the officer — observed at the fake Bot Connector."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microsoft_teams.cards import AdaptiveCard
from sqlalchemy import select

from bot.domain import PersonRef, Role
from bot.i18n import Translator
from storage.models import DecisionRow, IdeaRow
from tests.adapters.teams.conftest import BOT, SAM_CHAT, TENANT, TeamsBot, find_button, texts
from tests.adapters.teams.test_review import BEA_CHAT, as_bea

t = Translator()
PHONE = "07700 900123"
IDEA = (f"We started to text burglary victims a direct line: call {PHONE} or write to the office at Preston "
        "PR1 2AB. It saves time because victims stop ringing 101 for updates and officers are not chasing call-backs.")
REASON = "The line and the office address are published on the force website"


def show_card(card: dict[str, Any], title: str) -> dict[str, Any]:
    def walk(node: Any) -> dict[str, Any] | None:
        if isinstance(node, dict):
            if node.get("type") == "Action.ShowCard" and node.get("title") == title:
                return node
            nodes: list[Any] = list(node.values())
        elif isinstance(node, list):
            nodes = node
        else:
            return None
        return next((hit for n in nodes if (hit := walk(n)) is not None), None)

    found = walk(card)
    assert found is not None, f"no {title!r} form"
    return found


async def test_share_as_it_is_on_teams_keeps_the_reason_from_the_officer(teams: TeamsBot) -> None:
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

    verb, data = find_button(teams.last_card(BEA_CHAT), t("review.button.approve-network"))
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    assert teams.post(as_bea(teams, "invoke", name="adaptiveCard/action", value=value)).status_code == 200
    await teams.deliver()
    check = teams.last_card(BEA_CHAT)
    AdaptiveCard.model_validate(check)  # the SDK's own schema accepts the forms
    shown = texts({"attachments": [{"content": check}]})
    assert any(f'a phone number: "{PHONE}"' in x for x in shown)
    assert any('a postcode: "PR1 2AB"' in x for x in shown)
    with teams.container.sessions() as s:
        assert s.scalars(select(IdeaRow.status)).one() == "submitted"

    form = show_card(check, t("share.button.as_is"))
    [box] = [b for b in form["card"]["body"] if b["type"] == "Input.Text"]
    assert box["isRequired"] is True and box["label"] == t("share.as_is.reason")
    submit = form["card"]["actions"][0]
    data = {**submit["data"], box["id"]: REASON}
    value = {"action": {"type": "Action.Execute", "verb": submit["verb"], "data": data}, "trigger": "manual"}
    assert teams.post(as_bea(teams, "invoke", name="adaptiveCard/action", value=value)).status_code == 200
    await teams.deliver()

    with teams.container.sessions() as s:
        idea = s.scalars(select(IdeaRow)).one()
        assert (idea.status, idea.shared_as_is) == ("approved-network", "network")
        reasons = [d.reason for d in s.scalars(select(DecisionRow).where(DecisionRow.idea_id == idea.id))]
    assert any(REASON in r and r.startswith("Shared as it is") for r in reasons)
    news = [x for a in teams.sent(SAM_CHAT) for x in texts(a)]
    assert any("it was approved for the network by Bea Broker" in x for x in news)
    assert not any(REASON in x for x in news)
