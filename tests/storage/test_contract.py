"""One contract suite for every store: each test runs on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.domain import PersonRef, Role, Status
from bot.ports import ConcurrentUpdate, NewIdea
from storage import migrate
from storage.catalogue import catalogue_entries
from storage.db import make_engine, session_factory
from storage.models import DecisionRow, IdeaRow, ProcessedEventRow
from storage.seed import seed_demo_catalogue, seed_forces, seed_themes
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SAM = PersonRef("slack", "T1", "U1")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(session_factory(engine))


def test_migrated_to_head_with_reference_data(engine: Engine, uow: SqlUnitOfWork) -> None:
    assert migrate.current_revisions(engine) == migrate.head_revisions()
    assert len(migrate.head_revisions()) == 1, "merge migration branches so the schema has one head"
    with uow:
        forces = uow.reference.forces()
        themes = uow.reference.themes()
    assert len(forces) == 52
    assert {"kent", "metropolitan", "police-scotland", "college-of-policing"} <= {f.slug for f in forces}
    assert [th.slug for th in themes][:6] == ["homicide", "serious-violence", "drugs-county-lines",
                                              "neighbourhood-crime", "cybercrime", "victims-domestic-abuse"]
    assert len(themes) == 12 and all(th.keywords for th in themes)


def test_migrate_and_seed_are_idempotent(engine: Engine) -> None:
    migrate.upgrade(engine)
    with session_factory(engine).begin() as session:
        assert seed_forces(session) == 0
        assert seed_themes(session) == 0


def test_processed_event_is_claimed_once(uow: SqlUnitOfWork) -> None:
    with uow:
        assert uow.events.claim("Ev1", NOW) is True
        assert uow.events.claim("Ev1", NOW) is False
        assert uow.events.claim("Ev2", NOW) is True
        uow.commit()
    with uow:
        assert uow.events.claim("Ev1", NOW) is False
        count = uow.session.scalar(select(func.count()).select_from(ProcessedEventRow))
    assert count == 2


def test_uncommitted_work_is_rolled_back(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.events.claim("Ev-rolled-back", NOW)
    with uow:
        assert uow.events.claim("Ev-rolled-back", NOW) is True


def test_conversation_round_trip_and_version_check(uow: SqlUnitOfWork) -> None:
    draft = {"draft_id": "abc", "description": "Drones 🚁 for <b>MisPer</b> searches — Cymraeg: â ŵ ŷ"}
    with uow:
        assert uow.conversations.get(SAM) is None
        assert uow.conversations.save(SAM, "awaiting-problem", draft, expected_version=None, at=NOW) == 1
        uow.commit()
    with uow:
        record = uow.conversations.get(SAM)
        assert record is not None
        assert (record.state, record.draft, record.version, record.updated_at) == (
            "awaiting-problem", draft, 1, NOW)
        assert uow.conversations.save(SAM, "idle", None, expected_version=1, at=NOW + timedelta(minutes=1)) == 2
        uow.commit()
    with uow, pytest.raises(ConcurrentUpdate):
        uow.conversations.save(SAM, "confirming", draft, expected_version=1, at=NOW)
    with uow, pytest.raises(ConcurrentUpdate):
        uow.conversations.save(SAM, "confirming", draft, expected_version=None, at=NOW)


def test_idle_since_finds_only_stale_drafts(uow: SqlUnitOfWork) -> None:
    other = PersonRef("teams", "tenant", "aad-1")
    with uow:
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "a"}, expected_version=None, at=NOW)
        uow.conversations.save(other, "confirming", {"draft_id": "b"}, expected_version=None,
                               at=NOW + timedelta(hours=5))
        uow.commit()
    with uow:
        stale = uow.conversations.idle_since(NOW + timedelta(hours=1))
    assert [ref for ref, _ in stale] == [SAM]


def test_people_are_created_once_and_updated(uow: SqlUnitOfWork) -> None:
    with uow:
        first = uow.people.ensure(SAM, display_name="Sam", email="sam@example.police.uk", at=NOW)
        again = uow.people.ensure(SAM, display_name="Sam Taylor", at=NOW)
        uow.people.set_force(first.person_id, "kent")
        uow.people.grant(first.person_id, Role.BROKER, "kent")
        uow.people.grant(first.person_id, Role.BROKER, "kent")
        uow.people.grant(first.person_id, Role.REVIEWER)
        uow.commit()
    with uow:
        person = uow.people.ensure(SAM, at=NOW)
        roles = sorted(uow.people.roles_of(person.person_id), key=lambda r: r[0].value)
        brokers = uow.people.broker_names("kent")
    assert first.person_id == again.person_id == person.person_id
    assert (person.display_name, person.force_slug) == ("Sam Taylor", "kent")
    assert roles == [(Role.BROKER, "kent"), (Role.REVIEWER, None)]
    assert brokers == ["Sam Taylor"]


def test_submit_stores_the_idea_and_its_first_decision(uow: SqlUnitOfWork) -> None:
    with uow:
        person = uow.people.ensure(SAM, display_name="Sam", at=NOW)
        idea_id = uow.ideas.submit(NewIdea(
            title="Drone searches", description="We fly drones", problem="Slow searches", stage="being-tried",
            theme_slug="digital-technology", force_slug="kent", submitter_id=person.person_id,
            submitted_at=NOW))
        uow.commit()
    with uow:
        idea = uow.ideas.get(idea_id)
        decisions = uow.ideas.decisions(idea_id)
        mine = uow.ideas.for_person(person.person_id)
    assert idea is not None and idea.status == Status.SUBMITTED.value and idea.submitted_at == NOW
    assert [(d.from_status, d.to_status, d.actor_id) for d in decisions] == [
        ("draft", "submitted", person.person_id)]
    assert [(i.idea_id, i.title, i.status, i.force_name, i.submitted_on) for i in mine] == [
        (idea_id, "Drone searches", Status.SUBMITTED, "Kent Police", "2026-11-02")]


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


def test_concurrent_saves_let_exactly_one_writer_win(engine: Engine) -> None:
    sessions = session_factory(engine)
    with SqlUnitOfWork(sessions) as uow:
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "a"}, expected_version=None, at=NOW)
        uow.commit()
    results: list[str] = []

    def writer(n: int) -> None:
        # Every writer read version 1 before any of them wrote (as four racing messages would).
        with SqlUnitOfWork(sessions) as uow:
            try:
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
    with SqlUnitOfWork(sessions) as uow:
        record = uow.conversations.get(SAM)
    assert record is not None and record.version == 2


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


def test_tenant_force_mapping(uow: SqlUnitOfWork) -> None:
    with uow:
        assert uow.people.tenant_force("slack", "T1") is None
        uow.people.map_tenant("slack", "T1", "kent")
        uow.people.map_tenant("slack", "T1", "essex")
        uow.people.map_tenant("teams", "T1", "kent")
        uow.commit()
    with uow:
        assert uow.people.tenant_force("slack", "T1") == "essex"
        assert uow.people.tenant_force("teams", "T1") == "kent"
