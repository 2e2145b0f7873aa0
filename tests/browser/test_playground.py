"""The playground in a real browser: share an idea through the page and find it in the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.web import create_app
from storage.models import IdeaRow
from tests.support.server import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, sqlite_container: Container) -> Iterator[Page]:
    with serve(create_app(sqlite_container)) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        expect(page.locator("body[data-ready=true]")).to_have_count(1)
        yield page
        context.close()


def say(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.keyboard.press("Enter")


def test_share_an_idea_in_the_browser(page: Page, sqlite_container: Container) -> None:
    page.get_by_label("Your name").fill("PC Alex Morgan")
    page.get_by_label("Force").select_option(label="Not set — the bot will ask")
    say(page, "I've got an idea")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("What's your idea?")
    say(page, "We lend body-worn video cameras to PCSOs on night-time economy patrols.")
    expect(log).to_contain_text("What problem does it solve")
    say(page, "Disorder complaints were hard to evidence and cameras cut repeat incidents.")
    page.get_by_role("button", name="Being tried").click()
    expect(log).to_contain_text("Which force or organisation")
    page.get_by_label("Choose").last.select_option(label="Cumbria Constabulary")
    page.get_by_role("button", name="Choose").last.click()
    summary = page.locator("article.card.summary").last
    expect(summary).to_contain_text("Cumbria Constabulary")
    expect(summary).to_contain_text("Please don't include personal or operational detail")
    summary.get_by_role("button", name="Submit").click()
    expect(log).to_contain_text("Submitted — thank you!")

    with sqlite_container.sessions() as s:
        idea = s.scalars(select(IdeaRow).where(IdeaRow.source == "chat")).one()
    assert idea.force_slug == "cumbria" and idea.stage == "being-tried" and idea.status == "submitted"
    assert idea.description.startswith("We lend body-worn video cameras")


def test_markup_in_messages_is_shown_not_run(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = "<img src=x onerror=alert(1)> <script>alert(2)</script> **bold** idea for drones at night"
    say(page, hostile)
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("What problem does it solve")
    expect(log.locator(".msg.me").last).to_have_text("You" + hostile)
    assert page.locator("#log img").count() == 0 and page.locator("#log script").count() == 0
    assert dialogs == []


def test_keyboard_only_use(page: Page) -> None:
    page.get_by_label("Message", exact=True).focus()
    page.keyboard.type("help")
    page.keyboard.press("Enter")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("search <words>")
    start = page.get_by_role("button", name="Share an idea")
    start.focus()
    page.keyboard.press("Enter")
    expect(log).to_contain_text("What's your idea?")


def test_a_message_sent_while_the_bot_is_answering_waits_its_turn(page: Page) -> None:
    """Typing on while the bot is still answering loses nothing; a reply meant for the previous persona is
    not drawn into the next persona's view (CI once caught "Nothing is waiting for you" in an officer's chat)."""
    held: list[Route] = []
    page.route("**/playground/api/events", lambda route: held.append(route) if not held else route.continue_())
    log = page.get_by_role("log", name="Conversation")
    page.get_by_label("Your name").fill("Bea Broker")
    page.get_by_label("Role").select_option("broker")
    page.get_by_label("Force").select_option(label="Kent Police")
    say(page, "queue")  # held: the broker's answer is still on its way
    page.wait_for_function("() => document.getElementById('log').getAttribute('aria-busy') === 'true'")
    page.get_by_label("Your name").fill("PC Kit Keys")
    page.get_by_label("Your name").press("Tab")
    page.get_by_label("Role").select_option("officer")
    say(page, "We lend spare body-worn cameras to PCSOs on late shifts.")  # sent while the queue is busy
    expect(log.locator(".msg.me")).to_have_count(1)
    assert len(held) == 1
    held[0].continue_()  # the broker's reply arrives after the switch, then the officer's message goes
    expect(log).to_contain_text("What problem does it solve")
    expect(log).not_to_contain_text("Nothing is waiting for you")
    expect(log).not_to_have_attribute("aria-busy", "true")
