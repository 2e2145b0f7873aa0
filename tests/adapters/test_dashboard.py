"""The dashboard over real HTTP: who gets in (token, login cookie, single sign-on), what they get, and
the request ids and log redaction that come with the web app."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.bootstrap import Container
from adapters.dashboard.auth import SESSION_COOKIE, DashboardAuth
from adapters.logs import JsonFormatter, RedactingFilter, secret_values
from adapters.settings import Settings
from adapters.web import create_app
from tests.conftest import make_container
from tests.storage.test_metrics import build_network
from tests.support.server import serve

TOKEN = "correct-horse-battery-staple-42-and-more"
SSO = "X-Forwarded-Email"
ALL_PATHS = ["/dashboard", "/dashboard/ideas.csv", "/dashboard/decisions.csv", "/dashboard/metrics.csv",
             "/dashboard/practice-bank.csv", "/dashboard/practice-bank.json"]
DOWNLOADS = ALL_PATHS[1:]


def _with_data(c: Container) -> dict[str, int]:
    with c.sessions.begin() as session:
        ids = build_network(session)
        from tests.storage.test_metrics import add_person

        ids["admin"] = add_person(session, "Ada Admin", "Ada@Network.example", "admin", platform="teams")
        ids["reviewer"] = add_person(session, "Rex Reviewer", "rex@network.example", "reviewer", platform="teams")
        ids["officer"] = add_person(session, "Olly Officer", "olly@kent.example", "officer", platform="teams")
    return ids


@pytest.fixture
def token_site(sqlite_url: str) -> Iterator[tuple[str, Container]]:
    c = make_container(sqlite_url, admin_token=TOKEN)
    _with_data(c)
    with serve(create_app(c)) as url:
        yield url, c
    c.engine.dispose()


def _get(url: str, **kwargs: object) -> httpx.Response:
    return httpx.get(url, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


# --- not configured -------------------------------------------------------------------------------

def test_without_a_token_or_sso_the_dashboard_is_closed(sqlite_url: str) -> None:
    c = make_container(sqlite_url)
    with serve(create_app(c)) as url:
        for path in [*ALL_PATHS, "/dashboard/login"]:
            response = _get(url + path, headers={"Authorization": "Bearer anything", SSO: "a@b.example"})
            assert response.status_code == 503, path
            assert "not configured" in response.text
        assert httpx.post(f"{url}/dashboard/login", data={"token": ""}).status_code == 503
    c.engine.dispose()


# --- the admin token ------------------------------------------------------------------------------

def _forget_failures(c: Container) -> None:
    """These tests are about what a wrong credential gets, not about the throttle (test_dashboard_guard.py)."""
    from storage.guard_models import SignInFailureRow

    with c.sessions.begin() as session:
        session.query(SignInFailureRow).delete()


def test_no_or_wrong_credentials_get_401_and_nothing_else(token_site: tuple[str, Container]) -> None:
    url, c = token_site
    attempts: list[dict[str, str]] = [{}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer"},
                                      {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN},
                                      {SSO: "ada@network.example"},  # SSO is not configured here: ignored
                                      {"Cookie": f"{SESSION_COOKIE}=123.abc"}]
    for headers in attempts:
        for path in ALL_PATHS:
            response = _get(url + path, headers=headers)
            _forget_failures(c)
            assert response.status_code == 401, (path, headers)
            assert response.headers["www-authenticate"] == "Bearer"
            assert "Knife arch" not in response.text and "@" not in response.text
            assert response.headers["cache-control"] == "no-store"


def test_right_token_opens_everything_at_admin_level(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = _get(f"{url}/dashboard", headers=auth)
    assert page.status_code == 200 and "<h1>Innovation network dashboard</h1>" in page.text
    assert "Content-Security-Policy" in page.headers and "default-src 'none'" in page.headers["content-security-policy"]
    for path in DOWNLOADS:
        response = _get(url + path, headers=auth)
        assert response.status_code == 200, path
        assert response.headers["content-disposition"].startswith("attachment; filename=")
    ideas = list(csv.DictReader(io.StringIO(_get(f"{url}/dashboard/ideas.csv", headers=auth).text)))
    assert {r["submitter_email"] for r in ideas} >= {"sam@kent.example", "jo@durham.example"}
    assert json.loads(_get(f"{url}/dashboard/practice-bank.json", headers=auth).text)[0]["title"] == (
        "Knife arch at events")


def test_downloads_from_the_welsh_page_have_welsh_headings(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    auth = {"Authorization": f"Bearer {TOKEN}"}
    coded = _get(f"{url}/dashboard/decisions.csv", headers=auth).text.splitlines()
    welsh = _get(f"{url}/dashboard/decisions.csv?lang=cy", headers=auth).text.splitlines()
    assert coded[0].startswith("id,idea_id,idea_title,")
    assert welsh[0].startswith("Rhif,Rhif y syniad,Teitl y syniad,") and welsh[1:] == coded[1:]
    browser = _get(f"{url}/dashboard/metrics.csv", headers={**auth, "Accept-Language": "cy-GB,cy;q=0.9"}).text
    assert browser.splitlines()[0].split(",")[2:4] == ["Mesur", "Dadansoddiad"]
    assert json.loads(_get(f"{url}/dashboard/practice-bank.json?lang=cy", headers=auth).text)[0]["title"]


def test_login_form_sets_a_strict_httponly_cookie(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    form = _get(f"{url}/dashboard/login")
    assert form.status_code == 200 and '<label for="token">Admin token</label>' in form.text
    wrong = httpx.post(f"{url}/dashboard/login", data={"token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not right" in wrong.text and "set-cookie" not in wrong.headers
    right = httpx.post(f"{url}/dashboard/login", data={"token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/dashboard"
    cookie = right.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/dashboard" in cookie
    assert TOKEN not in cookie
    value = right.cookies[SESSION_COOKIE]
    with httpx.Client(base_url=url, cookies={SESSION_COOKIE: value}) as client:
        assert client.get("/dashboard").status_code == 200
        assert "Sign out" in client.get("/dashboard").text
        assert client.get("/dashboard/metrics.csv").status_code == 200
        # An explicit wrong token is refused even alongside a good cookie.
        assert client.get("/dashboard", headers={"Authorization": "Bearer nope"}).status_code == 401
        out = client.post("/dashboard/logout", follow_redirects=False)
        assert out.status_code == 303 and f'{SESSION_COOKIE}=""' in out.headers["set-cookie"]
    sid, expiry, signature = value.split(".")
    forged = f"{sid}.{int(expiry) + 3600}.{signature}"
    assert _get(f"{url}/dashboard", cookies={SESSION_COOKIE: forged}).status_code == 401


def test_cookies_expire_and_die_with_a_changed_token(token_site: tuple[str, Container]) -> None:
    url, c = token_site
    now = datetime.now(UTC)
    auth = DashboardAuth(c.settings, c.sign_ins)
    stale = auth.issue_cookie(now - timedelta(hours=9))
    assert _get(f"{url}/dashboard", cookies={SESSION_COOKIE: stale}).status_code == 401
    other_token = "another-token-000-long-enough-now-32"
    other = DashboardAuth(Settings(database_url=c.settings.database_url, admin_token=other_token),
                          c.sign_ins)
    assert _get(f"{url}/dashboard", cookies={SESSION_COOKIE: other.issue_cookie(now)}).status_code == 401
    assert _get(f"{url}/dashboard", cookies={SESSION_COOKIE: auth.issue_cookie(now)}).status_code == 200


def test_oversized_login_body_is_refused(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    response = httpx.post(f"{url}/dashboard/login", content=b"token=" + b"x" * 10_000,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_period_filter_and_bad_dates(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = _get(f"{url}/dashboard?from=2026-11-09&to=2026-11-15", headers=auth)
    assert page.status_code == 200 and "2026-11-09 to 2026-11-15" in page.text
    rows = list(csv.DictReader(io.StringIO(
        _get(f"{url}/dashboard/metrics.csv?from=2026-11-09&to=2026-11-15", headers=auth).text)))
    totals = {r["measure"]: r["value"] for r in rows if r["breakdown"] == "all"}
    assert totals["ideas_submitted"] == "2"
    bad = _get(f"{url}/dashboard?from=yesterday", headers=auth)
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.text and 'role="alert"' in bad.text
    assert _get(f"{url}/dashboard/metrics.csv?from=yesterday", headers=auth).status_code == 400


# --- single sign-on -------------------------------------------------------------------------------

@pytest.fixture
def sso_site(database_url: str) -> Iterator[str]:
    c = make_container(database_url, dashboard_sso_header=SSO)
    _with_data(c)
    with serve(create_app(c)) as url:
        yield url
    c.engine.dispose()


def test_sso_lets_in_admins_and_reviewers_only(sso_site: str) -> None:
    url = sso_site
    admin = _get(f"{url}/dashboard", headers={SSO: "ada@network.example"})  # email match ignores case
    assert admin.status_code == 200 and "ada@network.example" in admin.text and "Sign out" not in admin.text
    admin_ideas = _get(f"{url}/dashboard/ideas.csv", headers={SSO: "Ada@Network.example"}).text
    assert "submitter_email" in admin_ideas.splitlines()[0] and "sam@kent.example" in admin_ideas

    reviewer = _get(f"{url}/dashboard", headers={SSO: "rex@network.example"})
    assert reviewer.status_code == 200
    reviewer_ideas = _get(f"{url}/dashboard/ideas.csv", headers={SSO: "rex@network.example"}).text
    assert "submitter_email" not in reviewer_ideas and "sam@kent.example" not in reviewer_ideas

    for who in ("olly@kent.example", "nobody@nowhere.example"):  # officer, unknown: same answer
        for path in ALL_PATHS:
            denied = _get(url + path, headers={SSO: who})
            assert denied.status_code == 403, (who, path)
            assert "Knife arch" not in denied.text
    assert _get(f"{url}/dashboard").status_code == 401
    assert _get(f"{url}/dashboard", headers={SSO: ""}).status_code == 401
    # No token configured: bearer and the login form cannot work.
    assert _get(f"{url}/dashboard", headers={"Authorization": "Bearer x"}).status_code == 401
    assert "single sign-on" in _get(f"{url}/dashboard/login").text


# --- the page itself ------------------------------------------------------------------------------

def test_page_is_accessible_markup_with_escaped_data(sqlite_url: str) -> None:
    c = make_container(sqlite_url, admin_token=TOKEN)
    with c.sessions.begin() as session:
        build_network(session)
        from storage.models import ForceRow

        session.get(ForceRow, "kent").name = "<script>alert(1)</script> Kent"  # type: ignore[union-attr]
    with serve(create_app(c)) as url:
        text = _get(f"{url}/dashboard", headers={"Authorization": f"Bearer {TOKEN}"}).text
    c.engine.dispose()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert '<html lang="en-GB">' in text and text.count("<h1>") == 1
    assert '<a class="skip" href="#main">' in text
    assert text.count("<caption>") >= 5 and '<th scope="col"' in text and '<th scope="row"' in text
    assert re.search(r'<svg [^>]*role="img" aria-labelledby="chart-title chart-desc"', text)
    assert '<desc id="chart-desc">Bar chart of ideas submitted each week' in text
    assert '<label for="from">From</label>' in text
    assert 'href="/dashboard/ideas.csv"' in text and 'href="/dashboard/practice-bank.json"' in text
    # "Ideas by stage" uses the catalogue's labels.
    assert '<th scope="row">Being tried</th>' in text


def test_empty_database_renders_without_a_chart(sqlite_url: str) -> None:
    c = make_container(sqlite_url, admin_token=TOKEN)
    with serve(create_app(c)) as url:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        page = _get(f"{url}/dashboard", headers=auth)
        assert page.status_code == 200 and "no chart to show" in page.text
        assert len(_get(f"{url}/dashboard/ideas.csv", headers=auth).text.splitlines()) == 1
        assert _get(f"{url}/dashboard/practice-bank.json", headers=auth).json() == []
    c.engine.dispose()


# --- request ids and log redaction ----------------------------------------------------------------

def test_request_id_is_echoed_or_made(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    assert _get(f"{url}/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    made = _get(f"{url}/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    unsafe = _get(f"{url}/healthz", headers={"X-Request-ID": "x" * 200}).headers["x-request-id"]
    assert unsafe != "x" * 200 and re.fullmatch(r"[0-9a-f]{32}", unsafe)


def test_json_log_lines_carry_the_request_id(token_site: tuple[str, Container]) -> None:
    url, _ = token_site
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter([TOKEN]))
    logger = logging.getLogger("adapters.dashboard")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        httpx.post(f"{url}/dashboard/login", data={"token": TOKEN}, headers={"X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    records = [json.loads(line) for line in lines]
    assert records and all(r["request_id"] == "req-42" for r in records)
    assert TOKEN not in "".join(lines)


def test_redacting_filter_removes_tokens_jwts_bearers_and_configured_secrets() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    redacting = RedactingFilter(["s3cret-signing-value", "ab"])  # too-short secrets are ignored
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "token %s jwt %s auth %s secret %s about %s",
                               ("xoxb-123-456-abcDEF", jwt, "Bearer abc.def-ghi", "s3cret-signing-value", "ab"),
                               None)
    assert redacting.filter(record) is True
    message = record.getMessage()
    assert message == "token [redacted] jwt [redacted] auth Bearer [redacted] secret [redacted] about ab"
    try:
        raise RuntimeError("failed with xoxp-999-888")
    except RuntimeError:
        import sys

        failed = logging.LogRecord("t", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    redacting.filter(failed)
    assert "xoxp-999-888" not in (failed.exc_text or "") and "[redacted]" in (failed.exc_text or "")
    assert "xoxp" not in JsonFormatter().format(failed)


def test_secret_values_come_from_settings() -> None:
    admin = "admin-token-value-at-least-32-characters"
    settings = Settings(admin_token=admin, slack_bot_token="xoxb-1-2", teams_app_password="pw-123456",
                        database_url="postgresql+psycopg://app:db-password-1@localhost/bot")
    assert set(secret_values(settings)) == {admin, "xoxb-1-2", "pw-123456", "db-password-1"}
