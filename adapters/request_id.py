"""Give every HTTP request an id, so the log lines one request causes can be found together.

The id comes from the caller's ``X-Request-ID`` (a load balancer or proxy usually sets one) when it is
short and plain, otherwise a new random one; it is kept in a context variable for the log formatter and
echoed in the response's ``X-Request-ID`` header. Pure ASGI, so it adds no buffering to responses.
"""

from __future__ import annotations

import random
import re
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-request-id"
# A caller's id is reused only when it cannot smuggle anything into a log line or a header.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled in this context, or None outside a request."""
    return _request_id.get()


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name.lower() == HEADER:
            candidate: str = bytes(value).decode("latin-1").strip()
            if _SAFE_ID.fullmatch(candidate):
                return candidate
            break
    # Ids need to be unique, not secret: the module's generator (seeded from the OS at start-up and
    # again in each forked worker) gives 128 random bits without the system call uuid4 makes.
    return f"{random.getrandbits(128):032x}"


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        token = _request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = [(k, v) for k, v in message.get("headers", ()) if k.lower() != HEADER]
                headers.append((HEADER, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)
