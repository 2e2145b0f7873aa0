"""The people repository's Core statements (docs/PERFORMANCE.md, "A lighter turn") next to the ORM objects
of the same unit of work: a PersonRow another repository loaded keeps reading what the database holds, and a
change made to one before ``ensure`` is what ``ensure`` reads. SQL stores only: the memory store has no ORM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.db import make_engine, session_factory
from storage.repositories import find_person
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.test_contract import NOW, SAM
from tests.support.statements import recorded


@pytest.fixture
def sql_uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    engine = make_engine(database_url)
    yield SqlUnitOfWork(session_factory(engine))
    engine.dispose()


def test_a_loaded_person_row_follows_the_core_updates(sql_uow: SqlUnitOfWork) -> None:
    with sql_uow as uow:
        person = uow.people.ensure(SAM, display_name="Sam", locale="en-GB", at=NOW)
        uow.commit()
    with sql_uow as uow:
        row = find_person(uow.session, SAM)
        assert row is not None and row.display_name == "Sam"
        again = uow.people.ensure(SAM, display_name="Sam Taylor", email="sam@example.police.uk", locale="cy-GB",
                                  at=NOW)
        uow.people.set_force(person.person_id, "north-wales")
        assert (again.display_name, again.locale, again.locale_source) == ("Sam Taylor", "cy-GB", "platform")
        assert (row.display_name, row.email, row.locale, row.platform_locale, row.force_slug) == (
            "Sam Taylor", "sam@example.police.uk", "cy-GB", "cy-GB", "north-wales")
        uow.people.set_locale(person.person_id, "en", "chosen")
        assert (row.locale, row.locale_source) == ("en", "chosen")
        uow.commit()
    with sql_uow as uow:
        stored = uow.people.find(SAM)
    assert stored is not None and (stored.display_name, stored.force_slug, stored.locale, stored.locale_source) == (
        "Sam Taylor", "north-wales", "en", "chosen")


def test_ensure_reads_a_change_not_yet_flushed(sql_uow: SqlUnitOfWork) -> None:
    with sql_uow as uow:
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
        uow.commit()
    with sql_uow as uow:
        row = find_person(uow.session, SAM)
        assert row is not None
        row.display_name = "Samantha"  # pending in the session, as an ORM change would be
        person = uow.people.ensure(SAM, at=NOW)
        found = uow.people.find(SAM)
    assert person.display_name == "Samantha" and found is not None and found.display_name == "Samantha"


def test_the_tenant_force_read_with_the_person_follows_a_mapping_in_the_same_transaction(
        sql_uow: SqlUnitOfWork) -> None:
    with sql_uow as uow:
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
        assert uow.people.tenant_force(SAM.platform, SAM.tenant) is None  # read with the person
        uow.admin.map_tenant(SAM.platform, SAM.tenant, "kent")  # another repository on the same session
        assert uow.people.tenant_force(SAM.platform, SAM.tenant) == "kent"
        uow.rollback()
        assert uow.people.tenant_force(SAM.platform, SAM.tenant) is None
        uow.people.map_tenant(SAM.platform, SAM.tenant, "essex")
        uow.commit()
    with sql_uow as uow:
        uow.people.find(SAM)
        assert uow.people.tenant_force(SAM.platform, SAM.tenant) == "essex"


def test_the_conversation_read_with_the_person_is_taken_once_and_never_outlives_a_change(
        sql_uow: SqlUnitOfWork) -> None:
    with sql_uow as uow:
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
        assert uow.conversations.get(SAM) is None  # none yet: read with the person
        uow.conversations.save(SAM, "capturing", {"idea": "drones"}, expected_version=None, at=NOW)
        uow.commit()
    with recorded(sql_uow.session.get_bind()) as statements, sql_uow as uow:
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
        read = len(statements)
        first = uow.conversations.get(SAM)
        assert len(statements) == read  # the turn's own read: no statement of its own
        assert first is not None and (first.state, first.draft, first.version) == ("capturing",
                                                                                  {"idea": "drones"}, 1)
        assert uow.conversations.get(SAM) == first and len(statements) == read + 1  # taken once, then read
        uow.people.ensure(SAM, at=NOW)
        uow.conversations.save(SAM, "describing", {"idea": "drones"}, expected_version=1, at=NOW)
        after = uow.conversations.get(SAM)  # what was read before the change is gone
        assert after is not None and (after.state, after.version) == ("describing", 2)
        uow.people.ensure(SAM, at=NOW)
        uow.data_rights.erase(SAM)
        assert uow.conversations.get(SAM) is None  # nor does an erasure leave it behind
        uow.rollback()
        uow.conversations.save(SAM, "describing", {"idea": "drones"}, expected_version=1, at=NOW)
        uow.people.ensure(SAM, at=NOW)  # reads the change not yet committed
        uow.rollback()
        still = uow.conversations.get(SAM)  # a rollback drops it too: read again, as stored
        assert still is not None and still.version == 1
