"""PostgreSQL connections dropped under the pool (a database restart, an idle connection cut by a
firewall): an idle connection is checked and replaced before use, without a round trip per checkout
for the busy ones (storage/db.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine, session_factory


def drop_every_other_connection(url: str) -> None:
    """What a restart does to the pool's connections: the server ends them."""
    killer = make_engine(url)
    try:
        with killer.connect() as conn:
            ended = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        assert ended and ended >= 1
    finally:
        killer.dispose()


def answer(engine: Engine) -> int:
    with session_factory(engine).begin() as session:
        return int(session.execute(text("SELECT 41 + 1")).scalar_one())


def test_a_connection_idle_long_enough_is_replaced_before_use(postgres_url: str) -> None:
    engine = make_engine(postgres_url, check_after=0.0)  # every connection back in the pool counts as idle
    try:
        assert answer(engine) == 42
        drop_every_other_connection(postgres_url)
        assert answer(engine) == 42  # the dead connection was found at checkout and replaced: no error
        assert answer(engine) == 42
    finally:
        engine.dispose()


def test_a_busy_connection_is_not_checked_and_one_failure_replaces_the_pool(postgres_url: str) -> None:
    """The trade-off taken: a connection used a moment ago goes out unchecked, so a restart in that
    moment fails one unit of work (the callers retry database blinks); the pool is then renewed."""
    engine = make_engine(postgres_url, check_after=3600.0)
    try:
        assert answer(engine) == 42
        drop_every_other_connection(postgres_url)
        with pytest.raises(OperationalError):
            answer(engine)
        assert answer(engine) == 42
    finally:
        engine.dispose()
