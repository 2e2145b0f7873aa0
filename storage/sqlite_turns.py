"""One SQLite transaction at a time per database file in this process, handed over at once.

Every unit of work on SQLite begins with ``BEGIN IMMEDIATE`` (``storage.db.make_engine``): it takes the
file's write lock, so two of this process's threads (the inbound writer, the worker's claim, a turn of
a conversation, the outbox's) never overlap anyway. What differs is how the second one waits. SQLite's
own busy handler sleeps between looks, 1, 2, 5, 10 … up to 100 ms, and sleeps through the release:
under load most of the time from an officer's message to the bot's answer was spent asleep there
(docs/PERFORMANCE.md, "one write turn at a time"). A lock in the process wakes the next thread the
moment the previous one commits or rolls back; other processes on the same file (the command-line
tools, a second server) still meet SQLite's busy handler as before.

The turn is taken in the engine's ``begin`` event and given back when the connection goes back to the
pool, which a unit of work does straight after its commit or rollback (SQLAlchemy's own ``commit``
event comes before the COMMIT is sent: the next thread would find the file still locked). A thread
that would wait longer than ``PATIENCE`` goes ahead without its turn and leaves the waiting to SQLite,
so a bug that held a turn could slow this process down but never deadlock it.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event

PATIENCE = 30.0  # seconds: the same as SQLite's busy_timeout (storage.db)
_HELD = "sqlite_turn"  # key in the pooled connection's info: the lock this connection holds

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(database: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(database, threading.Lock())


def take_turns(engine: Engine, database: str) -> None:
    """Make ``engine``'s transactions on ``database`` (a file path) take turns with this process's other
    engines on the same file; each begins with ``BEGIN IMMEDIATE``."""
    lock = _lock_for(str(database))

    def begin(conn: Any) -> None:
        # A connection kept out of the pool across transactions already has its turn.
        if _HELD not in conn.info and lock.acquire(timeout=PATIENCE):
            conn.info[_HELD] = lock
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _give_back(conn.info)
            raise

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        _give_back(record.info)

    event.listen(engine, "begin", begin)
    event.listen(engine, "checkin", checkin)


def _give_back(info: dict[Any, Any]) -> None:
    held = info.pop(_HELD, None)
    if held is not None:
        held.release()
