"""What a process does once it has started, before it serves: the worker in the web process works a few
events at once, and start-up's objects are kept out of the cycle collector's way (adapters/heap.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from adapters import worker
from adapters.bootstrap import Container, migrate_database
from adapters.cli import main
from adapters.event_processing import WORKING_IN_PROCESS
from adapters.settings import Settings
from tests.conftest import make_container


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process's own objects go back to the collector afterwards."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_serve_freezes_what_start_up_built_before_it_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             unfrozen: None) -> None:
    db = f"sqlite:///{tmp_path}/bot.sqlite3"
    migrate_database(Settings(database_url=db))  # type: ignore[call-arg]
    monkeypatch.setenv("DATABASE_URL", db)
    served: list[int] = []

    def run(app: Any, **_: Any) -> None:
        served.append(gc.get_freeze_count())

    monkeypatch.setattr(uvicorn, "run", run)
    assert main(["serve"]) == 0
    assert len(served) == 1 and served[0] > 10_000  # the container, the catalogue, the app: out of sight


def test_the_worker_freezes_what_start_up_built_before_it_works(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                                unfrozen: None) -> None:
    container = make_container(sqlite_url, worker="external", playground=False)
    worked: list[int] = []

    async def work(_container: Container, **_: Any) -> bool:
        worked.append(gc.get_freeze_count())
        return True

    monkeypatch.setattr(worker, "work", work)
    assert worker.run_worker(container) == 0
    assert len(worked) == 1 and worked[0] > 10_000


def test_only_the_worker_in_a_web_process_on_postgresql_limits_its_working_events(sqlite_url: str,
                                                                                  postgres_url: str) -> None:
    assert make_container(postgres_url, worker="in-process").inbound.working == WORKING_IN_PROCESS
    # `innovation-bot worker` has no acknowledgements to make way for: up to its capacity work at once.
    assert make_container(postgres_url, worker="external", playground=False).inbound.working is None
    # On SQLite the service takes one event at a time anyway.
    assert make_container(sqlite_url, worker="in-process").inbound.working is None
