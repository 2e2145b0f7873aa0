"""Sharing a flagged idea on Slack, over real HTTP with real signatures against the fake Web API: the
broker's approval shows each flagged item, "Edit before sharing" opens a modal holding the text with the
detail taken out, and the officer is told what changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.domain import PersonRef, Role
from bot.i18n import Translator
from storage.models import DecisionRow, IdeaRow
from tests.adapters.slack.helpers import SlackEnv, dm_channel, elements, texts, wait_for

t = Translator()
SAM, BEA = "U0SAM", "U0BEA"
PHONE = "07700 900123"
IDEA = (f"We started to text burglary victims a direct line: call PC Sam Hollins on {PHONE} at the office in "
        "Preston PR1 2AB. "
        "It saves time because victims stop ringing 101 for updates and officers are not chasing call-backs.")


def setup(slack: SlackEnv) -> None:
    slack.fake.add_user(SAM, name="Sam Taylor", email="sam@kent.police.uk")
    slack.fake.add_user(BEA, name="Bea Broker", email="bea@kent.police.uk")
    with slack.container.uow_factory() as uow:
        uow.people.map_tenant("slack", slack.team, "kent")
        bea = uow.people.ensure(PersonRef("slack", slack.team, BEA), display_name="Bea Broker", at=datetime.now(UTC))
        uow.people.grant(bea.person_id, Role.BROKER, "kent")
        uow.commit()


def opened_view(slack: SlackEnv, before: int) -> dict[str, Any]:
    call = wait_for(lambda: slack.fake.calls_to("views.open", ok_only=True)[before:], what="a modal")[-1]
    view = call.body["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_edit_before_sharing_in_a_slack_modal(slack: SlackEnv) -> None:
    setup(slack)
    slack.say(SAM, IDEA)
    slack.press(SAM, t("button.submit"))
    with slack.container.sessions() as s:
        idea_id = s.scalars(select(IdeaRow.id)).one()
    wait_for(lambda: [c for c in slack.posts_to(dm_channel(BEA)) if "Approve for the network" in texts([c])],
             what="the broker's card")
    answer = slack.press(BEA, t("review.button.approve-network"))
    check = next(c for c in answer if t("share.button.as_is") in texts([c]))
    shown = texts([check])
    assert f'a phone number: "{PHONE}"' in shown and 'a postcode: "PR1 2AB"' in shown
    assert 'a name: "PC Sam Hollins"' in shown
    with slack.container.sessions() as s:
        assert s.get(IdeaRow, idea_id).status == "submitted"  # type: ignore[union-attr]

    # "Share as it is" asks for a reason that only brokers, reviewers and the audit trail see.
    block_id, element, _ = next(x for x in elements(check) if x[1]["text"]["text"] == t("share.button.as_is"))
    assert element["action_id"].startswith("review.approve-network#f")
    before = len(slack.fake.calls_to("views.open", ok_only=True))
    assert slack.click(BEA, check, element, block_id).status_code == 200
    as_is = opened_view(slack, before)
    assert as_is["callback_id"] == "review.form"
    labels = [b["label"]["text"] for b in as_is["blocks"] if b["type"] == "input"]
    assert labels == [t("share.as_is.reason")]
    # The broker closes it and edits instead: the modal holds the text with the detail taken out.
    block_id, element, _ = next(x for x in elements(check) if x[1]["text"]["text"] == t("share.button.edit"))
    before = len(slack.fake.calls_to("views.open", ok_only=True))
    assert slack.click(BEA, check, element, block_id).status_code == 200
    edit = opened_view(slack, before)
    boxes = {b["block_id"]: b for b in edit["blocks"] if b["type"] == "input"}
    prefilled = boxes["description~0"]["element"]["initial_value"]
    assert PHONE not in prefilled and "[phone number removed]" in prefilled and "[postcode removed]" in prefilled
    assert boxes["note~0"]["optional"] is True and boxes["description~0"]["optional"] is False
    rewritten = prefilled.replace("call [name removed] on [phone number removed]", "call the force's victim line")
    # Slack sends back every box as it stands when submitted.
    values = {name: b["element"].get("initial_value", "") for name, b in boxes.items()} | {"description~0": rewritten}
    assert slack.view_submission(BEA, edit, values).status_code == 200
    wait_for(lambda: "edited your idea" in texts(slack.posts_to(dm_channel(SAM))), what="the officer's news")
    slack.settle()
    with slack.container.sessions() as s:
        row = s.get(IdeaRow, idea_id)
        assert row is not None and row.status == "approved-network" and PHONE not in row.description
        last = s.scalars(select(DecisionRow).where(DecisionRow.idea_id == idea_id)
                         .order_by(DecisionRow.id.desc())).first()
    assert last is not None and last.reason.startswith("Edited before sharing")
    news = texts(slack.posts_to(dm_channel(SAM)))
    assert "call the force's victim line" in news and "[postcode removed]" in news
