"""SQLite transactions of one process take turns on a lock that is given back with the connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from storage import sqlite_turns
from storage.db import make_engine


def _turn(path: Path) -> threading.Lock:
    return sqlite_turns._lock_for(str(path.resolve()))


def test_a_transaction_holds_the_turn_until_its_connection_goes_back(tmp_path: Path) -> None:
    path = tmp_path / "turns.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        assert _turn(path).locked()
    assert not _turn(path).locked()
    with pytest.raises(ZeroDivisionError), engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        raise ZeroDivisionError
    assert not _turn(path).locked(), "a rolled-back transaction gives the turn back"
    with engine.connect() as conn:  # a connection kept across transactions takes its turn once
        conn.execute(text("SELECT 1"))
        conn.commit()
        conn.execute(text("SELECT 1"))
        assert _turn(path).locked()
    assert not _turn(path).locked()


def test_a_second_engine_on_the_same_file_waits_for_the_turn_and_then_goes_in_order(tmp_path: Path) -> None:
    path = tmp_path / "order.sqlite"
    first, second = make_engine(f"sqlite:///{path}"), make_engine(f"sqlite:///{path}")
    with first.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    holding, done = threading.Event(), threading.Event()

    def later() -> None:
        holding.wait()
        with second.begin() as conn:  # waits on the process's lock, not SQLite's sleeping busy handler
            conn.execute(text("INSERT INTO t VALUES (2)"))
        done.set()

    thread = threading.Thread(target=later)
    thread.start()
    with first.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        holding.set()
        assert not done.wait(0.2), "the second transaction went in while the first held the turn"
    thread.join(10)
    assert done.is_set()
    with first.connect() as conn:
        assert [n for (n,) in conn.execute(text("SELECT n FROM t ORDER BY rowid"))] == [1, 2]


def test_a_begin_that_fails_gives_the_turn_back(tmp_path: Path) -> None:
    path = tmp_path / "fails.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    other = make_engine(f"sqlite:///{path}")
    event.listen(other, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=0"))
    # Another process holds the file's write lock (a raw connection: it takes no turn here).
    outsider = sqlite3.connect(path, isolation_level=None)
    outsider.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"), other.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        assert not _turn(path).locked()
    finally:
        outsider.rollback()
        outsider.close()
