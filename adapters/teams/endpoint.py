"""``POST /api/messages`` on the project's FastAPI app, handled by the Teams SDK.

The SDK's own FastAPI adapter would read the body with ``request.json()`` and answer malformed JSON
with a 500 (which Teams retries); this small adapter lets the SDK register its handler as usual —
JWT validation, activity parsing and routing stay the SDK's — while our route answers malformed
requests with a 400 first: JSON that is not an object or nests deeper than Teams ever does, and
activities the SDK's own model refuses (``{}``, a message without ``from``), with the first problem
as a short reason. The SDK would otherwise answer those with a 500, which Teams retries.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps import App
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler
from pydantic import ValidationError

from adapters.settings import Settings
from adapters.slack.guard import too_deep

log = logging.getLogger(__name__)

ENDPOINT = "/api/messages"
MAX_BODY = 1_000_000  # Teams activities are a few kilobytes; a card action with inputs stays far below this


class RouteAdapter:
    """An ``HttpServerAdapter`` that only remembers the handlers the SDK registers."""

    def __init__(self) -> None:
        self.handlers: dict[str, HttpRouteHandler] = {}

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        self.handlers[path] = handler

    def serve_static(self, path: str, directory: str) -> None:
        raise NotImplementedError("the Teams app serves no static pages")

    async def start(self, port: int) -> None:
        raise RuntimeError("the Teams app is served by the project's web app (innovation-bot serve)")

    async def stop(self) -> None:
        return None


def build_app(settings: Settings, adapter: RouteAdapter) -> App:
    # Only the OpenID metadata URL is overridden; the SDK validates issuer, audience (the app id),
    # signature (keys published beside the metadata), expiry and the serviceurl claim.
    cloud = with_overrides(PUBLIC, openid_metadata_url=settings.teams_openid_metadata_url)
    password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    if settings.teams_dev_skip_auth:
        log.warning("TEAMS_DEV_SKIP_AUTH is on: %s accepts activities WITHOUT checking their tokens. "
                    "Use this only on your own machine, never where Teams or anyone else can reach it.", ENDPOINT)
    return App(client_id=settings.teams_app_id, client_secret=password, tenant_id=settings.teams_tenant_id,
               service_url=settings.teams_service_url, cloud=cloud, http_server_adapter=adapter,
               messaging_endpoint=ENDPOINT, state=False, fetch_user_token=False,
               dangerously_allow_unauthenticated_requests=settings.teams_dev_skip_auth)


def invalid_activity(body: dict[str, object]) -> str | None:
    """The first reason the SDK's activity model refuses ``body`` (a field and what is wrong), or None."""
    try:
        ActivityTypeAdapter.validate_python(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"][1:] or first["loc"]) or "activity"
        return f"{where}: {first['msg']}"[:200]
    return None


def add_route(app: FastAPI, teams: App, adapter: RouteAdapter) -> None:
    @app.post(ENDPOINT, include_in_schema=False)
    async def messages(request: Request) -> Response:
        handler = adapter.handlers.get(ENDPOINT)
        if handler is None:
            # Registers the SDK's handler; nothing in it awaits, so concurrent first requests are safe.
            await teams.initialize()
            handler = adapter.handlers[ENDPOINT]
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return JSONResponse({"error": "request too large"}, status_code=413)
        try:
            text = raw.decode("utf-8")
            if too_deep(text):
                return JSONResponse({"error": "malformed JSON: nested too deeply"}, status_code=400)
            body = json.loads(text)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "malformed JSON"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "expected a JSON object (an activity)"}, status_code=400)
        problem = invalid_activity(body)
        if problem is not None:
            # Without a token the SDK would refuse it anyway: say so rather than describe the body.
            if not request.headers.get("authorization", "").startswith("Bearer "):
                return JSONResponse({"error": "Unauthorized"}, status_code=401)
            return JSONResponse({"error": f"not a valid activity: {problem}"}, status_code=400)
        result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
        if result.get("body") is None:
            return Response(status_code=result["status"])
        return JSONResponse(result["body"], status_code=result["status"])
