"""The outbox's Slack sender: renders queued replies as Block Kit and posts them with the Web API.

Slack's answers map onto the outbox's two kinds of failure (adapters/delivery.py):

    429 ratelimited                         → RetryLater(after=Retry-After), so the outbox waits as asked
    5xx, internal_error, a dropped line     → RetryLater (the outbox backs off)
    channel_not_found, not_in_channel,      → PermanentFailure: retrying cannot help
    account_inactive, invalid_auth,
    token_revoked, any other ok=false

The client itself retries only a dropped connection once; a rate limit is never slept on here, where
it would hold up every other message, but handed back to the outbox with its Retry-After.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.send_failures import PermanentFailure, RetryLater
from adapters.slack.blocks import ChartUrl, SlackMessage, render
from adapters.slack.logs import slack_logger
from bot.codec import UnknownReply, reply_from_json
from bot.queues import OutboxItem, OutboxStatus, OutboxStore

log = logging.getLogger(__name__)

CHANNEL_INTERVAL = 1.0  # seconds between posts to one channel (Slack's guidance for chat.postMessage)
TRANSIENT_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                              "request_timeout", "team_added_to_org"})
DEFAULT_RETRY_AFTER = 30.0


class TokenSource(Protocol):
    async def bot_token(self, tenant: str) -> str | None:
        """The bot token for an outbox tenant (a team id, or ``enterprise:team`` on Grid)."""


class StaticToken:
    """Single-workspace mode: one bot token for everything."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def bot_token(self, tenant: str) -> str | None:
        return self._token


