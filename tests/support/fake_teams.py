"""A local stand-in for Microsoft's side of Teams, served over real HTTP by ``tests/support/server.py``:

* OpenID metadata and a JWKS with an RSA key generated here, so tests sign inbound activities' JWTs
  exactly as the Bot Connector does (``token_for``);
* a token endpoint (``/{tenant}/oauth2/v2.0/token``) for the bot's outbound client-credentials token
  (``fake-{tenant}-{client id}-…``, so a test can tell which registration signed a call), and an App
  Service managed-identity endpoint (``/msi/token``, as MSAL calls it through ``IDENTITY_ENDPOINT``);
* the Bot Connector: records ``POST /v3/conversations/{id}/activities`` and ``PUT …/activities/{id}``,
  lists a team's channels, answers the roster API for one member (``members``), and 429 / 5xx on
  demand (``fail_next``);
* enough of Microsoft Graph for the profile lookup and the activity-feed notice.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

ISSUER = "https://api.botframework.com"
KID = "fake-teams-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Call:
    method: str
    path: str
    body: Any
    headers: dict[str, str]
    status: int


@dataclass
class FakeTeams:
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # team id → conversations
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → Graph user
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # 29: user id → roster entry
    identity_header: str = "fake-identity-header"
    _issued: set[str] = field(default_factory=set)
    tokens_issued: list[dict[str, str]] = field(default_factory=list)
    # True: the connector takes replies without a token, as Microsoft 365 Agents Playground's does.
    open_connector: bool = False
    _failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what tests use ------------------------------------------------------------------------------

    @property
    def openid_metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/botframework.com/oauth2/v2.0/token"

    def token_for(self, app_id: str, *, service_url: str | None = None, issuer: str = ISSUER,
                  audience: str | None = None, expires_in: int = 3600, key: rsa.RSAPrivateKey | None = None,
                  kid: str = KID) -> str:
        """A Bot Connector token as Teams sends it with every activity."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience or app_id, "iat": now - 60, "nbf": now - 60,
                  "exp": now + expires_in, "serviceurl": service_url or self.base_url}
        pem = (key or self.key).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})

    def fail_next(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None) -> None:
        """The next ``times`` connector posts/updates answer ``status`` (with ``headers``)."""
        with self._lock:
            self._failures.extend([(status, headers or {})] * times)

    def posts(self, conversation_id: str | None = None, *, delivered: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and "/activities" in c.path
                and (conversation_id is None or f"/conversations/{conversation_id}/" in c.path)
                and (not delivered or c.status < 300)]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT" and c.status < 300]

    def graph_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path.startswith("/v1.0/")]

    # --- the server --------------------------------------------------------------------------------

    def app(self) -> FastAPI:
        app = FastAPI()
        public = self.key.public_key()

        @app.get("/v1/.well-known/openidconfiguration")
        def metadata() -> dict[str, Any]:
            return {"issuer": ISSUER, "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"]}

        @app.get("/v1/.well-known/keys")
        def keys() -> dict[str, Any]:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
            return {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]}]}

        @app.post("/{tenant}/oauth2/v2.0/token")
        async def token(tenant: str, request: Request) -> dict[str, Any]:
            form = dict(parse_qsl((await request.body()).decode("utf-8")))
            self.tokens_issued.append({"tenant": tenant, **form})
            token = f"fake-{tenant}-{form.get('client_id', '')}-{uuid.uuid4().hex}"
            return {"token_type": "Bearer", "expires_in": 3600, "access_token": token}

        @app.get("/msi/token")
        async def managed_identity(request: Request) -> Response:
            if request.headers.get("x-identity-header") != self.identity_header:
                return JSONResponse({"error": "bad identity header"}, 401)
            query = dict(request.query_params)
            self.tokens_issued.append({"tenant": "managed-identity", **query})
            now = int(time.time())
            token = jwt.encode({"aud": query.get("resource", ""), "appid": query.get("client_id", ""), "iat": now,
                                "exp": now + 3600}, "fake-identity-secret-for-the-tests-only", algorithm="HS256")
            self._issued.add(token)
            return JSONResponse({"access_token": token, "expires_on": str(now + 3600),
                                 "resource": query.get("resource", ""), "token_type": "Bearer"})

        @app.post("/v3/conversations/{conversation_id}/activities")
        async def post_activity(conversation_id: str, request: Request) -> Response:
            return await self._connector(request, {"id": f"activity-{uuid.uuid4().hex[:12]}"}, 201)

        @app.put("/v3/conversations/{conversation_id}/activities/{activity_id}")
        async def update_activity(conversation_id: str, activity_id: str, request: Request) -> Response:
            return await self._connector(request, {"id": activity_id}, 200)

        @app.get("/v3/teams/{team_id}/conversations")
        async def team_channels(team_id: str, request: Request) -> Response:
            return await self._connector(request, {"conversations": self.channels.get(team_id, [])}, 200,
                                         can_fail=False)

        @app.get("/v3/conversations/{conversation_id}/members/{member_id}")
        async def member(conversation_id: str, member_id: str, request: Request) -> Response:
            found = self.members.get(member_id)
            if found is None:
                return await self._record(request, JSONResponse({"error": {"code": "MemberNotFoundInConversation"}},
                                                                404))
            return await self._connector(request, {"id": member_id, **found}, 200, can_fail=False)

        @app.get("/v1.0/users/{user_id}")
        async def graph_user(user_id: str, request: Request) -> Response:
            profile = self.profiles.get(user_id)
            if profile is None:
                return await self._record(request, JSONResponse({"error": {"code": "Request_ResourceNotFound",
                                                                           "message": "no such user"}}, 404))
            return await self._record(request, JSONResponse({"id": user_id, **profile}))

        @app.post("/v1.0/users/{user_id}/teamwork/sendActivityNotification")
        async def graph_notice(user_id: str, request: Request) -> Response:
            return await self._record(request, Response(status_code=204))

        return app

    async def _connector(self, request: Request, body: dict[str, Any], status: int, *,
                         can_fail: bool = True) -> Response:
        authorization = request.headers.get("authorization", "")
        known = authorization.startswith("Bearer fake-") or authorization.removeprefix("Bearer ") in self._issued
        if not known and not self.open_connector:
            return await self._record(request, JSONResponse({"error": "unauthorized"}, 401))
        with self._lock:
            failure = self._failures.pop(0) if can_fail and self._failures else None
        if failure is not None:
            code, headers = failure
            return await self._record(request, JSONResponse({"error": {"code": "Throttled"}}, code, headers=headers))
        return await self._record(request, JSONResponse(body, status))

    async def _record(self, request: Request, response: Response) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.calls.append(Call(request.method, request.url.path, body, dict(request.headers), response.status_code))
        return response
