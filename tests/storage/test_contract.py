"""One contract suite for every store: each test of the unit of work runs in memory, on SQLite and on
PostgreSQL (the ``store`` fixture), so the in-memory store the service tests use cannot drift from the
databases. What only a database has (migrations, seeding) runs on both databases (``database_url``).
Reviews, connections, data rights, admin and the outbox: tests/storage/test_contract_review.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.admin import ListAll
from bot.domain import PersonRef, Role, Status
from bot.ports import ConcurrentUpdate, NewIdea
from storage import migrate
from storage.catalogue import catalogue_entries
from storage.db import make_engine, session_factory
from storage.memory import MemoryDatabase
from storage.memory.unit_of_work import MemoryUnitOfWork
from storage.models import DecisionRow, DuplicateFlagRow, IdeaRow
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


def test_people_are_created_once_and_updated(uow: UOW) -> None:
    with uow:
        first = uow.people.ensure(SAM, display_name="Sam", email="sam@example.police.uk", at=NOW)
        again = uow.people.ensure(SAM, display_name="Sam Taylor", at=NOW)
        uow.people.set_force(first.person_id, "kent")
        uow.people.grant(first.person_id, Role.BROKER, "kent")
        uow.people.grant(first.person_id, Role.BROKER, "kent")
        uow.people.grant(first.person_id, Role.REVIEWER)
        uow.people.grant(first.person_id, Role.REVIEWER)
        uow.commit()
    with uow:
        person = uow.people.ensure(SAM, at=NOW)
        roles = sorted(uow.people.roles_of(person.person_id), key=lambda r: r[0].value)
        brokers = uow.people.broker_names("kent")
        other = uow.people.ensure(PersonRef("slack", "T1", "U2"), display_name="N" * 250, at=NOW)
    assert first.person_id == again.person_id == person.person_id != other.person_id
    assert (person.display_name, person.force_slug, person.locale, person.locale_source) == (
        "Sam Taylor", "kent", "en", "platform")
    assert roles == [(Role.BROKER, "kent"), (Role.REVIEWER, None)]
    assert brokers == ["Sam Taylor"] and uow.people.broker_names("essex") == []
    assert other.display_name == "N" * 200


def test_a_platform_language_change_is_honoured_and_a_choice_kept(uow: UOW) -> None:
    with uow:
        person = uow.people.ensure(SAM, locale="en-GB", at=NOW)
        assert (person.locale, person.locale_source) == ("en-GB", "platform")
        uow.people.set_locale(person.person_id, "cy", "chosen")
        # The platform saying the same as before never overrides the person's own choice ...
        assert (uow.people.ensure(SAM, locale="en-GB", at=NOW).locale, uow.people.ensure(SAM, at=NOW).locale) == (
            "cy", "cy")
        # ... but the platform switching language is news.
        switched = uow.people.ensure(SAM, locale="cy-GB", at=NOW)
        assert (switched.locale, switched.locale_source) == ("cy-GB", "platform")
        back = uow.people.ensure(SAM, locale="en-US", at=NOW)
        assert (back.locale, back.locale_source) == ("en-US", "platform")
        uow.commit()
    with uow:
        chose_first = uow.people.ensure(PersonRef("local", "local", "dai"), at=NOW)
        assert chose_first.locale == "en"
        uow.people.set_locale(chose_first.person_id, "cy", "chosen")
        # Never reported before: the first report that agrees with the choice keeps it as a choice.
        kept = uow.people.ensure(PersonRef("local", "local", "dai"), locale="cy", at=NOW)
        assert (kept.locale, kept.locale_source) == ("cy", "chosen")


def test_submit_stores_the_idea_and_its_first_decision(uow: UOW) -> None:
    with uow:
        person = uow.people.ensure(SAM, display_name="Sam", at=NOW)
        idea_id = uow.ideas.submit(new_idea(person.person_id))
        uow.commit()
    with uow:
        idea = uow.ideas.get(idea_id)
        decisions = uow.ideas.decisions(idea_id)
        mine = uow.ideas.for_person(person.person_id)
    assert idea is not None
    assert (idea.status, idea.submitted_at, idea.version, idea.source, idea.title) == (
        Status.SUBMITTED.value, NOW, 1, "chat", "Drone searches")
    assert [(d.from_status, d.to_status, d.actor_id) for d in decisions] == [
        ("draft", "submitted", person.person_id)]
    assert [(i.idea_id, i.title, i.status, i.force_name, i.submitted_on) for i in mine] == [
        (idea_id, "Drone searches", Status.SUBMITTED, "Kent Police", "2026-11-02")]


def test_my_ideas_are_the_twenty_newest(uow: UOW) -> None:
    with uow:
        person = uow.people.ensure(SAM, at=NOW)
        ids = [uow.ideas.submit(new_idea(person.person_id, title=f"Idea {n}")) for n in range(23)]
        uow.ideas.submit(new_idea(uow.people.ensure(PersonRef("x", "y", "z"), at=NOW).person_id))
        uow.commit()
    with uow:
        assert [i.idea_id for i in uow.ideas.for_person(person.person_id)] == ids[::-1][:20]


def test_likely_duplicates_are_recorded(store: Store, uow: UOW) -> None:
    with uow:
        person = uow.people.ensure(SAM, at=NOW)
        first = uow.ideas.submit(new_idea(person.person_id, title="Drones"))
        second = uow.ideas.submit(new_idea(person.person_id, title="Drones again"))
        uow.ideas.flag_duplicates(second, [(first, 0.91), (first, 0.5)], NOW)
        uow.ideas.flag_duplicates(first, [], NOW)
        uow.commit()
        if isinstance(uow, MemoryUnitOfWork):
            flags = [(f.idea_id, f.similar_idea_id, f.score, f.created_at) for f in uow.ideas.duplicate_flags(second)]
        else:  # no port reads them back: the evaluation reads the table
            flags = [(f.idea_id, f.similar_idea_id, f.score, f.created_at)
                     for f in uow.session.scalars(select(DuplicateFlagRow).order_by(DuplicateFlagRow.id))]
    assert flags == [(second, first, 0.91, NOW), (second, first, 0.5, NOW)], store.name


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

    from storage.models import Base

    def ours(name: str | None, type_: str, parent: object) -> bool:
        # slack_sdk defines its installation and OAuth-state tables itself; the migration writes them out and
        # tests/adapters/slack/test_oauth.py checks them against slack_sdk's own definitions.
        return not (type_ == "table" and (name or "").startswith("slack_"))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_tenant_force_mapping(uow: UOW) -> None:
    with uow:
        assert uow.people.tenant_force("slack", "T1") is None
        uow.people.map_tenant("slack", "T1", "kent")
        uow.people.map_tenant("slack", "T1", "essex")
        uow.people.map_tenant("teams", "T1", "kent")
        uow.commit()
    with uow:
        assert uow.people.tenant_force("slack", "T1") == "essex"
        assert uow.people.tenant_force("teams", "T1") == "kent"


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
        after.apply_admin(ListAll(), NOW)
