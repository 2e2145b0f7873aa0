"""Who may see the dashboard: admins and reviewers only, and the dashboard is never open by default.

Three ways in, checked in this order:

1. ``Authorization: Bearer <ADMIN_TOKEN>`` (scripts, curl) — admin level. A wrong token is refused
   outright, whatever else the request carries.
2. The session cookie the login form sets after the admin token was typed in — admin level. The cookie
   holds a random session id, an expiry and an HMAC of both keyed with the token, so changing
   ``ADMIN_TOKEN`` signs everyone out and a cookie cannot be forged without the token; the session is
   also stored (``bot.sign_in.SignInStore``), and signing out deletes it, so the cookie stops working at once.
3. Single sign-on: when ``DASHBOARD_SSO_HEADER`` names a header (``X-Forwarded-Email``), the hosting
   platform's sign-on proxy vouches for the email address in it; a person with that email and the
   admin or reviewer role is let in at that level. The header is ignored unless the setting names it,
   so a client cannot claim an identity by sending it; the proxy must strip it from incoming requests.

No token and no SSO configured → 503 "not configured"; nothing presented → 401; a signed-in identity
without the role → 403. No answer says whether an email address is known.

Guessing the token is throttled, in the database so every process counts together: a wrong token (in
the form or a Bearer header) counts as a failure; past the limits (``bot.sign_in.Throttle``) every
token attempt from that client, or from anyone when too many fail overall, is refused with 429 and
"try again in N s" until the window moves on, the right token included.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request

from adapters.settings import Settings
from bot.domain import Role
from bot.evidence.tables import Level
from bot.sign_in import SignInStore, Throttle, client_key, dashboard_role, session_key

log = logging.getLogger(__name__)

SESSION_COOKIE = "innovation_dashboard"
SESSION_TTL = timedelta(hours=8)
_SIGNING_CONTEXT = b"innovation-bot dashboard session v2|"


@dataclass(frozen=True)
class Viewer:
    level: Level
    who: str  # "admin token" or the signed-in email address, for the page header
    via: str  # "bearer" | "cookie" | "sso"


@dataclass(frozen=True)
class Denied:
    status: int  # 401, 403, 429 or 503
    reason: str
    retry_after: int = 0  # seconds, with 429


def too_many(wait: int) -> Denied:
    return Denied(429, f"Too many failed sign-in attempts. Try again in {wait} s.", wait)


class DashboardAuth:
    def __init__(self, settings: Settings, store: SignInStore, throttle: Throttle | None = None) -> None:
        token = settings.admin_token.get_secret_value() if settings.admin_token is not None else ""
        self._token = token.encode("utf-8") if token else None
        self.sso_header = (settings.dashboard_sso_header or "").strip() or None
        self._store = store
        self.throttle = throttle or Throttle()
        # Keys the hash of client addresses (not the token: the hashes must not help anyone test guesses).
        self._client_secret = hashlib.sha256(b"sign-in clients|" + (self._token or b"")).digest()

    @property
    def configured(self) -> bool:
        return self._token is not None or self.sso_header is not None

    @property
    def token_login(self) -> bool:
        return self._token is not None

    def token_matches(self, candidate: str) -> bool:
        if self._token is None:
            return False
        return hmac.compare_digest(candidate.encode("utf-8"), self._token)

    # --- session cookie ---------------------------------------------------------------------------

    def _signature(self, payload: str) -> str:
        assert self._token is not None
        return hmac.new(self._token, _SIGNING_CONTEXT + payload.encode("ascii"), hashlib.sha256).hexdigest()

    def issue_cookie(self, now: datetime) -> str:
        """A new session, stored, and the cookie that names it."""
        sid, expires = secrets.token_urlsafe(24), now + SESSION_TTL
        payload = f"{sid}.{int(expires.timestamp())}"
        self._store.start_session(session_key(sid), now, expires)
        return f"{payload}.{self._signature(payload)}"

    def _session_of(self, value: str) -> str | None:
        """The session id in a well-formed, correctly signed cookie (not yet checked against the store)."""
        if self._token is None or value.count(".") != 2 or len(value) > 200:
            return None
        sid, expiry, signature = value.split(".")
        if not expiry.isdigit() or len(expiry) > 12:
            return None
        expected = self._signature(f"{sid}.{expiry}").encode("ascii")
        return sid if hmac.compare_digest(signature.encode("ascii", "replace"), expected) else None

    def cookie_valid(self, value: str, now: datetime) -> bool:
        sid = self._session_of(value)
        if sid is None or now.timestamp() >= int(value.split(".")[1]):
            return False
        expires = self._store.session_expires(session_key(sid))
        return expires is not None and expires > now

    def revoke(self, value: str) -> None:
        """Sign-out: the session is deleted, so this cookie (and any copy of it) no longer works."""
        sid = self._session_of(value)
        if sid is not None:
            self._store.end_session(session_key(sid))

    # --- guessing the token -------------------------------------------------------------------------

    def _client(self, request: Request) -> str:
        return client_key(request.client.host if request.client else "unknown", self._client_secret)

    def wait(self, request: Request, now: datetime) -> int:
        """Seconds before this client may try a token again (0: now)."""
        return self.throttle.wait(self._store, self._client(request), now)

    def failed(self, request: Request, now: datetime) -> None:
        self.throttle.failed(self._store, self._client(request), now)
        log.info("dashboard sign-in refused: wrong token")

    # --- the check --------------------------------------------------------------------------------

    def viewer(self, request: Request, now: datetime) -> Viewer | Denied:
        if not self.configured:
            return Denied(503, "The dashboard is not configured.")
        authorization = request.headers.get("authorization")
        if authorization is not None:
            if self._token is not None and (wait := self.wait(request, now)):
                return too_many(wait)
            scheme, _, credential = authorization.partition(" ")
            if scheme.lower() == "bearer" and self.token_matches(credential.strip()):
                return Viewer(Level.ADMIN, "admin token", "bearer")
            if self._token is not None:
                self.failed(request, now)
            return Denied(401, "Sign in to see the dashboard.")
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie and self.cookie_valid(cookie, now):
            return Viewer(Level.ADMIN, "admin token", "cookie")
        if self.sso_header is not None:
            email = (request.headers.get(self.sso_header) or "").strip()
            if email:
                level = self._sso_level(email[:320])
                if level is None:
                    return Denied(403, "Your account does not have access to the dashboard.")
                return Viewer(level, email[:320], "sso")
        return Denied(401, "Sign in to see the dashboard.")

    def _sso_level(self, email: str) -> Level | None:
        role = dashboard_role(self._store, email)
        return {Role.ADMIN: Level.ADMIN, Role.REVIEWER: Level.REVIEWER}.get(role) if role else None
