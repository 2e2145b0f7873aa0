"""An in-memory store implementing the same ports as the SQL one (``bot.ports.UnitOfWork`` and its
repositories), for fast service and transcript tests. ``tests/storage/test_contract.py`` runs one contract
suite on it, on SQLite and on PostgreSQL, so the three cannot drift apart."""

from storage.memory.database import MemoryDatabase
from storage.memory.unit_of_work import MemoryUnitOfWork, memory_uow_factory

__all__ = ["MemoryDatabase", "MemoryUnitOfWork", "memory_uow_factory"]
