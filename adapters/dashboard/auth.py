"""Who may see the dashboard: admins and reviewers only, and the dashboard is never open by default.

Three ways in, checked in this order:

1. ``Authorization: Bearer <ADMIN_TOKEN>`` (scripts, curl) — admin level. A wrong token is refused
   outright, whatever else the request carries.
2. The session cookie the login form sets after the admin token was typed in — admin level. The cookie
   holds only an expiry and an HMAC of it keyed with the token, so changing ``ADMIN_TOKEN`` signs
   everyone out and a cookie cannot be forged without the token.
3. Single sign-on: when ``DASHBOARD_SSO_HEADER`` names a header (``X-Forwarded-Email``), the hosting
   platform's sign-on proxy vouches for the email address in it; a person with that email and the
   admin or reviewer role is let in at that level. The header is ignored unless the setting names it,
   so a client cannot claim an identity by sending it; the proxy must strip it from incoming requests.

No token and no SSO configured → 503 "not configured"; nothing presented → 401; a signed-in identity
without the role → 403. No answer says whether an email address is known.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.settings import Settings
from bot.domain import Role
from storage.exports import Level
from storage.models import PersonRow, RoleRow

SESSION_COOKIE = "innovation_dashboard"
SESSION_TTL = timedelta(hours=8)
_SIGNING_CONTEXT = b"innovation-bot dashboard session v1|"


@dataclass(frozen=True)
class Viewer:
    level: Level
    who: str  # "admin token" or the signed-in email address, for the page header
    via: str  # "bearer" | "cookie" | "sso"


@dataclass(frozen=True)
class Denied:
    status: int  # 401, 403 or 503
    reason: str


class DashboardAuth:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        token = settings.admin_token.get_secret_value() if settings.admin_token is not None else ""
        self._token = token.encode("utf-8") if token else None
        self.sso_header = (settings.dashboard_sso_header or "").strip() or None
        self._sessions = sessions

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
        payload = str(int((now + SESSION_TTL).timestamp()))
        return f"{payload}.{self._signature(payload)}"

    def cookie_valid(self, value: str, now: datetime) -> bool:
        if self._token is None or value.count(".") != 1:
            return False
        payload, signature = value.split(".")
        if not payload.isdigit() or len(payload) > 12:
            return False
        if not hmac.compare_digest(signature.encode("ascii", "replace"), self._signature(payload).encode("ascii")):
            return False
        return now.timestamp() < int(payload)

    # --- the check --------------------------------------------------------------------------------

    def viewer(self, request: Request, now: datetime) -> Viewer | Denied:
        if not self.configured:
            return Denied(503, "The dashboard is not configured.")
        authorization = request.headers.get("authorization")
        if authorization is not None:
            scheme, _, credential = authorization.partition(" ")
            if scheme.lower() == "bearer" and self.token_matches(credential.strip()):
                return Viewer(Level.ADMIN, "admin token", "bearer")
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
        with self._sessions() as session:
            roles = set(session.scalars(
                select(RoleRow.role).join(PersonRow, PersonRow.id == RoleRow.person_id)
                .where(func.lower(PersonRow.email) == email.lower(),
                       RoleRow.role.in_((Role.ADMIN.value, Role.REVIEWER.value)))).all())
        if Role.ADMIN.value in roles:
            return Level.ADMIN
        if Role.REVIEWER.value in roles:
            return Level.REVIEWER
        return None
