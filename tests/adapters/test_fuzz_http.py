"""Property-based fuzzing of every route over real HTTP: whatever arrives, the answer is never a 5xx
and never shows a traceback, and the app is still healthy afterwards.

The app runs with everything mounted (Slack, Teams, the playground, the dashboard, charts) on SQLite
and on PostgreSQL. Routes are read from the app itself, so a route added later is fuzzed too. Slack
requests are mostly signed and Teams activities mostly carry a valid token, so the bodies get past
the door and reach the parsers, the shape checks and the handlers behind them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from adapters.web import create_app
from tests.conftest import make_container
from tests.support.fake_slack import fake_slack
from tests.support.fake_teams import FakeTeams
from tests.support.server import serve

SECRET = "fuzz-signing-secret-0123456789abcdef"
APP_ID = "1b2c3d4e-0000-4000-8000-00000000f022"
ADMIN = "fuzz-admin-token-0123456789-abcdefghijklmnop"
EXAMPLES = 120  # per database: enough to reach every route with every kind of body, in seconds


@pytest.fixture
def target(database_url: str) -> Iterator[tuple[str, FakeTeams, list[tuple[str, str]]]]:
    teams = FakeTeams()
    with fake_slack() as slack, serve(teams.app()) as teams_url:
        teams.base_url = teams_url
        container = make_container(
            database_url, slack_signing_secret=SECRET, slack_bot_token="xoxb-fuzz", slack_api_url=slack.api_url,
            teams_app_id=APP_ID, teams_app_password="fuzz-password",
            teams_openid_metadata_url=teams.openid_metadata_url,
            teams_token_url=teams.token_url, playground=True, playground_allow_with_platforms=True,
            admin_token=ADMIN)
        app = create_app(container)
        routes = sorted({(method, route.path) for route in app.routes if isinstance(route, Route)
                         for method in (route.methods or ()) if method != "HEAD"})
        try:
            with serve(app) as base_url:
                yield base_url, teams, routes
        finally:
            container.engine.dispose()


# --- what arrives ---------------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.floats(allow_nan=False) \
    | st.text(max_size=40)
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
_deep = st.integers(min_value=30, max_value=5000).map(lambda n: "[" * n + "]" * n)


def _slack_like() -> st.SearchStrategy[dict[str, Any]]:
    keys = ["type", "event", "event_id", "team_id", "api_app_id", "authorizations", "challenge", "user", "team",
            "actions", "view", "channel", "message", "trigger_id", "response_url", "callback_id", "container"]
    kinds = st.sampled_from(["event_callback", "url_verification", "block_actions", "view_submission",
                             "shortcut", "message_action", "view_closed", "app_rate_limited"])
    event = st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(["message", "app_mention", "app_home_opened", "tokens_revoked"]) | _json,
        "channel_type": st.sampled_from(["im", "channel"]) | _json, "user": st.just("U0FUZZ") | _json,
        "text": st.text(max_size=60) | _json, "channel": st.just("D0FUZZ") | _json, "tab": _json,
        "ts": st.just("1.1") | _json})
    return st.fixed_dictionaries({"type": kinds | _json}, optional={
        **{k: _json for k in keys if k != "type"}, "event": event | _json, "event_id": st.just("Ev0FUZZ") | _json,
        "user": st.fixed_dictionaries({"id": st.just("U0FUZZ") | _json}, optional={"team_id": _json}) | _json,
        "actions": st.lists(st.fixed_dictionaries({}, optional={"action_id": _json, "value": _json,
                                                                "block_id": _json}), max_size=2) | _json})


def _activity(teams_url: str) -> st.SearchStrategy[dict[str, Any]]:
    base = {"type": st.sampled_from(["message", "invoke", "conversationUpdate", "installationUpdate",
                                     "messageReaction", "typing"]) | _json,
            "serviceUrl": st.just(teams_url)}
    return st.fixed_dictionaries(base, optional={
        "id": st.text(max_size=10) | _json, "text": st.text(max_size=60) | _json, "value": _json,
        "name": st.sampled_from(["adaptiveCard/action", "task/fetch"]) | _json,
        "from": st.fixed_dictionaries({"id": st.just("29:fuzz")}, optional={"aadObjectId": _json}) | _json,
        "conversation": st.fixed_dictionaries({"id": st.just("a:fuzz")}, optional={
            "conversationType": st.sampled_from(["personal", "channel"]) | _json, "tenantId": _json}) | _json,
        "recipient": st.just({"id": f"28:{APP_ID}"}) | _json, "channelData": _json, "timestamp": _json,
        "action": _json, "membersAdded": _json})


@st.composite
def requests(draw: st.DrawFn, routes: list[tuple[str, str]], teams: FakeTeams) -> dict[str, Any]:
    method, path = draw(st.sampled_from(routes))
    segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20) \
        .filter(lambda s: "/" not in s and s not in (".", ".."))
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + httpx.URL("/" + draw(segment)).raw_path.decode()[1:] + path[end + 1:]
    query = draw(st.dictionaries(st.sampled_from(["after", "name", "limit", "from", "to", "x"]),
                                 st.text(max_size=30) | st.integers(min_value=-2**80, max_value=2**80).map(str),
                                 max_size=3))
    headers: dict[str, str] = {}
    body: bytes
    kind = draw(st.sampled_from(["none", "bytes", "json", "deep", "slack", "form", "interaction", "activity"]))
    if kind == "none":
        body = b""
    elif kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "deep":
        body = draw(_deep).encode()
    elif kind in ("json", "slack", "activity"):
        value = draw(_json if kind == "json" else _slack_like() if kind == "slack" else _activity(teams.base_url))
        body = json.dumps(value).encode()
        headers["content-type"] = "application/json"
    else:
        form = draw(st.dictionaries(st.sampled_from(["command", "text", "user_id", "team_id", "channel_id",
                                                     "trigger_id", "response_url", "token", "ssl_check"]),
                                    st.text(max_size=30), max_size=5))
        if kind == "interaction":
            form["payload"] = json.dumps(draw(_slack_like()))
        body = urlencode(form).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    if draw(st.booleans()):  # most Slack requests signed, most activities with a valid token
        stamp = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
        headers.update({"x-slack-request-timestamp": stamp, "x-slack-signature": f"v0={digest}",
                        "authorization": f"Bearer {teams.token_for(APP_ID, service_url=teams.base_url)}"})
    if draw(st.booleans()):
        headers["authorization"] = draw(st.sampled_from([f"Bearer {ADMIN}", "Bearer wrong", "Basic x"]))
    if draw(st.booleans()):
        headers["cookie"] = "innovation_dashboard=" + draw(st.text(alphabet="0123456789abcdef.", max_size=80))
    return {"method": method, "url": path, "params": query, "content": body, "headers": headers}


def test_no_request_gets_a_server_error(target: tuple[str, FakeTeams, list[tuple[str, str]]]) -> None:
    base_url, teams, routes = target
    assert ("POST", "/slack/events") in routes and ("POST", "/api/messages") in routes
    http = httpx.Client(base_url=base_url, timeout=30)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(request=requests(routes, teams))
    def no_server_error(request: dict[str, Any]) -> None:
        response = http.request(**request)
        assert response.status_code < 500, (request["method"], request["url"], response.status_code,
                                            response.text[:300])
        assert "Traceback" not in response.text

    try:
        no_server_error()
        health = http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        http.close()


def _signed(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": stamp, "x-slack-signature": f"v0={digest}"}


def test_the_hostile_requests_found_before_get_a_4xx(target: tuple[str, FakeTeams, list[tuple[str, str]]]) -> None:
    base_url, teams, _ = target
    deep = b'{"type": "event_callback", "event": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    message = {"type": "message", "id": "a1", "channelId": "msteams", "serviceUrl": teams.base_url, "text": "hi",
               "from": {"id": "29:x"}, "recipient": {"id": f"28:{APP_ID}"},
               "conversation": {"id": "a:x", "conversationType": "personal", "tenantId": "t"}}
    bearer = {"authorization": f"Bearer {teams.token_for(APP_ID, service_url=teams.base_url)}",
              "content-type": "application/json"}
    with httpx.Client(base_url=base_url, timeout=30) as http:
        # Slack: the signature is checked before anything is parsed; signed or not, depth and shape are.
        assert http.post("/slack/events", content=deep, headers={"content-type": "application/json"}).status_code == 401
        assert http.post("/slack/events", content=deep, headers=_signed(deep)).status_code == 400
        for shape in ({"event": "x"}, {"type": "event_callback", "event": "x"},
                      {"type": "event_callback", "event": {"type": ["message"]}}, {"type": 5},
                      {"type": "event_callback", "event": {}, "authorizations": False}):
            body = json.dumps(shape).encode()
            assert http.post("/slack/events", content=body, headers=_signed(body)).status_code == 400, shape
        # Teams: not an activity, with a valid token: 400 and a short reason.
        no_from = {k: v for k, v in message.items() if k != "from"}
        for activity in ({}, no_from):
            response = http.post("/api/messages", content=json.dumps(activity), headers=bearer)
            assert response.status_code == 400 and len(response.json()["error"]) <= 200
        assert "from" in http.post("/api/messages", content=json.dumps(no_from), headers=bearer).json()["error"]
        nested = '{"type": "message", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
        assert http.post("/api/messages", content=nested, headers=bearer).status_code == 400
        # The playground: a row id past any integer column, and text with NUL characters.
        too_big = http.get("/playground/api/inbox", params={"name": "Sam", "after": "99999999999999999999999"})
        assert too_big.status_code == 400
        assert http.get("/playground/api/channel", params={"after": "99999999999999999999999"}).status_code == 400
        said = http.post("/playground/api/events", json={"persona": {"name": "Sam\x00"}, "kind": "message",
                                                           "text": "help\x00"})
        assert said.status_code == 200 and said.json()["replies"]
        assert http.get("/playground/api/inbox", params={"name": "Sam\x00"}).status_code == 200
        assert http.get("/healthz").status_code == 200
