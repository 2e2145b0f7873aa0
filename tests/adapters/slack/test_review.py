"""The review workflow on Slack: the broker's card arrives by DM, decisions update it in place, the officer
hears, and a decline asks for its reason in a modal — all observed at the fake Slack Web API."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain import PersonRef, Role
from bot.i18n import Translator
from storage.models import DecisionRow, IdeaRow
from tests.adapters.slack.helpers import SlackEnv, dm_channel, elements, texts, wait_for

t = Translator()
SAM, BEA = "U0SAM", "U0BEA"
IDEA = ("We started lending spare body-worn cameras to PCSOs on late shifts in the town centre. It saves time "
        "because disorder is evidenced on the spot instead of officers writing long statements later.")


def setup(slack: SlackEnv) -> None:
    slack.fake.add_user(SAM, name="Sam Taylor", email="sam@kent.police.uk")
    slack.fake.add_user(BEA, name="Bea Broker", email="bea@kent.police.uk")
    with slack.container.uow_factory() as uow:
        uow.people.map_tenant("slack", slack.team, "kent")
        bea = uow.people.ensure(PersonRef("slack", slack.team, BEA), display_name="Bea Broker", at=datetime.now(UTC))
        uow.people.grant(bea.person_id, Role.BROKER, "kent")
        uow.commit()


def submit(slack: SlackEnv) -> int:
    slack.say(SAM, IDEA)
    slack.press(SAM, t("button.submit"))
    with slack.container.sessions() as s:
        return s.scalars(select(IdeaRow.id)).one()


def card_for_broker(slack: SlackEnv):  # type: ignore[no-untyped-def]
    return wait_for(lambda: [c for c in slack.posts_to(dm_channel(BEA)) if "Approve for the network" in texts([c])],
                    what="the broker's card")[-1]


def test_broker_card_decision_and_news_on_slack(slack: SlackEnv) -> None:
    setup(slack)
    idea_id = submit(slack)
    slack.settle()
    assert "Bea Broker, the innovation broker for Kent Police" in texts(slack.posts_to(dm_channel(SAM)))
    card = card_for_broker(slack)
    assert any(c.body.get("users") == BEA for c in slack.fake.calls_to("conversations.open"))
    assert "Sam Taylor" in texts([card])  # the broker always sees who submitted it

    slack.press(BEA, t("review.button.approve-network"))
    slack.settle()
    with slack.container.sessions() as s:
        assert s.get(IdeaRow, idea_id).status == "approved-network"  # type: ignore[union-attr]
    # every copy of the card now shows the decision and who made it, with no buttons left
    updates = [u for u in slack.fake.calls_to("chat.update", ok_only=True)
               if u.body.get("ts") == card.answer["ts"]]
    assert updates and "approved for the network by Bea Broker" in texts([updates[-1]])
    assert not any(b["type"] == "actions" for b in updates[-1].body["blocks"])
    news = texts(slack.posts_to(dm_channel(SAM)))
    assert "it was approved for the network by Bea Broker" in news


def test_decline_asks_for_a_reason_in_a_modal(slack: SlackEnv) -> None:
    setup(slack)
    idea_id = submit(slack)
    card = card_for_broker(slack)
    block_id, element, _ = next((b, e, o) for b, e, o in elements(card)
                                if e.get("text", {}).get("text") == t("review.button.decline"))
    assert element["action_id"].startswith("review.decline#r")
    assert slack.click(BEA, card, element, block_id).status_code == 200
    modal = wait_for(lambda: slack.fake.calls_to("views.open", ok_only=True), what="the reason modal")[-1]
    view = modal.body["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert view["callback_id"] == "review.reason"
    slack.settle()
    with slack.container.sessions() as s:
        assert s.get(IdeaRow, idea_id).status == "submitted"  # type: ignore[union-attr]  # nothing yet
    assert slack.view_submission(BEA, view, {"value": "Already running nationally — see the Practice Bank"}
                                 ).status_code == 200
    wait_for(lambda: "declined by Bea Broker" in texts(slack.posts_to(dm_channel(SAM))), what="the news")
    slack.settle()
    with slack.container.sessions() as s:
        last = s.scalars(select(DecisionRow).where(DecisionRow.idea_id == idea_id)
                         .order_by(DecisionRow.id.desc())).first()
    assert last is not None and (last.to_status, last.reason) == (
        "declined", "Already running nationally — see the Practice Bank")
    assert "Their note: Already running nationally" in texts(slack.posts_to(dm_channel(SAM)))


def test_admin_commands_through_the_slash_command(slack: SlackEnv) -> None:
    setup(slack)
    with slack.container.uow_factory() as uow:
        bea = uow.people.ensure(PersonRef("slack", slack.team, BEA), at=datetime.now(UTC))
        uow.people.grant(bea.person_id, Role.ADMIN)
        uow.commit()
    before = len(slack.posts_to(dm_channel(BEA)))
    assert slack.command(BEA, "/innovation", f"admin add-reviewer slack:{slack.team}:U0RITA").status_code == 200
    reply = slack.reply(dm_channel(BEA), before)
    assert f"slack:{slack.team}:U0RITA is now reviewer" in texts([reply])


def test_app_home_shows_a_brokers_queue(slack: SlackEnv) -> None:
    setup(slack)
    idea_id = submit(slack)
    slack.settle()
    assert slack.home_opened(BEA).status_code == 200
    published = wait_for(lambda: [c for c in slack.fake.calls_to("views.publish", ok_only=True)
                                  if c.body.get("user_id") == BEA], what="App Home")[-1]
    view = published.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    shown = json.dumps(view, ensure_ascii=False)
    assert t("home.queue") in shown and f"#{idea_id} " in shown and "Approve for the network" in shown
    assert slack.home_opened(SAM).status_code == 200  # an officer's home has no queue
    mine = wait_for(lambda: [c for c in slack.fake.calls_to("views.publish", ok_only=True)
                             if c.body.get("user_id") == SAM], what="Sam's App Home")[-1]
    assert t("home.queue") not in json.dumps(mine.body["view"], ensure_ascii=False)


def test_connect_me_on_slack_ends_in_a_group_dm(slack: SlackEnv) -> None:
    setup(slack)
    bob = "U0BOB"
    slack.fake.add_user(bob, name="Bob Essex", email="bob@essex.police.uk")
    idea_id = submit(slack)
    slack.press(BEA, t("review.button.approve-network"))
    slack.settle()
    found = slack.say(bob, "search body-worn cameras for PCSOs")
    assert f'"value": "{idea_id}"' in json.dumps([c.body.get("blocks") for c in found])
    slack.press(bob, t("connect.button"))
    request = wait_for(lambda: [c for c in slack.posts_to(dm_channel(SAM)) if "Someone would like to connect"
                                in texts([c])], what="the request to Sam")
    assert "Bob Essex" in texts(request)
    slack.press(SAM, t("connect.yes"))
    slack.settle()
    group = "G" + "0BOB" + "0SAM"
    intro = wait_for(lambda: slack.posts_to(group), what="the group DM")
    assert "Bob Essex, meet Sam Taylor" in texts(intro)
    assert any(c.body.get("users") == f"{bob},{SAM}" for c in slack.fake.calls_to("conversations.open"))
    assert "Good news: meet the people behind" in texts(slack.posts_to(dm_channel(bob)))
