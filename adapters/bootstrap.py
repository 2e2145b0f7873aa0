"""The composition root: builds every part from settings, for every process (web, worker, clock, CLI).

It is the one module of ``adapters/`` and ``scheduler/`` that imports ``storage``: it makes the engine,
binds the storage implementations to the ``bot/`` ports and hands ready services to the entry points,
which then never open a session themselves (docs/architecture.md). Tests call it with their own settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from adapters.arrivals import Arrivals
from adapters.database_url import database_key
from adapters.delivery import OutboxDispatcher, Sender
from adapters.event_processing import POLL_WHEN_TOLD, WORKING_IN_PROCESS, InboundWorker, Processor
from adapters.hand_over import OutboxHandOver
from adapters.intake import InboundWriter
from adapters.settings import ConfigurationError, Settings
from bot.admin import AdminError
from bot.admin_service import AdminService
from bot.conversation import Limits
from bot.evidence.service import Evidence
from bot.installs.service import InstallationService
from bot.matching import Matcher
from bot.personas import PersonaService
from bot.practice_import.service import PracticeImport
from bot.queues import InboundStore, OutboxStore
from bot.roundups.channels_service import RoundupChannels
from bot.roundups.service import RoundupService
from bot.service import ConversationService
from bot.sign_in import SignInStore
from bot.surfaces import ChatSurfaces
from scheduler.parts import ClockParts
from storage import migrate
from storage.catalogue_sync import CatalogueSync
from storage.clock_lease import SqlClockLeases
from storage.db import durable_sessions, make_engine, ping, reading_sessions, session_factory
from storage.embeddings import load_into, reembed
from storage.inbound_notify import NewEventsListener
from storage.inbound_store import SqlInboundStore
from storage.matching_data import load_synonym_table
from storage.outbox_store import SqlOutboxStore
from storage.roundup_models import apscheduler_jobs
from storage.seed import seed_demo_catalogue, seed_forces, seed_themes
from storage.semantic_model import shared_embedder
from storage.sign_in import SqlSignIns
from storage.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

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
    admin: AdminService  # admin commands from the command line (chat's go through ``service``)
    health: Callable[[], str | None]  # None when the database answers, else why not (no URL, no secret)
    clock: ClockParts  # what the clock runs, and where it keeps its jobs and its lease
    roundups: RoundupService = field(init=False)  # posting roundups (set by bootstrap: it has the renderers' budgets)
    roundup_channels: RoundupChannels = field(init=False)  # subscribing channels, the playground's channel panel
    # The two durable queues, as the entry points reach them (bot.queues ports).
    outbox_store: OutboxStore = field(init=False)
    inbound_store: InboundStore = field(init=False)
    # Platform adapters register their outbox sender here when they are mounted (see adapters/web.py).
    senders: dict[str, Sender] = field(default_factory=dict)
    # Where this process's units of work hand what they queue to the dispatcher (open while it runs).
    hand_over: OutboxHandOver = field(default_factory=OutboxHandOver)
    dispatcher: OutboxDispatcher = field(init=False)
    # Events stored before they are acknowledged (adapters/intake.py), and what processes each platform's
    # (adapters/event_processing.py).
    processors: dict[str, Processor] = field(default_factory=dict)
    inbound: InboundWorker = field(init=False)
    # Seconds between the worker's looks when nothing wakes it (read before each wait). In the web process
    # the writer wakes it, so this is a safety poll; ``innovation-bot worker`` sets its own.
    inbound_poll: Callable[[], float] = lambda: POLL_WHEN_TOLD
    inbox: InboundWriter = field(init=False)
    arrivals: Arrivals = field(default_factory=Arrivals)  # of platform requests, for the worker to give way
    evidence: Evidence = field(init=False)  # the figures and exports (dashboard, `innovation-bot export`)
    sign_ins: SignInStore = field(init=False)  # the dashboard's failed sign-ins and sessions
    practice_import: PracticeImport = field(init=False)  # `innovation-bot import`
    installs: InstallationService = field(init=False)  # where the app is installed; proactive notices
    surfaces: ChatSurfaces = field(init=False)  # home page, edit boxes, pointers: what the adapters render
    personas: PersonaService = field(init=False)  # the playground's and the console's people
    dialect: str = field(init=False)  # "sqlite", "postgresql": how many events may run through the core at once
    # What the database raises when it blinks (a restart, a dropped connection): an entry point may retry.
    database_blinks: tuple[type[Exception], ...] = (OperationalError,)

    def slack_installations(self, client_id: str) -> SQLAlchemyInstallationStore:
        """slack_sdk's own store of workspace installs, on this database (adapters/slack/oauth.py wraps it)."""
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

        from adapters.slack.logs import slack_logger

        return SQLAlchemyInstallationStore(client_id=client_id, engine=self.engine,
                                           logger=slack_logger("installations"))

    def slack_oauth_states(self, expiration_seconds: int) -> SQLAlchemyOAuthStateStore:
        """slack_sdk's own store of one-time OAuth ``state`` values, on this database."""
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        from adapters.slack.logs import slack_logger

        return SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=self.engine,
                                         logger=slack_logger("oauth_states"))

    def new_events_listener(self, wake: Callable[[], None]) -> NewEventsListener | None:
        """Calls ``wake`` when another process stores platform events (PostgreSQL); None on SQLite,
        which cannot tell: a worker there polls."""
        return NewEventsListener(self.engine, wake) if self.dialect == "postgresql" else None

    def __post_init__(self) -> None:
        self.installs = InstallationService(self.uow_factory)
        self.dialect = self.engine.dialect.name
        self.personas = PersonaService(self.uow_factory, review=self.service.review, forces=self.service.forces)
        # A person's stored profile is read before their first turn in this process, for every person:
        # on SQLite through sessions that do not queue behind the writers (storage.db.reading_sessions).
        lookups = reading_sessions(self.engine)
        self.surfaces = ChatSurfaces(self.uow_factory, review=self.service.review, finder=self.service.finder,
                                     limits=self.service.limits, lookups=lambda: SqlUnitOfWork(lookups))
        self.evidence = Evidence(self.uow_factory)
        self.sign_ins = SqlSignIns(self.sessions)
        self.practice_import = PracticeImport(self.uow_factory)
        self.outbox_store = SqlOutboxStore(self.sessions)
        self.inbound_store = SqlInboundStore(self.sessions)
        self.dispatcher = OutboxDispatcher(self.outbox_store, self.senders, hand_over=self.hand_over)
        # In the web process the worker's events take turns with the acknowledgements: on PostgreSQL only
        # a few work at once (those waiting on a platform's answer do not count). SQLite's turns run one
        # at a time anyway (adapters/slack/handlers.py), and a limit there measured slower replies
        # (docs/PERFORMANCE.md, "collection pauses and working events").
        in_web = self.settings.worker == "in-process" and self.dialect == "postgresql"
        working = WORKING_IN_PROCESS if in_web else None
        self.inbound = InboundWorker(self.inbound_store, self.processors, working=working,
                                     crowded=self.arrivals.crowded)
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


