"""Sharing a flagged idea in the playground: each flagged item, then "Edit before sharing" with the detail
already taken out in labelled boxes; the officer's window shows what changed (real Chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.web import create_app
from storage.models import IdeaRow
from tests.browser.test_review_flow import open_as, say
from tests.support.server import serve

pytestmark = pytest.mark.browser

PHONE = "07700 900123"
IDEA = (f"We started to text burglary victims a direct line, {PHONE}, staffed by the neighbourhood team. It saves time "
        "because victims stop ringing 101 for updates and officers are not chasing call-backs.")


def test_edit_before_sharing_in_the_playground(browser: Browser, sqlite_container: Container) -> None:
    with serve(create_app(sqlite_container)) as url:
        broker = open_as(browser, url, "Bea Broker", "broker", "Kent Police")
        say(broker, "queue")
        officer = open_as(browser, url, "PC Olly Officer", "officer", "Kent Police")
        say(officer, IDEA)
        officer.locator("article.card.summary").last.get_by_role("button", name="Submit").click()

        card = broker.locator("article.card.review").last
        expect(card).to_contain_text(PHONE)  # the broker sees the officer's words
        card.get_by_role("button", name="Approve for the network").click()
        check = broker.locator("article.card.share-check").last
        expect(check).to_contain_text(f'a phone number: "{PHONE}"')
        check.get_by_role("button", name="Edit before sharing").click()
        expect(broker.get_by_label("Title")).to_be_focused()  # the first box; the title holds the number too
        expect(broker.get_by_label("Title")).not_to_have_value(re.compile(re.escape(PHONE)))
        box = broker.get_by_label("What it is")
        expect(box).to_have_value(IDEA.split(" It saves")[0].replace(PHONE, "[phone number removed]"))
        box.fill("We started to text burglary victims the neighbourhood team's direct line.")
        broker.get_by_role("button", name="Approve for the network").last.click()
        expect(broker.get_by_role("log", name="Conversation")).to_contain_text("with your edits")
        officer_log = officer.get_by_role("log", name="Conversation")
        expect(officer_log).to_contain_text("edited your idea")
        expect(officer_log).to_contain_text(
            "What it is now reads: We started to text burglary victims the neighbourhood team's")
    with sqlite_container.sessions() as s:
        row = s.scalars(select(IdeaRow)).one()
    assert row.status == "approved-network" and PHONE not in row.description
