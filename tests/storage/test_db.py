"""The SQLite connection settings every engine from ``make_engine`` gets."""

from __future__ import annotations

from pathlib import Path

from storage.db import make_engine


def test_sqlite_connections_use_wal_with_normal_sync_and_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        with engine.connect() as conn:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    finally:
        engine.dispose()
    # synchronous 1 is NORMAL (2 would be FULL, SQLite's default)
    assert pragma == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 30000}
