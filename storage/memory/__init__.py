"""An in-memory store implementing the same ports as the SQL one (``bot.ports.UnitOfWork`` and its
repositories), for fast service and transcript tests. ``tests/storage/test_contract*.py`` run one contract
suite on it, on SQLite and on PostgreSQL, so the three cannot drift apart.

Adding a repository to the unit of work? Give it a memory twin too: a class over ``Tables`` (a new table is a
new dict of frozen rows in ``tables.py``; change a row with ``dataclasses.replace``, never in place), bound in
``MemoryUnitOfWork.__enter__``, and its tests in the contract suite taking the ``uow`` fixture, so they run
on every store. ``memory_uow_factory`` is typed by the port: mypy names whatever the memory store lacks.

``inbound.MemoryInboundStore`` is the inbound event queue's twin (``bot.queues.InboundStore``, outside the
unit of work, as on the databases); its contract tests are ``tests/storage/test_contract_inbound.py``.
"""

from storage.memory.database import MemoryDatabase
from storage.memory.unit_of_work import MemoryUnitOfWork, memory_uow_factory

__all__ = ["MemoryDatabase", "MemoryUnitOfWork", "memory_uow_factory"]
