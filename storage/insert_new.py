"""``INSERT … ON CONFLICT DO NOTHING``: "insert unless present" in one statement, on both databases.

A savepoint around an insert that may collide (``begin_nested()`` and catching ``IntegrityError``)
costs two more round trips on PostgreSQL and a SAVEPOINT/RELEASE pair on SQLite, several times a
turn; a conflict skipped by the database itself costs nothing and leaves the transaction usable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

_INSERTS: dict[str, Callable[[Table], Any]] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_new(session: Session, table: Table, **values: Any) -> Any:
    """An ``INSERT`` of ``values`` into ``table`` that skips a row colliding with any unique key: a
    result with ``rowcount`` 0, and no rows from its ``RETURNING``, when it did."""
    name = session.get_bind().dialect.name
    insert = postgresql.insert if name == "postgresql" else sqlite.insert
    return insert(table).values(**values).on_conflict_do_nothing()


class InsertNew:
    """``insert_new`` built once, for the statements a conversation turn makes every time: the values
    come with the execution (``session.execute(statement.on(session), values)``). Building an insert
    with ``.values(**values)`` anew costs more CPU than running it on SQLite — coercing each value,
    then working out its cache key from them — where a statement built once is keyed once and its
    compiled form is found in SQLAlchemy's cache by the names of the values given
    (docs/PERFORMANCE.md, "A lighter turn")."""

    def __init__(self, table: Table, returning: ColumnElement[Any], *more: ColumnElement[Any],
                 values: Mapping[str, Any] | None = None) -> None:
        """``values``: columns whose value is a SQL expression, written into the statement (the others
        come with each execution)."""
        self._by_dialect = {name: insert(table).values(**(values or {})).on_conflict_do_nothing()
                            .returning(returning, *more) for name, insert in _INSERTS.items()}

    def on(self, session: Session) -> Any:
        return self._by_dialect[session.get_bind().dialect.name]
