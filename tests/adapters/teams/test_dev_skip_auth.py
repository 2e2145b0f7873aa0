"""``TEAMS_DEV_SKIP_AUTH`` without ``TEAMS_APP_PASSWORD``: the whole Teams side works with no token
endpoint at all, as it must with Microsoft 365 Agents Playground (docs/teams.md). Its connector takes
replies without a token; the fake connector is opened the same way here."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.adapters.teams.conftest import SAM_CHAT, TeamsBot, _bot, texts
from tests.support.fake_teams import FakeTeams


@pytest.fixture
def playground_mode(sqlite_url: str, fake: FakeTeams, caplog: pytest.LogCaptureFixture) -> Iterator[TeamsBot]:
    fake.open_connector = True
    with caplog.at_level(logging.WARNING, logger="adapters.teams"):
        # No password; the token URL still points at the fake, so a token request would be recorded.
        yield from _bot(sqlite_url, fake, teams_dev_skip_auth=True, teams_app_password=None)


async def test_replies_go_without_a_token_and_no_token_is_fetched(playground_mode: TeamsBot,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    bot, fake = playground_mode, playground_mode.fake
    assert bot.post(bot.activity("conversationUpdate", membersAdded=[{"id": bot.activity()["recipient"]["id"]}]),
                    token=None).status_code == 200
    response = bot.post(bot.activity(text="I've got an idea"), token=None)
    assert response.status_code == 200
    await bot.deliver()

    posts = fake.posts(SAM_CHAT)
    assert len(posts) >= 2, "the welcome and the answer to the idea were delivered"
    assert all("authorization" not in call.headers for call in posts)
    assert any("idea" in text.lower() for call in posts[1:] for text in texts(call.body))
    assert fake.tokens_issued == []
    assert any("sent without a token" in r.getMessage() for r in caplog.get_records("setup"))


@pytest.fixture
def tunnel_mode(sqlite_url: str, fake: FakeTeams) -> Iterator[TeamsBot]:
    yield from _bot(sqlite_url, fake, teams_dev_skip_auth=True)  # with the password of the other tests


async def test_with_a_password_the_bot_still_fetches_and_sends_its_token(tunnel_mode: TeamsBot) -> None:
    """Skipping inbound checks alone does not drop the outbound token (a real connector needs it)."""
    assert tunnel_mode.post(tunnel_mode.activity(text="help"), token=None).status_code == 200
    await tunnel_mode.deliver()
    posts = tunnel_mode.fake.posts(SAM_CHAT)
    assert posts and all(call.headers["authorization"].startswith("Bearer fake-") for call in posts)
    assert len(tunnel_mode.fake.tokens_issued) == 1
