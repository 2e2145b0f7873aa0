"""Dashboard sign-in, in the database so every web process sees the same: failed attempts (for the
throttle) and signed-in sessions (so that signing out ends a session everywhere at once).

The throttle counts failures in a sliding window, per client and over all clients. Past either limit
a sign-in is refused without looking at the token, and the answer says when to try again: the moment
the oldest failure that counts leaves the window.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.guard_models import DashboardSessionRow, SignInFailureRow


@dataclass(frozen=True)
class Throttle:
    window: timedelta = timedelta(minutes=15)
    per_client: int = 5  # a person mistyping gets five tries, then waits
    overall: int = 50  # many clients guessing together (a botnet) are held back as one

    def wait(self, session: Session, client: str, now: datetime) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        since = now - self.window
        waits = []
        for who, limit in ((client, self.per_client), (None, self.overall)):
            query = select(SignInFailureRow.failed_at).where(SignInFailureRow.failed_at > since)
            if who is not None:
                query = query.where(SignInFailureRow.client == who)
            # The failure that, once it leaves the window, brings the count back under the limit.
            oldest = session.scalars(query.order_by(SignInFailureRow.failed_at.desc())
                                     .offset(limit - 1).limit(1)).first()
            if oldest is not None:
                waits.append((oldest + self.window - now).total_seconds())
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, session: Session, client: str, now: datetime) -> None:
        session.execute(delete(SignInFailureRow).where(SignInFailureRow.failed_at <= now - self.window))
        session.add(SignInFailureRow(client=client, failed_at=now))

    @staticmethod
    def recent(session: Session, now: datetime, window: timedelta) -> int:
        return int(session.scalar(select(func.count()).select_from(SignInFailureRow)
                                  .where(SignInFailureRow.failed_at > now - window)) or 0)


def client_key(address: str, secret: bytes) -> str:
    """A keyed hash of the client's address: enough to count its failures, without keeping the address."""
    return hashlib.blake2b(address.encode("utf-8", "replace"), key=secret[:64], digest_size=16).hexdigest()


def session_id(secret_part: str) -> str:
    return hashlib.sha256(secret_part.encode("ascii", "replace")).hexdigest()


def start_session(session: Session, secret_part: str, now: datetime, expires: datetime) -> None:
    session.execute(delete(DashboardSessionRow).where(DashboardSessionRow.expires_at <= now))
    session.add(DashboardSessionRow(id=session_id(secret_part), created_at=now, expires_at=expires))


def session_alive(session: Session, secret_part: str, now: datetime) -> bool:
    expires = session.scalar(select(DashboardSessionRow.expires_at)
                             .where(DashboardSessionRow.id == session_id(secret_part)))
    return expires is not None and expires > now


def end_session(session: Session, secret_part: str) -> None:
    session.execute(delete(DashboardSessionRow).where(DashboardSessionRow.id == session_id(secret_part)))
