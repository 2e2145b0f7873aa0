"""Keeps one process's in-memory matcher in step with the database.

Each server process builds its index at start-up, adds what it approves itself at once, and every few
seconds picks up what other processes (or `innovation-bot import`) changed: ideas touched since the
last look are added, updated or removed. Re-adding an unchanged idea is harmless (``Matcher.add`` upserts).

Entries go in with their stored embeddings (``storage.embeddings``); an entry with none, or whose text
changed, is embedded here once and its vector stored for every other process.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue import in_catalogue
from bot.matching import Matcher
from storage.embeddings import load_into
from storage.models import IdeaRow


class CatalogueSync:
    def __init__(self, sessions: sessionmaker[Session], matcher: Matcher) -> None:
        self._sessions = sessions
        self._matcher = matcher
        self._since: datetime | None = None

    def rebuild(self) -> int:
        """Load the whole catalogue (start-up)."""
        with self._sessions() as session:
            self._since = session.scalar(select(func.max(IdeaRow.updated_at)))
            load_into(self._matcher, session)
            session.commit()
        return len(self._matcher)

    def refresh_ids(self, idea_ids: Collection[int]) -> None:
        """Bring these ideas up to date at once (this process just changed them)."""
        with self._sessions() as session:
            listed = {e.idea_id for e in load_into(self._matcher, session, idea_ids)}
            session.commit()
        for idea_id in idea_ids:
            if idea_id not in listed and idea_id in self._matcher:
                self._matcher.remove(idea_id)

    def refresh(self) -> int:
        """Apply changes made since the last look; returns how many ideas were looked at."""
        with self._sessions() as session:
            query = select(IdeaRow.id, IdeaRow.status, IdeaRow.updated_at)
            if self._since is not None:
                # ">=": rows stamped in the same instant as the last one seen are looked at again, not missed.
                query = query.where(IdeaRow.updated_at >= self._since)
            changed = session.execute(query).all()
            if not changed:
                return 0
            listed = [i for i, status, _ in changed if in_catalogue(status)]
            for idea_id, status, _ in changed:
                if not in_catalogue(status) and idea_id in self._matcher:
                    self._matcher.remove(idea_id)
            load_into(self._matcher, session, listed)
            session.commit()
            self._since = max(updated for _, _, updated in changed)
        return len(changed)
