"""A local fake of Slack's Web API, for tests and the benchmark: real HTTP on loopback.

It records every call (method, token, parsed body, raw body) and answers the methods the bot uses
the way Slack does. It can be told to fail the next N calls of a method with 429 + Retry-After, a 5xx,
or an ``ok: false`` error. Response URLs (``/respond/<key>``) are recorded the same way.

    with fake_slack() as slack:            # slack.api_url -> "http://127.0.0.1:PORT/api/"
        slack.fail_next("chat.postMessage", status=429, retry_after=1)
        ...
        slack.calls_to("chat.postMessage")

Run on its own (for the benchmark): ``python -m tests.support.fake_slack --port 8765``.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.support.server import serve

DEFAULT_TOKEN = "xoxb-test-token"
DEFAULT_TEAM = "T0TEST"
BOT_USER = "UBOT"


@dataclass(frozen=True)
class Call:
    method: str
    token: str
    body: dict[str, Any]
    raw: str
    at: float
    status: int = 200
    ok: bool = True
    basic_auth: str = ""
    answer: dict[str, Any] = field(default_factory=dict)  # what the fake replied (e.g. the message ts)


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: float | None
    remaining: int
    skip: int = 0  # calls to let through before failing


@dataclass
class Workspace:
    team_id: str
    team_name: str = "Test Constabulary"
    enterprise_id: str | None = None


@dataclass
class FakeSlack:
    """State shared between the test and the server thread (guarded by a lock)."""

    tokens: dict[str, Workspace] = field(default_factory=lambda: {DEFAULT_TOKEN: Workspace(DEFAULT_TEAM)})
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    oauth_codes: dict[str, Workspace] = field(default_factory=dict)
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- what a test asks -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/respond/{key}"

    def fail_next(self, method: str, times: int = 1, *, status: int = 429, retry_after: float | None = 1,
                  error: str = "", skip: int = 0) -> None:
        """Answer the next ``times`` calls of ``method`` (after letting ``skip`` through) with an HTTP error
        (429 with Retry-After, 500…) or, with ``status=200``, with ``{"ok": false, "error": error}``."""
        error = error or ("ratelimited" if status == 429 else "internal_error")
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, error, retry_after, times, skip))

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def all_calls(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def add_user(self, user_id: str, *, name: str, email: str = "", team_id: str = DEFAULT_TEAM,
                 locale: str = "en-GB") -> None:
        self.users[user_id] = {"id": user_id, "team_id": team_id, "name": name.lower().replace(" ", "."),
                               "real_name": name, "locale": locale, "is_bot": False,
                               "profile": {"display_name": name, "real_name": name, "email": email}}

    # --- the server -------------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _failure(self, method: str) -> _Failure | None:
        with self._lock:
            queue = self._failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            if failure.skip > 0:
                failure.skip -= 1
                return None
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.pop(0)
            return failure

    def _ts_now(self) -> str:
        with self._lock:
            return f"{int(time.time())}.{next(self._ts):06d}"

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        raw = (await request.body()).decode("utf-8", "replace")
        body = _parse(raw, request.headers.get("content-type", ""), dict(request.query_params))
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else str(body.get("token", ""))
        basic = base64.b64decode(auth[6:]).decode() if auth.startswith("Basic ") else ""
        failure = self._failure(method)
        if failure is not None:
            self._record(Call(method, token, body, raw, time.time(), failure.status, False, basic))
            if failure.status == 200:
                return JSONResponse({"ok": False, "error": failure.error})
            headers = {"Retry-After": f"{failure.retry_after:g}"} if failure.retry_after is not None else {}
            if failure.status >= 500:
                return PlainTextResponse("upstream trouble", status_code=failure.status, headers=headers)
            return JSONResponse({"ok": False, "error": failure.error}, status_code=failure.status, headers=headers)
        answer = self._answer(method, token, body, basic)
        self._record(Call(method, token, body, raw, time.time(), 200, bool(answer.get("ok")), basic, answer))
        return JSONResponse(answer)

    def _answer(self, method: str, token: str, body: dict[str, Any], basic: str) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth(body, basic)
        workspace = self.tokens.get(token)
        if workspace is None:
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": workspace.team_name, "user": "innovation",
                    "team_id": workspace.team_id, "user_id": BOT_USER, "bot_id": "BBOT",
                    "enterprise_id": workspace.enterprise_id, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.update"):
            ts = str(body.get("ts") or self._ts_now())
            return {"ok": True, "channel": body.get("channel"), "ts": ts,
                    "message": {"type": "message", "text": body.get("text", ""), "user": BOT_USER, "ts": ts,
                                "blocks": body.get("blocks", [])}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._ts_now()}
        if method == "users.info":
            user_id = str(body.get("user", ""))
            user = self.users.get(user_id) or {
                "id": user_id, "team_id": workspace.team_id, "name": user_id.lower(), "real_name": f"User {user_id}",
                "locale": "en-GB", "is_bot": False,
                "profile": {"display_name": "", "real_name": f"User {user_id}",
                            "email": f"{user_id.lower()}@example.police.uk"}}
            return {"ok": True, "user": user}
        if method == "conversations.open":
            users = str(body.get("users", ""))
            if "," in users:  # a group DM (mpim) with several people
                return {"ok": True, "channel": {"id": "G" + "".join(u.lstrip("UW") for u in users.split(","))}}
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}
        if method in ("views.publish", "views.open", "views.update"):
            view = body.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V" + str(next(self._ts)), "hash": "h1", **(view or {})}}
        return {"ok": False, "error": "unknown_method"}

    def _oauth(self, body: dict[str, Any], basic: str) -> dict[str, Any]:
        workspace = self.oauth_codes.pop(str(body.get("code", "")), None)
        if workspace is None or not basic:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-installed-{workspace.team_id.lower()}"
        self.tokens[token] = workspace
        enterprise = {"id": workspace.enterprise_id, "name": "Org"} if workspace.enterprise_id else None
        return {"ok": True, "app_id": "A0TEST", "authed_user": {"id": "UINSTALLER"}, "scope": "chat:write,commands",
                "token_type": "bot", "access_token": token, "bot_user_id": BOT_USER,
                "team": {"id": workspace.team_id, "name": workspace.team_name}, "enterprise": enterprise,
                "is_enterprise_install": False}

    async def _respond(self, request: Request) -> Response:
        raw = (await request.body()).decode("utf-8", "replace")
        body = _parse(raw, request.headers.get("content-type", ""), {})
        self._record(Call("response_url:" + request.path_params["key"], "", body, raw, time.time()))
        return PlainTextResponse("ok")

    def asgi(self) -> Starlette:
        return Starlette(routes=[
            Route("/api/{method}", self._api, methods=["GET", "POST"]),
            Route("/respond/{key}", self._respond, methods=["POST"]),
        ])


def _parse(raw: str, content_type: str, query: dict[str, str]) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        try:
            data = json.loads(raw or "{}")
            return {**query, **data} if isinstance(data, dict) else {"_json": data}
        except ValueError:
            return {**query, "_raw": raw}
    return {**query, **dict(parse_qsl(raw, keep_blank_values=True))}


@contextmanager
def fake_slack(**kwargs: Any) -> Iterator[FakeSlack]:
    fake = FakeSlack(**kwargs)
    with serve(fake.asgi()) as url:
        fake.base_url = url
        yield fake


def main() -> None:  # pragma: no cover - for the benchmark
    import uvicorn

    parser = argparse.ArgumentParser(description="Run the fake Slack Web API")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    fake = FakeSlack()
    fake.base_url = f"http://127.0.0.1:{args.port}"
    uvicorn.run(fake.asgi(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()
