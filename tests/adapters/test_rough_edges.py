"""Issue 16's rough edges in the adapters (playground, console, dashboard, exports, favicon): each
test failed before its fix."""

from __future__ import annotations

import csv
import io
import struct
from collections.abc import Iterator

import httpx
import pytest

from adapters.bootstrap import Container
from adapters.local.console import number_options, run_console
from adapters.local.identity import Persona
from adapters.web import create_app
from bot.i18n import Translator
from bot.replies import Button, Card, Choices, Option, Text
from tests.adapters.test_dashboard import TOKEN, _with_data
from tests.conftest import make_container
from tests.support.server import serve

t = Translator()


@pytest.fixture
def site(container: Container) -> Iterator[str]:
    with serve(create_app(container)) as url:
        yield url


# 17 -----------------------------------------------------------------------------------------------
def test_favicon_is_a_real_small_icon(site: str) -> None:
    response = httpx.get(f"{site}/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    reserved, kind, count = struct.unpack("<HHH", response.content[:6])
    assert (reserved, kind) == (0, 1) and count >= 1  # an ICO header with at least one image
    assert len(response.content) < 10_000 and "max-age" in response.headers.get("cache-control", "")
    assert '<link rel="icon"' in httpx.get(f"{site}/").text


# 14 -----------------------------------------------------------------------------------------------
def test_choosing_the_broker_role_makes_the_persona_the_forces_broker_at_once(site: str) -> None:
    with httpx.Client() as client:
        chosen = client.post(f"{site}/playground/api/persona",
                             json={"name": "Bea Broker", "role": "broker", "force": "kent"})
        assert chosen.status_code == 200 and chosen.json()["roles"] == ["broker"]
        officer = {"name": "PC Sam Taylor", "role": "officer", "force": "kent"}
        one_shot = ("We have been trialling a shared calendar for the forensic van. It saves officers hours of "
                    "waiting because they book it themselves instead of ringing the control room.")
        client.post(f"{site}/playground/api/events", json={"persona": officer, "kind": "message", "text": one_shot})
        replies = client.post(f"{site}/playground/api/events",
                              json={"persona": officer, "kind": "message", "text": "submit"}).json()["replies"]
    assert any("Bea Broker, the innovation broker for Kent Police" in r.get("text", "") for r in replies), replies


# 16 -----------------------------------------------------------------------------------------------
def test_dashboard_wording_and_where_to_configure_a_token(sqlite_url: str) -> None:
    closed = make_container(sqlite_url)
    with serve(create_app(closed)) as url:
        page = httpx.get(f"{url}/dashboard")
    closed.engine.dispose()
    assert page.status_code == 503 and "ADMIN_TOKEN" in page.text and "docs/evidence.md" in page.text
    c = make_container(sqlite_url, admin_token=TOKEN)
    with serve(create_app(c)) as url:
        signed_in = httpx.get(f"{url}/dashboard", headers={"Authorization": f"Bearer {TOKEN}"})
    c.engine.dispose()
    assert "Signed in as admin token" not in signed_in.text
    assert "Signed in with the admin token" in signed_in.text


# 15 -----------------------------------------------------------------------------------------------
def test_exports_show_stage_and_status_labels_with_codes_beside_them(sqlite_url: str) -> None:
    c = make_container(sqlite_url, admin_token=TOKEN)
    _with_data(c)
    with serve(create_app(c)) as url:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        ideas = list(csv.DictReader(io.StringIO(httpx.get(f"{url}/dashboard/ideas.csv", headers=auth).text)))
        decisions = list(csv.DictReader(io.StringIO(httpx.get(f"{url}/dashboard/decisions.csv", headers=auth).text)))
    c.engine.dispose()
    assert ideas and {r["stage_code"] for r in ideas} >= {"idea", "being-tried"}
    for row in ideas:
        assert row["stage"] == t(f"stage.{row['stage_code']}") and "-" not in row["stage"]
        assert row["status"] == t(f"status.{row['status_code']}")
    decided = next(r for r in decisions if r["to_status_code"] == "approved-network")
    assert decided["to_status"] == t("status.approved-network")


# 9 ------------------------------------------------------------------------------------------------
def test_console_numbers_the_current_question_from_one_whatever_came_before() -> None:
    search = [Text("What I found"), Card("Drones", buttons=(Button("connect.ask", "7", "Connect me"),)),
              Card("Vans", buttons=(Button("connect.ask", "8", "Connect me"),)),
              Choices(t("ask.stage"), "capture.stage", tuple(Option(f"d|{n}", n) for n in "abcd"))]
    numbered = number_options(search)
    assert [key for key, *_ in numbered if _[0] == "capture.stage"] == ["1", "2", "3", "4"]
    assert [key for key, *_ in numbered if _[0] == "connect.ask"] == ["a", "b"]


def test_console_bare_number_with_nothing_showing_starts_nothing(container: Container) -> None:
    out = io.StringIO()
    run_console(container, Persona("PC Console", "dorset"), io.StringIO("3\nexit\n"), out)
    assert t("console.no_option", number="3") in out.getvalue()
    assert t("greeting") not in out.getvalue()
    with container.uow_factory() as uow:
        record = uow.conversations.get(Persona("PC Console", "dorset").ref)
    assert record is None or record.state == "idle"
