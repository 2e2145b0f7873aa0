"""The Bolt ``AsyncApp`` and its listeners: each commits what arrived, then acks; ``queued.py`` and
``handlers.py`` do the rest in the inbound worker.

Bolt runs with ``process_before_response``: the HTTP answer leaves when the listener returns, so a
listener's lines run before Slack hears "200 OK". Every listener hands its request to the inbound
writer and waits for the commit (a few milliseconds: many requests share one), so nothing Slack was
told was received can be lost by a crash. Nothing else happens before the answer: Slack gives up
after three seconds and retries.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.handlers import SlackAdapter
from adapters.slack.home import SEARCH_ACTION
from adapters.slack.logs import slack_logger
from adapters.slack.modals import EDIT_CALLBACK, FORM_CALLBACK, REASON_CALLBACK, SHARE_CALLBACK
from adapters.slack.queued import (
    CLICK,
    COMMAND,
    HOME_OPENED,
    HOME_SEARCH,
    MENTION,
    MESSAGE,
    SHORTCUT,
    SUBMISSION,
    stored_event,
    stored_interaction,
)

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
    """Bolt listeners: commit what arrived to the inbound store, then ack; the worker does the rest."""
    app = adapter.bolt
    inbox = adapter.container.inbox

    async def store(request: AsyncBoltRequest, context: AsyncBoltContext) -> None:
        # Answered (automatically, as the listener returns) only once the event is committed.
        body = request.body
        event = stored_event(str(body["event"]["type"]), body, context, raw=request.raw_body)
        if event is not None:
            await inbox.store(event)

    for kind in (MESSAGE, MENTION, HOME_OPENED):
        app.event(kind)(store)

    def keep(kind: str) -> Any:
        async def listener(ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
            event = stored_interaction(kind, body, context)
            if event is not None:
                await inbox.store(event)  # NotStored: no ack; Slack tells the person it did not go through
            await ack()  # a modal closes; a click or command gets its empty 200
        return listener

    app.command("/idea")(keep(COMMAND))
    app.command("/innovation")(keep(COMMAND))
    app.shortcut(SHARE_CALLBACK)(keep(SHORTCUT))
    app.action(re.compile(rf"^{re.escape(SEARCH_ACTION)}(#\d+)?$"))(keep(HOME_SEARCH))
    # Every button and menu, known or not: the core answers unknown and stale ones politely.
    app.action(re.compile(r".*"))(keep(CLICK))
    app.view(EDIT_CALLBACK)(keep(SUBMISSION))
    app.view(REASON_CALLBACK)(keep(SUBMISSION))
    app.view(FORM_CALLBACK)(keep(SUBMISSION))  # the flagged-idea check's box; the outcome arrives in the DM

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