def migrate_database(settings: Settings, *, demo: bool = False) -> None:
    """``innovation-bot migrate``."""
    engine = make_engine(settings.database_url)
    try:
        prepare_database(engine, demo=demo)
    finally:
        engine.dispose()


def not_ready(exc: SQLAlchemyError) -> ConfigurationError:
    reason = type(getattr(exc, "orig", None) or exc).__name__
    return ConfigurationError(f"the database is not ready ({reason}); run `innovation-bot migrate` first")


def ready_container(settings: Settings) -> Container:
    """The container for a command that needs a migrated database, or one line saying it is not."""
    try:
        return bootstrap(settings)
    except OperationalError as exc:
        raise not_ready(exc) from None


def reembed_catalogue(settings: Settings, *, everything: bool,
                      progress: Callable[[int, int], None] | None) -> tuple[int, str]:
    """``innovation-bot reembed``: (entries embedded, model id)."""
    embedder = shared_embedder()
    if embedder is None:
        raise ConfigurationError("the embedding model could not be loaded (or SEMANTIC_MATCHING is off); "
                                 "nothing to re-embed")
    engine = make_engine(settings.database_url)
    try:
        return reembed(session_factory(engine), embedder, everything=everything, progress=progress), \
            embedder.model_id
    except (OperationalError, ProgrammingError) as exc:
        raise not_ready(exc) from None
    finally:
        engine.dispose()


def health_check(engine: Engine) -> Callable[[], str | None]:
    def check() -> str | None:
        try:
            ping(engine)
        except SQLAlchemyError as exc:
            # Say what is wrong without leaking the URL or credentials.
            return f"database unavailable: {type(getattr(exc, 'orig', None) or exc).__name__}"
        return None

    return check


def clock_parts(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> ClockParts:
    """The clock's parts on this database (``scheduler.jobs.serve`` puts them to work)."""

    def uow_factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    def build_finder() -> Matcher:
        # The same hybrid matcher as chat and cards, fed the stored vectors (nothing recomputed).
        matcher = Matcher(load_synonym_table(), embedder=shared_embedder())
        with sessions() as session:
            load_into(matcher, session)
            session.commit()
        return matcher

    def job_store() -> BaseJobStore:
        return SQLAlchemyJobStore(engine=engine, tablename=apscheduler_jobs.name)

    def drop_jobs_except(ids: Sequence[str]) -> None:
        with engine.begin() as conn:
            conn.execute(apscheduler_jobs.delete().where(apscheduler_jobs.c.id.not_in(list(ids))))

    return ClockParts(database_key(settings.database_url), uow_factory, build_finder,
                      SqlClockLeases(sessions), job_store, drop_jobs_except)


@contextmanager
def evidence_only(settings: Settings) -> Iterator[Evidence]:
    """The figures and exports on their own (`innovation-bot export`): no matcher, no model to load."""
    engine = make_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        yield Evidence(lambda: SqlUnitOfWork(sessions))
    except (OperationalError, ProgrammingError) as exc:
        raise not_ready(exc) from None
    finally:
        engine.dispose()


def bootstrap(settings: Settings, *, engine: Engine | None = None) -> Container:
    engine = engine or make_engine(settings.database_url)
    sessions = session_factory(engine)
    hand_over = OutboxHandOver()

    def uow_factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, hand_over)

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

    admin = AdminService(uow_factory, [f.slug for f in forces])
    if settings.initial_admins:
        try:  # INITIAL_ADMINS: the first admins, so someone can name brokers from chat on day one
            admin.grant_initial_admins(settings.initial_admins, datetime.now(UTC))
        except AdminError as exc:
            raise ConfigurationError(f"configuration error: INITIAL_ADMINS: {exc}") from None
    service = ConversationService(uow_factory, forces=forces, themes=themes, finder=matcher, limits=limits,
                                  on_catalogue_change=catalogue_changed)
    container = Container(settings, engine, sessions, uow_factory, matcher, service, catalogue, admin,
                          health_check(engine), clock_parts(settings, engine, sessions), hand_over=hand_over)
    from scheduler.roundups import roundup_service  # here: its renderers' packages import this module

    container.roundups = roundup_service(uow_factory, lambda: matcher)
    container.roundup_channels = RoundupChannels(uow_factory)
    return container
