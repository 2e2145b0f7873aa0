"""The dashboard in headless Chromium: sign in with the admin token, see the figures and the chart,
download a CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.bootstrap import Container
from adapters.web import create_app
from tests.conftest import make_container
from tests.storage.test_metrics import build_network
from tests.support.server import serve

pytestmark = pytest.mark.browser

TOKEN = "browser-test-token-123456-abcdefghij"


@pytest.fixture
def dashboard(sqlite_url: str) -> Iterator[tuple[str, Container]]:
    c = make_container(sqlite_url, admin_token=TOKEN)
    with c.sessions.begin() as session:
        build_network(session)
    with serve(create_app(c)) as url:
        yield url, c
    c.engine.dispose()


@pytest.fixture
def page(browser: Browser, dashboard: tuple[str, Container]) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_sign_in_see_the_chart_and_download_a_csv(page: Page, dashboard: tuple[str, Container],
                                                  tmp_path: Path) -> None:
    url, _ = dashboard
    response = page.goto(f"{url}/dashboard")
    assert response is not None and response.status == 401
    page.get_by_role("link", name="Sign in").click()

    page.get_by_label("Admin token").fill("not the token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")

    page.get_by_label("Admin token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovation network dashboard")

    summary = page.get_by_role("table", name="Headline figures")
    expect(summary.get_by_role("row", name="Ideas submitted")).to_contain_text("5")

    chart = page.get_by_role("img", name="Ideas submitted each week")
    expect(chart).to_be_visible()
    assert chart.evaluate("e => e.tagName") == "svg"
    expect(chart.locator("desc")).to_contain_text("Bar chart of ideas submitted each week")
    expect(chart.locator("rect")).to_have_count(4)  # W43 to W46, the empty W44 drawn as a zero bar

    expect(page.get_by_role("table", name="Ideas by force")).to_contain_text("Durham Constabulary")

    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    with page.expect_download() as info:
        page.get_by_role("link", name="All ideas (CSV)").click()
    download = info.value
    assert download.suggested_filename.startswith("innovation-ideas-") and download.suggested_filename.endswith(".csv")
    target = tmp_path / "ideas.csv"
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["title"] for r in rows} >= {"Knife arch at events"}

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the dashboard")
    assert page.goto(f"{url}/dashboard").status == 401  # type: ignore[union-attr]
