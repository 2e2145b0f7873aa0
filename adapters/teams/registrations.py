"""The bot's Azure Bot registrations: which app ids it answers to, for which tenant, with which credential.

Azure has created no new multi-tenant bot registrations since 31 July 2025: a bot is single-tenant (a
client secret in its own tenant) or a user-assigned managed identity. A national deployment serving many
force tenants therefore holds several registrations, one per tenant. Each one:

    app_id        the Microsoft App ID: inbound tokens must be issued for it (their audience)
    tenant_id     the only tenant whose activities it accepts, and the authority its tokens come from
                  (absent: a legacy multi-tenant registration, which accepts any tenant)
    credential    "secret" (client credentials against the tenant's token endpoint), "managed-identity"
                  (a user-assigned managed identity whose client id is the app id; tokens through the
                  Teams SDK's own token manager) or "none" (TEAMS_DEV_SKIP_AUTH without an app id: no token
                  is fetched or sent, for Microsoft 365 Agents Playground on a developer's machine; also
                  TEAMS_DEV_SKIP_AUTH with an app id but no TEAMS_APP_PASSWORD)

They come from ``TEAMS_REGISTRATIONS`` (JSON) or ``TEAMS_REGISTRATIONS_FILE`` (a JSON file), a list of
objects with ``app_id``, ``tenant_id`` and one of ``client_secret``, ``client_secret_env`` (the name of an
environment variable holding it, so the file itself holds no secret) or ``"managed_identity": true``;
``TEAMS_APP_ID`` / ``TEAMS_APP_PASSWORD`` / ``TEAMS_TENANT_ID`` still make one registration on their own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from adapters.settings import ConfigurationError, Settings

Credential = Literal["secret", "managed-identity", "none"]
LOGIN = "https://login.microsoftonline.com"
MULTI_TENANT_AUTHORITY = "botframework.com"  # where a legacy multi-tenant bot gets its connector token


@dataclass(frozen=True)
class Registration:
    app_id: str
    tenant_id: str | None
    credential: Credential
    client_secret: str = field(default="", repr=False)
    token_url: str = ""  # the client-credentials endpoint (tenant-specific for single-tenant)
    label: str = ""  # what the national team calls it (a force's name), for logs and `admin list`

    def serves(self, tenant: str) -> bool:
        return self.tenant_id is None or self.tenant_id.lower() == tenant.lower()


class Registrations:
    """Every registration, looked up by an inbound token's audience or an outbound message's tenant."""

    def __init__(self, registrations: Iterable[Registration]) -> None:
        self._all = tuple(registrations)
        self._by_app = {r.app_id.lower(): r for r in self._all}
        self._by_tenant = {r.tenant_id.lower(): r for r in self._all if r.tenant_id}
        self._any_tenant = next((r for r in self._all if r.tenant_id is None), None)

    def __iter__(self) -> Iterator[Registration]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def for_audience(self, audience: str) -> Registration | None:
        return self._by_app.get(app_id_of(audience))

    def for_tenant(self, tenant: str) -> Registration | None:
        return self._by_tenant.get(tenant.lower()) or self._any_tenant


def app_id_of(audience: str) -> str:
    """The app id a token's ``aud`` names: the app id, ``api://{app id}`` or ``api://botid-{app id}`` (lower case)."""
    return audience.lower().removeprefix("api://").removeprefix("botid-")