def web_client(token: str | None, api_url: str | None, *, rate_limit_retries: int = 0,
               session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A Web API client on the configured base URL, with a secret-redacting logger (and, once the app
    is running, one shared HTTP session, so calls reuse connections instead of opening one each)."""
    from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

    handlers: list[Any] = [AsyncConnectionErrorRetryHandler(max_retry_count=1)]
    if rate_limit_retries:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    kwargs: dict[str, Any] = {"token": token, "retry_handlers": handlers, "logger": slack_logger("web"),
                              "timeout": 15, "session": session}
    if api_url:
        kwargs["base_url"] = api_url
    return AsyncWebClient(**kwargs)


def classify(exc: SlackApiError) -> RetryLater | PermanentFailure:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    data = getattr(response, "data", None)
    error = str(data.get("error", "")) if isinstance(data, dict) else ""
    if status == 429 or error == "ratelimited":
        headers = getattr(response, "headers", {}) or {}
        try:
            after = float(headers.get("Retry-After", DEFAULT_RETRY_AFTER))
        except (TypeError, ValueError):
            after = DEFAULT_RETRY_AFTER
        return RetryLater(f"slack rate limited (Retry-After {after:g}s)", after=max(after, 0.0))
    if status >= 500 or error in TRANSIENT_ERRORS:
        return RetryLater(f"slack unavailable: HTTP {status} {error}".strip())
    return PermanentFailure(f"slack refused the message: {error or f'HTTP {status}'}")


class SlackSender:
    """Posts one outbox item: usually one message; very long answers take several, and a retry
    resumes after the last one delivered (counted in memory: a restart mid-item may repeat one)."""

    def __init__(self, tokens: TokenSource, api_url: str | None = None, outbox: OutboxStore | None = None) -> None:
        self._tokens = tokens
        self._api_url = api_url
        # Asked what an earlier outbox message's send returned ({"channel", "ts"}), for "update" messages.
        self._outbox = outbox
        self._progress: dict[int, list[str]] = {}
        # Slack allows about one message per second per channel: pace each channel rather than be told off.
        self._last_post: dict[tuple[str, str], float] = {}
        self._clock = time.monotonic
        self.session: aiohttp.ClientSession | None = None  # set while the web app runs
        # Links a chart's image (set by adapters.charts.mount_charts when PUBLIC_URL is set); without
        # one a chart goes out as words.
        self.chart_url: ChartUrl | None = None

    async def send(self, item: OutboxItem) -> dict[str, Any] | None:
        message = item.message
        try:
            replies = [reply_from_json(r) for r in message.payload.get("replies", [])]
            rendered = render(replies, chart_url=self.chart_url)
        except (UnknownReply, KeyError, TypeError, ValueError) as exc:
            raise PermanentFailure(f"cannot render outbox message for Slack: {exc}") from None
        token = await self._tokens.bot_token(message.tenant)
        if not token:
            raise PermanentFailure(f"no Slack installation for workspace {message.tenant}")
        client = web_client(token, self._api_url, session=self.session)
        channel = message.target
        if message.kind == "update":
            return await self._update(client, item, rendered)
        if message.kind in ("dm", "group"):
            # A notice to a person (a review card, a decision, a reminder) goes into their DM with the app;
            # an introduction ("connect me") into a group DM with both people.
            channel = await self._open_dm(client, message.target)
        paced = message.kind in ("post", "dm", "group")
        if paced:
            wait = self._pace(message.tenant, channel)
            if wait > 0:
                raise RetryLater(f"pacing channel {channel}", after=wait)
            post = self._poster(client, channel, message.thread)
        elif message.kind == "ephemeral":
            post = self._ephemeral(client, message.target, str(message.payload.get("user", "")), message.thread)
        else:
            raise PermanentFailure(f"the Slack sender cannot send {message.kind!r} messages")
        before = self._take_turn(message.tenant, channel) if paced else None
        sent = self._progress.setdefault(item.id, [])
        try:
            for part in rendered[len(sent):]:
                try:
                    sent.append(await post(part))
                except SlackApiError as exc:
                    outcome = classify(exc)
                    if isinstance(outcome, PermanentFailure):
                        self._progress.pop(item.id, None)
                    raise outcome from None
                except (aiohttp.ClientError, OSError, SlackClientError) as exc:
                    raise RetryLater(f"slack unreachable: {type(exc).__name__}") from None
        except BaseException:
            if paced:
                self._give_back_turn(message.tenant, channel, before)
            raise
        self._progress.pop(item.id, None)
        if paced:
            self._posted(message.tenant, channel)
        return {"channel": channel, "ts": sent}

    def _pace(self, tenant: str, channel: str) -> float:
        """Seconds to wait before the next post to this channel (0: go now)."""
        now = self._clock()
        last = self._last_post.get((tenant, channel))
        if last is not None and now - last < CHANNEL_INTERVAL:
            return CHANNEL_INTERVAL - (now - last)
        return 0.0

    def _take_turn(self, tenant: str, channel: str) -> float | None:
        """The channel's clock starts as its post starts: the dispatcher sends to many conversations at
        once, and two of them can be one channel (a notice to a person's DM and a reply in it), so a
        second post there waits its turn rather than both passing ``_pace`` together."""
        before = self._last_post.get((tenant, channel))
        self._last_post[(tenant, channel)] = self._clock()
        return before

    def _give_back_turn(self, tenant: str, channel: str, before: float | None) -> None:
        """The post failed: the channel is paced from the post before, as if this one was not tried."""
        if before is None:
            self._last_post.pop((tenant, channel), None)
        else:
            self._last_post[(tenant, channel)] = before

    def _posted(self, tenant: str, channel: str) -> None:
        now = self._clock()
        self._last_post[(tenant, channel)] = now
        if len(self._last_post) > 10_000:  # forget channels not posted to for a while
            self._last_post = {k: v for k, v in self._last_post.items() if now - v < CHANNEL_INTERVAL}

    async def _open_dm(self, client: AsyncWebClient, user_ids: str) -> str:
        """The DM channel with one user, or the group DM with several ("U1,U2")."""
        try:
            response = await client.conversations_open(users=user_ids)
        except SlackApiError as exc:
            raise classify(exc) from None
        except (aiohttp.ClientError, OSError, SlackClientError) as exc:
            raise RetryLater(f"slack unreachable: {type(exc).__name__}") from None
        channel = (response.get("channel") or {}).get("id")
        if not channel:
            raise PermanentFailure(f"could not open a direct message with {user_ids}")
        return str(channel)

    async def _update(self, client: AsyncWebClient, item: OutboxItem,
                      rendered: list[SlackMessage]) -> dict[str, Any] | None:
        """Replace a message sent earlier (a review card once decided) with chat.update."""
        original_id = item.message.payload.get("original_id")
        original = await asyncio.to_thread(self._sent_result, int(original_id)) if original_id is not None else None
        if not original or not original.get("ts") or not rendered:
            raise PermanentFailure("the message to update was never delivered")
        ts = original["ts"][-1] if isinstance(original["ts"], list) else original["ts"]
        part = rendered[0]
        try:
            await client.chat_update(channel=str(original["channel"]), ts=str(ts), text=part.text,
                                     blocks=part.blocks)
        except SlackApiError as exc:
            raise classify(exc) from None
        except (aiohttp.ClientError, OSError, SlackClientError) as exc:
            raise RetryLater(f"slack unreachable: {type(exc).__name__}") from None
        return {"channel": original["channel"], "ts": [ts]}

    def _sent_result(self, outbox_id: int) -> dict[str, Any] | None:
        if self._outbox is None:
            return None
        with self._outbox.transaction() as outbox:
            delivery = outbox.delivery(outbox_id)
        return delivery.result if delivery is not None and delivery.status == OutboxStatus.SENT else None

    @staticmethod
    def _poster(client: AsyncWebClient, channel: str, thread: str) -> Callable[[SlackMessage], Awaitable[str]]:
        async def post(part: SlackMessage) -> str:
            kwargs: dict[str, Any] = {"channel": channel, "text": part.text, "blocks": part.blocks,
                                      "unfurl_links": False, "unfurl_media": False}
            if thread:
                kwargs["thread_ts"] = thread
            response = await client.chat_postMessage(**kwargs)
            return str(response.get("ts", ""))

        return post

    @staticmethod
    def _ephemeral(client: AsyncWebClient, channel: str, user: str,
                   thread: str) -> Callable[[SlackMessage], Awaitable[str]]:
        if not user:
            raise PermanentFailure("an ephemeral message needs a user")

        async def post(part: SlackMessage) -> str:
            kwargs: dict[str, Any] = {"channel": channel, "user": user, "text": part.text, "blocks": part.blocks}
            if thread:
                kwargs["thread_ts"] = thread
            response = await client.chat_postEphemeral(**kwargs)
            return str(response.get("message_ts", ""))

        return post
