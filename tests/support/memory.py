"""The application on the in-memory store: the same service, matcher, limits, roundups and evidence
``adapters.bootstrap`` builds, with ``storage.memory`` in place of a database. For tests of what the bot does,
not of how a database stores it (those run on SQLite and PostgreSQL: tests/storage/test_contract*.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.settings import Settings
from bot.admin_service import AdminService
from bot.conversation import Limits
from bot.evidence.service import Evidence
from bot.matching import Matcher
from bot.roundups.channels_service import RoundupChannels
from bot.roundups.service import RoundupService
from bot.service import ConversationService
from scheduler.roundups import roundup_service
from storage.matching_data import load_synonym_table
from storage.memory import MemoryDatabase, MemoryUnitOfWork, memory_uow_factory
from storage.semantic_model import shared_embedder


@dataclass
class MemoryCatalogue:
    """``storage.catalogue_sync.CatalogueSync`` on the memory store: keeps the matcher's index current."""

    db: MemoryDatabase
    matcher: Matcher

    def rebuild(self) -> int:
        """Index the whole committed catalogue again (what a process does at start-up)."""
        self.matcher.add_many(self.db.catalogue_entries())
        return len(self.matcher)

    def refresh_ids(self, idea_ids: Collection[int]) -> None:
        """What entered the catalogue is added, what left it removed."""
        listed = self.db.catalogue_entries(set(idea_ids))
        self.matcher.add_many(listed)
        for idea_id in set(idea_ids) - {e.idea_id for e in listed}:
            if idea_id in self.matcher:
                self.matcher.remove(idea_id)


@dataclass
class MemoryApp:
    db: MemoryDatabase
    matcher: Matcher
    service: ConversationService
    settings: Settings
    catalogue: MemoryCatalogue
    roundups: RoundupService = field(init=False)
    roundup_channels: RoundupChannels = field(init=False)
    evidence: Evidence = field(init=False)

    def __post_init__(self) -> None:
        factory = memory_uow_factory(self.db)
        self.roundups = roundup_service(factory, lambda: self.matcher)
        self.roundup_channels = RoundupChannels(factory)
        self.evidence = Evidence(factory)

    def uow_factory(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)

    def rebuild_catalogue(self) -> int:
        return self.catalogue.rebuild()


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
    catalogue = MemoryCatalogue(db, matcher)
    limits = Limits(max_message_chars=values.max_message_chars, draft_ttl=timedelta(hours=values.draft_ttl_hours),
                    resume_after=timedelta(minutes=values.resume_after_minutes))
    service = ConversationService(memory_uow_factory(db), forces=forces, themes=themes, finder=matcher,
                                  limits=limits, on_catalogue_change=catalogue.refresh_ids)
    app = MemoryApp(db, matcher, service, values, catalogue)
    app.rebuild_catalogue()
    return app
