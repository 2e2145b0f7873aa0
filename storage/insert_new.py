"""``INSERT … ON CONFLICT DO NOTHING``: "insert unless present" in one statement, on both databases.

A savepoint around an insert that may collide (``begin_nested()`` and catching ``IntegrityError``)
costs two more round trips on PostgreSQL and a SAVEPOINT/RELEASE pair on SQLite, several times a
turn; a conflict skipped by the database itself costs nothing and leaves the transaction usable.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_new(session: Session, table: Table, **values: Any) -> Any:
    """An ``INSERT`` of ``values`` into ``table`` that skips a row colliding with any unique key: a
    result with ``rowcount`` 0, and no rows from its ``RETURNING``, when it did."""
    name = session.get_bind().dialect.name
    insert = postgresql.insert if name == "postgresql" else sqlite.insert
    return insert(table).values(**values).on_conflict_do_nothing()
