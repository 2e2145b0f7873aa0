"""`innovation-bot admin add-broker` asks the person's platform who they are, so officers are told a name,
never an id: Slack's users.info and Microsoft Graph, each a local fake over real HTTP."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, select

from storage.models import PersonRow
from tests.adapters.test_cli import run
from tests.support.fake_slack import DEFAULT_TOKEN, fake_slack
from tests.support.fake_teams import FakeTeams
from tests.support.server import serve


def person(db: str, user_id: str) -> tuple[str, str]:
    engine = create_engine(db)
    try:
        with engine.connect() as c:
            row = c.execute(select(PersonRow.display_name, PersonRow.email).where(PersonRow.user_id == user_id)).one()
    finally:
        engine.dispose()
    return row[0], row[1]


def test_a_slack_broker_is_named_from_users_info(sqlite_url: str) -> None:
    with fake_slack() as slack:
        slack.add_user("U777", name="Kim Broker", email="kim.broker@kent.police.example", team_id="T123")
        done = run("admin", "add-broker", "kent", "slack:T123:U777", db=sqlite_url,
                   SLACK_BOT_TOKEN=DEFAULT_TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL=slack.api_url)
        assert done.returncode == 0, done.stderr
        assert [c.body.get("user") for c in slack.calls_to("users.info")] == ["U777"]
    assert done.stdout.strip() == "slack:T123:U777 is now broker for kent"
    assert "found on slack: Kim Broker" in done.stderr
    assert person(sqlite_url, "U777") == ("Kim Broker", "kim.broker@kent.police.example")


def test_a_teams_broker_is_named_from_graph(sqlite_url: str) -> None:
    fake = FakeTeams()
    fake.profiles["aad-kay"] = {"displayName": "Kay Broker", "mail": "", "userPrincipalName": "kay@kent.example"}
    with serve(fake.app()) as url:
        fake.base_url = url
        registrations = json.dumps([{"app_id": "app-kent", "tenant_id": "tenant-kent", "client_secret": "x"}])
        done = run("admin", "add-broker", "kent", "teams:tenant-kent:aad-kay", db=sqlite_url,
                   TEAMS_REGISTRATIONS=registrations, TEAMS_TOKEN_URL=fake.token_url, GRAPH_ENABLED="true",
                   GRAPH_BASE_URL=f"{url}/v1.0")
    assert done.returncode == 0, done.stderr
    assert person(sqlite_url, "aad-kay") == ("Kay Broker", "kay@kent.example")
    assert fake.tokens_issued[0]["tenant"] == "tenant-kent" and fake.tokens_issued[0]["client_id"] == "app-kent"


def test_no_platform_to_ask_leaves_the_name_empty_and_says_so(sqlite_url: str) -> None:
    done = run("admin", "add-broker", "kent", "teams:tenant-kent:aad-zed", db=sqlite_url)
    assert done.returncode == 0 and done.stdout.strip() == "teams:tenant-kent:aad-zed is now broker for kent"
    assert "never by this id" in done.stderr
    assert person(sqlite_url, "aad-zed") == ("", "")
