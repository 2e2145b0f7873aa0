"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone and always hands back an aware UTC datetime.

    SQLite keeps no time zone, so without this a value read back would compare unequal (and raise on
    subtraction) against the aware datetimes the rest of the code uses.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def as_bound(column: Column[Any], value: Any, dialect: Dialect) -> Any:
    """``value`` as ``column``'s type hands it to the driver: for driver-level SQL, which SQLAlchemy's
    types do not see (storage/inbound_store.py says why the hot paths use it)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process is not None else value
