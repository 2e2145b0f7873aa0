"""The contract suite, continued: people, their languages and roles, ideas and tenant mappings, each test run
in memory, on SQLite and on PostgreSQL (the ``store`` fixture)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.domain import PersonRef, Role, Status
from bot.practice_import.ports import PracticeValues
from storage.memory import MemoryUnitOfWork
from storage.models import DuplicateFlagRow
from tests.conftest import Store
from tests.storage.test_contract import NOW, SAM, UOW, new_idea, uow

__all__ = ["uow"]  # the fixture, shared with test_contract.py


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


def test_a_directory_profile_is_kept_with_the_person_and_only_a_newer_one_replaces_it(uow: UOW) -> None:
    later = NOW + timedelta(minutes=20)
    with uow:
        assert uow.people.known_profile(SAM) is None  # never met
        uow.people.ensure(SAM, display_name="Sam", at=NOW)
        assert uow.people.known_profile(SAM) is None  # met, but no directory ever answered for them
        uow.people.ensure(SAM, display_name="Sam Taylor", email="sam@example.police.uk", locale="en-GB", at=NOW,
                          profile_checked_at=later)
        uow.commit()
    with uow:
        known = uow.people.known_profile(SAM)
        assert known is not None
        assert (known.display_name, known.email, known.locale, known.checked_at) == (
            "Sam Taylor", "sam@example.police.uk", "en-GB", later)
        # A turn that carries an older stamp (a process that read the profile before) leaves the newer one.
        uow.people.ensure(SAM, locale="en-GB", at=NOW, profile_checked_at=NOW)
        person = uow.people.ensure(SAM, at=NOW)
        uow.people.set_locale(person.person_id, "cy", "chosen")
        uow.commit()
    with uow:
        known = uow.people.known_profile(SAM)
        # The platform's locale, not the language chosen with us: the directory said en-GB.
        assert known is not None and (known.checked_at, known.locale) == (later, "en-GB")
        first = PersonRef("slack", "T1", "U9")
        uow.people.ensure(first, display_name="New", locale="en-US", at=NOW, profile_checked_at=NOW)
        uow.commit()
    with uow:
        known = uow.people.known_profile(PersonRef("slack", "T1", "U9"))
    assert known is not None and (known.display_name, known.locale, known.checked_at) == ("New", "en-US", NOW)


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


def test_find_never_creates_a_person(uow: UOW) -> None:
    with uow:
        assert uow.people.find(SAM) is None
        made = uow.people.ensure(SAM, display_name="Sam", locale="cy", at=NOW)
        uow.people.set_locale(made.person_id, "en", "chosen")
        found = uow.people.find(SAM)
        assert uow.people.find(PersonRef("slack", "T2", "U1")) is None
    assert found is not None
    assert (found.person_id, found.ref, found.display_name, found.locale, found.locale_source) == (
        made.person_id, SAM, "Sam", "en", "chosen")


def test_imported_practice_is_found_by_key_and_updated_in_place(uow: UOW) -> None:
    values = PracticeValues(title="Cold case review", description="A team", problem="Old cases", stage="established",
                            theme_slug="homicide", force_slug="police-scotland", contact="cases@example.org",
                            url="https://example.org/17")
    with uow:
        first = uow.imported_practice.add("college:17", values, status="approved-network", at=NOW, reason="imported")
        other = uow.imported_practice.add("college:18", replace(values, title="Other"), status="submitted", at=NOW,
                                          reason="imported for review")
        uow.commit()
    with uow:
        found = uow.imported_practice.find(["college:17", "college:19"])
        changed = replace(values, description="A bigger team", theme_slug=None)
        uow.imported_practice.update(first, changed, NOW + timedelta(days=1))
        uow.imported_practice.update(999_999, changed, NOW)  # gone since: nothing happens
        uow.commit()
    assert found == {"college:17": (first, values)}
    with uow:
        assert uow.imported_practice.find(["college:17", "college:18"]) == {
            "college:17": (first, changed), "college:18": (other, replace(values, title="Other"))}
        idea = uow.ideas.get(first)
        decisions = uow.ideas.decisions(other)
    assert idea is not None
    assert (idea.source, idea.import_key, idea.visibility, idea.status, idea.version, idea.updated_at) == (
        "import", "college:17", "named", "approved-network", 2, NOW + timedelta(days=1))
    assert idea.submitted_at == idea.created_at == NOW and idea.submitter_id is None
    assert [(d.from_status, d.to_status, d.reason, d.actor_id) for d in decisions] == [
        ("draft", "submitted", "imported for review", None)]
