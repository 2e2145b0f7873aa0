"""The bot's outbound tokens, one source per registration and scope (Bot Connector, Microsoft Graph).

    BotToken             client credentials (a secret) posted to the registration's tenant token endpoint;
                         hand-written because the Teams SDK's client-credentials path (MSAL) only accepts an
                         HTTPS authority on Microsoft's hosts and looks the authority up on the internet
                         first, so it could never be pointed at TEAMS_TOKEN_URL or run in a test here
    ManagedIdentityToken a user-assigned managed identity, through the Teams SDK's own TokenManager (MSAL's
                         managed-identity client: IMDS on a VM, IDENTITY_ENDPOINT on App Service)
    NoToken              development mode without an app id: nothing is fetched, nothing is sent

Each caches its token until a minute before it expires; ``invalidate`` drops it after a 401.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import httpx

from adapters.send_failures import RetryLater
from adapters.teams.registrations import Registration
from adapters.teams.retry import retry_after

log = logging.getLogger(__name__)

BOT_SCOPE = "https://api.botframework.com/.default"


class TokenSource(Protocol):
    async def get(self, client: httpx.AsyncClient) -> str: ...

    def invalidate(self) -> None: ...


class BotToken:
    """Client credentials against one token endpoint, cached until a minute before expiry."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, scope: str = BOT_SCOPE) -> None:
        self.token_url, self.scope = token_url, scope
        self._client_id, self._client_secret = client_id, client_secret
        self._token = ""
        self._expires = 0.0

    def invalidate(self) -> None:
        self._token, self._expires = "", 0.0

    async def get(self, client: httpx.AsyncClient) -> str:
        if self._token and time.monotonic() < self._expires - 60:
            return self._token
        form = {"grant_type": "client_credentials", "client_id": self._client_id,
                "client_secret": self._client_secret, "scope": self.scope}
        try:
            response = await client.post(self.token_url, data=form)
        except httpx.HTTPError as exc:
            raise RetryLater(f"token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            # A wrong secret is a configuration problem: keep the messages and say so loudly.
            log.error("Teams token endpoint answered %d for app %s; check its client secret",
                      response.status_code, self._client_id)
            raise RetryLater(f"token endpoint answered {response.status_code}", after=retry_after(response))
        body = response.json()
        self._token = str(body["access_token"])
        self._expires = time.monotonic() + float(body.get("expires_in", 3600))
        return self._token


class ManagedIdentityToken:
    """A user-assigned managed identity's token, from the Teams SDK's TokenManager (which caches too)."""

    def __init__(self, registration: Registration, scope: str) -> None:
        from microsoft_teams.api.auth.credentials import ManagedIdentityCredentials
        from microsoft_teams.apps.token_manager import TokenManager

        credentials = ManagedIdentityCredentials(client_id=registration.app_id, tenant_id=registration.tenant_id)
        self._manager = TokenManager(credentials)
        self._scope, self._tenant = scope, registration.tenant_id

    def invalidate(self) -> None:
        return None  # MSAL keeps the identity's tokens and refreshes them itself

    async def get(self, client: httpx.AsyncClient) -> str:
        try:
            token = await self._manager.get_app_token(self._scope, self._tenant)
        except Exception as exc:  # MSAL reports an unreachable identity endpoint in several ways
            raise RetryLater(f"managed identity token: {type(exc).__name__}: {str(exc)[:120]}") from exc
        if token is None:
            raise RetryLater("managed identity gave no token")
        return str(token)


class NoToken:
    def invalidate(self) -> None:
        return None

    async def get(self, client: httpx.AsyncClient) -> str:
        return ""


def token_source(registration: Registration, scope: str = BOT_SCOPE, token_url: str | None = None) -> TokenSource:
    """The token source for ``registration`` and ``scope``; ``token_url`` overrides its endpoint (Graph
    tokens come from the tenant's own endpoint even for a multi-tenant registration)."""
    if registration.credential == "none":
        return NoToken()
    if registration.credential == "managed-identity":
        return ManagedIdentityToken(registration, scope)
    return BotToken(token_url or registration.token_url, registration.app_id, registration.client_secret, scope)
