"""The capture conversation through Slack: signed requests in, Block Kit out, an idea in the database."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.domain import PersonRef
from bot.i18n import Translator
from storage.models import IdeaRow, OutboxRow, PersonRow, ProcessedEventRow
from tests.adapters.slack.helpers import SlackEnv, all_text, dm_channel, elements, texts, wait_for

t = Translator()
SAM = "U0SAM"
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."


def _count(env: SlackEnv, model: type) -> int:
    with env.container.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_first_dm_to_submitted_idea(database_url: str, slack_on: Any) -> None:
    with slack_on(database_url) as env:
        env.fake.add_user(SAM, name="Sam Taylor", email="sam.taylor@kent.police.uk")
        first = env.say(SAM, "I've got an idea")
        assert t("ask.description") in texts(first)
        assert first[0].token == "xoxb-test-token" and first[0].body["channel"] == dm_channel(SAM)

        assert t("ask.problem") in texts(env.say(SAM, DESCRIPTION))
        stage = env.say(SAM, PROBLEM)
        ids = [e["action_id"] for _, e, _ in elements(stage[-1])]
        assert len(ids) == 4 and len(set(ids)) == 4  # unique within the message

        force = env.press(SAM, t("stage.being-tried"))
        menu = next(e for _, e, _ in elements(force[-1]) if e["type"] == "static_select")
        assert len(menu["options"]) == 52  # the forces list, searchable

        summary = env.press(SAM, "Kent Police")
        assert t("summary.title") in texts(summary) and "Kent Police" in texts(summary)
        done = env.press(SAM, t("button.submit"))
        assert "Submitted — thank you!" in texts(done)

        with env.container.sessions() as s:
            idea = s.scalars(select(IdeaRow)).one()
            person = s.get(PersonRow, idea.submitter_id)
        assert (idea.force_slug, idea.stage, idea.status, idea.description, idea.problem) == (
            "kent", "being-tried", "submitted", DESCRIPTION, PROBLEM)
        assert person is not None and (person.platform, person.tenant, person.user_id) == ("slack", env.team, SAM)
        assert (person.display_name, person.email) == ("Sam Taylor", "sam.taylor@kent.police.uk")
        # users.info was asked once and cached for the rest of the conversation
        assert len(env.fake.calls_to("users.info")) == 1
        # each answered question lost its buttons, so it cannot be answered twice
        updates = env.fake.calls_to("chat.update", ok_only=True)
        assert len(updates) == 3
        assert all(b["type"] != "actions" for b in updates[0].body["blocks"])
        assert "✓ Being tried" in json.dumps(updates[0].body["blocks"], ensure_ascii=False)


def test_slack_retries_give_one_effect_and_one_reply(slack: SlackEnv) -> None:
    channel = dm_channel(SAM)
    assert slack.dm(SAM, DESCRIPTION, event_id="Ev0RETRY").status_code == 200
    for attempt in (1, 2):
        assert slack.dm(SAM, DESCRIPTION, event_id="Ev0RETRY", retry=attempt).status_code == 200
    slack.reply(channel, 0)
    slack.settle()
    assert len(slack.posts_to(channel)) == 1
    with slack.container.uow_factory() as uow:
        record = uow.conversations.get(PersonRef("slack", slack.team, SAM))
    assert record is not None and record.version == 1 and record.state == "awaiting-problem"
    assert _count(slack, ProcessedEventRow) == 1 and _count(slack, OutboxRow) == 1


def test_subtypes_bots_and_other_workspaces_are_ignored(slack: SlackEnv) -> None:
    event = {"type": "message", "subtype": "message_changed", "channel": dm_channel(SAM), "channel_type": "im",
             "ts": "1.2", "message": {"text": "edited", "user": SAM}}
    assert slack.post_json(slack.event_callback(event)).status_code == 200
    bot = {"type": "message", "bot_id": "B0OTHER", "text": "beep", "channel": dm_channel(SAM), "channel_type": "im",
           "ts": "1.3"}
    assert slack.post_json(slack.event_callback(bot)).status_code == 200
    # a Slack Connect guest from another organisation writing in a shared DM
    assert slack.dm("U0GUEST", DESCRIPTION, user_team="T0ELSEWHERE").status_code == 200
    slack.settle()
    assert _count(slack, ProcessedEventRow) == 0 and slack.fake.calls_to("chat.postMessage") == []


def test_idea_command_starts_a_capture_in_the_dm(slack: SlackEnv) -> None:
    response = slack.command(SAM, "/idea", DESCRIPTION, channel="C0GENERAL")
    assert response.status_code == 200 and response.text == ""
    posted = slack.reply(dm_channel(SAM), 0)
    assert t("ask.problem") in texts([posted])
    pointer = wait_for(lambda: [c for c in slack.fake.all_calls() if c.method.startswith("response_url:")],
                       what="the ephemeral pointer")
    assert pointer[0].body["response_type"] == "ephemeral" and "direct message" in pointer[0].body["text"]
    # "/idea" alone, mid-capture: the draft in a line, carry on or start again; nothing is lost
    slack.command(SAM, "/idea", channel=dm_channel(SAM))
    again = slack.reply(dm_channel(SAM), 1)
    assert t("resume.question") in texts([again]) and "thermal camera" in texts([again])


def test_innovation_command_help_status_search_and_unknown(slack: SlackEnv) -> None:
    slack.command(SAM, "/innovation", "status", channel=dm_channel(SAM))
    assert t("status.none") in texts([slack.reply(dm_channel(SAM), 0)])
    slack.command(SAM, "/innovation", "search drones", channel=dm_channel(SAM))
    assert "drones" in texts([slack.reply(dm_channel(SAM), 1)])
    slack.command(SAM, "/innovation", "frobnicate now", channel=dm_channel(SAM))
    pointer = wait_for(lambda: [c for c in slack.fake.all_calls() if c.method.startswith("response_url:")],
                       what="the ephemeral help")
    assert "/innovation frobnicate" in pointer[0].body["text"] and pointer[0].body["response_type"] == "ephemeral"
    slack.settle()
    assert len(slack.posts_to(dm_channel(SAM))) == 2  # the unknown word changed nothing and posted nothing


def test_message_shortcut_turns_a_message_into_a_draft(slack: SlackEnv) -> None:
    response = slack.shortcut(SAM, f"{DESCRIPTION} {PROBLEM}", author="U0SOMEONE")
    assert response.status_code == 200
    posted = slack.reply(dm_channel(SAM), 0)
    assert t("ask.force") in texts([posted])  # one long message said enough: only the force is missing
    with slack.container.uow_factory() as uow:
        record = uow.conversations.get(PersonRef("slack", slack.team, SAM))
    assert record is not None and record.draft is not None and record.draft["description"].startswith("We use a drone")


def test_app_mention_answers_with_a_dm_prompt_and_a_pointer(slack: SlackEnv) -> None:
    assert slack.mention(SAM, "I have an idea about drones").status_code == 200
    prompt = slack.reply(dm_channel(SAM), 0)
    assert "mentioned me" in texts([prompt]) and t("button.start") in texts([prompt])
    ephemeral = wait_for(lambda: slack.fake.calls_to("chat.postEphemeral", ok_only=True), what="the pointer")
    assert ephemeral[0].body["channel"] == "C0GENERAL" and ephemeral[0].body["user"] == SAM
    # the button in the prompt starts the capture
    assert t("ask.description") in texts(slack.press(SAM, t("button.start")))


def test_edit_a_text_field_in_a_modal(slack: SlackEnv, monkeypatch: Any) -> None:
    """Only the click on a text field looks for an edit box: whether a click could open one is known
    from the click alone, so answers do not leave the event loop to ask (docs/PERFORMANCE.md)."""
    looked: list[str] = []
    edit_form = slack.container.surfaces.edit_form

    def recording(ref: Any, action_id: str, value: str) -> Any:
        looked.append(value.rpartition("|")[2])
        return edit_form(ref, action_id, value)

    monkeypatch.setattr(slack.container.surfaces, "edit_form", recording)
    slack.say(SAM, DESCRIPTION)
    slack.say(SAM, PROBLEM)
    slack.press(SAM, t("stage.idea"))
    slack.press(SAM, "Kent Police")
    slack.press(SAM, t("button.edit"))
    before = len(slack.fake.calls_to("views.open"))
    slack.press(SAM, t("field.title"))
    opened = wait_for(lambda: slack.fake.calls_to("views.open")[before:], what="the edit modal")[0]
    view = opened.body["view"] if isinstance(opened.body["view"], dict) else json.loads(opened.body["view"])
    assert view["blocks"][0]["element"]["initial_value"].startswith("We use a drone")
    assert looked == ["title"]  # the stage, the force and "Edit" were answers
    count = len(slack.posts_to(dm_channel(SAM)))
    assert slack.view_submission(SAM, view, {"value": "Thermal drones for night searches"}).status_code == 200
    summary = slack.reply(dm_channel(SAM), count)
    assert "Thermal drones for night searches" in texts([summary]) and t("summary.title") in texts([summary])


def test_app_home_lists_my_ideas_and_searches(slack: SlackEnv) -> None:
    with slack.container.uow_factory() as uow:
        uow.people.map_tenant("slack", slack.team, "kent")  # an admin mapped the workspace to a force
        uow.commit()
    one_shot = f"{DESCRIPTION} The problem was that {PROBLEM[0].lower()}{PROBLEM[1:]} We are trying it now."
    assert t("summary.title") in texts(slack.say(SAM, one_shot))
    slack.press(SAM, t("button.submit"))

    assert slack.home_opened(SAM).status_code == 200
    home = wait_for(lambda: slack.fake.calls_to("views.publish", ok_only=True), what="App Home")[0]
    assert home.body["user_id"] == SAM and home.body["view"]["type"] == "home"
    shown = all_text(home.body["view"])
    assert t("status.submitted") in shown and "Kent Police" in shown
    search = next(b for b in home.body["view"]["blocks"] if b["type"] == "input")
    payload = {**slack._interaction_base(SAM, "block_actions"),
               "container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home"},
               "actions": [{"type": "plain_text_input", "action_id": search["element"]["action_id"],
                            "block_id": search["block_id"], "value": "missing people drone",
                            "action_ts": "1700000000.1"}]}
    assert slack.post_interaction(payload).status_code == 200
    results = wait_for(lambda: slack.fake.calls_to("views.publish", ok_only=True)[1:], what="search results")[0]
    assert "missing people drone" in all_text(results.body["view"])
