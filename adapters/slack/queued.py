"""Everything Slack sends: stored before the ack, processed afterwards (in this process, or a worker's).

One way in. Event callbacks (messages, mentions, App Home opens), clicks, slash commands, shortcuts and
modal submissions are all committed to the inbound store (``adapters/intake.py``) before Bolt
answers, deduplicated there by the id each carries, then processed by ``SlackEvents.process`` through
the same handlers, in the order each person sent them. A click that opens a modal uses its
``trigger_id`` from the worker: the worker wakes as soon as the event is stored, well within the
three seconds the id lives. No modal answer here needs the HTTP response (submissions are checked
by Slack itself, through the inputs' own limits), so every submission is stored and answered 200.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.event_processing import Unprocessable
from adapters.slack import payloads
from adapters.slack.handlers import SlackAdapter
from adapters.slack.modals import EDIT_CALLBACK, FORM_CALLBACK
from adapters.slack.sender import StaticToken, TokenSource, web_client
from bot.queues import InboundEvent, InboundItem

log = logging.getLogger(__name__)

MESSAGE, MENTION, HOME_OPENED = "message", "app_mention", "app_home_opened"
CLICK, HOME_SEARCH, COMMAND, SHORTCUT, SUBMISSION = "block_actions", "home_search", "command", "shortcut", \
    "view_submission"


def stored_event(kind: str, body: Mapping[str, Any], context: AsyncBoltContext, *,
                 raw: str | None = None) -> InboundEvent | None:
    """What to store for an event callback, or None for one the bot ignores (edits, bots, other tabs).
    ``raw`` is the request body ``body`` was parsed from: the Events API's JSON is stored as it came."""
    event = body.get("event")
    if not isinstance(event, Mapping):
        return None
    if kind == MESSAGE and not payloads.is_person_dm(event):
        return None
    if kind == MENTION and not payloads.is_person_mention(event):
        return None
    if kind == HOME_OPENED and event.get("tab") != "home":
        return None
    try:
        event_id = payloads.envelope_event_id(body)
        user = payloads.event_user(body, event)
    except payloads.BadPayload as exc:
        log.warning("slack %s ignored: %s", kind, exc)
        return None
    team, enterprise = SlackAdapter.installed(context)
    return InboundEvent("slack", event_id, kind, str(user.ref), dict(body),
                        {"team_id": team, "enterprise_id": enterprise},
                        raw_payload=raw if raw is not None and raw.startswith("{") else None)


def stored_interaction(kind: str, body: Mapping[str, Any], context: AsyncBoltContext) -> InboundEvent | None:
    """What to store for a click, command, shortcut or modal submission (None: nothing identifies it)."""
    try:
        if kind == COMMAND:
            user, event_id = payloads.command_user(body), payloads.command_event_id(body)
        elif kind in (CLICK, HOME_SEARCH):
            click = payloads.click(body)
            user, event_id = click.user, click.event_id
        elif kind == SHORTCUT:
            user, event_id = payloads.interaction_user(body), payloads.shortcut_event_id(body)
        else:
            user, event_id = payloads.interaction_user(body), payloads.view_event_id(body)
    except payloads.BadPayload as exc:
        log.warning("slack %s ignored: %s", kind, exc)
        return None
    team, enterprise = SlackAdapter.installed(context)
    return InboundEvent("slack", event_id, kind, str(user.ref), dict(body),
                        {"team_id": team, "enterprise_id": enterprise})


def _respond(body: Mapping[str, Any]) -> AsyncRespond:
    """Answers through the interaction's ``response_url`` (valid for 30 minutes), as Bolt's own would."""
    url = body.get("response_url")
    return AsyncRespond(response_url=url if isinstance(url, str) else None, proxy=None, ssl=None)


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
            elif item.event.kind == CLICK:
                await self.adapter.on_click(client, body, _respond(body), team, enterprise)
            elif item.event.kind == HOME_SEARCH:
                await self.adapter.on_home_search(client, body)
            elif item.event.kind == COMMAND and body.get("command") == "/idea":
                await self.adapter.on_idea_command(client, body, _respond(body))
            elif item.event.kind == COMMAND:
                await self.adapter.on_innovation_command(client, body, _respond(body))
            elif item.event.kind == SHORTCUT:
                await self.adapter.on_share_shortcut(client, body, _respond(body), team, enterprise)
            elif item.event.kind == SUBMISSION and (body.get("view") or {}).get("callback_id") == EDIT_CALLBACK:
                await self.adapter.on_edit_submitted(client, body)
            elif item.event.kind == SUBMISSION and (body.get("view") or {}).get("callback_id") == FORM_CALLBACK:
                await self.adapter.on_form_submitted(client, body)
            elif item.event.kind == SUBMISSION:
                await self.adapter.on_reason_submitted(client, body)
            else:
                raise Unprocessable(f"no handling for a stored Slack {item.event.kind!r} event")
        except payloads.BadPayload as exc:
            raise Unprocessable(str(exc)) from None

    async def _client(self, team: str | None, enterprise: str | None) -> AsyncWebClient:
        if isinstance(self.tokens, StaticToken):
            return self.adapter.bolt.client
        token = await self.tokens.bot_token(payloads.tenant_key(enterprise, team or ""))
        if token is None:
            raise Unprocessable("the app is no longer installed in that workspace")
        return web_client(token, self.api_url, rate_limit_retries=1, session=self.adapter.bolt.client.session)
