"""Shared fixtures: real SQLite and real PostgreSQL databases, migrated once and cloned per test."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from adapters.bootstrap import Container, bootstrap, prepare_database
from adapters.settings import Settings
from storage.db import make_engine, session_factory
from storage.memory import MemoryDatabase, MemoryUnitOfWork
from storage.unit_of_work import SqlUnitOfWork
from tests.support.memory import MemoryApp
from tests.support.memory import memory_app as build_memory_app
from tests.support.postgres import PostgresUnavailable, postgres_server

BACKENDS = ["sqlite", "postgresql"]
STORES = ["memory", *BACKENDS]  # every implementation of bot.ports.UnitOfWork


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as exc:
        # Never a skip: every storage test must also run on PostgreSQL.
        pytest.fail(f"PostgreSQL test server unavailable: {exc}")


def _admin_engine(admin_url: str) -> Engine:
    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    """A database migrated to head with reference data, cloned (cheaply) for every test."""
    name = "innovation_template"
    admin = _admin_engine(pg_admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(pg_admin_url.rsplit("/", 1)[0] + f"/{name}")
    prepare_database(engine)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file we copy
    return path


def _sqlite_url(template: Path, tmp_path: Path) -> str:
    target = tmp_path / f"db-{uuid.uuid4().hex[:8]}.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return _sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    admin_url: str = request.getfixturevalue("pg_admin_url")
    template: str = request.getfixturevalue("pg_template")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return _sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
    url: str = request.getfixturevalue("postgres_url")
    return url


def make_container(url: str, **settings: object) -> Container:
    values: dict[str, object] = {"database_url": url, **settings}  # the playground: on without platforms
    return bootstrap(Settings(**values))  # type: ignore[arg-type]


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    c = make_container(database_url)
    yield c
    c.engine.dispose()


@pytest.fixture
def sqlite_container(sqlite_url: str) -> Iterator[Container]:
    c = make_container(sqlite_url)
    yield c
    c.engine.dispose()


@dataclass
class Store:
    """One implementation of the unit of work, ready to use: ``uow_factory()`` opens a new one."""

    name: str
    uow_factory: Callable[[], SqlUnitOfWork | MemoryUnitOfWork]
    engine: Engine | None = None  # the SQL stores' engine, for what only a database has (migrations)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Runs the test once on each store: in memory, on SQLite and on PostgreSQL (the contract suite)."""
    if request.param == "memory":
        database = MemoryDatabase()
        yield Store("memory", lambda: MemoryUnitOfWork(database))
        return
    url = _sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path) if request.param == "sqlite" \
        else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    sessions = session_factory(engine)
    yield Store(request.param, lambda: SqlUnitOfWork(sessions), engine)
    engine.dispose()


@pytest.fixture
def memory_app() -> MemoryApp:
    """The service on the in-memory store, for tests of what the bot does rather than how it is stored."""
    return build_memory_app()


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own .env or platform variables must not change what the tests see.
    for key in list(os.environ):
        if key.startswith(("SLACK_", "TEAMS_", "GRAPH_")) or key in ("DATABASE_URL", "PLAYGROUND", "ADMIN_TOKEN",
                                                                     "PUBLIC_URL"):
            monkeypatch.delenv(key, raising=False)
