"""The web app over real HTTP: health check and the playground API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from adapters.bootstrap import Container, health_check
from adapters.web import create_app
from storage.db import make_engine
from storage.models import IdeaRow, PersonRow
from tests.conftest import make_container
from tests.support.server import serve

OFFICER = {"name": "PC Sam Taylor", "role": "officer", "force": "kent"}


@pytest.fixture
def base_url(container: Container) -> Iterator[str]:
    with serve(create_app(container)) as url:
        yield url


def _event(client: httpx.Client, base_url: str, **body: object) -> httpx.Response:
    body.setdefault("persona", OFFICER)
    return client.post(f"{base_url}/playground/api/events", json=body)


def test_healthz_reports_ok(base_url: str) -> None:
    response = httpx.get(f"{base_url}/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_reports_a_dead_database_with_503(sqlite_container: Container) -> None:
    dead = make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    sqlite_container.health = health_check(dead)
    with serve(create_app(sqlite_container)) as url:
        response = httpx.get(f"{url}/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["reason"].startswith("database unavailable")
    assert "secret" not in response.text


def test_playground_page_and_setup(base_url: str) -> None:
    page = httpx.get(f"{base_url}/")
    assert page.status_code == 200 and "<html lang=\"en-GB\">" in page.text
    assert httpx.get(f"{base_url}/static/playground.js").headers["content-type"].startswith("text/javascript")
    assert httpx.get(f"{base_url}/static/../settings.py").status_code == 404
    setup = httpx.get(f"{base_url}/playground/api/setup").json()
    assert len(setup["forces"]) == 52 and setup["roles"] == ["officer", "broker", "reviewer", "admin"]


def test_share_an_idea_through_the_playground_api(base_url: str, container: Container) -> None:
    with httpx.Client() as client:
        replies = _event(client, base_url, kind="message", text="I've got an idea").json()["replies"]
        assert replies[-1] == {"type": "text", "text": "What's your idea? Tell me in a sentence or two what "
                                                       "you've done or want to try."}
        _event(client, base_url, kind="message", text="<b>Bold</b> idea: a shared van booking calendar for CSIs.")
        replies = _event(client, base_url, kind="message", text="Officers wait hours for a van.").json()["replies"]
        stage = next(r for r in replies if r["type"] == "choices")
        replies = _event(client, base_url, kind="action", action_id=stage["action_id"],
                         value=stage["options"][0]["value"]).json()["replies"]
        summary = next(r for r in replies if r["type"] == "card" and r["kind"] == "summary")
        submit = next(b for b in summary["buttons"] if b["label"] == "Submit")
        body = _event(client, base_url, kind="action", action_id=submit["action_id"], value=submit["value"]).json()
    assert body["submitted_idea_id"]
    with container.sessions() as s:
        idea = s.get(IdeaRow, body["submitted_idea_id"])
        person = s.scalars(select(PersonRow).where(PersonRow.user_id == "pc-sam-taylor")).one()
    assert idea is not None and idea.force_slug == "kent" and idea.submitter_id == person.id
    assert idea.description.startswith("<b>Bold</b>")  # stored as typed; the page escapes on display


def test_duplicate_event_id_is_answered_once(base_url: str) -> None:
    with httpx.Client() as client:
        first = _event(client, base_url, kind="message", text="hello", event_id="dup-1").json()
        second = _event(client, base_url, kind="message", text="hello", event_id="dup-1").json()
    assert first["replies"] and not first["duplicate"]
    assert second == {"replies": [], "duplicate": True, "submitted_idea_id": None, "refused": False, "lang": "en"}


@pytest.mark.parametrize("body", [
    {"kind": "message"},  # no persona
    {"persona": {"name": "", "role": "officer"}, "kind": "message", "text": "hi"},
    {"persona": OFFICER, "kind": "shout", "text": "hi"},
    {"persona": {**OFFICER, "role": "superintendent"}, "kind": "message", "text": "hi"},
    {"persona": {**OFFICER, "force": "atlantis"}, "kind": "message", "text": "hi"},
    {"persona": OFFICER, "kind": "message", "text": "x" * 100_001},
])
def test_malformed_playground_events_are_refused(base_url: str, container: Container,
                                                 body: dict[str, object]) -> None:
    response = httpx.post(f"{base_url}/playground/api/events", json=body)
    assert response.status_code == 400
    with container.sessions() as s:
        assert s.scalars(select(PersonRow)).all() == []


def test_non_json_body_is_a_client_error(base_url: str) -> None:
    response = httpx.post(f"{base_url}/playground/api/events", content=b"{not json",
                          headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_playground_is_off_when_platform_credentials_are_set(sqlite_url: str) -> None:
    c = make_container(sqlite_url, playground=None, slack_signing_secret="s", slack_bot_token="xoxb-1")
    with serve(create_app(c)) as url:
        assert httpx.get(f"{url}/").status_code == 404
        assert httpx.get(f"{url}/healthz").status_code == 200
    c.engine.dispose()
