"""WCAG 2.2 AA in a real browser: axe-core on every page and state of the playground (landing, mid-conversation,
summary, review card, decline form) in English and in Welsh, and on the dashboard signed out and in; reflow
at 320 CSS pixels for every card type; the officer's flow and the broker's decision by keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from adapters.bootstrap import Container
from adapters.web import create_app
from bot.i18n import Translator
from tests.browser.axe import assert_accessible
from tests.conftest import make_container
from tests.storage.test_metrics import build_network
from tests.support.server import serve

pytestmark = pytest.mark.browser

TOKEN = "browser-test-token-0123456789abcdef-0123"
IDEA = {
    "en": "We lend spare body-worn cameras to PCSOs on late shifts so that disorder is evidenced on the spot.",
    "cy": "Rydym yn rhoi camerâu corff sbâr i swyddogion cymorth cymunedol ar shifftiau hwyr er mwyn casglu "
          "tystiolaeth yn y fan a'r lle.",
}
PROBLEM = {"en": "Officers spent hours writing statements after every incident.",
           "cy": "Roedd swyddogion yn treulio oriau yn ysgrifennu datganiadau ar ôl pob digwyddiad."}
FORCE = {"en": "Kent Police", "cy": "Gwent Police"}


@pytest.fixture
def url(sqlite_container: Container) -> Iterator[str]:
    with serve(create_app(sqlite_container)) as address:
        yield address


def open_page(browser: Browser, url: str, *, width: int = 1280, height: int = 900) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    return context, page


def become(page: Page, name: str, role: str, force_label: str, language: str) -> None:
    if not page.locator("#who-details").evaluate("d => d.open"):  # folded on a phone
        page.locator("#who-details > summary").click()
    # By id: the labels themselves follow the persona's language (checked in the axe test below).
    page.locator("#persona-name").fill(name)
    page.locator("#persona-name").press("Tab")  # the browser's own change event, on leaving the field
    page.locator("#persona-role").select_option(role)
    page.locator("#persona-force").select_option(label=force_label)
    if page.locator("#persona-language").input_value() != language:
        page.locator("#persona-language").select_option(language)
        expect(page.locator("#log")).to_contain_text(Translator(language)("language.set"))


def say(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_playground_state_passes_axe(browser: Browser, url: str, language: str) -> None:
    t = Translator(language)
    context, page = open_page(browser, url)
    assert_accessible(page, "landing")
    log = page.locator("#log")
    become(page, "Bea Broker", "broker", FORCE[language], language)
    say(page, "queue")  # registers the broker, in the chosen language
    expect(log).to_contain_text(t("review.queue.empty"))

    become(page, "PC Alex Morgan", "officer", FORCE[language], language)
    expect(page.locator("#status")).to_have_text(t("playground.now", name="PC Alex Morgan",
                                                   role=t("playground.role.officer")))
    # The page's own words are in the persona's language too, and say so (WCAG 3.1.1).
    expect(page.get_by_label(t("playground.name"))).to_have_value("PC Alex Morgan")
    expect(page.get_by_role("button", name=t("playground.send"), exact=True)).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == ("cy" if language == "cy" else "en-GB")
    assert page.title() == t("playground.title")
    expect(page.locator("#who-summary")).to_contain_text(t("playground.role.officer"))  # the folded summary too
    say(page, IDEA[language])
    expect(log).to_contain_text(t("ask.problem"))
    say(page, PROBLEM[language])
    expect(log).to_contain_text(t("ask.stage"))
    assert_accessible(page, f"mid-conversation ({language})")
    if language == "cy":
        assert log.locator(".msg.bot[lang=cy]").count() >= 2  # Welsh messages say they are Welsh
    page.get_by_role("button", name=t("stage.being-tried")).click()
    summary = page.locator("article.card.summary").last
    expect(summary).to_contain_text(t("summary.privacy")[:40])
    assert_accessible(page, f"summary ({language})")
    summary.get_by_role("button", name=t("button.submit")).click()
    expect(log).to_contain_text(t("submitted.thanks", ref="")[:20])

    become(page, "Bea Broker", "broker", FORCE[language], language)
    card = page.locator("article.card.review").last
    expect(card).to_contain_text(IDEA[language][:30])  # through the inbox
    assert_accessible(page, f"review card ({language})")
    card.get_by_role("button", name=t("review.button.decline")).click()
    expect(page.locator("form.reason textarea")).to_be_focused()
    assert_accessible(page, f"decline form ({language})")
    context.close()


def test_the_dashboard_passes_axe_signed_out_and_in(browser: Browser, sqlite_url: str) -> None:
    c = make_container(sqlite_url, admin_token=TOKEN)
    with c.sessions.begin() as session:
        build_network(session)
    # The dashboard's strict CSP forbids injected scripts; the test lets axe in, the page is unchanged.
    with serve(create_app(c)) as url:
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        page.goto(f"{url}/dashboard")
        assert_accessible(page, "dashboard, no access")
        page.get_by_role("link", name="Sign in").click()
        assert_accessible(page, "dashboard sign-in")
        page.get_by_label("Admin token").fill(TOKEN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Innovation network dashboard")
        assert_accessible(page, "dashboard signed in")
        page.get_by_role("link", name="Cymraeg").click()  # the same page in Welsh, kept for the next visit
        expect(page.get_by_role("heading", level=1)).to_have_text("Dangosfwrdd y rhwydwaith arloesi")
        assert page.evaluate("() => document.documentElement.lang") == "cy"
        assert_accessible(page, "dashboard signed in, in Welsh")
        page.goto(f"{url}/dashboard")
        expect(page.get_by_role("table", name="Prif ffigurau")).to_be_visible()
        page.get_by_role("link", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Innovation network dashboard")
        # Reflow at 320 px: the page does not scroll sideways; wide tables scroll in their own labelled region.
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        region = page.get_by_role("region", name="Headline figures")
        expect(region).to_have_attribute("tabindex", "0")
        assert_accessible(page, "dashboard signed in, 320 px")
        context.close()
    c.engine.dispose()


def reflows(page: Page, selector: str) -> None:
    """Every card matching ``selector`` fits 320 px, with its values at a readable width (labels above)."""
    cards = page.locator(selector)
    expect(cards.last).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, "the page scrolls sideways"
    for i in range(cards.count()):
        box = cards.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, selector
        assert box["height"] < 1500, f"{selector} is {box['height']} px tall"
        for value in cards.nth(i).locator("dd").all():
            width = value.bounding_box()
            assert width is not None and width["width"] >= 150, f"{selector}: a value squeezed to {width}"


@pytest.fixture
def demo_url(sqlite_url: str) -> Iterator[str]:
    """A server whose catalogue holds the demo ideas, so that similar work is found and shown as cards."""
    from storage.seed import seed_demo_catalogue

    first = make_container(sqlite_url)
    with first.sessions.begin() as session:
        seed_demo_catalogue(session)
    first.engine.dispose()
    c = make_container(sqlite_url)
    with serve(create_app(c)) as address:
        yield address
    c.engine.dispose()


def test_every_card_type_reflows_at_320_px(browser: Browser, demo_url: str) -> None:
    t = Translator("en")
    context, page = open_page(browser, demo_url, width=320, height=640)
    log = page.locator("#log")
    become(page, "Bea Broker", "broker", "Kent Police", "en")
    say(page, "queue")
    expect(log).to_contain_text(t("review.queue.empty"))
    become(page, "PC Alex Morgan", "officer", "Kent Police", "en")
    say(page, "help")
    reflows(page, "article.card.info")
    say(page, "search drones missing persons")
    expect(log).to_contain_text("What I found")
    reflows(page, "article.card.match")
    say(page, IDEA["en"])
    expect(log).to_contain_text(t("ask.problem"))
    reflows(page, "article.card.match")  # similar work shown for the idea, too
    say(page, PROBLEM["en"])
    page.get_by_role("button", name=t("stage.being-tried")).click()
    reflows(page, "article.card.summary")
    page.locator("article.card.summary").last.get_by_role("button", name=t("button.submit")).click()
    expect(log).to_contain_text("Submitted — thank you!")
    become(page, "Bea Broker", "broker", "Kent Police", "en")
    expect(page.locator("article.card.review")).not_to_have_count(0)
    reflows(page, "article.card.review")
    page.locator("article.card.review").last.get_by_role("button", name=t("review.button.approve-local")).click()
    expect(page.locator("article.card.review-decided")).not_to_have_count(0)
    reflows(page, "article.card.review-decided")
    context.close()


def test_the_officer_and_the_broker_need_only_a_keyboard(browser: Browser, url: str) -> None:
    t = Translator("en")
    context, page = open_page(browser, url)
    log = page.locator("#log")
    become(page, "Bea Broker", "broker", "Kent Police", "en")
    say(page, "queue")
    become(page, "PC Kit Keys", "officer", "Kent Police", "en")
    box = page.get_by_label("Message", exact=True)
    box.focus()
    for text, then in ((IDEA["en"], "ask.problem"), (PROBLEM["en"], "ask.stage")):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        expect(log).to_contain_text(t(then))
    # The stage buttons come after the log in the tab order, before the message box: Shift+Tab back to them.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.textContent") == t("stage.being-tried"):
            break
    page.keyboard.press("Enter")
    # Focus is not lost: it lands on the new reply, and Tab goes forward to its buttons.
    expect(page.locator("article.card.summary").last).to_be_visible()
    assert page.evaluate("() => document.activeElement !== document.body")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == t("button.submit"):
            break
    page.keyboard.press("Enter")
    expect(log).to_contain_text("Submitted — thank you!")
    assert page.evaluate("() => document.activeElement !== document.body")

    become(page, "Bea Broker", "broker", "Kent Police", "en")
    card = page.locator("article.card.review").last
    expect(card).to_be_visible()
    card.get_by_role("button", name=t("review.button.decline")).focus()
    page.keyboard.press("Enter")
    reason = page.locator("form.reason textarea")
    expect(reason).to_be_focused()
    page.keyboard.type("We already do this across the county.")
    page.keyboard.press("Tab")  # to the send button
    page.keyboard.press("Enter")
    expect(log).to_contain_text("is now declined")
    assert page.evaluate("() => document.activeElement !== document.body")
    context.close()
