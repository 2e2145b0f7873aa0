"""The real app (Bolt ``AsyncApp`` in the FastAPI app, uvicorn on loopback) against a fake Slack Web API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from adapters.web import create_app
from tests.adapters.slack.helpers import SECRET, TOKEN, SlackEnv
from tests.conftest import make_container
from tests.support.fake_slack import FakeSlack, fake_slack
from tests.support.server import serve

EnvFactory = Callable[..., Any]


@contextmanager
def running(url: str, fake: FakeSlack, **settings: Any) -> Iterator[SlackEnv]:
    values: dict[str, Any] = {"slack_signing_secret": SECRET, "slack_bot_token": TOKEN,
                              "slack_api_url": fake.api_url, "playground": False, **settings}
    container = make_container(url, **{k: v for k, v in values.items() if v is not None})
    app = create_app(container)
    try:
        with serve(app) as base_url:
            env = SlackEnv(base_url, fake, container, app)
            try:
                yield env
            finally:
                env.http.close()
    finally:
        container.engine.dispose()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with fake_slack() as f:
        yield f


@pytest.fixture
def slack(sqlite_url: str, fake: FakeSlack) -> Iterator[SlackEnv]:
    """Single-workspace mode on SQLite: most tests need nothing more."""
    with running(sqlite_url, fake) as env:
        yield env


@pytest.fixture
def slack_on(fake: FakeSlack) -> Iterator[Callable[..., Any]]:
    """Start the app on a given database with extra settings: ``with slack_on(url, **settings) as env``."""
    def start(url: str, **settings: Any) -> Any:
        return running(url, fake, **settings)

    yield start
