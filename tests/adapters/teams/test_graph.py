"""Optional Microsoft Graph features, through msgraph-sdk, against a fake Graph (GRAPH_BASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from adapters.teams.graph import graph_installed, notify_feed
from bot.domain import PersonRef
from bot.i18n import Translator
from storage.models import OutboxRow, PersonRow
from tests.adapters.teams.conftest import TENANT, TeamsBot, _bot, find_button, texts
from tests.support.fake_teams import FakeTeams


def test_the_graph_extra_is_installed_for_the_tests() -> None:
    # `make test` installs '.[dev,graph]'; without it these tests must fail, never be skipped.
    assert graph_installed(), "install the graph extra: pip install -e '.[dev,graph]'"

t = Translator()
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."


@pytest.fixture
def graph_bot(sqlite_url: str, fake: FakeTeams) -> Iterator[TeamsBot]:
    yield from _bot(sqlite_url, fake, graph_enabled=True, graph_base_url=f"{fake.base_url}/v1.0")


async def _to_stage(bot: TeamsBot) -> list[str]:
    await bot.say(DESCRIPTION)
    await bot.say(PROBLEM)
    await bot.deliver()
    verb, data = find_button(bot.last_card(), t("stage.idea"))
    await bot.execute(verb, data)
    await bot.deliver()
    return texts(bot.sent()[-1])


async def test_the_profile_suggests_the_force(graph_bot: TeamsBot) -> None:
    graph_bot.fake.profiles["aad-sam"] = {"companyName": "Kent Police", "department": "Search and rescue",
                                          "officeLocation": "Maidstone"}
    shown = await _to_stage(graph_bot)
    assert t("summary.title") in shown and "Kent Police" in shown, "no force question: the profile named it"
    profile_calls = [c for c in graph_bot.fake.graph_calls() if c.method == "GET"]
    assert len(profile_calls) == 1 and profile_calls[0].path == "/v1.0/users/aad-sam"
    assert profile_calls[0].headers["authorization"].startswith(f"Bearer fake-{TENANT}-")
    assert any(tok["tenant"] == TENANT and tok["scope"] == f"{graph_bot.fake.base_url}/.default"
               for tok in graph_bot.fake.tokens_issued)
    with graph_bot.container.sessions() as s:
        assert s.scalars(select(PersonRow.force_slug).where(PersonRow.user_id == "aad-sam")).one() == "kent"


async def test_without_a_useful_profile_the_bot_asks(graph_bot: TeamsBot) -> None:
    shown = await _to_stage(graph_bot)  # the fake Graph has no such user (404)
    assert t("ask.force") in shown


async def test_activity_feed_notice_goes_through_the_outbox(graph_bot: TeamsBot) -> None:
    broker = PersonRef("teams", TENANT, "aad-bea")
    outbox_id = notify_feed(graph_bot.container, broker, topic="New idea", preview="Drone searches (Kent Police)",
                            url="https://teams.microsoft.com/l/chat/0/0", parameters={"force": "Kent Police",
                                                                                     "title": "Drone searches"},
                            dedupe_key="feed:idea-1")
    assert outbox_id is not None
    assert notify_feed(graph_bot.container, broker, topic="New idea", preview="again", url="https://x",
                       parameters={}, dedupe_key="feed:idea-1") is None
    await graph_bot.deliver()
    [call] = [c for c in graph_bot.fake.graph_calls() if c.method == "POST"]
    assert call.path == "/v1.0/users/aad-bea/teamwork/sendActivityNotification"
    assert call.body["activityType"] == "newIdea"
    assert call.body["previewText"]["content"] == "Drone searches (Kent Police)"
    assert {p["name"]: p["value"] for p in call.body["templateParameters"]} == {"force": "Kent Police",
                                                                               "title": "Drone searches"}
    with graph_bot.container.sessions() as s:
        assert s.get(OutboxRow, outbox_id).status == "sent"  # type: ignore[union-attr]


def test_graph_is_off_unless_enabled(teams: TeamsBot) -> None:
    assert notify_feed(teams.container, PersonRef("teams", TENANT, "aad-bea"), topic="x", preview="x", url="x",
                       parameters={}) is None
