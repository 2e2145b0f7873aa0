"""Look-ups that must not queue behind the writers (storage.db.reading_sessions): on SQLite they do not
take this process's write turn, and read what was last committed; elsewhere they are the engine's own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import psycopg
from sqlalchemy import text

from bot.domain import PersonRef
from bot.ports import KnownProfile
from storage.db import make_engine, reading_sessions
from tests.conftest import make_container

T = TypeVar("T")
CHECKED = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def within(seconds: float, look: Callable[[], T]) -> T | None:
    """``look()`` run in a thread; None when it has not answered within ``seconds`` (it is left to finish)."""
    answers: list[T] = []
    thread = threading.Thread(target=lambda: answers.append(look()), daemon=True)
    thread.start()
    thread.join(seconds)
    return answers[0] if answers else None


def test_on_sqlite_a_look_up_reads_the_last_commit_while_a_writer_holds_the_turn(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    reads = reading_sessions(engine)
    assert reads.kw["bind"] is not engine
    with engine.begin() as writing:  # holds the write turn (BEGIN IMMEDIATE) with a change not yet committed
        writing.execute(text("INSERT INTO t VALUES (2)"))

        def look() -> list[int]:
            with reads() as session:
                return [int(n) for n in session.scalars(text("SELECT n FROM t ORDER BY n"))]

        assert within(5, look) == [1], "the look-up waited for the writer, or saw its uncommitted row"
    with reads() as session:
        assert [int(n) for n in session.scalars(text("SELECT n FROM t ORDER BY n"))] == [1, 2]
    reads.kw["bind"].dispose()
    engine.dispose()


def test_a_person_s_stored_profile_is_read_while_a_conversation_turn_holds_the_database(sqlite_url: str) -> None:
    """The Slack directory reads this for every person a process has not yet seen, before their turn:
    behind the writers it waited for every turn queued ahead of it."""
    container = make_container(sqlite_url)
    ref = PersonRef("slack", "T1", "U1")
    with container.uow_factory() as uow:
        uow.people.ensure(ref, display_name="Sam Patel", email="sam@police.example", locale="en",
                          at=CHECKED, profile_checked_at=CHECKED)
        uow.commit()
    with container.uow_factory() as uow:  # a turn in progress: it holds the write turn until it ends
        uow.people.ensure(PersonRef("slack", "T1", "U2"), display_name="Jo", at=CHECKED)
        uow.session.flush()
        known = within(5, lambda: container.surfaces.known_profile(ref))
    assert known == KnownProfile("Sam Patel", "sam@police.example", "en", CHECKED)
    container.engine.dispose()


def test_an_in_memory_database_s_look_ups_use_the_engine_s_own_sessions() -> None:
    memory = make_engine("sqlite://")
    assert reading_sessions(memory).kw["bind"] is memory  # another engine would be another database


def test_on_postgresql_a_look_up_shares_the_pool_and_opens_no_transaction(postgres_url: str) -> None:
    """psycopg would send a BEGIN before the read and a ROLLBACK when the session ends: two round trips
    for nothing, before every person's first turn in a process."""
    engine = make_engine(postgres_url)
    reads = reading_sessions(engine)
    assert reads.kw["bind"].pool is engine.pool
    with reads() as session:
        assert session.scalar(text("SELECT 41 + 1")) == 42
        driver = session.connection().connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with engine.connect() as conn:  # the same pooled connection, back in the engine's own ways
        assert conn.scalar(text("SELECT 1")) == 1
        pooled = conn.connection.dbapi_connection
        assert pooled is driver and pooled.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    engine.dispose()
