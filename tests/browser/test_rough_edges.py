"""Issue 16's rough edges in the playground, in real Chromium: each test failed before its fix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.web import create_app
from storage.models import IdeaRow
from tests.browser.test_review_flow import IDEA, open_as, say
from tests.support.server import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def url(sqlite_container: Container) -> Iterator[str]:
    with serve(create_app(sqlite_container)) as base:
        yield base


def test_choosing_the_broker_role_counts_at_once(browser: Browser, url: str) -> None:
    """#14: no message from the broker first; the officer is told the broker's name straight away."""
    broker = open_as(browser, url, "Bea Broker", "broker", "Kent Police")
    expect(broker.locator("#persona-status")).to_contain_text("Bea Broker is the innovation broker for Kent Police")
    officer = open_as(browser, url, "PC Olly Officer", "officer", "Kent Police")
    say(officer, IDEA)
    officer.locator("article.card.summary").last.get_by_role("button", name="Submit").click()
    expect(officer.get_by_role("log", name="Conversation")).to_contain_text(
        "Bea Broker, the innovation broker for Kent Police, will look at it")


def test_choose_without_picking_a_force_files_nothing(browser: Browser, url: str,
                                                      sqlite_container: Container) -> None:
    """#3: the list starts on "Choose your force…", and Choose with nothing picked asks for a choice."""
    page = browser.new_context().new_page()
    page.goto(url)
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    page.get_by_label("Force").select_option(label="Not set — the bot will ask")  # before the name: no force
    page.get_by_label("Your name").fill("PC Alex Morgan")
    page.get_by_label("Your name").dispatch_event("change")
    log = page.get_by_role("log", name="Conversation")
    say(page, "We lend body-worn video cameras to PCSOs on night-time economy patrols.")
    expect(log).to_contain_text("What problem does it solve")
    say(page, "Disorder complaints were hard to evidence and cameras cut repeat incidents.")
    page.get_by_role("button", name="Being tried").click()
    expect(log).to_contain_text("Which force or organisation")
    chooser = page.get_by_label("Choose your force").last
    expect(chooser).to_have_value("")
    page.get_by_role("button", name="Choose").last.click()
    expect(page.locator(".choice-error").last).to_contain_text("Please choose one from the list first")
    expect(page.locator("article.card.summary")).to_have_count(0)
    chooser.select_option(label="Cumbria Constabulary")
    page.get_by_role("button", name="Choose").last.click()
    expect(page.locator("article.card.summary").last).to_contain_text("Cumbria Constabulary")
    with sqlite_container.sessions() as s:
        assert s.scalars(select(IdeaRow).where(IdeaRow.source == "chat")).all() == []


def test_a_card_opened_from_queue_shows_the_decision(browser: Browser, url: str) -> None:
    """#10: the queue's card is replaced by the decided card; the chosen button is the one marked."""
    broker = open_as(browser, url, "Bea Broker", "broker", "Kent Police")
    officer = open_as(browser, url, "PC Olly Officer", "officer", "Kent Police")
    say(officer, IDEA)
    officer.locator("article.card.summary").last.get_by_role("button", name="Submit").click()
    expect(officer.get_by_role("log", name="Conversation")).to_contain_text("Submitted")
    broker.get_by_label("Force").select_option(label="Kent Police")  # a fresh view: only what is asked for
    broker.locator("#log").evaluate("log => log.replaceChildren()")
    say(broker, "queue")
    card = broker.locator("article.card.review").last
    expect(card).to_contain_text("We started lending spare body-worn cameras")
    card.get_by_role("button", name="Approve for local use").click()
    log = broker.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("is now approved for local use")
    decided = broker.locator("article.card.review-decided")
    expect(decided.last).to_contain_text("approved for local use by Bea Broker")
    expect(broker.locator("article.card.review")).to_have_count(0)  # no card left saying "Submitted"


def test_phone_layout_keeps_the_chat_and_its_box_on_screen(browser: Browser, url: str) -> None:
    """#18: at 360×640 the message box is on screen and the page itself never scrolls."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=1)
    page: Page = context.new_page()
    page.goto(url)
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    for text in ("help", "status", "I've got an idea", "help"):
        say(page, text)
    expect(page.get_by_role("log", name="Conversation")).to_contain_text("search <words>")
    page.screenshot(path="/tmp/playground-phone.png")
    box = page.get_by_label("Message", exact=True).bounding_box()
    log = page.get_by_role("log", name="Conversation").bounding_box()
    assert box is not None and log is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 640, box
    assert log["height"] >= 200 and log["y"] >= 0, log
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.scrollingElement.scrollHeight") <= 640
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send is not None and send["x"] + send["width"] <= 360
    context.close()
