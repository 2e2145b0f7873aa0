"""The capture conversation through Teams: personal chat, Action.Execute and Action.Submit clicks,
replies through the outbox to the fake connector, the idea in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from microsoft_teams.cards import AdaptiveCard
from sqlalchemy import func, select

from bot.i18n import Translator
from storage.models import IdeaRow, PersonRow, ProcessedEventRow
from tests.adapters.teams.conftest import SAM_CHAT, TENANT, TeamsBot, find_button, texts

t = Translator()
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."


async def test_share_an_idea_through_teams(teams_on_every_db: TeamsBot) -> None:
    bot = teams_on_every_db
    assert bot.install_personal().status_code == 200
    await bot.deliver()
    welcome = bot.sent()[-1]
    assert t("greeting") in texts(welcome)
    verb, data = find_button(bot.last_card(), t("button.start"))
    assert (await bot.execute(verb, data)).status_code == 200
    await bot.deliver()
    assert bot.sent()[-1]["text"] == t("ask.description").replace("'", "'")

    await bot.say(DESCRIPTION)
    await bot.say(PROBLEM)
    await bot.deliver()
    stage_card = bot.last_card()
    AdaptiveCard.model_validate(stage_card)  # the SDK's own card model accepts what we render
    assert t("ask.stage") in texts(bot.sent()[-1])

    # Action.Execute: the invoke is answered with the same card, its buttons gone.
    verb, data = find_button(stage_card, t("stage.being-tried"))
    response = await bot.execute(verb, data)
    assert response.status_code == 200
    answer = response.json()
    assert answer["statusCode"] == 200 and answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert t("ask.stage") in str(answer["value"]) and "Action.Execute" not in str(answer["value"])
    await bot.deliver()

    # The force is unknown: a searchable list, answered here with Action.Submit (a message with value).
    force_card = bot.last_card()
    assert any(e.get("type") == "Input.ChoiceSet" and e.get("style") == "filtered"
               for c in force_card["body"] for e in c.get("items", []))
    _, data = find_button(force_card, "North Wales Police")
    await bot.submit(data)
    await bot.deliver()
    assert bot.fake.updates(), "the force card is updated in place (its list and button removed)"
    assert "Input.ChoiceSet" not in str(bot.fake.updates()[-1].body)

    summary = bot.last_card()
    assert t("summary.title") in texts(bot.sent()[-1]) and "North Wales Police" in texts(bot.sent()[-1])
    verb, data = find_button(summary, t("button.submit"))
    assert (await bot.execute(verb, data)).status_code == 200
    await bot.deliver()
    assert bot.sent()[-1]["text"].startswith("Submitted — thank you! Your reference is #")

    with bot.container.sessions() as s:
        idea = s.scalars(select(IdeaRow)).one()
        person = s.get(PersonRow, idea.submitter_id)
    assert (idea.force_slug, idea.stage, idea.status, idea.description, idea.problem) == (
        "north-wales", "being-tried", "submitted", DESCRIPTION, PROBLEM)
    assert person is not None and (person.platform, person.tenant, person.user_id, person.display_name) == (
        "teams", TENANT, "aad-sam", "PC Sam Taylor")
    assert all(c.path.endswith("/activities") for c in bot.fake.posts()), "every reply went to Sam's chat"
    assert {c.path for c in bot.fake.posts()} == {f"/v3/conversations/{SAM_CHAT}/activities"}


async def test_a_teams_retry_of_the_same_activity_is_answered_once(teams: TeamsBot) -> None:
    activity = teams.activity(text="help")
    assert teams.post(activity).status_code == 200
    assert teams.post(activity).status_code == 200  # Teams retries when we were slow
    await teams.deliver()
    assert len(teams.sent()) == 1
    with teams.container.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEventRow)) == 1


async def test_unknown_verbs_and_stale_cards_get_a_polite_reply(teams: TeamsBot) -> None:
    response = await teams.execute("nonsense.verb", {"action": "nonsense.verb", "value": "x"})
    assert response.status_code == 200 and response.json()["statusCode"] == 200
    await teams.deliver()
    assert teams.sent()[-1]["text"] == t("action.unknown")

    await teams.say(DESCRIPTION)
    await teams.say(PROBLEM)
    await teams.deliver()
    verb, data = find_button(teams.last_card(), t("stage.idea"))
    await teams.say("cancel")
    assert (await teams.execute(verb, data)).status_code == 200  # a button from the cancelled draft
    await teams.deliver()
    assert teams.sent()[-1]["text"] == t("action.stale")
    with teams.container.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IdeaRow)) == 0


async def test_channel_messages_get_a_pointer_to_personal_chat(teams: TeamsBot) -> None:
    conversation = {"id": "19:general@thread.tacv2;messageid=1", "conversationType": "channel", "tenantId": TENANT}
    assert teams.post(teams.activity(text="<at>Innovation Network</at> hello", conversation=conversation)
                      ).status_code == 200
    await teams.deliver()
    posts = teams.fake.posts()
    assert len(posts) == 1 and posts[0].body["text"] == t("chat.use_personal")
    with teams.container.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IdeaRow)) == 0


async def test_a_refused_click_never_shows_a_tick(teams: TeamsBot) -> None:
    """Issue 16 #11: the invoke answer for a refused or stale click says so; it never shows ✓ or answers the card."""
    response = await teams.execute("nonsense.verb", {"action": "nonsense.verb", "value": "x", "label": "Approve"})
    body = response.json()
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "\u2713" not in body["value"] and body["value"] == t("action.unknown")

    await teams.say(DESCRIPTION)
    await teams.say(PROBLEM)
    verb, data = find_button(teams.last_card(), t("stage.idea"))
    await teams.say("cancel")
    stale = (await teams.execute(verb, data)).json()
    assert stale["type"] == "application/vnd.microsoft.activity.message"  # the card is left as it was
    assert "\u2713" not in stale["value"] and stale["value"] == t("action.stale")
