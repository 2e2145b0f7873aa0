"""Microsoft's own Teams client against the bot: Microsoft 365 Agents Playground (npm
``@microsoft/m365agentsplayground``, installed by ``make agents-playground`` from tools/agents-playground)
talks to ``/api/messages`` in ``TEAMS_DEV_SKIP_AUTH`` mode, with no token endpoint anywhere, and an
officer shares an idea in its web page, in headless Chromium, start to finish (docs/teams.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.web import create_app
from bot.i18n import Translator
from storage.models import IdeaRow, PersonRow
from storage.repositories import SqlPeople
from storage.seed import seed_demo_catalogue
from tests.conftest import make_container
from tests.support.server import free_port, serve

pytestmark = pytest.mark.browser

TOOL = Path(__file__).parents[2] / "tools" / "agents-playground"
PLAYGROUND = TOOL / "node_modules" / ".bin" / "agentsplayground"
CONFIG = TOOL / ".m365agentsplayground.yml"  # the one docs/teams.md tells people to use
TENANT = "7a1b2c3d-0000-4000-8000-000000000001"  # tenantId in that file
APP_ID = "1b2c3d4e-0000-4000-8000-123456789abc"
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."
t = Translator()


@pytest.fixture
def bot(sqlite_url: str) -> Iterator[tuple[Container, str]]:
    """The web app in development mode: unsigned activities accepted, replies sent with no token."""
    container = make_container(sqlite_url, teams_app_id=APP_ID, teams_dev_skip_auth=True, playground=False)
    with container.sessions.begin() as session:
        SqlPeople(session).map_tenant("teams", TENANT, "kent")
        seed_demo_catalogue(session)  # as `make run` does, so there is similar work to find
    container.catalogue.rebuild()
    with serve(create_app(container)) as url:
        yield container, url
    container.engine.dispose()


@pytest.fixture
def playground(bot: tuple[Container, str], tmp_path: Path) -> Iterator[str]:
    if not PLAYGROUND.exists():
        # A failure, never a skip: `make test` installs it (`make agents-playground`).
        pytest.fail(f"{PLAYGROUND} is missing: run `make agents-playground` (npm ci in {TOOL})")
    if shutil.which("node") is None:
        pytest.fail("Node.js is missing: install Debian's nodejs package to run Microsoft 365 Agents Playground")
    port = free_port()
    env = {**os.environ, "TEAMSAPPTESTER_BROWSER": "none",  # it would open a desktop browser otherwise
           "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(CONFIG),
           "M365_AGENTS_PLAYGROUND_LOGFILE": str(tmp_path / "playground.log")}
    command = [str(PLAYGROUND), "--app-endpoint", f"{bot[1]}/api/messages", "--channel-id", "msteams",
               "--port", str(port), "--disable-telemetry"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
                pytest.fail(f"Agents Playground stopped: {error}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("Agents Playground did not start within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def say(page: Page, text: str) -> None:
    page.locator("[data-lexical-editor=true]").click()  # the playground's compose box
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def shows(page: Page, text: str) -> None:
    expect(page.locator("body")).to_contain_text(text, timeout=15_000)


def test_an_officer_shares_an_idea_in_microsoft_365_agents_playground(browser: Browser, bot: tuple[Container, str],
                                                                     playground: str) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.route("http*://**", lambda route: route.continue_() if route.request.url.startswith(playground)
               else route.abort())  # its page asks a CDN for fonts; nothing leaves this machine
    page.goto(playground)

    # Opening the playground installs the app in the personal chat: the welcome card arrives.
    shows(page, t("greeting"))
    page.get_by_role("button", name=t("button.start")).last.click()  # Action.Execute: an invoke
    shows(page, t("ask.description"))

    say(page, DESCRIPTION)
    shows(page, "Thermal drones for missing person searches")  # similar work from the catalogue
    shows(page, t("ask.problem"))
    say(page, PROBLEM)

    page.get_by_role("button", name=t("stage.being-tried")).last.click()
    # The tenant is mapped to Kent, so no force question: straight to the summary card.
    shows(page, t("summary.title"))
    shows(page, "Kent Police")
    page.get_by_role("button", name=t("button.submit"), exact=True).last.click()
    shows(page, "Submitted — thank you! Your reference is #")
    page.context.close()

    # What the page showed is what was stored: one idea, Kent's, from the playground's user.
    container = bot[0]
    with container.sessions() as session:
        ideas = session.scalars(select(IdeaRow).where(IdeaRow.source != "demo")).all()
        people = {p.id: p for p in session.scalars(select(PersonRow))}
    assert [(i.force_slug, i.stage, i.status, i.description, i.problem) for i in ideas] == [
        ("kent", "being-tried", "submitted", DESCRIPTION, PROBLEM)]
    submitter = people[ideas[0].submitter_id]
    assert (submitter.platform, submitter.tenant, submitter.display_name) == ("teams", TENANT, "PC Sam Taylor")
