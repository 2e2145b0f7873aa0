"""Slack: Bolt's ``AsyncApp`` behind ``POST /slack/events``, OAuth install pages, and an outbox sender.

``mount_slack(app, container)`` is all ``adapters/web.py`` calls. Two modes, picked from settings:

* single workspace: ``SLACK_BOT_TOKEN`` + ``SLACK_SIGNING_SECRET``;
* any number of workspaces: ``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET`` + ``SLACK_SIGNING_SECRET``,
  installed through ``GET /slack/install`` (tokens kept by slack_sdk's SQLAlchemy store).

``SLACK_API_URL`` points the Web API client somewhere other than ``https://slack.com/api/`` (tests,
a proxy). See docs/slack.md for installing the app.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from fastapi import FastAPI
from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_async_bolt_request,
    to_starlette_response,
)
from slack_bolt.async_app import AsyncBoltRequest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from adapters.bootstrap import Container
from adapters.settings import ConfigurationError
from adapters.slack.app import build_bolt, register
from adapters.slack.guard import Signatures, misshapen, too_deep
from adapters.slack.handlers import SlackAdapter
from adapters.slack.logs import protect
from adapters.slack.oauth import (
    INSTALL_PATH,
    REDIRECT_PATH,
    STATE_SECONDS,
    InstalledTokens,
    ThreadedInstallationStore,
    ThreadedStateStore,
    oauth_settings,
)
from adapters.slack.queued import SlackEvents
from adapters.slack.sender import SlackSender, StaticToken, TokenSource, web_client

__all__ = ["create_slack", "mount_slack", "slack_http"]

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (modal state) are far smaller


def api_base(url: str | None) -> str | None:
    """``SLACK_API_URL`` as slack_sdk needs it: an http(s) URL ending in a slash."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError("configuration error: SLACK_API_URL: expected an http(s) URL such as "
                                 "https://slack.com/api/")
    return url if url.endswith("/") else url + "/"


def create_slack(container: Container) -> tuple[SlackAdapter, SlackSender]:
    """Build the Bolt app and the outbox sender for the mode the settings describe."""
    s = container.settings
    secret = s.slack_signing_secret.get_secret_value() if s.slack_signing_secret else ""
    bot_token = s.slack_bot_token.get_secret_value() if s.slack_bot_token else ""
    client_secret = s.slack_client_secret.get_secret_value() if s.slack_client_secret else ""
    protect(secret, bot_token, client_secret)
    if not secret:
        raise ConfigurationError("configuration error: SLACK_SIGNING_SECRET: required to receive anything from "
                                 "Slack (the app's Basic Information page shows it)")
    api_url = api_base(s.slack_api_url)
    tokens: TokenSource
    if s.slack_client_id or client_secret:
        if not (s.slack_client_id and client_secret):
            raise ConfigurationError("configuration error: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: set both for "
                                     "the OAuth install, or neither")
        store = ThreadedInstallationStore(container.slack_installations(s.slack_client_id))
        states = ThreadedStateStore(container.slack_oauth_states(STATE_SECONDS))
        settings = oauth_settings(s.slack_client_id, client_secret, store, states)
        bolt = build_bolt(secret, web_client(None, api_url, rate_limit_retries=1), log_level=s.log_level,
                          installation_store=store, installation_store_bot_only=True, oauth_settings=settings)
        tokens = InstalledTokens(store)
    elif bot_token:
        bolt = build_bolt(secret, web_client(bot_token, api_url, rate_limit_retries=1), log_level=s.log_level)
        tokens = StaticToken(bot_token)
    else:
        raise ConfigurationError("configuration error: SLACK_BOT_TOKEN: set it (one workspace), or "
                                 "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (installs through /slack/install)")
    adapter = SlackAdapter(container, bolt, oauth=isinstance(tokens, InstalledTokens))
    register(adapter)
    sender = SlackSender(tokens, api_url, container.outbox_store)
    container.senders["slack"] = sender
    container.service.group_chats.add("slack")  # the sender opens group DMs ("connect me" introductions)
    container.processors["slack"] = SlackEvents(adapter, tokens, api_url).process
    return adapter, sender


