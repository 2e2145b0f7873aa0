"""Inbound tokens are always checked by the Teams SDK: every bad token is a 401 and changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from adapters.web import create_app
from storage.models import ConversationRow, OutboxRow, PersonRow, ProcessedEventRow
from storage.teams_models import TeamsReferenceRow
from tests.adapters.teams.conftest import APP_ID, TeamsBot, _bot
from tests.conftest import make_container
from tests.support.fake_teams import KID, FakeTeams, new_key
from tests.support.server import serve


def _nothing_changed(bot: TeamsBot) -> None:
    with bot.container.sessions() as s:
        for model in (ProcessedEventRow, ConversationRow, PersonRow, OutboxRow, TeamsReferenceRow):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__tablename__


OTHER_KEY = new_key()


def test_bad_tokens_are_refused_with_401(teams: TeamsBot) -> None:
    fake = teams.fake
    activity = teams.activity(text="I've got an idea")
    tokens = {
        "missing": None,
        "expired": fake.token_for(APP_ID, expires_in=-3600),  # well past the SDK's five-minute leeway
        "wrong audience": fake.token_for(APP_ID, audience="00000000-1111-2222-3333-444444444444"),
        "wrong issuer": fake.token_for(APP_ID, issuer="https://api.botframework.invalid"),
        "signed by another key": fake.token_for(APP_ID, key=OTHER_KEY, kid=KID),
        "unknown key id": fake.token_for(APP_ID, kid="someone-elses-key"),
        "not a JWT": "not.a.jwt",
        # A genuine token for another serviceUrl: replies would go where the token never allowed.
        "serviceUrl mismatch": fake.token_for(APP_ID, service_url="https://smba.trafficmanager.net/emea/"),
    }
    for case, token in tokens.items():
        assert teams.post(activity, token=token).status_code == 401, case
    basic = {"Authorization": f"Basic {fake.token_for(APP_ID)}"}
    assert teams.http.post(f"{teams.url}/api/messages", json=activity, headers=basic).status_code == 401
    _nothing_changed(teams)
    # The same activity with a good token goes through: the refusals above were about the tokens only.
    assert teams.post(activity).status_code == 200


def test_malformed_json_is_a_400(teams: TeamsBot) -> None:
    for body in ("{not json", "[1, 2]", '"text"', ""):
        assert teams.post(body).status_code == 400, body
    _nothing_changed(teams)


@pytest.fixture
def unchecked(sqlite_url: str, fake: FakeTeams, caplog: pytest.LogCaptureFixture) -> Iterator[TeamsBot]:
    with caplog.at_level(logging.WARNING, logger="adapters.teams.endpoint"):
        yield from _bot(sqlite_url, fake, teams_dev_skip_auth=True)


def test_dev_skip_auth_accepts_unsigned_activities_and_warns(unchecked: TeamsBot,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    assert any("TEAMS_DEV_SKIP_AUTH is on" in r.getMessage() for r in caplog.get_records("setup"))
    assert unchecked.post(unchecked.activity(text="help"), token=None).status_code == 200


def test_checking_is_on_by_default(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    container = make_container(sqlite_url, teams_app_id=APP_ID, teams_app_password="x")
    assert container.settings.teams_dev_skip_auth is False
    with caplog.at_level(logging.WARNING, logger="adapters.teams.endpoint"):
        create_app(container)
    assert not any("TEAMS_DEV_SKIP_AUTH" in r.getMessage() for r in caplog.records)
    container.engine.dispose()


async def test_dev_mode_without_an_app_id_needs_no_token_endpoint(sqlite_url: str, fake: FakeTeams) -> None:
    """Microsoft 365 Agents Playground on a developer's machine: no registration, no token anywhere."""
    fake.open_connector = True
    container = make_container(sqlite_url, teams_dev_skip_auth=True, playground=False,
                               teams_token_url=f"{fake.base_url}/never/oauth2/v2.0/token")
    with serve(create_app(container)) as url:
        bot = TeamsBot(container, url, fake)
        response = bot.post(bot.activity(text="help"), token=None)
        assert response.status_code == 200
        await bot.deliver()
        bot.http.close()
    container.engine.dispose()
    replies = fake.posts()
    assert replies and all("authorization" not in c.headers for c in replies)
    assert fake.tokens_issued == []
