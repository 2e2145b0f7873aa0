"""The application on the in-memory store: the same service, matcher and limits ``adapters.bootstrap``
builds, with ``storage.memory`` in place of a database. For tests of what the bot does, not of how a
database stores it (those run on SQLite and PostgreSQL: tests/storage/test_contract.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.settings import Settings
from bot.admin_service import AdminService
from bot.conversation import Limits
from bot.matching import Matcher
from bot.service import ConversationService
from storage.matching_data import load_synonym_table
from storage.memory import MemoryDatabase, MemoryUnitOfWork, memory_uow_factory
from storage.semantic_model import shared_embedder


@dataclass
class MemoryApp:
    db: MemoryDatabase
    matcher: Matcher
    service: ConversationService
    settings: Settings

    def uow_factory(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)

    def rebuild_catalogue(self) -> int:
        """Index the whole committed catalogue again (what a process does at start-up)."""
        self.matcher.add_many(self.db.catalogue_entries())
        return len(self.matcher)


def memory_app(*, demo: bool = False, **settings: object) -> MemoryApp:
    values = Settings(**settings)  # type: ignore[arg-type]
    db = MemoryDatabase()
    if demo:
        db.seed_demo_catalogue()
    if values.initial_admins:  # as the composition root does at start-up
        AdminService(memory_uow_factory(db), []).grant_initial_admins(values.initial_admins, datetime.now(UTC))
    with MemoryUnitOfWork(db) as uow:
        forces, themes = uow.reference.forces(), uow.reference.themes()
    matcher = Matcher(load_synonym_table(), embedder=shared_embedder())
    limits = Limits(max_message_chars=values.max_message_chars, draft_ttl=timedelta(hours=values.draft_ttl_hours),
                    resume_after=timedelta(minutes=values.resume_after_minutes))

    def catalogue_changed(idea_ids: Sequence[int]) -> None:
        # As CatalogueSync.refresh_ids: what entered the catalogue is added, what left it removed.
        listed = db.catalogue_entries(set(idea_ids))
        matcher.add_many(listed)
        for idea_id in set(idea_ids) - {e.idea_id for e in listed}:
            matcher.remove(idea_id)

    service = ConversationService(memory_uow_factory(db), forces=forces, themes=themes, finder=matcher,
                                  limits=limits, on_catalogue_change=catalogue_changed)
    app = MemoryApp(db, matcher, service, values)
    app.rebuild_catalogue()
    return app
