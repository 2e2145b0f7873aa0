"""One contract suite for every store: each test of the unit of work runs in memory, on SQLite and on
PostgreSQL (the ``store`` fixture), so the in-memory store the service tests use cannot drift from the
databases. What only a database has (migrations, seeding) runs on both databases (``database_url``).
People, ideas and imported practice: test_contract_people.py; reviews, connections, data rights, admin:
test_contract_review.py; the outbox: test_contract_outbox.py; subscriptions, roundup claims and posts,
installations: test_contract_roundups.py. Stories told alike on every store, compared whole: the service
(test_contract_service.py), metrics, exports and a roundup period's reads (test_contract_queries.py), the
roundup service (test_contract_roundup_story.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.domain import PersonRef, Role
from bot.ports import ConcurrentUpdate, NewIdea
from storage import migrate
from storage.catalogue import catalogue_entries
from storage.db import make_engine, session_factory
from storage.memory import MemoryDatabase
from storage.memory.unit_of_work import MemoryUnitOfWork
from storage.models import DecisionRow, IdeaRow
from storage.seed import seed_demo_catalogue, seed_forces, seed_themes
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import Store

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SAM = PersonRef("slack", "T1", "U1")
UOW = SqlUnitOfWork | MemoryUnitOfWork


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(store: Store) -> UOW:
    return store.uow_factory()


def new_idea(submitter_id: int, title: str = "Drone searches", force: str = "kent", at: datetime = NOW) -> NewIdea:
    return NewIdea(title=title, description="We fly drones", problem="Slow searches", stage="being-tried",
                   theme_slug="digital-technology", force_slug=force, submitter_id=submitter_id, submitted_at=at)


def test_migrated_to_head_with_reference_data(engine: Engine) -> None:
    assert migrate.current_revisions(engine) == migrate.head_revisions()
    assert len(migrate.head_revisions()) == 1, "merge migration branches so the schema has one head"


def test_reference_data(uow: UOW) -> None:
    with uow:
        forces = uow.reference.forces()
        themes = uow.reference.themes()
    assert len(forces) == 52
    assert {"kent", "metropolitan", "police-scotland", "college-of-policing"} <= {f.slug for f in forces}
    assert [f.name for f in forces] == sorted(f.name for f in forces)
    assert next(f for f in forces if f.slug == "gwent").name_cy == "Heddlu Gwent"
    assert [th.slug for th in themes][:6] == ["homicide", "serious-violence", "drugs-county-lines",
                                              "neighbourhood-crime", "cybercrime", "victims-domestic-abuse"]
    assert len(themes) == 12 and all(th.keywords for th in themes)


def test_memory_reference_data_is_the_databases(engine: Engine) -> None:
    # Read from the same shipped files, not a copy: the memory store answers exactly as a migrated database.
    with SqlUnitOfWork(session_factory(engine)) as sql, MemoryUnitOfWork(MemoryDatabase()) as memory:
        assert list(memory.reference.forces()) == list(sql.reference.forces())
        assert list(memory.reference.themes()) == list(sql.reference.themes())


def test_migrate_and_seed_are_idempotent(engine: Engine) -> None:
    migrate.upgrade(engine)
    with session_factory(engine).begin() as session:
        assert seed_forces(session) == 0
        assert seed_themes(session) == 0


def test_processed_event_is_claimed_once(uow: UOW) -> None:
    with uow:
        assert uow.events.claim("Ev1", NOW) is True
        assert uow.events.claim("Ev1", NOW) is False
        assert uow.events.claim("Ev2", NOW) is True
        uow.commit()
    with uow:
        assert uow.events.claim("Ev1", NOW) is False
        assert uow.events.claim("Ev2", NOW) is False
        # Ids are kept to 255 characters: a longer one is the same event as its first 255.
        assert uow.events.claim("x" * 300, NOW) is True
        assert uow.events.claim("x" * 255 + "different tail", NOW) is False


def test_uncommitted_work_is_rolled_back(uow: UOW) -> None:
    with uow:
        uow.events.claim("Ev-rolled-back", NOW)
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
    with uow:
        assert uow.events.claim("Ev-rolled-back", NOW) is True
        assert uow.reviews.people_with_role(Role.ADMIN) == []
        uow.rollback()  # an explicit rollback undoes what the block did so far, and the block goes on
        assert uow.events.claim("Ev-rolled-back", NOW) is True
        uow.commit()
    with uow:
        assert uow.events.claim("Ev-rolled-back", NOW) is False


def test_an_exception_leaves_nothing_behind(uow: UOW) -> None:
    with pytest.raises(RuntimeError), uow:
        uow.events.claim("Ev-failed", NOW)
        raise RuntimeError("the handler failed")
    with uow:
        assert uow.events.claim("Ev-failed", NOW) is True


def test_committed_work_stays_after_more_work_is_dropped(uow: UOW) -> None:
    with uow:
        uow.events.claim("Ev-kept", NOW)
        uow.commit()
        uow.events.claim("Ev-dropped", NOW)  # after a commit a new transaction begins; it is never committed
    with uow:
        assert (uow.events.claim("Ev-kept", NOW), uow.events.claim("Ev-dropped", NOW)) == (False, True)


def test_conversation_round_trip_and_version_check(uow: UOW) -> None:
    draft = {"draft_id": "abc", "description": "Drones 🚁 for <b>MisPer</b> searches — Cymraeg: â ŵ ŷ",
             "tags": ("a", "b"), "n": 3}
    with uow:
        assert uow.conversations.get(SAM) is None
        assert uow.conversations.save(SAM, "awaiting-problem", draft, expected_version=None, at=NOW) == 1
        uow.commit()
    draft["n"] = 4  # the caller's dict changing later changes nothing stored
    with uow:
        record = uow.conversations.get(SAM)
        assert record is not None
        # Stored as JSON: a tuple comes back a list, as from any database.
        assert (record.state, record.draft, record.version, record.updated_at) == (
            "awaiting-problem", {**draft, "tags": ["a", "b"], "n": 3}, 1, NOW)
        assert record.draft is not None
        record.draft["n"] = 99  # nor does changing what was read
        assert uow.conversations.save(SAM, "idle", None, expected_version=1, at=NOW + timedelta(minutes=1)) == 2
        uow.commit()
    with uow:
        again = uow.conversations.get(SAM)
        assert again is not None and (again.state, again.draft, again.version) == ("idle", None, 2)
    with uow, pytest.raises(ConcurrentUpdate):
        uow.conversations.save(SAM, "confirming", draft, expected_version=1, at=NOW)
    with uow, pytest.raises(ConcurrentUpdate):
        uow.conversations.save(SAM, "confirming", draft, expected_version=3, at=NOW)
    with uow, pytest.raises(ConcurrentUpdate):
        uow.conversations.save(SAM, "confirming", draft, expected_version=None, at=NOW)
    with uow, pytest.raises(ConcurrentUpdate):  # nobody's conversation has a version to match yet
        uow.conversations.save(PersonRef("slack", "T1", "U-new"), "idle", None, expected_version=1, at=NOW)


def test_idle_since_finds_only_stale_drafts(uow: UOW) -> None:
    other = PersonRef("teams", "tenant", "aad-1")
    waiting = PersonRef("teams", "tenant", "aad-2")
    with uow:
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "a"}, expected_version=None, at=NOW)
        uow.conversations.save(other, "confirming", {"draft_id": "b"}, expected_version=None,
                               at=NOW + timedelta(hours=5))
        uow.conversations.save(waiting, "awaiting-info", {"idea_id": 1}, expected_version=None, at=NOW)
        uow.conversations.save(PersonRef("local", "local", "x"), "idle", None, expected_version=None, at=NOW)
        uow.commit()
    with uow:
        stale = uow.conversations.idle_since(NOW + timedelta(hours=1))
    assert [(ref, record.state, record.draft) for ref, record in stale] == [
        (SAM, "awaiting-problem", {"draft_id": "a"})]


def test_concurrent_saves_let_exactly_one_writer_win(store: Store) -> None:
    with store.uow_factory() as uow:
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "a"}, expected_version=None, at=NOW)
        uow.commit()
    results: list[str] = []

    def writer(n: int) -> None:
        # Every writer read version 1 before any of them wrote (as four racing messages would).
        with store.uow_factory() as uow:
            try:
                uow.conversations.get(SAM)
                time.sleep(0.05)  # widens the race: a store that let transactions interleave would let all win
                uow.conversations.save(SAM, "awaiting-stage", {"draft_id": "a", "problem": f"p{n}"},
                                       expected_version=1, at=NOW)
                uow.commit()
                results.append("won")
            except ConcurrentUpdate:
                results.append("lost")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["lost", "lost", "lost", "won"]
    with store.uow_factory() as uow:
        record = uow.conversations.get(SAM)
    assert record is not None and record.version == 2


def test_demo_catalogue_loads_once_and_feeds_the_catalogue(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions.begin() as session:
        added = seed_demo_catalogue(session, NOW)
    with sessions.begin() as session:
        assert seed_demo_catalogue(session, NOW) == 0
        entries = catalogue_entries(session)
        decisions = session.scalar(select(func.count()).select_from(DecisionRow))
        ideas = session.scalar(select(func.count()).select_from(IdeaRow))
    assert added >= 40 and len(entries) == added == ideas == decisions
    assert all(e.force_name and e.title and e.status == "approved-network" for e in entries)
    # The memory store loads the same shipped catalogue, and feeds the matcher the same entries.
    memory = MemoryDatabase()
    assert (memory.seed_demo_catalogue(NOW), memory.seed_demo_catalogue(NOW)) == (added, 0)
    assert memory.catalogue_entries() == sorted(entries, key=lambda e: e.idea_id)


def test_migrations_and_models_agree(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.schema import Base

    def ours(name: str | None, type_: str, parent: object) -> bool:
        # slack_sdk defines its installation and OAuth-state tables itself; the migration writes them out and
        # tests/adapters/slack/test_oauth.py checks them against slack_sdk's own definitions.
        return not (type_ == "table" and (name or "").startswith("slack_"))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_the_memory_store_refuses_a_second_unit_of_work_in_one_thread() -> None:
    # A database would make the inner one wait for the outer for ever: the memory store says so at once.
    database = MemoryDatabase()
    with MemoryUnitOfWork(database) as outer:
        with pytest.raises(RuntimeError, match="already open in this thread"):
            MemoryUnitOfWork(database).__enter__()
        outer.events.claim("Ev-outer", NOW)
        outer.commit()
    with MemoryUnitOfWork(database) as after:  # released: the next one opens
        assert after.events.claim("Ev-outer", NOW) is False
    with pytest.raises(RuntimeError, match="not open"):
        after.commit()
