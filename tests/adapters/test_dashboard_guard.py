"""Nobody in by guessing, and out means out: the dashboard's sign-in throttle and server-side sign-out,
over real HTTP on SQLite and PostgreSQL, with two web apps on one database standing for two processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from adapters.bootstrap import Container
from adapters.dashboard.auth import SESSION_COOKIE
from adapters.web import create_app
from tests.conftest import make_container
from tests.support.server import serve

TOKEN = "the-right-admin-token-for-this-test-0123456789"


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[str, str, Container]]:
    first, second = make_container(database_url, admin_token=TOKEN), make_container(database_url, admin_token=TOKEN)
    with ExitStack() as stack:
        one = stack.enter_context(serve(create_app(first)))
        two = stack.enter_context(serve(create_app(second)))
        yield one, two, first
    first.engine.dispose()
    second.engine.dispose()


def _sign_in(url: str, token: str) -> httpx.Response:
    return httpx.post(f"{url}/dashboard/login", data={"token": token}, follow_redirects=False)


def test_guessing_is_throttled_across_processes_even_for_the_right_token(
        two_processes: tuple[str, str, Container]) -> None:
    one, two, _ = two_processes
    answers = [_sign_in(one if n % 2 else two, f"guess-{n}").status_code for n in range(200)]
    limit = 5
    assert answers[:limit] == [401] * limit  # the failures counted in both processes together
    assert set(answers[limit:]) == {429}
    refused = _sign_in(one, TOKEN)  # the right token straight after: still held back
    assert refused.status_code == 429 and "set-cookie" not in refused.headers
    wait = int(refused.headers["retry-after"])
    assert 0 < wait <= 15 * 60 and f"Try again in {wait} s" in refused.text
    bearer = httpx.get(f"{two}/dashboard/metrics.csv", headers={"Authorization": f"Bearer {TOKEN}"})
    assert bearer.status_code == 429 and "Try again in" in bearer.text and bearer.headers["retry-after"]


def test_wrong_bearer_tokens_count_as_failed_sign_ins(two_processes: tuple[str, str, Container]) -> None:
    one, _, _ = two_processes
    codes = [httpx.get(f"{one}/dashboard/ideas.csv", headers={"Authorization": f"Bearer nope-{n}"}).status_code
             for n in range(7)]
    assert codes == [401] * 5 + [429] * 2
    assert _sign_in(one, TOKEN).status_code == 429


def test_many_clients_guessing_together_are_held_back_overall(two_processes: tuple[str, str, Container]) -> None:
    one, _, container = two_processes
    from adapters.dashboard.auth import DashboardAuth
    from bot.sign_in import Throttle

    # Fifty clients, each under its own limit: the overall limit holds them back together.
    auth = DashboardAuth(container.settings, container.sign_ins, Throttle())
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for n in range(50):
        auth.throttle.failed(container.sign_ins, f"client-{n}", now)
    refused = _sign_in(one, TOKEN)
    assert refused.status_code == 429 and "Try again in" in refused.text
    welsh = httpx.post(f"{one}/dashboard/login?lang=cy", data={"token": TOKEN}, follow_redirects=False)
    assert welsh.status_code == 429 and "Rhowch gynnig arall arni ymhen" in welsh.text and "Try again" not in welsh.text


def test_sign_out_ends_the_session_everywhere(two_processes: tuple[str, str, Container]) -> None:
    one, two, _ = two_processes
    signed_in = _sign_in(one, TOKEN)
    assert signed_in.status_code == 303
    cookie = {SESSION_COOKIE: signed_in.cookies[SESSION_COOKIE]}
    assert httpx.get(f"{two}/dashboard", cookies=cookie).status_code == 200  # the session is shared
    out = httpx.post(f"{two}/dashboard/logout", cookies=cookie, follow_redirects=False)
    assert out.status_code == 303
    # The same cookie, kept by someone (a copy, a browser that did not delete it): no longer works anywhere.
    assert httpx.get(f"{one}/dashboard", cookies=cookie).status_code == 401
    assert httpx.get(f"{two}/dashboard/ideas.csv", cookies=cookie).status_code == 401
    again = _sign_in(two, TOKEN)  # signing in again makes a new session
    assert httpx.get(f"{one}/dashboard", cookies={SESSION_COOKIE: again.cookies[SESSION_COOKIE]}).status_code == 200