def load_registrations(settings: Settings) -> Registrations:
    """Every configured registration; raises ConfigurationError with one line naming what is wrong."""
    entries: list[tuple[str, dict[str, Any]]] = []
    if settings.teams_registrations_file:
        source = f"TEAMS_REGISTRATIONS_FILE ({settings.teams_registrations_file})"
        try:
            text = Path(settings.teams_registrations_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"configuration error: {source}: cannot read it ({exc.strerror})") from None
        entries += [(source, e) for e in _parse(text, source)]
    if settings.teams_registrations:
        entries += [("TEAMS_REGISTRATIONS", e) for e in _parse(settings.teams_registrations, "TEAMS_REGISTRATIONS")]
    registrations = [_registration(settings, source, n, entry) for n, (source, entry) in enumerate(entries, 1)]
    if settings.teams_app_id:
        secret = settings.teams_app_password.get_secret_value() if settings.teams_app_password else ""
        # No password: a managed identity, or, in development mode, no token at all (Agents Playground).
        credential: Credential = "secret" if secret else "none" if settings.teams_dev_skip_auth else "managed-identity"
        registrations.append(Registration(
            settings.teams_app_id, settings.teams_tenant_id or None, credential, secret,
            settings.teams_token_url or token_url(settings, settings.teams_tenant_id), "TEAMS_APP_ID"))
    if not registrations and settings.teams_dev_skip_auth:
        registrations.append(Registration("", None, "none", label="TEAMS_DEV_SKIP_AUTH"))
    _check_unique(registrations)
    return Registrations(registrations)


def token_url(settings: Settings, tenant_id: str | None) -> str:
    """The tenant's client-credentials endpoint, on the login host TEAMS_TOKEN_URL names (tests, sovereign
    clouds) or Microsoft's public one."""
    login = LOGIN
    if settings.teams_token_url:
        parts = urlsplit(settings.teams_token_url)
        login = f"{parts.scheme}://{parts.netloc}"
    return f"{login}/{tenant_id or MULTI_TENANT_AUTHORITY}/oauth2/v2.0/token"


def _parse(text: str, source: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"configuration error: {source}: not valid JSON ({exc.msg})") from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise ConfigurationError(f"configuration error: {source}: expected a list of objects "
                                 '(each {"app_id": …, "tenant_id": …, "client_secret_env": …})')
    return value


def _registration(settings: Settings, source: str, n: int, entry: dict[str, Any]) -> Registration:
    def bad(message: str) -> ConfigurationError:
        return ConfigurationError(f"configuration error: {source}: registration {n}: {message}")

    unknown = set(entry) - {"app_id", "tenant_id", "client_secret", "client_secret_env", "managed_identity",
                            "token_url", "label"}
    if unknown:
        raise bad(f"unknown field {sorted(unknown)[0]!r}")
    app_id, tenant = entry.get("app_id"), entry.get("tenant_id")
    if not isinstance(app_id, str) or not app_id.strip():
        raise bad("app_id is missing")
    if tenant is not None and (not isinstance(tenant, str) or not tenant.strip()):
        raise bad("tenant_id must be the tenant's id")
    secret = entry.get("client_secret") or ""
    if entry.get("client_secret_env"):
        secret = os.environ.get(str(entry["client_secret_env"]), "")
        if not secret:
            raise bad(f"the environment variable {str(entry['client_secret_env'])[:80]} is not set")
    managed = entry.get("managed_identity") is True
    if bool(secret) == managed:
        raise bad("give exactly one of client_secret, client_secret_env or \"managed_identity\": true")
    if not isinstance(secret, str):
        raise bad("client_secret must be a string")
    url = entry.get("token_url") or token_url(settings, tenant)
    return Registration(app_id.strip(), tenant.strip() if tenant else None, "managed-identity" if managed else "secret",
                        secret, str(url), str(entry.get("label") or ""))


def _check_unique(registrations: list[Registration]) -> None:
    apps: set[str] = set()
    tenants: set[str | None] = set()
    for r in registrations:
        if r.app_id.lower() in apps:
            raise ConfigurationError(f"configuration error: Teams registrations: app id {r.app_id} is listed twice")
        key = r.tenant_id.lower() if r.tenant_id else None
        if key in tenants:
            which = f"tenant {r.tenant_id}" if r.tenant_id else "a multi-tenant registration (no tenant_id)"
            raise ConfigurationError(f"configuration error: Teams registrations: {which} has two registrations; "
                                     "each tenant is served by one")
        apps.add(r.app_id.lower())
        tenants.add(key)
