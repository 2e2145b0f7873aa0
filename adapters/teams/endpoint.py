"""``POST /api/messages`` on the project's FastAPI app, handled by the Teams SDK.

The SDK's own FastAPI adapter would read the body with ``request.json()`` and answer malformed JSON
with a 500 (which Teams retries); this small adapter lets the SDK register its handler as usual —
JWT validation, activity parsing and routing stay the SDK's — while our route answers malformed
requests with a 400 first: JSON that is not an object or nests deeper than Teams ever does, and
activities the SDK's own model refuses (``{}``, a message without ``from``), with the first problem
as a short reason. The SDK would otherwise answer those with a 500, which Teams retries.

With several bot registrations (one per force tenant) there is one SDK ``App`` per registration. The
token's audience picks the registration; that registration's App then validates the token in full, and
the activity's tenant must be the one the registration serves: a token for app A carrying tenant B's
activity is a 401, before anything is stored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import jwt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps import App
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler
from pydantic import ValidationError

from adapters.settings import Settings
from adapters.slack.guard import too_deep
from adapters.teams.registrations import Registration, Registrations, app_id_of

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


class Bot:
    """One registration's SDK ``App`` (it validates that registration's tokens) and its route."""

    def __init__(self, registration: Registration, app: App, adapter: RouteAdapter) -> None:
        self.registration, self.app, self.adapter = registration, app, adapter

    async def handler(self) -> HttpRouteHandler:
        handler = self.adapter.handlers.get(ENDPOINT)
        if handler is None:
            # Registers the SDK's handler; nothing in it awaits, so concurrent first requests are safe.
            await self.app.initialize()
            handler = self.adapter.handlers[ENDPOINT]
        return handler


def build_bots(settings: Settings, registrations: Registrations) -> list[Bot]:
    # Only the OpenID metadata URL is overridden; the SDK validates issuer, audience (the app id),
    # signature (keys published beside the metadata), expiry and the serviceurl claim.
    cloud = with_overrides(PUBLIC, openid_metadata_url=settings.teams_openid_metadata_url)
    if settings.teams_dev_skip_auth:
        log.warning("TEAMS_DEV_SKIP_AUTH is on: %s accepts activities WITHOUT checking their tokens. "
                    "Use this only on your own machine, never where Teams or anyone else can reach it.", ENDPOINT)
    if any(r.credential == "none" for r in registrations):
        log.warning("TEAMS_DEV_SKIP_AUTH without TEAMS_APP_PASSWORD: replies are sent without a token, which "
                    "only a local client such as Microsoft 365 Agents Playground accepts")
    bots = []
    for registration in registrations:
        adapter = RouteAdapter()
        # The SDK's App is only the inbound side here (replies leave through the outbox), so it gets the app
        # id and a token callback that is never used for sending; explicit options also keep it from reading
        # CLIENT_ID / CLIENT_SECRET / TENANT_ID from the environment.
        app = App(client_id=registration.app_id or None, token=_unused_token if registration.app_id else None,
                  tenant_id=registration.tenant_id, service_url=settings.teams_service_url, cloud=cloud,
                  http_server_adapter=adapter, messaging_endpoint=ENDPOINT, state=False, fetch_user_token=False,
                  dangerously_allow_unauthenticated_requests=settings.teams_dev_skip_auth)
        bots.append(Bot(registration, app, adapter))
    return bots


def _unused_token(scope: str | list[str], tenant_id: str | None) -> str:
    raise RuntimeError("the Teams SDK's sender is not used: replies leave through the outbox (sender.py)")


def audience_of(authorization: str) -> str:
    """The ``aud`` claim of a bearer token, read WITHOUT checking it: it only picks which registration's
    validator checks the token properly. A token that cannot be read picks none."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return ""
    try:
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    audience = claims.get("aud")
    if isinstance(audience, list):
        audience = audience[0] if audience else ""
    return audience if isinstance(audience, str) else ""


def tenant_in(body: dict[str, Any]) -> str:
    """The activity's tenant as Teams sends it (conversation.tenantId, else channelData.tenant.id)."""
    conversation, channel_data = body.get("conversation"), body.get("channelData")
    tenant = conversation.get("tenantId") if isinstance(conversation, dict) else None
    if not tenant and isinstance(channel_data, dict) and isinstance(channel_data.get("tenant"), dict):
        tenant = channel_data["tenant"].get("id")
    return tenant if isinstance(tenant, str) else ""


def _refused(reason: str) -> JSONResponse:
    log.warning("Teams activity refused: %s", reason)
    return JSONResponse({"error": "unauthorized"}, status_code=401)


def invalid_activity(body: dict[str, object]) -> str | None:
    """The first reason the SDK's activity model refuses ``body`` (a field and what is wrong), or None."""
    try:
        ActivityTypeAdapter.validate_python(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"][1:] or first["loc"]) or "activity"
        return f"{where}: {first['msg']}"[:200]
    return None


def add_route(app: FastAPI, bots: list[Bot], *, dev_skip_auth: bool = False) -> None:
    by_app = {b.registration.app_id.lower(): b for b in bots if b.registration.app_id}

    @app.post(ENDPOINT, include_in_schema=False)
    async def messages(request: Request) -> Response:
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
        audience = audience_of(request.headers.get("authorization", ""))
        bot = by_app.get(app_id_of(audience)) if audience else None
        if bot is None and dev_skip_auth:
            bot = bots[0]
        if bot is None:
            return _refused("its token names no app id this bot is registered as")
        tenant = tenant_in(body)
        if not bot.registration.serves(tenant):
            # A token for one force's registration must not carry another tenant's activity.
            return _refused(f"app {bot.registration.app_id} does not serve tenant {tenant[:64]!r}")
        handler = await bot.handler()
        result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
        if result.get("body") is None:
            return Response(status_code=result["status"])
        return JSONResponse(result["body"], status_code=result["status"])

