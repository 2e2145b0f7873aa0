"""What ``POST /slack/events`` checks before Bolt sees a request, cheapest and most decisive first.

1. The signature, over the raw bytes, before anything parses them: an unsigned body never reaches a
   parser, however it is built (a deeply nested one used to overflow the JSON decoder's stack).
2. Nesting depth: even a signed body is refused past ``MAX_DEPTH`` levels; Slack's deepest payloads
   (modal state) stay under twenty.
3. Shape: the keys Bolt's routing and our listeners read must hold what Slack's documentation says
   they hold (an ``event`` is an object with a string ``type``; ``actions`` a list of objects, ...).
   Anything else is a client error (400), never a listener crashing into a 500 that Slack would retry.

Each check answers with a ``Refusal`` (status and a short reason) or None when the request may pass.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32
MAX_SKEW = 5 * 60  # seconds: Slack's own replay window
_BRACKETS = re.compile(r"[\[\]{}]")
# A JSON string: skipped when counting depth (brackets inside text do not nest anything).
_STRING = re.compile(r'"(?:\\.|[^"\\])*"')


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


class Signatures:
    """Slack's ``v0`` request signature: HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing
    secret, over the raw bytes (whatever they hold: they are not decoded before they are trusted)."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._key = secret.encode("utf-8")
        self._clock = clock

    def check(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not timestamp.isdigit() or len(timestamp) > 12 or not signature:
            return Refusal(401, "invalid request signature")
        if abs(self._clock() - int(timestamp)) > MAX_SKEW:
            return Refusal(401, "invalid request signature")
        expected = "v0=" + hmac.new(self._key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            return Refusal(401, "invalid request signature")
        return None


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """More than ``limit`` nested arrays or objects. Fast for ordinary bodies: with fewer brackets than
    the limit in all, the text cannot nest deeper, and that is decided by two C-level counts."""
    if text.count("{") + text.count("[") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _is_object(value: Any) -> bool:
    return isinstance(value, Mapping)


def _optional(value: Any, check: Callable[[Any], bool]) -> bool:
    return value is None or check(value)


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(_is_object(v) for v in value)


def _string(value: Any) -> bool:
    return isinstance(value, str)


# Keys Bolt or our listeners read from a JSON body or an interactivity payload, and what each must be.
_SHAPE: dict[str, Callable[[Any], bool]] = {
    "type": _string,
    "team": _is_object, "user": _is_object, "channel": _is_object, "enterprise": _is_object,
    "container": _is_object, "message": _is_object, "view": _is_object, "state": _is_object,
    "actions": _objects, "authorizations": _objects,
    "team_id": _string, "enterprise_id": _string, "api_app_id": _string, "event_id": _string,
    "callback_id": _string, "trigger_id": _string, "response_url": _string, "token": _string,
    "challenge": _string,
}
_EVENT_SHAPE: dict[str, Callable[[Any], bool]] = {
    "type": _string, "subtype": _string, "user": _string, "channel": _string, "text": _string,
    "channel_type": _string, "tab": _string, "team": _string, "bot_id": _string,
    "blocks": _objects, "files": _objects, "message": _is_object,
}
_VIEW_SHAPE: dict[str, Callable[[Any], bool]] = {
    "callback_id": _string, "private_metadata": _string, "state": _is_object, "blocks": _objects,
}
_USER_SHAPE: dict[str, Callable[[Any], bool]] = {"id": _string, "team_id": _string}


def _fits(body: Mapping[str, Any], shape: Mapping[str, Callable[[Any], bool]]) -> str | None:
    for key, check in shape.items():
        if not _optional(body.get(key), check):
            return key
    return None


def misshapen(body: Any) -> str | None:
    """The first key that does not hold what Slack sends there, or None when the body fits."""
    if not _is_object(body):
        return "body"
    if (key := _fits(body, _SHAPE)) is not None:
        return key
    if "event" in body:
        event = body["event"]
        if not _is_object(event) or not isinstance(event.get("type"), str):
            return "event"
        if (key := _fits(event, _EVENT_SHAPE)) is not None:
            return f"event.{key}"
    if _is_object(body.get("view")) and (key := _fits(body["view"], _VIEW_SHAPE)) is not None:
        return f"view.{key}"
    if _is_object(body.get("user")) and (key := _fits(body["user"], _USER_SHAPE)) is not None:
        return f"user.{key}"
    for action in body.get("actions") or ():
        if not _optional(action.get("action_id"), _string) or not _optional(action.get("block_id"), _string):
            return "actions"
    return None
