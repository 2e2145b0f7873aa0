"""A broker approves in the playground and the officer's window shows the news (two browsers)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.bootstrap import Container
from adapters.web import create_app
from tests.support.server import serve

pytestmark = pytest.mark.browser

IDEA = ("We started lending spare body-worn cameras to PCSOs on late shifts in the town centre. It saves time "
        "because disorder is evidenced on the spot instead of officers writing long statements later.")


def open_as(browser: Browser, url: str, name: str, role: str, force_label: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(url)
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your name").dispatch_event("change")
    page.get_by_label("Role").select_option(role)
    page.get_by_label("Force").select_option(label=force_label)
    return page


def say(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.keyboard.press("Enter")


def test_broker_approves_and_officer_hears(browser: Browser, sqlite_container: Container) -> None:
    with serve(create_app(sqlite_container)) as url:
        broker = open_as(browser, url, "Bea Broker", "broker", "Kent Police")
        say(broker, "queue")  # registers Bea as Kent's broker
        expect(broker.get_by_role("log", name="Conversation")).to_contain_text("Nothing is waiting for you")

        officer = open_as(browser, url, "PC Olly Officer", "officer", "Kent Police")
        say(officer, IDEA)
        officer_log = officer.get_by_role("log", name="Conversation")
        officer.locator("article.card.summary").last.get_by_role("button", name="Submit").click()
        expect(officer_log).to_contain_text("Bea Broker, the innovation broker for Kent Police, will look at it")

        card = broker.locator("article.card.review").last
        expect(card).to_contain_text("We started lending spare body-worn cameras")  # arrives through the inbox
        expect(card).to_contain_text("PC Olly Officer")
        card.get_by_role("button", name="Decline").click()
        reason = broker.get_by_label("Decline — reason (the officer will see this)")
        expect(reason).to_be_focused()
        broker.get_by_role("button", name="Cancel").click()  # changed her mind: nothing is sent
        card.get_by_role("button", name="Approve for the network").click()
        broker_log = broker.get_by_role("log", name="Conversation")
        expect(broker_log).to_contain_text("is now approved for the network")
        # the card itself is updated in place: the decision and who made it, no buttons left
        decided = broker.locator("article.card.review-decided").last
        expect(decided).to_contain_text("approved for the network by Bea Broker")
        expect(decided.get_by_role("button")).to_have_count(0)

        expect(officer_log).to_contain_text("it was approved for the network by Bea Broker")
        expect(officer_log).to_contain_text("officers in other forces can find it")


def test_roundup_lands_in_the_channel_panel_and_connect_me_works(browser: Browser,
                                                                sqlite_container: Container) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.roundups.planning import RoundupConfig

    c = sqlite_container
    with serve(create_app(c)) as url:
        broker = open_as(browser, url, "Bea Broker", "broker", "Kent Police")
        say(broker, "queue")
        officer = open_as(browser, url, "PC Olly Officer", "officer", "Kent Police")
        say(officer, IDEA)
        officer.locator("article.card.summary").last.get_by_role("button", name="Submit").click()
        card = broker.locator("article.card.review").last
        card.get_by_role("button", name="Approve for the network").click()
        expect(broker.get_by_role("log", name="Conversation")).to_contain_text("is now approved for the network")

        c.roundups.post_now(datetime.now(UTC) + timedelta(minutes=1), RoundupConfig(), "local:local:network")
        reader = open_as(browser, url, "DC Rhys Reader", "officer", "South Wales Police")
        roundup = reader.locator("#channel section.roundup").last
        expect(roundup).to_contain_text("We started lending spare body-worn cameras")
        # The chart: a picture the browser can draw, its figures in its alt text, and the same figures as a table.
        chart = roundup.get_by_role("figure", name="Ideas shared each week, by theme")
        image = chart.get_by_role("img")
        expect(image).to_have_attribute("alt", re.compile(r"^Bar chart: Ideas shared each week, by theme, .* "
                                                          r"ideas in all: 1\."))
        assert image.evaluate("img => img.complete && img.naturalWidth") == 600
        table = chart.get_by_role("table", name="Ideas shared each week, by theme")
        expect(table).to_be_hidden()
        chart.get_by_text("Show the figures as a table").focus()
        reader.keyboard.press("Enter")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader")).to_have_text(["Week starting", re.compile(".+"), "All"])
        expect(table.get_by_role("row")).to_have_count(7)  # a heading row and six weeks
        expect(table.get_by_role("row").last).to_contain_text("1")
        roundup.get_by_role("button", name="Connect me").first.click()
        expect(reader.get_by_role("log", name="Conversation")).to_contain_text("I've asked the people behind")
        expect(officer.get_by_role("log", name="Conversation")).to_contain_text("Someone would like to connect")
