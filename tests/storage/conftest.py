"""Fixtures the storage tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, session_factory


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a migrated database, SQLite and PostgreSQL (``database_url``)."""
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()
