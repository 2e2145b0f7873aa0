"""The Teams outbox sender: renders queued replies and posts them to the Bot Connector.

Each message goes to ``{serviceUrl}/v3/conversations/{id}/activities`` of its own conversation, with
the token of the bot registration that serves the message's tenant (``registrations.py``, ``tokens.py``).
What the connector answers decides what the outbox does next:

    2xx                         delivered; the activity id is kept so the card can be updated later
    429, 5xx, timeouts          RetryLater (after Retry-After when the connector sends one)
    401                         RetryLater with a fresh token (the cached one may have been revoked)
    403, 404, other 4xx         PermanentFailure (the bot was removed, the conversation is gone)

Outbox kinds: ``post`` (into the conversation ``target``; ``thread`` holds its serviceUrl when known),
``dm`` (to the personal chat of the person ``target``, looked up when sending), ``update`` (replace
what outbox message ``original_id`` posted) and ``feed`` (a Graph activity-feed notice, see graph.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

import httpx

from adapters.send_failures import PermanentFailure, RetryLater
from adapters.settings import Settings
from adapters.teams.cards import render_activity
from adapters.teams.registrations import Registrations
from adapters.teams.retry import retry_after
from adapters.teams.tokens import TokenSource, token_source
from bot.codec import reply_from_json
from bot.installs.ports import ConversationRef
from bot.queues import OutboxItem, OutboxStatus, OutboxStore

if TYPE_CHECKING:
    from adapters.teams.graph import Graph

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
_ID_SAFE = ":@;=,!$&'()*+-._~"  # ids go into the path as Teams sends them; only "/", "?", "#", "%" are escaped


def safe_service_url(url: str) -> str:
    """The bot's token goes to this URL: only over HTTPS (or plain HTTP to this machine, for tests)."""
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or (parts.scheme != "https" and not (parts.scheme == "http" and local)):
        raise PermanentFailure(f"refusing to send the bot's token to {parts.scheme}://{parts.hostname}")
    return url.rstrip("/")


