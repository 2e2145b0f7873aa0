"""The Bolt ``AsyncApp`` and its listeners: each acks at once and hands the work to ``handlers.py``.

Bolt runs with ``process_before_response``: the HTTP answer leaves when the listener returns, so a
listener's first lines run before Slack hears "200 OK". Event callbacks (messages, mentions, App Home
opens) are handed to the inbound writer there (``queued.py``), stored moments later and processed by
the inbound worker. Commands, clicks, shortcuts and modal submissions call ``ack()`` and start their
work in a background task. Nothing slow happens before the answer: Slack gives up after three seconds
and retries.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.handlers import EDIT_CALLBACK, FORM_CALLBACK, REASON_CALLBACK, SHARE_CALLBACK, SlackAdapter
from adapters.slack.home import SEARCH_ACTION
from adapters.slack.logs import slack_logger
from adapters.slack.queued import HOME_OPENED, MENTION, MESSAGE, stored_event

__all__ = ["EDIT_CALLBACK", "SHARE_CALLBACK", "build_bolt", "register"]

log = logging.getLogger(__name__)


def build_bolt(signing_secret: str, client: AsyncWebClient, *, log_level: str = "INFO", **kwargs: Any) -> AsyncApp:
    """Bolt with request verification, url_verification and self-event filtering on (its defaults)."""
    logger = slack_logger("bolt")
    # Bolt compares its logger's own level (not the effective one) with DEBUG before each of its
    # per-request debug messages: left at NOTSET, every request would build half a dozen of them.
    logger.setLevel(log_level)
    return AsyncApp(signing_secret=signing_secret, client=client, logger=logger,
                    name="innovation-bot", process_before_response=True, **kwargs)


def register(adapter: SlackAdapter) -> None:
    """Bolt listeners: ack (automatic for events), hand the rest to a background task, return."""
    app, work = adapter.bolt, adapter.work

    async def store(request: AsyncBoltRequest, context: AsyncBoltContext) -> None:
        # Queued for storage as the answer leaves (adapters/inbound.py); processed after it is stored.
        body = request.body
        event = stored_event(str(body["event"]["type"]), body, context, raw=request.raw_body)
        if event is not None:
            adapter.container.inbox.put(event)

    for kind in (MESSAGE, MENTION, HOME_OPENED):
        app.event(kind)(store)

    @app.command("/idea")
    async def idea(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        await ack()
        work.spawn(adapter.on_idea_command(client, body, respond), "/idea")

    @app.command("/innovation")
    async def innovation(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        await ack()
        work.spawn(adapter.on_innovation_command(client, body, respond), "/innovation")

    @app.shortcut(SHARE_CALLBACK)
    async def share(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any,
                    context: AsyncBoltContext) -> None:
        await ack()
        work.spawn(adapter.on_share_shortcut(client, body, respond, context), SHARE_CALLBACK)

    @app.action(re.compile(rf"^{re.escape(SEARCH_ACTION)}(#\d+)?$"))
    async def home_search(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        work.spawn(adapter.on_home_search(client, body), "home search")

    @app.action(re.compile(r".*"))
    async def any_click(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any,
                        context: AsyncBoltContext) -> None:
        # Every button and menu, known or not: the core answers unknown and stale ones politely.
        await ack()
        work.spawn(adapter.on_click(client, body, respond, context), "block_actions")

    @app.view(EDIT_CALLBACK)
    async def edit_submitted(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # closes the box; the new summary arrives in the DM
        work.spawn(adapter.on_edit_submitted(client, body), "edit submission")

    @app.view(REASON_CALLBACK)
    async def reason_submitted(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # closes the box; the outcome arrives in the DM
        work.spawn(adapter.on_reason_submitted(client, body), "reason submission")

    @app.view(FORM_CALLBACK)
    async def form_submitted(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # closes the box; the outcome arrives in the DM
        work.spawn(adapter.on_form_submitted(client, body), "form submission")

    if adapter.oauth:
        app.enable_token_revocation_listeners()
    else:
        async def uninstalled(body: dict[str, Any]) -> None:
            log.warning("Slack says the app was uninstalled or its token revoked (team %s); replies will fail "
                        "until SLACK_BOT_TOKEN is replaced", body.get("team_id"))

        app.event("tokens_revoked")(uninstalled)
        app.event("app_uninstalled")(uninstalled)

    @app.error
    async def failed(error: Exception) -> None:
        # The payload is not logged: it can hold people's messages and response URLs.
        log.error("slack listener failed: %s", type(error).__name__, exc_info=error)
