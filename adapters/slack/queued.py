"""Events API callbacks: stored before the ack, processed afterwards (in this process, or a worker's).

Messages, mentions and App Home opens are most of what Slack sends, and all of what it retries. They
are stored (``adapters/inbound.py``) before Bolt answers, then processed by ``SlackEvents.process``.
Clicks, commands, shortcuts and modal submissions are not queued: they carry a ``trigger_id`` that
expires three seconds after the click and someone is watching the screen, so the web process handles
them straight after the ack (``app.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.inbound import Unprocessable
from adapters.slack import translate
from adapters.slack.handlers import SlackAdapter
from adapters.slack.sender import StaticToken, TokenSource, web_client
from storage.inbound import InboundEvent, InboundItem

log = logging.getLogger(__name__)

MESSAGE, MENTION, HOME_OPENED = "message", "app_mention", "app_home_opened"


def stored_event(kind: str, body: Mapping[str, Any], context: AsyncBoltContext, *,
                 raw: str | None = None) -> InboundEvent | None:
    """What to store for an event callback, or None for one the bot ignores (edits, bots, other tabs).
    ``raw`` is the request body ``body`` was parsed from: the Events API's JSON is stored as it came."""
    event = body.get("event")
    if not isinstance(event, Mapping):
        return None
    if kind == MESSAGE and not translate.is_person_dm(event):
        return None
    if kind == MENTION and not translate.is_person_mention(event):
        return None
    if kind == HOME_OPENED and event.get("tab") != "home":
        return None
    try:
        event_id = translate.envelope_event_id(body)
        user = translate.event_user(body, event)
    except translate.BadPayload as exc:
        log.warning("slack %s ignored: %s", kind, exc)
        return None
    team, enterprise = SlackAdapter.installed(context)
    return InboundEvent("slack", event_id, kind, str(user.ref), dict(body),
                        {"team_id": team, "enterprise_id": enterprise},
                        raw_payload=raw if raw is not None and raw.startswith("{") else None)


class SlackEvents:
    """The worker's side: one stored event in, the same handling as if it had just arrived."""

    def __init__(self, adapter: SlackAdapter, tokens: TokenSource, api_url: str | None) -> None:
        self.adapter = adapter
        self.tokens = tokens
        self.api_url = api_url

    async def process(self, item: InboundItem) -> None:
        team, enterprise = item.event.context.get("team_id"), item.event.context.get("enterprise_id")
        body = item.event.payload
        client = await self._client(team, enterprise)
        try:
            if item.event.kind == MESSAGE:
                await self.adapter.on_direct_message(client, body, team, enterprise)
            elif item.event.kind == MENTION:
                await self.adapter.on_mention(client, body, team, enterprise)
            elif item.event.kind == HOME_OPENED:
                await self.adapter.on_home_opened(client, body)
            else:
                raise Unprocessable(f"no handling for a stored Slack {item.event.kind!r} event")
        except translate.BadPayload as exc:
            raise Unprocessable(str(exc)) from None

    async def _client(self, team: str | None, enterprise: str | None) -> AsyncWebClient:
        if isinstance(self.tokens, StaticToken):
            return self.adapter.bolt.client
        token = await self.tokens.bot_token(translate.tenant_key(enterprise, team or ""))
        if token is None:
            raise Unprocessable("the app is no longer installed in that workspace")
        return web_client(token, self.api_url, rate_limit_retries=1, session=self.adapter.bolt.client.session)
