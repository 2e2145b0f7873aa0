"""Dashboard sign-in records (``bot.sign_in.SignInStore``): failed attempts and signed-in sessions, in the
database so every web process sees the same. The throttle's rules live in ``bot/sign_in.py``."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.guard_models import DashboardSessionRow, SignInFailureRow
from storage.models import PersonRow, RoleRow


class SqlSignIns:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def nth_newest_failure(self, since: datetime, n: int, client: str | None) -> datetime | None:
        query = select(SignInFailureRow.failed_at).where(SignInFailureRow.failed_at > since)
        if client is not None:
            query = query.where(SignInFailureRow.client == client)
        with self._sessions() as session:
            return session.scalars(query.order_by(SignInFailureRow.failed_at.desc())
                                   .offset(n - 1).limit(1)).first()

    def record_failure(self, client: str, at: datetime, *, forget_up_to: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(SignInFailureRow).where(SignInFailureRow.failed_at <= forget_up_to))
            session.add(SignInFailureRow(client=client, failed_at=at))

    def start_session(self, session_key: str, now: datetime, expires: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(DashboardSessionRow).where(DashboardSessionRow.expires_at <= now))
            session.add(DashboardSessionRow(id=session_key, created_at=now, expires_at=expires))

    def session_expires(self, session_key: str) -> datetime | None:
        with self._sessions() as session:
            return session.scalar(select(DashboardSessionRow.expires_at)
                                  .where(DashboardSessionRow.id == session_key))

    def end_session(self, session_key: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(DashboardSessionRow).where(DashboardSessionRow.id == session_key))

    def roles_of_email(self, email: str, among: Collection[str]) -> set[str]:
        with self._sessions() as session:
            return set(session.scalars(
                select(RoleRow.role).join(PersonRow, PersonRow.id == RoleRow.person_id)
                .where(func.lower(PersonRow.email) == email.lower(), RoleRow.role.in_(list(among)))).all())
