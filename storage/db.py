"""Engines and sessions for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from bot.queues import StoreBusy
from storage.sqlite_turns import take_turns

# Under load a pooled connection is back in use within milliseconds and needs no check; one left idle
# this long (seconds) may have outlived a database restart, so it is pinged before use.
IDLE_CHECK_AFTER = 5.0


class BadDatabaseUrl(ValueError):
    pass


def normalise_url(url: str) -> str:
    """Accept the spellings hosting platforms hand out and pick the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check_url(url: str) -> str:
    """Return the normalised URL, or raise BadDatabaseUrl with one line saying what is wrong."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise BadDatabaseUrl(f"DATABASE_URL {url!r} is not a database URL (expected sqlite:///… or "
                             "postgresql+psycopg://…)") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise BadDatabaseUrl(f"DATABASE_URL uses {parsed.get_backend_name()!r}; only sqlite and postgresql are "
                             "supported")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, durable: bool = False, turns: bool = True, check_after: float = IDLE_CHECK_AFTER,
                **kwargs: Any) -> Engine:
    """``durable``: on SQLite, every commit also waits for the disk (``synchronous=FULL``), for the
    writes an acknowledgement depends on (PostgreSQL commits are durable already). ``turns``: on SQLite,
    every unit of work begins ``BEGIN IMMEDIATE`` and takes this process's write turn; without it no
    ``BEGIN`` is issued (``reading_sessions``). ``check_after``: on PostgreSQL, a pooled connection idle
    for this many seconds is checked before it is used."""
    url = check_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if durable:
            event.listen(engine, "connect", _sqlite_durable)
        # pysqlite opens transactions lazily and lets SELECTs run outside them; take control so a
        # unit of work is one real transaction (BEGIN IMMEDIATE: writers queue instead of deadlocking),
        # and let this process's threads take turns without SQLite's sleeping busy handler.
        if turns:
            take_turns(engine, str(Path(parsed.database or ":memory:").resolve()) if parsed.database
                       and parsed.database != ":memory:" else f":memory:{id(engine)}")
        return engine
    # Connections older than half an hour are replaced (a server or firewall may drop idle ones), and
    # one idle for a while is checked before use; a busy one is not: SQLAlchemy's ``pool_pre_ping``
    # costs a round trip on every checkout, five or six a conversation turn (docs/PERFORMANCE.md).
    kwargs.setdefault("pool_recycle", 1800)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine, "checkin", _note_idle_since)
        event.listen(engine, "checkout", _check_if_idle(engine.dialect, check_after))
    return engine


def _note_idle_since(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _check_if_idle(dialect: Dialect, after: float) -> Callable[[Any, ConnectionPoolEntry, Any], None]:
    """A checkout listener: a connection idle for ``after`` seconds or more is pinged first, and one that
    does not answer (the database restarted) is replaced at once — the pool's ``DisconnectionError``
    protocol — so the unit of work that asked for it never sees the dead one. A connection in use a
    moment ago that the database dropped since fails its next statement instead; SQLAlchemy then
    replaces every connection of the pool, and the callers' retry (``database_blinks``) takes it."""

    def check(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < after:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError(str(exc)) from exc
            raise

    return check


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs at checkpoints rather than at every commit (SQLite's own advice for WAL):
    # a crash of this app loses nothing committed and the file cannot be corrupted; only a power cut or
    # an OS crash can undo the last moment's commits. FULL spent a disk flush on every stored event
    # batch. Platform events, which an acknowledgement promises, are committed on connections of their
    # own with FULL (durable_sessions).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_durable(dbapi_connection: Any, _record: Any) -> None:
    # FULL with WAL syncs the log at every commit: what was committed survives a power cut too.
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    # No busy timeout: SQLite's own waiting sleeps up to 100 ms between looks at a busy lock, and the
    # acknowledgements wait on these commits. The caller retries at once instead (busy_as_store_busy).
    dbapi_connection.execute("PRAGMA busy_timeout=0")


@contextmanager
def busy_as_store_busy() -> Iterator[None]:
    """SQLite's "database is locked" as the ports' ``StoreBusy``, so the caller decides when to try
    again: the inbound writer looks every millisecond (``adapters/intake.py``), where SQLite's busy
    handler can sleep through many releases of the lock (hence ``busy_timeout=0`` above)."""
    try:
        yield
    except OperationalError as exc:
        if "locked" not in str(exc.orig):
            raise
        raise StoreBusy(str(exc.orig)) from exc


def durable_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose commits are durable (see ``make_engine``): on SQLite a small engine of their own
    on the same file, whose connections sync every commit; on PostgreSQL the engine's own."""
    if engine.dialect.name != "sqlite":
        return session_factory(engine)
    # One connection: the inbound writer commits one batch at a time.
    return session_factory(make_engine(engine.url.render_as_string(hide_password=False), durable=True,
                                       pool_size=1, max_overflow=0))


def reading_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for a single look-up that must not queue behind writers: on SQLite a small engine of
    its own on the same file that does not take this process's write turn (``storage.sqlite_turns``):
    it issues no ``BEGIN``, so each statement reads the last committed state on its own (WAL lets a
    reader run while a writer commits). On PostgreSQL, where reads never wait, the engine's own pool in
    autocommit (no ``BEGIN`` either); on an in-memory SQLite database (another engine would see another
    database), the engine's own sessions.

    Only for reads that are one statement, or whose statements need not agree with each other: there is
    no transaction holding them together. Writing through these sessions would not take the turn either."""
    url = engine.url
    if engine.dialect.name == "postgresql":
        # Autocommit: a single read needs no transaction, and psycopg would spend a round trip on its
        # BEGIN and another on the ROLLBACK that ends the session (the pool's connections, shared).
        return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))
    if not url.database or url.database == ":memory:":
        return session_factory(engine)
    return session_factory(make_engine(url.render_as_string(hide_password=False), turns=False,
                                       pool_size=2, max_overflow=2))


def single_statements(sessions: sessionmaker[Session]) -> Engine | None:
    """On PostgreSQL, the sessions' engine with its pool's connections in autocommit, for a step that is
    one statement: it commits on its own, one round trip where ``BEGIN``, the statement and ``COMMIT``
    were three. None on SQLite, whose transactions cost no round trips (and whose writers take turns:
    ``storage.sqlite_turns``), and for sessions bound to anything but an engine."""
    engine = sessions.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        return None
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