class Connector:
    """The few Bot Connector calls the bot makes, with the outbox's error mapping. Every call names the
    tenant it is for: the registration serving that tenant signs it with its own token."""

    def __init__(self, registrations: Registrations) -> None:
        if not len(registrations):
            raise ValueError("no Teams registration is configured")
        self.registrations = registrations
        self._tokens: dict[str, TokenSource] = {}

    def token(self, tenant: str) -> TokenSource:
        registration = self.registrations.for_tenant(tenant)
        if registration is None:
            raise PermanentFailure(f"no Teams bot registration serves tenant {tenant[:64]!r}")
        source = self._tokens.get(registration.app_id)
        if source is None:
            source = self._tokens[registration.app_id] = token_source(registration)
        return source

    async def post(self, tenant: str, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        url = f"{safe_service_url(service_url)}/v3/conversations/{_path(conversation_id)}/activities"
        body = await self._call(tenant, "POST", url, activity)
        return str(body.get("id", ""))

    async def update(self, tenant: str, service_url: str, conversation_id: str, activity_id: str,
                     activity: dict[str, Any]) -> None:
        url = (f"{safe_service_url(service_url)}/v3/conversations/{_path(conversation_id)}"
               f"/activities/{_path(activity_id)}")
        await self._call(tenant, "PUT", url, {**activity, "id": activity_id})

    async def team_channels(self, tenant: str, service_url: str, team_id: str) -> list[tuple[str, str]]:
        """(channel id, name) of every channel of a team the bot is in; General's name is empty."""
        body = await self._call(tenant, "GET",
                                f"{safe_service_url(service_url)}/v3/teams/{_path(team_id)}/conversations")
        return [(str(c["id"]), str(c.get("name") or "")) for c in body.get("conversations", []) if c.get("id")]

    async def member(self, tenant: str, service_url: str, conversation_id: str, member_id: str) -> dict[str, Any]:
        """A conversation member as Teams knows them: name, email, userPrincipalName (the roster API)."""
        return await self._call(tenant, "GET", f"{safe_service_url(service_url)}/v3/conversations/"
                                               f"{_path(conversation_id)}/members/{_path(member_id)}")

    async def _call(self, tenant: str, method: str, url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        source = self.token(tenant)
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            token = await source.get(client)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            try:
                response = await client.request(method, url, json=body, headers=headers)
            except httpx.HTTPError as exc:
                raise RetryLater(f"{method} {_short(url)}: {type(exc).__name__}") from exc
        status = response.status_code
        if 200 <= status < 300:
            try:
                parsed = response.json() if response.content else {}
            except ValueError:
                parsed = {}
            return parsed if isinstance(parsed, dict) else {}
        reason = f"{method} {_short(url)} answered {status}"
        if status == 401:
            source.invalidate()
            raise RetryLater(reason)
        if status == 429 or status >= 500:
            raise RetryLater(reason, after=retry_after(response))
        raise PermanentFailure(reason)


def _path(identifier: str) -> str:
    return quote(identifier, safe=_ID_SAFE)


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"[:200]


class Places(Protocol):
    """Where the bot can post: the conversation references stored when Teams last spoke to it there."""

    def person(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """The personal chat with a person (None: the app is not installed for them)."""

    def by_conversation(self, conversation_id: str) -> ConversationRef | None: ...


class TeamsSender:
    """The outbox ``Sender`` for platform "teams"."""

    def __init__(self, settings: Settings, places: Places, outbox: OutboxStore, connector: Connector,
                 graph: Graph | None = None) -> None:
        self._settings = settings
        self._places = places
        self._outbox = outbox
        self.connector = connector
        self.graph = graph

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        message = item.message
        replies = [reply_from_json(r) for r in message.payload.get("replies", [])]
        if not replies:
            raise PermanentFailure("nothing to send")
        if message.kind == "update":
            return await self._update(item, replies)
        if message.kind == "feed":
            if self.graph is None:
                raise PermanentFailure("Graph is off (GRAPH_ENABLED, msgraph-sdk): no activity-feed notices")
            await self.graph.send_feed(message.tenant, message.target, message.payload["feed"])
            return {}
        ref = await asyncio.to_thread(self._where, message.kind, message.tenant, message.target, message.thread)
        activity = render_activity(replies, outbox_id=item.id)
        activity_id = await self.connector.post(message.tenant, ref.service_url, ref.conversation_id, activity)
        return {"activity_id": activity_id, "conversation_id": ref.conversation_id, "service_url": ref.service_url}

    def _where(self, kind: str, tenant: str, target: str, thread: str) -> ConversationRef:
        if kind == "dm":
            ref = self._places.person(tenant, target)
            if ref is None:
                raise PermanentFailure("the app is not installed for this person (no personal chat stored)")
            return ref
        if kind != "post":
            raise PermanentFailure(f"unknown outbox kind {kind!r}")
        stored = self._places.by_conversation(target)
        service_url = thread or (stored.service_url if stored else "") or (self._settings.teams_service_url or "")
        if not service_url:
            raise PermanentFailure("no serviceUrl is known for this conversation")
        return ConversationRef(stored.scope if stored else "", tenant, target, service_url)

    async def _update(self, item: OutboxItem, replies: list[Any]) -> dict[str, Any]:
        original_id = item.message.payload.get("original_id")
        original = await asyncio.to_thread(self._original, original_id)
        if original is None:
            raise PermanentFailure(f"outbox message {original_id!r} cannot be updated")
        if not original.get("activity_id"):
            raise RetryLater("the message to update has not been sent yet")
        activity = render_activity(replies, outbox_id=item.id, as_card=True)
        await self.connector.update(item.message.tenant, original["service_url"], original["conversation_id"],
                                    original["activity_id"], activity)
        return dict(original)

    def _original(self, original_id: Any) -> dict[str, Any] | None:
        if not isinstance(original_id, int):
            return None
        with self._outbox.transaction() as outbox:
            sent = outbox.delivery(original_id)
        if sent is None or sent.platform != "teams" or sent.status == OutboxStatus.DEAD:
            return None
        if sent.status != OutboxStatus.SENT or not sent.result:
            return {}
        return {k: str(sent.result.get(k, "")) for k in ("activity_id", "conversation_id", "service_url")}
