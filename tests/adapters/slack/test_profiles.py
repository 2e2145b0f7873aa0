"""Who a Slack user is, asked of Slack as rarely as it can be, and the language of the words around a turn.

``users.info`` answers are kept with the person (``people.profile_checked_at``), so a restarted process
(or another worker) asks Slack again only once the stored profile is older than the directory's TTL.
The language the person chose with us comes back from the turn itself (``Handled.locale``): Slack's own
surfaces around the turn (a pointer, an edit box, App Home) are in it without a second read of the person.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from adapters.slack import api_base
from adapters.slack.directory import FAILED_TTL, PROFILE_TTL, Directory
from adapters.slack.payloads import SlackUser
from adapters.slack.sender import web_client
from bot.domain import PersonRef
from bot.i18n import Translator
from bot.ports import KnownProfile
from storage.models import PersonRow
from tests.adapters.slack.helpers import TOKEN, SlackEnv, all_text, dm_channel, texts, wait_for
from tests.support.fake_slack import DEFAULT_TEAM, FakeSlack

SAM = "U0SAM"
cy = Translator("cy")


def _person(env: SlackEnv) -> PersonRow:
    with env.container.sessions() as s:
        row = s.scalars(select(PersonRow).where(PersonRow.user_id == SAM)).one()
        s.expunge(row)
    return row


def test_a_restarted_app_asks_slack_again_only_for_a_stale_profile(database_url: str, slack_on: Any,
                                                                   fake: FakeSlack) -> None:
    fake.add_user(SAM, name="Sam Taylor", email="sam.taylor@kent.police.uk")
    with slack_on(database_url) as env:
        env.say(SAM, "hello")
        stored = _person(env)
    assert len(fake.calls_to("users.info")) == 1
    assert (stored.display_name, stored.email, stored.platform_locale) == (
        "Sam Taylor", "sam.taylor@kent.police.uk", "en-GB")
    assert stored.profile_checked_at is not None
    assert abs(stored.profile_checked_at - datetime.now(UTC)) < timedelta(minutes=1)

    # A new process (its in-memory cache empty): the stored profile is fresh, so Slack is not asked.
    with slack_on(database_url) as env:
        env.say(SAM, "help")
        assert len(fake.calls_to("users.info")) == 1
        assert _person(env).display_name == "Sam Taylor"
        # The profile ages past the TTL meanwhile, and Slack has news: the next process asks again.
        with env.container.sessions() as s:
            s.execute(update(PersonRow).where(PersonRow.user_id == SAM).values(
                profile_checked_at=datetime.now(UTC) - timedelta(seconds=PROFILE_TTL + 60)))
            s.commit()
    fake.add_user(SAM, name="Sam Jones", email="sam.jones@kent.police.uk")
    with slack_on(database_url) as env:
        env.say(SAM, "help")
        env.say(SAM, "help")  # and then it is cached in memory again
        renewed = _person(env)
    assert len(fake.calls_to("users.info")) == 2
    assert (renewed.display_name, renewed.email) == ("Sam Jones", "sam.jones@kent.police.uk")
    assert renewed.profile_checked_at is not None and stored.profile_checked_at < renewed.profile_checked_at


async def test_the_directory_uses_a_fresh_stored_profile_and_falls_back_to_a_stale_one(fake: FakeSlack) -> None:
    fake.add_user(SAM, name="Sam Taylor", email="sam@kent.police.uk")
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    rows: dict[PersonRef, KnownProfile] = {}
    asked: list[PersonRef] = []

    def stored(ref: PersonRef) -> KnownProfile | None:
        asked.append(ref)
        return rows.get(ref)

    def directory() -> Directory:  # a new process: nothing in memory
        return Directory(stored=stored, now=lambda: now)

    client = web_client(TOKEN, api_base(fake.api_url))
    user = SlackUser(DEFAULT_TEAM, SAM)
    first = await directory().profile(client, user)  # never seen: Slack is asked
    assert (first.display_name, first.locale, first.checked_at) == ("Sam Taylor", "en-GB", now)
    assert len(fake.calls_to("users.info")) == 1 and asked == [user.ref]

    rows[user.ref] = KnownProfile("Sam Stored", "stored@kent.police.uk", "en-GB", now - timedelta(minutes=9))
    fresh = directory()
    for _ in range(3):  # read from the database once, then from memory
        got = await fresh.profile(client, user)
        assert (got.display_name, got.email, got.checked_at) == ("Sam Stored", "stored@kent.police.uk",
                                                                   now - timedelta(minutes=9))
    assert len(fake.calls_to("users.info")) == 1 and len(asked) == 2

    rows[user.ref] = KnownProfile("Sam Stored", "stored@kent.police.uk", "en-GB", now - timedelta(minutes=11))
    stale = await directory().profile(client, user)
    assert (stale.display_name, stale.checked_at) == ("Sam Taylor", now)  # stale: Slack asked, its answer used
    assert len(fake.calls_to("users.info")) == 2

    fake.fail_next("users.info", status=200, error="user_not_found")
    failing = directory()
    fallback = await failing.profile(client, user)
    # Slack did not answer: the old profile is better than no name, and it stays marked as old
    assert (fallback.display_name, fallback.checked_at) == ("Sam Stored", now - timedelta(minutes=11))
    assert len(fake.calls_to("users.info")) == 3 and FAILED_TTL < PROFILE_TTL


def test_the_words_around_a_turn_follow_the_language_chosen_with_us(slack: SlackEnv) -> None:
    """Slack has no Welsh: Sam's Slack says en-GB, and he chose Cymraeg with the bot."""
    assert cy("language.set") in texts(slack.say(SAM, "Cymraeg"))

    # A slash command from a channel: the pointer after the turn is in Welsh (the turn said so) ...
    slack.command(SAM, "/innovation", "status", channel="C0GENERAL")
    pointers = wait_for(lambda: [c for c in slack.fake.all_calls() if c.method.startswith("response_url:")],
                        what="the pointer")
    assert pointers[0].body["text"] == cy("pointer.direct_chat")
    # ... and so is the help for an unknown word, said without a turn.
    slack.command(SAM, "/innovation", "frobnicate", channel="C0GENERAL")
    helps = wait_for(lambda: [c for c in slack.fake.all_calls() if c.method.startswith("response_url:")][1:],
                     what="the help")
    assert helps[0].body["text"].startswith(cy("command.unknown", command="/innovation frobnicate"))

    # The edit box a click opens, after the click's turn.
    slack.say(SAM, "Rydym yn defnyddio dronau gyda chamerâu thermol i chwilio am bobl ar goll yn y nos.")
    slack.say(SAM, "Roedd chwilio ar droed yn cymryd oriau ac yn clymu shifftiau cyfan.")
    slack.press(SAM, cy("stage.idea"))
    slack.press(SAM, "Kent Police")
    slack.press(SAM, cy("button.edit"))
    before = len(slack.fake.calls_to("views.open"))
    slack.press(SAM, cy("field.title"))
    opened = wait_for(lambda: slack.fake.calls_to("views.open")[before:], what="the edit box")[0]
    view = opened.body["view"] if isinstance(opened.body["view"], dict) else json.loads(opened.body["view"])
    assert (view["title"]["text"], view["close"]["text"]) == (cy("modal.edit.title"), cy("modal.close"))

    # App Home, in the unit of work that reads the person anyway.
    slack.home_opened(SAM)
    home = wait_for(lambda: slack.fake.calls_to("views.publish", ok_only=True), what="App Home")[0]
    assert cy("home.my_ideas") in all_text(home.body["view"])
    assert len(slack.fake.calls_to("users.info")) == 1
    assert slack.posts_to(dm_channel(SAM))  # the conversation itself happened in the DM
