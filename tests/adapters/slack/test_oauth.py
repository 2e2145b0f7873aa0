"""Multi-workspace install: OAuth round trip against the fake ``oauth.v2.access``, tokens in the database."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, inspect, text

from adapters.slack.oauth import BOT_SCOPES
from storage.db import make_engine
from tests.adapters.slack.helpers import SECRET, dm_channel, wait_for
from tests.support.fake_slack import FakeSlack, Workspace

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "c1ient-secret-0123456789abcdef"
INSTALLED = "xoxb-installed-t0oauth"


def _rows(env: Any, table: str) -> list[Any]:
    with env.container.engine.connect() as conn:
        return list(conn.execute(text(f"SELECT team_id, bot_token FROM {table}")))


def test_install_round_trip_then_events_use_the_installed_token(database_url: str, slack_on: Any, fake: FakeSlack,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.oauth_codes["c0de-1"] = Workspace("T0OAUTH", "Oauth Constabulary")
    with slack_on(database_url, slack_bot_token=None, slack_client_id=CLIENT_ID,
                  slack_client_secret=CLIENT_SECRET, log_level="DEBUG") as env:
        page = env.http.get(f"{env.base_url}/slack/install")
        assert page.status_code == 200
        link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
        assert link is not None
        query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID] and query["scope"] == [",".join(BOT_SCOPES)]
        state = query["state"][0]
        assert f"slack-app-oauth-state={state}" in page.headers["set-cookie"]
        cookie = {"Cookie": f"slack-app-oauth-state={state}"}

        # the browser comes back from Slack with a code; a stranger's browser (no cookie) is refused
        stranger = env.http.get(f"{env.base_url}/slack/oauth_redirect", params={"code": "c0de-1", "state": state})
        assert stranger.status_code == 400
        done = env.http.get(f"{env.base_url}/slack/oauth_redirect", params={"code": "c0de-1", "state": state},
                            headers=cookie)
        assert done.status_code == 200
        exchange = env.fake.calls_to("oauth.v2.access")
        assert len(exchange) == 1 and exchange[0].basic_auth == f"{CLIENT_ID}:{CLIENT_SECRET}"
        assert _rows(env, "slack_installations") == [("T0OAUTH", INSTALLED)]
        assert _rows(env, "slack_bots") == [("T0OAUTH", INSTALLED)]
        # the state is single use
        replay = env.http.get(f"{env.base_url}/slack/oauth_redirect", params={"code": "c0de-1", "state": state},
                              headers=cookie)
        assert replay.status_code >= 400 and len(env.fake.calls_to("oauth.v2.access")) == 1

        # events from the new workspace are answered with its own token, through the outbox
        env.team = "T0OAUTH"
        answer = env.say("U0ANN", "I've got an idea")
        assert answer and all(c.token == INSTALLED for c in answer)
        assert answer[0].body["channel"] == dm_channel("U0ANN")

        # uninstalling removes the tokens
        assert env.post_json(env.event_callback({"type": "app_uninstalled"})).status_code == 200
        # slack_sdk deletes bots and installations one after the other: wait for both.
        wait_for(lambda: not _rows(env, "slack_bots") and not _rows(env, "slack_installations"),
                 what="the tokens to be deleted")
        assert _rows(env, "slack_installations") == [] and _rows(env, "slack_bots") == []
    for secret in (SECRET, CLIENT_SECRET, INSTALLED):
        assert secret not in caplog.text


def test_oauth_mode_needs_both_client_settings(sqlite_url: str, fake: FakeSlack) -> None:
    from adapters.settings import ConfigurationError
    from adapters.web import create_app
    from tests.conftest import make_container

    container = make_container(sqlite_url, slack_signing_secret=SECRET, slack_client_id=CLIENT_ID)
    with pytest.raises(ConfigurationError, match="SLACK_CLIENT_SECRET"):
        create_app(container)
    container = make_container(sqlite_url, slack_bot_token="xoxb-1")
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        create_app(container)
    container.engine.dispose()


def test_migrated_tables_match_slack_sdks_own(sqlite_url: str) -> None:
    metadata = MetaData()
    expected = [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]
    engine = make_engine(sqlite_url)
    inspector = inspect(engine)
    for table in expected:
        assert isinstance(table, Table)
        columns = {c["name"]: (str(c["type"]), c["nullable"]) for c in inspector.get_columns(table.name)}
        assert columns == {c.name: (str(c.type), bool(c.nullable) and not c.primary_key) for c in table.columns}
        indexes = {i["name"]: list(i["column_names"]) for i in inspector.get_indexes(table.name)}
        assert indexes == {i.name: [c.name for c in i.columns] for i in table.indexes}
    engine.dispose()
