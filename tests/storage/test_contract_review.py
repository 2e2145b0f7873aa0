"""The contract suite, continued: reviews, "connect me", data rights and admin commands, each test run in
memory, on SQLite and on PostgreSQL (the ``store`` fixture). The outbox: test_contract_outbox.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.admin import (
    AdminError,
    AdminOp,
    DeletePerson,
    ExportPerson,
    GrantRole,
    ListAll,
    MapTenant,
    PersonNotFound,
    RemoveRole,
)
from bot.admin_service import carry_out
from bot.domain import PersonRef, Role, Status
from bot.i18n import Translator
from bot.ports import Address
from bot.review.policy import Grant
from tests.conftest import Store
from tests.storage.test_contract import NOW, SAM, UOW, new_idea, uow

__all__ = ["uow"]  # the fixture, shared with test_contract.py

BROKER = PersonRef("slack", "T1", "B1")
REVIEWER = PersonRef("teams", "tenant", "R1")


def admin(uow: UOW, op: AdminOp, at: datetime) -> str:
    """An admin command as chat and the command line carry it out (``bot.admin_service``), in English."""
    return carry_out(uow, op, at, Translator())


def people(uow: UOW) -> tuple[int, int, int]:
    sam = uow.people.ensure(SAM, display_name="Sam", email="sam@kent.police.uk", at=NOW).person_id
    broker = uow.people.ensure(BROKER, display_name="Bea", at=NOW).person_id
    reviewer = uow.people.ensure(REVIEWER, display_name="Rhys", locale="cy", at=NOW).person_id
    uow.people.set_force(sam, "kent")
    uow.people.grant(broker, Role.BROKER, "kent")
    uow.people.grant(reviewer, Role.REVIEWER)
    return sam, broker, reviewer


def test_review_loads_and_decides_by_compare_and_set(uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        idea_id = uow.ideas.submit(new_idea(sam))
        uow.commit()
    with uow:
        loaded = uow.reviews.load(idea_id)
        assert loaded is not None
        assert (loaded.version, loaded.status, loaded.force_name, loaded.theme_name, loaded.submitter_name,
                loaded.anonymous, loaded.submitted_on, loaded.more_info, loaded.shared_as_is) == (
            1, Status.SUBMITTED, "Kent Police", "Digital and technology", "Sam", False, "2026-11-02", "", "")
        assert uow.reviews.load(idea_id + 1000) is None
        submitter = uow.reviews.submitter(idea_id)
        assert submitter is not None and (submitter.person_id, submitter.display_name) == (sam, "Sam")
        assert uow.reviews.grants(broker) == [Grant(Role.BROKER, "kent")]
        assert uow.reviews.last_decision(idea_id) == ("submitted", "Sam", "", "2026-11-02")
        later = NOW + timedelta(days=1)
        # Of two brokers clicking on version 1, one wins; a stale version or status changes nothing.
        assert uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="needs-info",
                                  actor_id=broker, reason="Which drones?", at=later) is True
        assert uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="declined",
                                  actor_id=broker, reason="", at=later) is False
        assert uow.reviews.decide(idea_id, expected_version=2, from_status="submitted", to_status="declined",
                                  actor_id=broker, reason="", at=later) is False
        assert uow.reviews.decide(idea_id, expected_version=2, from_status="needs-info", to_status="submitted",
                                  actor_id=sam, reason="DJI ones", at=later) is True
        # Back to "submitted", but a click made on the card of version 1 is still too late.
        assert uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="declined",
                                  actor_id=broker, reason="", at=later) is False
        # A broker's check of a flagged idea: only the title, description and problem may be rewritten.
        assert uow.reviews.decide(idea_id, expected_version=3, from_status="submitted",
                                  to_status="approved-network", actor_id=broker, reason="", at=later,
                                  edits={"title": "Drones", "stage": "idea", "force_slug": "essex"},
                                  shared_as_is="network") is True
        uow.commit()
    with uow:
        decided = uow.reviews.load(idea_id)
        idea = uow.ideas.get(idea_id)
        trail = [(d.from_status, d.to_status, d.actor_id, d.reason) for d in uow.ideas.decisions(idea_id)]
    assert decided is not None and idea is not None
    assert (decided.title, decided.stage, decided.force_slug, decided.version, decided.status, decided.more_info,
            decided.shared_as_is, idea.updated_at) == (
        "Drones", "being-tried", "kent", 4, Status.APPROVED_NETWORK, "DJI ones", "network", later)
    assert trail == [("draft", "submitted", sam, ""), ("submitted", "needs-info", broker, "Which drones?"),
                     ("needs-info", "submitted", sam, "DJI ones"), ("submitted", "approved-network", broker, "")]
    with uow:
        assert uow.reviews.last_decision(idea_id) == ("approved-network", "Bea", "", "2026-11-03")


def test_review_queues_and_cards(uow: UOW) -> None:
    with uow:
        sam, broker, reviewer = people(uow)
        first = uow.ideas.submit(new_idea(sam, title="First", at=NOW))
        second = uow.ideas.submit(new_idea(sam, title="Second", at=NOW + timedelta(hours=1)))
        elsewhere = uow.ideas.submit(new_idea(sam, title="Essex", force="essex", at=NOW))
        national = uow.ideas.submit(new_idea(sam, title="National", at=NOW))
        uow.reviews.decide(national, expected_version=1, from_status="submitted", to_status="approved-network",
                           actor_id=broker, reason="", at=NOW)
        card = uow.outbox.enqueue_replies(Address("slack", "T1", "B1"), [{"text": "card"}], dedupe_key="c1", at=NOW)
        assert card is not None
        uow.reviews.record_card(first, broker, card)
        uow.commit()
    with uow:
        assert [i.title for i in uow.reviews.open_for([Grant(Role.BROKER, "kent")])] == ["First", "Second"]
        assert [i.title for i in uow.reviews.open_for([Grant(Role.REVIEWER)])] == ["National"]
        assert [i.title for i in uow.reviews.open_for([Grant(Role.BROKER, "kent"), Grant(Role.ADMIN)])] == [
            "First", "Second", "National"]
        assert uow.reviews.open_for([Grant(Role.OFFICER)]) == []
        waiting = uow.reviews.waiting_since(NOW + timedelta(minutes=30))
        assert sorted((i.idea_id, at) for i, at in waiting) == [(first, NOW), (elsewhere, NOW)]
        assert [r.person_id for r in uow.reviews.people_with_role(Role.BROKER, "kent")] == [broker]
        assert uow.reviews.people_with_role(Role.BROKER, "essex") == []
        assert [(r.person_id, r.locale) for r in uow.reviews.people_with_role(Role.REVIEWER)] == [(reviewer, "cy")]
        assert [(outbox_id, r.person_id, r.dm) for outbox_id, r in uow.reviews.cards(first)] == [
            (card, broker, Address("slack", "T1", "B1"))]
        assert uow.reviews.cards(second) == []


def test_connections_are_asked_once_and_answered_once(uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        idea_id = uow.ideas.submit(new_idea(sam, title="Call 07700 900123 for drones"))
        target = uow.connections.target(idea_id)
        assert target is not None
        # Not in the catalogue until approved for the network; the title is masked beyond the force.
        assert (target.in_catalogue, target.force_name, target.contact) == (False, "Kent Police", "")
        assert "07700" not in target.title and target.submitter is not None and target.submitter.person_id == sam
        uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="approved-network",
                           actor_id=broker, reason="", at=NOW)
        target = uow.connections.target(idea_id)
        assert target is not None and target.in_catalogue
        assert uow.connections.target(idea_id + 1000) is None
        asked = uow.connections.create(broker, idea_id, sam, "asked", NOW)
        assert asked is not None
        assert uow.connections.create(broker, idea_id, sam, "asked", NOW) is None
        shared = uow.connections.create(sam, idea_id, None, "shared", NOW)
        uow.commit()
    with uow:
        info = uow.connections.get(asked)
        assert info is not None and (info.status, info.asker.person_id, info.contact_id, info.idea_id) == (
            "asked", broker, sam, idea_id)
        assert "07700" not in info.idea_title
        assert uow.connections.get(asked + 1000) is None
        assert uow.connections.decide(asked, "accepted", NOW) is True
        assert uow.connections.decide(asked, "declined", NOW) is False
        assert shared is not None and uow.connections.decide(shared, "accepted", NOW) is False
        details = uow.connections.details(sam)
        assert (details.name, details.email, details.force_name) == ("Sam", "sam@kent.police.uk", "Kent Police")
        assert uow.connections.details(broker).force_name == ""
        uow.commit()
    with uow:
        info = uow.connections.get(asked)
        assert info is not None and info.status == "accepted"


def test_my_data_and_withdrawing(uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        idea_id = uow.ideas.submit(new_idea(sam))
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "d"}, expected_version=None, at=NOW)
        uow.connections.create(sam, idea_id, None, "shared", NOW)
        uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="needs-info",
                           actor_id=broker, reason="more?", at=NOW)
        uow.commit()
    with uow:
        mine = uow.data_rights.my_data(sam)
        assert (mine.display_name, mine.email, mine.platform_ref, mine.force_name, mine.roles, mine.has_draft,
                mine.connections_asked, mine.decisions_made) == (
            "Sam", "sam@kent.police.uk", "slack:T1:U1", "Kent Police", (), True, 1, 0)
        assert [i.idea_id for i in mine.ideas] == [idea_id]
        bea = uow.data_rights.my_data(broker)
        assert (bea.roles, bea.decisions_made, bea.has_draft, bea.force_name) == (("broker (kent)",), 1, False, "")
        assert uow.data_rights.withdraw(idea_id, broker, NOW) == "not-yours"
        assert uow.data_rights.withdraw(idea_id + 1000, sam, NOW) == "not-yours"
        assert uow.data_rights.withdraw(idea_id, sam, NOW + timedelta(days=1)) == "withdrawn"
        assert uow.data_rights.withdraw(idea_id, sam, NOW) == "already"
        uow.commit()
    with uow:
        idea = uow.ideas.get(idea_id)
        last = uow.ideas.decisions(idea_id)[-1]
    assert idea is not None
    assert (idea.status, idea.title, idea.description, idea.problem, idea.version) == (
        "withdrawn", "Drone searches", "", "", 3)
    assert (last.from_status, last.to_status, last.actor_id) == ("needs-info", "withdrawn", sam)


def test_admin_commands(uow: UOW) -> None:
    officer = PersonRef("teams", "tenant", "O1")
    with uow:
        assert admin(uow, ListAll(), NOW) == "no roles or mappings yet"
        assert admin(uow, GrantRole(Role.BROKER, BROKER, "kent"), NOW) == f"{BROKER} is now broker for kent"
        assert admin(uow, GrantRole(Role.REVIEWER, REVIEWER), NOW) == f"{REVIEWER} is now reviewer"
        assert admin(uow, MapTenant("slack", "T1", "kent"), NOW) == "slack:T1 now maps to kent"
        uow.people.ensure(REVIEWER, display_name="Rhys", at=NOW)
        uow.commit()
    with uow:
        assert admin(uow, ListAll(), NOW).splitlines() == [
            "broker (kent): slack:T1:B1", "reviewer: teams:tenant:R1 Rhys", "mapping: slack:T1 → kent"]
        removed = admin(uow, RemoveRole(Role.REVIEWER, REVIEWER), NOW)
        assert removed == f"removed 1 reviewer role(s) from {REVIEWER}"
        assert admin(uow, RemoveRole(Role.REVIEWER, REVIEWER), NOW) == f"{REVIEWER} had no reviewer role"
        with pytest.raises(PersonNotFound):
            admin(uow, RemoveRole(Role.BROKER, officer), NOW)
        with pytest.raises(PersonNotFound):
            admin(uow, ExportPerson(officer), NOW)
        with pytest.raises(PersonNotFound):
            admin(uow, DeletePerson(officer), NOW)
        assert isinstance(PersonNotFound(officer), AdminError)
        uow.commit()


def test_export_and_erase_a_person(uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        idea_id = uow.ideas.submit(new_idea(sam))
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "d", "description": "Cŵn"},
                               expected_version=None, at=NOW)
        uow.connections.create(sam, idea_id, None, "shared", NOW)
        uow.outbox.enqueue_replies(Address("slack", "T1", "U1"), [{"text": "hi"}], dedupe_key="m1", at=NOW)
        uow.outbox.enqueue_replies(Address("slack", "T1", "U1"), [{"text": "hi"}], dedupe_key="m2", at=NOW)
        kept = uow.outbox.enqueue_replies(Address("slack", "T1", "B1"), [{"text": "card"}], dedupe_key="m3", at=NOW)
        assert kept is not None
        uow.reviews.record_card(idea_id, broker, kept)
        uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="needs-info",
                           actor_id=sam, reason="", at=NOW)
        uow.commit()
    with uow:
        exported = json.loads(admin(uow, ExportPerson(SAM), NOW))
        assert uow.data_rights.export_person(SAM) == exported  # the data rights port holds the same
        nobody = PersonRef("slack", "T1", "nobody")
        assert uow.data_rights.export_person(nobody) is None and uow.data_rights.erase(nobody) is None
    assert exported["person"] == {"platform": "slack", "tenant": "T1", "user_id": "U1", "display_name": "Sam",
                                  "email": "sam@kent.police.uk", "force": "kent", "locale": "en",
                                  "created_at": NOW.isoformat()}
    assert exported["ideas"] == [{"id": idea_id, "title": "Drone searches", "description": "We fly drones",
                                  "problem": "Slow searches", "stage": "being-tried", "status": "needs-info",
                                  "force": "kent", "visibility": "named", "submitted_at": NOW.isoformat()}]
    assert [(d["from"], d["to"]) for d in exported["decisions_made"]] == [("draft", "submitted"),
                                                                         ("submitted", "needs-info")]
    assert exported["connections"] == [{"idea_id": idea_id, "status": "shared", "asked_at": NOW.isoformat()}]
    assert (exported["roles"], exported["draft"]) == ([], {"draft_id": "d", "description": "Cŵn"})
    with uow:
        said = admin(uow, DeletePerson(SAM), NOW)
        uow.commit()
    assert said == (f"deleted {SAM}: 1 conversation(s), 2 queued message(s); "
                    "1 idea(s) kept as force practice without their name")
    with uow:
        idea = uow.ideas.get(idea_id)
        assert idea is not None and (idea.submitter_id, idea.visibility) == (None, "anonymous-to-peers")
        assert [d.actor_id for d in uow.ideas.decisions(idea_id)] == [None, None]
        assert uow.conversations.get(SAM) is None
        assert uow.outbox.get(kept) is not None and [r.person_id for _, r in uow.reviews.cards(idea_id)] == [broker]
        assert uow.data_rights.my_data(broker).display_name == "Bea"
        with pytest.raises(PersonNotFound):
            admin(uow, DeletePerson(SAM), NOW)
        again = uow.people.ensure(SAM, at=NOW)  # someone new, with nothing of the erased person's
        assert again.person_id != sam and uow.data_rights.my_data(again.person_id).ideas == ()


def test_retention_deletes_old_declined_ideas_with_what_hangs_off_them(store: Store, uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        old, recent, approved = (uow.ideas.submit(new_idea(sam, title=title)) for title in ("Old", "New", "Kept"))
        for idea_id, to, at in [(old, "declined", NOW), (recent, "declined", NOW + timedelta(days=300)),
                                (approved, "approved-network", NOW)]:
            uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status=to, actor_id=broker,
                               reason="", at=at)
        card = uow.outbox.enqueue_replies(Address("slack", "T1", "B1"), [{"text": "card"}], dedupe_key="c", at=NOW)
        assert card is not None
        uow.reviews.record_card(old, broker, card)
        uow.connections.create(broker, old, sam, "declined", NOW)
        uow.ideas.flag_duplicates(approved, [(old, 0.8)], NOW)
        uow.commit()
    with uow:
        cutoff = NOW + timedelta(days=1)
        deleted = uow.retention.purge_declined_ideas(cutoff)
        uow.commit()
    with uow:
        assert deleted == 1, store.name
        assert [uow.ideas.get(i) is not None for i in (old, recent, approved)] == [False, True, True]
        assert uow.ideas.decisions(old) == [] and uow.reviews.cards(old) == []
        assert uow.data_rights.my_data(broker).connections_asked == 0
        assert uow.outbox.get(card) is not None  # the message itself is the outbox's to purge


def test_erasing_through_the_data_rights_port_counts_what_went(uow: UOW) -> None:
    with uow:
        sam, broker, _ = people(uow)
        idea_id = uow.ideas.submit(new_idea(sam))
        uow.conversations.save(SAM, "awaiting-problem", {"draft_id": "d"}, expected_version=None, at=NOW)
        uow.outbox.enqueue_replies(Address("slack", "T1", "U1"), [{"text": "hi"}], dedupe_key=None, at=NOW)
        uow.commit()
    with uow:
        erased = uow.data_rights.erase(SAM)
        assert uow.people.find(SAM) is None
        uow.commit()
    assert erased is not None
    assert (erased.people, erased.ideas_anonymised, erased.conversations, erased.messages) == (1, 1, 1, 1)
    with uow:
        assert uow.data_rights.erase(SAM) is None
        idea = uow.ideas.get(idea_id)
        assert idea is not None and idea.submitter_id is None
        # Only ideas in the status asked for, changed before the cutoff, are deleted.
        assert uow.data_rights.delete_ideas(status="submitted", updated_before=NOW) == 0
        assert uow.data_rights.delete_ideas(status="declined", updated_before=NOW + timedelta(days=1)) == 0
        assert uow.data_rights.delete_ideas(status="submitted", updated_before=NOW + timedelta(days=1)) == 1
        assert uow.ideas.get(idea_id) is None and uow.data_rights.my_data(broker).display_name == "Bea"
