"""Talking to the real app the way Slack does: signed HTTP requests carrying Slack-shaped payloads.

Signatures are computed exactly as Slack computes them (``v0=`` + HMAC-SHA256 of ``v0:{ts}:{body}``
with the signing secret). Payload shapes follow Slack's documented examples for each type.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from adapters.bootstrap import Container
from storage.inbound_store import SqlInbound
from storage.models import OutboxRow
from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM, Call, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
APP_ID = "A0TEST"
_counter = itertools.count(1)


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def dm_channel(user: str) -> str:
    """The DM id the fake's conversations.open gives for a user."""
    return "D" + user.lstrip("UW")


def _ts() -> str:
    return f"{time.time():.6f}"


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class SlackEnv:
    """The app under test, served over HTTP, with the fake Slack it talks to."""

    base_url: str
    fake: FakeSlack
    container: Container
    app: Any
    team: str = DEFAULT_TEAM
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    # --- raw requests ---------------------------------------------------------------------------

    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None, *,
             secret: str = SECRET, timestamp: int | None = None) -> httpx.Response:
        all_headers = {"Content-Type": content_type, **sign(body, secret=secret, timestamp=timestamp),
                       **(headers or {})}
        return self.http.post(f"{self.base_url}/slack/events", content=body, headers=all_headers)

    def post_json(self, payload: dict[str, Any], headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.post(json.dumps(payload).encode(), "application/json", headers, **kw)

    def post_form(self, form: dict[str, str], **kw: Any) -> httpx.Response:
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **kw)

    def post_interaction(self, payload: dict[str, Any], **kw: Any) -> httpx.Response:
        return self.post_form({"payload": json.dumps(payload)}, **kw)

    # --- Slack-shaped payloads ------------------------------------------------------------------

    def event_callback(self, event: dict[str, Any], event_id: str | None = None,
                       team: str | None = None) -> dict[str, Any]:
        team = team or self.team
        return {
            "token": "legacy-verification-token", "team_id": team, "context_team_id": team,
            "context_enterprise_id": None, "api_app_id": APP_ID, "event": event, "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):08d}", "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": BOT_USER, "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": f"4-{next(_counter)}",
        }

    def dm(self, user: str, text: str, *, event_id: str | None = None, retry: int | None = None,
           team: str | None = None, user_team: str | None = None) -> httpx.Response:
        ts = _ts()
        event = {"client_msg_id": f"m-{next(_counter)}", "type": "message", "text": text, "user": user, "ts": ts,
                 "team": user_team or team or self.team, "channel": dm_channel(user), "event_ts": ts,
                 "channel_type": "im"}
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post_json(self.event_callback(event, event_id, team), headers)

    def command(self, user: str, command: str, text: str = "", *, channel: str = "C0GENERAL") -> httpx.Response:
        return self.post_form({
            "token": "legacy-verification-token", "team_id": self.team, "team_domain": "test",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": user.lower(),
            "command": command, "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"cmd-{next(_counter)}"), "trigger_id": f"trig.{next(_counter)}",
        })

    def _interaction_base(self, user: str, kind: str, team: str | None = None) -> dict[str, Any]:
        team = team or self.team
        return {"type": kind, "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
                "api_app_id": APP_ID, "token": "legacy-verification-token", "team": {"id": team, "domain": "test"},
                "enterprise": None, "is_enterprise_install": False, "trigger_id": f"trig.{next(_counter)}"}

    def shortcut(self, user: str, text: str, *, channel: str = "C0GENERAL", author: str = "U0AUTHOR") -> httpx.Response:
        ts = _ts()
        payload = {**self._interaction_base(user, "message_action"), "callback_id": "share_as_idea",
                   "action_ts": ts, "message_ts": ts, "channel": {"id": channel, "name": "general"},
                   "response_url": self.fake.response_url(f"sc-{next(_counter)}"),
                   "message": {"type": "message", "user": author, "ts": ts, "text": text}}
        return self.post_interaction(payload)

    def home_opened(self, user: str) -> httpx.Response:
        return self.post_json(self.event_callback({"type": "app_home_opened", "user": user,
                                                   "channel": dm_channel(user), "tab": "home",
                                                   "event_ts": _ts()}))

    def mention(self, user: str, text: str, *, channel: str = "C0GENERAL") -> httpx.Response:
        ts = _ts()
        return self.post_json(self.event_callback({"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}",
                                                   "ts": ts, "channel": channel, "event_ts": ts,
                                                   "team": self.team}))

    def click(self, user: str, message: Call, element: dict[str, Any], block_id: str, *,
              option: dict[str, Any] | None = None, team: str | None = None) -> httpx.Response:
        """Press a button (or pick a menu option) in a message the bot posted, as Slack reports it."""
        channel = str(message.body["channel"])
        ts = self.message_ts(message)
        action: dict[str, Any] = {"action_id": element["action_id"], "block_id": block_id, "type": element["type"],
                                  "action_ts": _ts()}
        if option is not None:
            action["selected_option"] = option
        else:
            action |= {"text": element["text"], "value": element.get("value", "")}
        payload = {**self._interaction_base(user, "block_actions", team),
                   "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
                   "channel": {"id": channel, "name": "directmessage"},
                   "message": {"type": "message", "user": BOT_USER, "bot_id": "BBOT", "ts": ts,
                               "text": message.body.get("text", ""), "blocks": with_block_ids(message)},
                   "state": {"values": {}}, "response_url": self.fake.response_url(f"ba-{next(_counter)}"),
                   "actions": [action]}
        return self.post_interaction(payload)

    @staticmethod
    def message_ts(message: Call) -> str:
        return str(message.answer["ts"])

    def view_submission(self, user: str, view: dict[str, Any], values: dict[str, str]) -> httpx.Response:
        state = {"values": {"value": {k: {"type": "plain_text_input", "value": v} for k, v in values.items()}}}
        payload = {**self._interaction_base(user, "view_submission"),
                   "view": {**view, "id": f"V{next(_counter)}", "team_id": self.team, "hash": f"h{next(_counter)}",
                            "state": state, "app_id": APP_ID, "bot_id": "BBOT"},
                   "response_urls": []}
        return self.post_interaction(payload)

    # --- what the bot said ----------------------------------------------------------------------

    def posts_to(self, channel: str) -> list[Call]:
        return [c for c in self.fake.calls_to("chat.postMessage", ok_only=True) if c.body.get("channel") == channel]

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until work after acks is done and the outbox has nothing due."""
        def quiet() -> bool:
            if self.app.state.slack.work.busy or self.container.inbound.busy or self.container.inbox.busy:
                return False
            with self.container.sessions() as s:
                due = s.scalar(select(func.count()).select_from(OutboxRow)
                               .where(OutboxRow.status.in_(("pending", "sending"))))
                queued = SqlInbound(s).backlog()
            return not due and not queued and not self.app.state.slack.work.busy and not self.container.inbound.busy

        wait_for(quiet, timeout, "the app to settle")

    def reply(self, channel: str, before: int, timeout: float = 10.0) -> Call:
        """The first new message posted to ``channel`` after ``before`` messages."""
        posts = wait_for(lambda: (p := self.posts_to(channel)) and len(p) > before and p, timeout,
                         f"a reply in {channel}")
        self.settle(timeout)
        return posts[before]  # type: ignore[no-any-return]

    def say(self, user: str, text: str) -> list[Call]:
        """DM the bot and return what it posted in answer."""
        channel = dm_channel(user)
        before = len(self.posts_to(channel))
        assert self.dm(user, text).status_code == 200
        self.reply(channel, before)
        return self.posts_to(channel)[before:]

    def press(self, user: str, label: str) -> list[Call]:
        """Press the newest button (or menu option) labelled ``label`` in the user's DM."""
        channel = dm_channel(user)
        for message in reversed(self.posts_to(channel)):
            for block_id, element, option in elements(message):
                if (option or element).get("text", {}).get("text") == label:
                    before = len(self.posts_to(channel))
                    assert self.click(user, message, element, block_id, option=option).status_code == 200
                    self.reply(channel, before)
                    return self.posts_to(channel)[before:]
        raise AssertionError(f"no {label!r} button in {channel}")


def with_block_ids(message: Call) -> list[dict[str, Any]]:
    """The message's blocks as Slack returns them: every block has a block_id (Slack adds missing ones)."""
    return [{**b, "block_id": b.get("block_id") or f"blk{i}"} for i, b in enumerate(message.body.get("blocks", []))]


def elements(message: Call) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(block_id, element, option) for every button and every menu option of a posted message."""
    for block in with_block_ids(message):
        found = list(block.get("elements", [])) if block["type"] == "actions" else \
            [block["accessory"]] if "accessory" in block else []
        for element in found:
            if element["type"] == "button":
                yield block["block_id"], element, None
            elif element["type"] == "static_select":
                for option in element["options"]:
                    yield block["block_id"], element, option


def texts(calls: list[Call]) -> str:
    """Every text object's text in a list of posted messages, one per line (mrkdwn, still escaped)."""
    return all_text([call.body.get("blocks", []) for call in calls])


def all_text(tree: Any) -> str:
    """Every text object's text in a Block Kit tree (a view, a list of blocks), one per line."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return "\n".join(parts)


LIVE_MENTION = re.compile(r"<\s*[!@#]|<\s*(https?|mailto):")
