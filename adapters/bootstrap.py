"""The composition root: builds every part from settings. Tests call it with their own settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.arrivals import Arrivals
from adapters.delivery import OutboxDispatcher, Sender
from adapters.event_processing import InboundWorker, Processor
from adapters.intake import InboundWriter
from adapters.settings import Settings
from bot.conversation import Limits
from bot.matching import Matcher
from bot.queues import InboundStore, OutboxStore
from bot.service import ConversationService
from storage import migrate
from storage.catalogue_sync import CatalogueSync
from storage.db import durable_sessions, make_engine, session_factory
from storage.inbound_store import SqlInboundStore
from storage.matching_data import load_synonym_table
from storage.outbox_store import SqlOutboxStore
from storage.seed import seed_demo_catalogue, seed_forces, seed_themes
from storage.semantic_model import shared_embedder
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    uow_factory: Callable[[], SqlUnitOfWork]
    matcher: Matcher
    service: ConversationService
    catalogue: CatalogueSync
    # The two durable queues, as the entry points reach them (bot.queues ports).
    outbox_store: OutboxStore = field(init=False)
    inbound_store: InboundStore = field(init=False)
    # Platform adapters register their outbox sender here when they are mounted (see adapters/web.py).
    senders: dict[str, Sender] = field(default_factory=dict)
    dispatcher: OutboxDispatcher = field(init=False)
    # Events stored before they are acknowledged (adapters/intake.py), and what processes each platform's
    # (adapters/event_processing.py).
    processors: dict[str, Processor] = field(default_factory=dict)
    inbound: InboundWorker = field(init=False)
    inbox: InboundWriter = field(init=False)
    arrivals: Arrivals = field(default_factory=Arrivals)  # of platform requests, for the worker to give way

    def __post_init__(self) -> None:
        self.outbox_store = SqlOutboxStore(self.sessions)
        self.inbound_store = SqlInboundStore(self.sessions)
        self.dispatcher = OutboxDispatcher(self.outbox_store, self.senders)
        self.inbound = InboundWorker(self.inbound_store, self.processors, crowded=self.arrivals.crowded)
        # With WORKER=in-process the worker is in this process: a stored event wakes it at once
        # (`innovation-bot worker` polls instead).
        wake = self.inbound.wake if self.settings.worker == "in-process" else None
        # Acknowledgements wait on this writer's commits: it writes on durable sessions of its own.
        self.inbox = InboundWriter(SqlInboundStore(durable_sessions(self.engine)), on_stored=wake)


def prepare_database(engine: Engine, *, demo: bool = False) -> None:
    """Migrate to the newest schema and load reference data (and the demo catalogue when asked)."""
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        seed_forces(session)
        seed_themes(session)
        if demo:
            added = seed_demo_catalogue(session)
            if added:
                log.info("loaded %d demo catalogue entries", added)


def grant_initial_admins(sessions: sessionmaker[Session], people: str) -> None:
    """INITIAL_ADMINS: the first admins, so someone can name brokers from chat on day one."""
    from datetime import UTC, datetime

    from adapters.settings import ConfigurationError
    from bot.admin import AdminError, GrantRole, parse_person
    from bot.domain import Role
    from storage.admin import apply

    with sessions.begin() as session:
        for ref in filter(None, (p.strip() for p in people.split(","))):
            try:
                apply(session, GrantRole(Role.ADMIN, parse_person(ref)), datetime.now(UTC))
            except AdminError as exc:
                raise ConfigurationError(f"configuration error: INITIAL_ADMINS: {exc}") from None


def bootstrap(settings: Settings, *, engine: Engine | None = None) -> Container:
    engine = engine or make_engine(settings.database_url)
    sessions = session_factory(engine)

    def uow_factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    with uow_factory() as uow:
        forces = uow.reference.forces()
        themes = uow.reference.themes()
    matcher = Matcher(load_synonym_table(), embedder=shared_embedder())
    catalogue = CatalogueSync(sessions, matcher)
    catalogue.rebuild()
    limits = Limits(max_message_chars=settings.max_message_chars,
                    draft_ttl=timedelta(hours=settings.draft_ttl_hours),
                    resume_after=timedelta(minutes=settings.resume_after_minutes))

    def catalogue_changed(idea_ids: Sequence[int]) -> None:
        # Newly approved ideas are findable at once, withdrawn ones gone at once: no full rebuild.
        catalogue.refresh_ids(idea_ids)

    if settings.initial_admins:
        grant_initial_admins(sessions, settings.initial_admins)
    service = ConversationService(uow_factory, forces=forces, themes=themes, finder=matcher, limits=limits,
                                  on_catalogue_change=catalogue_changed)
    return Container(settings, engine, sessions, uow_factory, matcher, service, catalogue)
