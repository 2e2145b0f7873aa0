"""Dashboard sign-in rules: the throttle on guessing the admin token, and who the dashboard lets in by role.

Failed attempts and signed-in sessions are kept in a ``SignInStore`` (the database, so every web process
sees the same, and signing out ends a session everywhere at once).

The throttle counts failures in a sliding window, per client and over all clients. Past either limit
a sign-in is refused without looking at the token, and the answer says when to try again: the moment
the oldest failure that counts leaves the window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain import Role


class SignInStore(Protocol):
    """Each call is its own transaction."""

    def nth_newest_failure(self, since: datetime, n: int, client: str | None) -> datetime | None:
        """The time of the ``n``-th newest failure after ``since`` (1: the newest), from ``client`` or, with
        None, from anyone; None when there are fewer than ``n``."""

    def record_failure(self, client: str, at: datetime, *, forget_up_to: datetime) -> None:
        """Keep a failure, and forget those at or before ``forget_up_to`` (out of every window)."""

    def start_session(self, session_key: str, now: datetime, expires: datetime) -> None:
        """Keep a signed-in session (and forget the expired ones)."""

    def session_expires(self, session_key: str) -> datetime | None: ...

    def end_session(self, session_key: str) -> None: ...

    def roles_of_email(self, email: str, among: Collection[str]) -> set[str]:
        """Which of ``among`` the people with this email address (any case) hold."""


@dataclass(frozen=True)
class Throttle:
    window: timedelta = timedelta(minutes=15)
    per_client: int = 5  # a person mistyping gets five tries, then waits
    overall: int = 50  # many clients guessing together (a botnet) are held back as one

    def wait(self, store: SignInStore, client: str, now: datetime) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        since = now - self.window
        waits = []
        for who, limit in ((client, self.per_client), (None, self.overall)):
            # The failure that, once it leaves the window, brings the count back under the limit.
            oldest = store.nth_newest_failure(since, limit, who)
            if oldest is not None:
                waits.append((oldest + self.window - now).total_seconds())
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, store: SignInStore, client: str, now: datetime) -> None:
        store.record_failure(client, now, forget_up_to=now - self.window)


def client_key(address: str, secret: bytes) -> str:
    """A keyed hash of the client's address: enough to count its failures, without keeping the address."""
    return hashlib.blake2b(address.encode("utf-8", "replace"), key=secret[:64], digest_size=16).hexdigest()


def session_key(secret_part: str) -> str:
    """What is stored of a session: a hash, so the store alone cannot make a working cookie."""
    return hashlib.sha256(secret_part.encode("ascii", "replace")).hexdigest()


DASHBOARD_ROLES = (Role.ADMIN.value, Role.REVIEWER.value)


def dashboard_role(store: SignInStore, email: str) -> Role | None:
    """The dashboard level of a person signed in by single sign-on: admin, reviewer, or none."""
    roles = store.roles_of_email(email, DASHBOARD_ROLES)
    if Role.ADMIN.value in roles:
        return Role.ADMIN
    if Role.REVIEWER.value in roles:
        return Role.REVIEWER
    return None