@contextlib.asynccontextmanager
async def slack_http(adapter: SlackAdapter, sender: SlackSender) -> AsyncIterator[None]:
    """One HTTP session for every Slack call while the app runs, so connections are reused."""
    session = aiohttp.ClientSession()
    adapter.bolt.client.session = sender.session = session
    try:
        yield
    finally:
        adapter.bolt.client.session = sender.session = None
        await session.close()


def readable(request: Request, body: bytes) -> AsyncBoltRequest | None:
    """The request as Bolt reads it, or None when Bolt cannot read it: the Events API sends a JSON
    object, interactivity and commands a form (interactivity's with a JSON object in ``payload``).
    Anything else (too deep, or keys holding what Slack never sends there: ``guard.py``) is refused
    before it reaches a listener. An event's JSON is parsed once, by Bolt: events are most of the
    traffic, and each one is answered against the clock."""
    try:
        text = body.decode("utf-8")
        if request.headers.get("content-type", "").split(";")[0] == "application/json" or text.startswith("{"):
            if not text.lstrip().startswith("{") or too_deep(text):  # Bolt cannot read a list
                return None
        else:  # checked strictly here: Bolt's own form parsing lets anything through
            form = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
            if "payload" in form and (too_deep(form["payload"]) or misshapen(json.loads(form["payload"]))):
                return None
        # Malformed JSON raises ValueError here; Bolt's own reading of a misshapen body (its context
        # is built from keys such as ``authorizations``) raises TypeError and the like: all are 400s.
        bolt_request = to_async_bolt_request(request, body)
    except (UnicodeDecodeError, ValueError, RecursionError, TypeError, AttributeError, KeyError, IndexError):
        return None
    return None if misshapen(bolt_request.body) else bolt_request


def _ssl_check(body: bytes) -> bool:
    """Slack's unsigned certificate check for slash command URLs (``ssl_check=1``), answered 200."""
    return len(body) < 1000 and dict(parse_qsl(body.decode("latin-1"))).get("ssl_check") == "1"


def mount_slack(app: FastAPI, container: Container) -> None:
    adapter, sender = create_slack(container)
    handler = AsyncSlackRequestHandler(adapter.bolt)
    app.state.slack = adapter  # for health checks and tests: adapter.work.busy
    arrivals = container.arrivals
    secret = container.settings.slack_signing_secret
    signatures = Signatures(secret.get_secret_value() if secret else "")

    async def events(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return PlainTextResponse("request body too large", status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("request body too large", status_code=413)
        # The signature first, on the raw bytes: nothing unsigned is ever parsed.
        refused = signatures.check(body, request.headers)
        if refused is not None:
            if _ssl_check(body):
                return Response(status_code=200)
            return PlainTextResponse(refused.reason, status_code=refused.status)
        bolt_request = readable(request, body) if body else None
        if bolt_request is None:
            return PlainTextResponse("malformed request body", status_code=400)
        arrivals.note()  # during a burst an in-process worker gives way to the answers
        return to_starlette_response(await adapter.bolt.async_dispatch(bolt_request))

    async def oauth_pages(request: Request) -> Response:
        return await handler.handle(request)

    # Plain Starlette routes: Bolt reads the raw request itself, so FastAPI's parameter parsing is not needed.
    app.add_route(EVENTS_PATH, events, methods=["POST"], include_in_schema=False)
    if adapter.oauth:
        app.add_route(INSTALL_PATH, oauth_pages, methods=["GET"], include_in_schema=False)
        app.add_route(REDIRECT_PATH, oauth_pages, methods=["GET"], include_in_schema=False)

    # While the app runs, Slack calls share one HTTP session (connections are reused), and on the way
    # down, work started after an ack may finish before the outbox dispatcher stops.
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(asgi: Any) -> AsyncIterator[Any]:
        async with slack_http(adapter, sender), inner(asgi) as state:
            try:
                yield state
            finally:
                await adapter.work.drain()

    app.router.lifespan_context = lifespan
