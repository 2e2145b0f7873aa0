"""Sharing a flagged idea: the broker's check item by item, and masking wherever the idea travels.

Through the service on the in-memory store (the contract suite, tests/storage/test_contract*.py, holds it to
what SQLite and PostgreSQL do): an officer shares an idea holding a phone number, a
postcode and names; the broker's approval first shows each flagged item, then either edits the detail out
(the officer is told what changed) or shares it as it is with a reason the officer never sees. Everything
other forces read — roundups, search, similar-work suggestions, connect-me, exports — shows the detail
masked unless "Share as it is" was chosen.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from bot.codec import reply_from_json
from bot.events import Action, Message
from bot.evidence.tables import Level
from bot.i18n import Translator
from bot.replies import Card, Text
from bot.review.share_check import summary
from bot.roundups.planning import RoundupConfig
from bot.sensitivity import check as flags_in
from tests.support.memory import MemoryApp
from tests.test_review import BROKER, NOW, OFFICER, OTHER_BROKER, idea_row, outbox, setup_people

t = Translator()
PHONE, POSTCODE, NAME, OFFICER_NAME = "07700 900123", "PR1 2AB", "Mr John Smithers", "PC Sam Hollins"
FLAGGED = (f"After burglaries on the Avenham estate we started to text victims a direct line: call {OFFICER_NAME} "
           f"on {PHONE}, or {NAME} at the community office, 12 Fishergate, Preston {POSTCODE}. Victims stop "
           "ringing 101 for updates and officers are not chasing call-backs.")
SECRETS = (PHONE, POSTCODE, "Smithers", "Hollins")
_n = iter(range(1, 1_000_000))


@pytest.fixture
def c(memory_app: MemoryApp) -> MemoryApp:
    setup_people(memory_app)
    return memory_app


def submit_flagged(c: MemoryApp, text: str = FLAGGED) -> int:
    c.service.handle(Message(f"fm{next(_n)}", OFFICER, text, NOW))
    with c.uow_factory() as uow:
        record = uow.conversations.get(OFFICER.ref)
    assert record is not None and record.draft is not None
    handled = c.service.handle(Action(f"fa{next(_n)}", OFFICER, "capture.submit", f"{record.draft['draft_id']}|",
                                      NOW))
    assert handled.submitted_idea_id is not None
    return handled.submitted_idea_id


def decide(c: MemoryApp, action: str, value: str, inputs: dict[str, str] | None = None,
           at: datetime = NOW) -> list[object]:
    return list(c.service.handle(Action(f"d{next(_n)}", BROKER, action, value, at, inputs=inputs or {})).replies)


def texts(replies: list[object]) -> list[str]:
    return [r.text for r in replies if isinstance(r, Text)]


def told_officer(c: MemoryApp) -> str:
    return "\n".join(r["text"] for row in outbox(c, "olly") for r in row.payload["replies"] if r["type"] == "text")


def last_reason(c: MemoryApp, idea_id: int) -> str:
    with c.uow_factory() as uow:
        return uow.ideas.decisions(idea_id)[-1].reason


def test_approving_a_flagged_idea_first_shows_each_item_and_changes_nothing(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    card = reply_from_json(next(r for r in outbox(c, "bea")[0].payload["replies"] if r["type"] == "card"))
    assert isinstance(card, Card)
    approve = next(b for b in card.buttons if b.action_id == "review.approve-network")
    assert not approve.needs_reason and approve.form is None  # the click itself asks for the check
    replies = decide(c, "review.approve-network", approve.value)
    assert texts(replies) == [t("share.choose", ref=idea_id)]
    check = next(r for r in replies if isinstance(r, Card))
    assert check.kind == "share-check"
    listed = "\n".join(f.value for f in check.fields)
    for item in (f'a phone number: "{PHONE}"', f'a postcode: "{POSTCODE}"', f'a name: "{NAME}"',
                 f'a name: "{OFFICER_NAME}"'):
        assert item in listed
    edit, as_is = check.buttons
    assert (edit.label, as_is.label) == ("Edit before sharing", "Share as it is")
    assert edit.form is not None and as_is.form is not None
    boxes = {i.name: i for i in edit.form.inputs}
    assert PHONE not in boxes["description"].value and "[phone number removed]" in boxes["description"].value
    assert [i.name for i in as_is.form.inputs] == ["reason"] and as_is.form.inputs[0].required
    assert "only brokers, reviewers and the audit trail" in as_is.form.inputs[0].label
    assert idea_row(c, idea_id).status == "submitted" and idea_id not in c.matcher
    # Local use and escalation ask too; an unflagged idea's buttons do not (test_review covers those).
    assert any(isinstance(r, Card) for r in decide(c, "review.approve-local", approve.value))
    assert any(isinstance(r, Card) for r in decide(c, "review.escalate", approve.value))


def test_share_as_it_is_needs_a_reason_the_officer_never_sees(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    value = f"{idea_id}:1:as-is"
    assert texts(decide(c, "review.approve-network", value, {"reason": "  "})) == [
        t("share.reason_needed", ref=idea_id)]
    assert idea_row(c, idea_id).status == "submitted"
    reason = "The direct line and office are published on the force website"
    replies = texts(decide(c, "review.approve-network", value, {"reason": reason}))
    assert replies == [t("share.done_as_is", ref=idea_id, status=t("status.phrase.approved-network"))]
    row = idea_row(c, idea_id)
    assert (row.status, row.shared_as_is) == ("approved-network", "network") and PHONE in row.description
    assert reason in last_reason(c, idea_id) and "Shared as it is" in last_reason(c, idea_id)
    told = told_officer(c)
    assert "approved for the network" in told and reason not in told
    # The national team's card (reviewers may see the reason) and the catalogue show the text as it is.
    assert c.matcher.search("Smithers community office")[0].entry.idea_id == idea_id
    reviewer_rows = [r for r in outbox(c, "rita") if r.kind == "dm"]
    assert reviewer_rows


def test_edit_before_sharing_rewrites_the_idea_and_tells_the_officer_what_changed(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    check = next(r for r in decide(c, "review.approve-network", f"{idea_id}:1") if isinstance(r, Card))
    edit = check.buttons[0]
    assert edit.form is not None
    prefilled = {i.name: i.value for i in edit.form.inputs}
    rewritten = prefilled["description"].replace("[name removed] on [phone number removed]",
                                                 "the neighbourhood team on the force's direct line")
    replies = texts(decide(c, "review.approve-network", edit.value, {"description": rewritten, "note": "ok"}))
    assert replies[0].startswith(f"Done — #{idea_id} is now approved for the network, with your edits")
    row = idea_row(c, idea_id)
    assert row.status == "approved-network" and not row.shared_as_is
    assert all(secret not in row.description for secret in SECRETS)
    assert "the neighbourhood team on the force's direct line" in row.description
    told = told_officer(c)
    assert "edited your idea" in told and "the neighbourhood team on the force's direct line" in told
    assert last_reason(c, idea_id).startswith("Edited before sharing (What it is)")
    # Putting the detail back word for word is not an edit.
    other = submit_flagged(c, FLAGGED.replace("Avenham", "Larkhill"))
    as_typed = idea_row(c, other).description
    assert texts(decide(c, "review.approve-network", f"{other}:1:edit", {"description": as_typed})) == [
        t("share.no_change", found=summary(t, {"description": flags_in(as_typed)}))]
    assert idea_row(c, other).status == "submitted"


def test_an_old_check_card_or_another_forces_broker_changes_nothing(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    value = f"{idea_id}:1:as-is"
    other = c.service.handle(Action("x1", OTHER_BROKER, "review.approve-network", value, NOW,
                                    inputs={"reason": "fine"})).replies
    assert "Kent Police" in texts(list(other))[0] and idea_row(c, idea_id).status == "submitted"
    decide(c, "review.approve-network", value, {"reason": "published"})
    again = texts(decide(c, "review.approve-network", f"{idea_id}:1:edit", {"description": "x"}))
    assert "already" in again[0]


def test_shared_as_is_for_local_use_asks_again_before_going_national(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    decide(c, "review.approve-local", f"{idea_id}:1:as-is", {"reason": "Our own officers know the line"})
    assert (idea_row(c, idea_id).status, idea_row(c, idea_id).shared_as_is) == ("approved-local", "local")
    replies = decide(c, "review.escalate", f"{idea_id}:2")
    assert any(isinstance(r, Card) and r.kind == "share-check" for r in replies)
    assert idea_row(c, idea_id).status == "approved-local"


def roundup_text(c: MemoryApp, at: datetime) -> str:
    c.roundups.run_due(at, RoundupConfig())
    return "\n".join(str(row.payload) for row in outbox(c) if (row.dedupe_key or "").startswith("roundup:"))


def test_a_network_roundup_never_shows_flagged_detail_unless_shared_as_it_is(c: MemoryApp) -> None:
    c.roundup_channels.subscribe("slack:T1:C1", "network", "mon 09:00", now=NOW - timedelta(days=2))
    edited = submit_flagged(c, FLAGGED.replace("Avenham", "Edited"))
    decide(c, "review.approve-network", f"{edited}:1:edit",
           {"description": "After burglaries on the Edited estate we started to text victims a direct line."},
           at=NOW + timedelta(hours=1))
    legacy = submit_flagged(c, FLAGGED.replace("Avenham", "Legacy"))
    with c.uow_factory() as uow:  # approved before the check existed: straight through the repository
        uow.reviews.decide(legacy, expected_version=1, from_status="submitted", to_status="approved-network",
                           actor_id=None, reason="", at=NOW + timedelta(hours=1))
        uow.commit()
    posted = roundup_text(c, NOW + timedelta(days=7, seconds=30))
    assert "Edited estate" in posted and "Legacy estate" in posted
    for secret in SECRETS:
        assert secret not in posted
    assert "[phone number removed]" in posted or "[name removed]" in posted

    shared = submit_flagged(c, FLAGGED.replace("Avenham", "Public"))
    decide(c, "review.approve-network", f"{shared}:1:as-is", {"reason": "All published on the force website"},
           at=NOW + timedelta(days=8))
    posted = roundup_text(c, NOW + timedelta(days=14, seconds=30))
    assert "Public estate" in posted and PHONE in posted and "Smithers" in posted


def test_search_similar_connect_and_exports_mask_flagged_detail(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    with c.uow_factory() as uow:
        uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status="approved-network",
                           actor_id=None, reason="", at=NOW)
        uow.commit()
    c.catalogue.refresh_ids([idea_id])
    # Search and similar-work suggestions are built on the catalogue: the name is not even searchable.
    found = c.matcher.search("victims direct line burglaries call-backs")
    assert found and found[0].entry.idea_id == idea_id
    assert all(secret not in found[0].entry.description for secret in SECRETS)
    assert not [m for m in c.matcher.search("Smithers") if m.entry.idea_id == idea_id]
    searched = c.service.handle(Message("s1", OTHER_BROKER, "search burglaries victims direct line", NOW)).replies
    assert all(secret not in str(r) for r in searched for secret in SECRETS)
    # Connect me: the asker in another force reads the masked title.
    with c.uow_factory() as uow:
        target = uow.connections.target(idea_id)
    assert target is not None and all(secret not in target.title for secret in SECRETS)
    # Exports that travel: the national team's ideas.csv; the admin's record keeps the words.
    reviewer = c.evidence.table("ideas", Level.REVIEWER)
    admin = c.evidence.table("ideas", Level.ADMIN)
    row = next(r for r in reviewer.rows if r["id"] == idea_id)
    assert PHONE not in row["description"] and "[phone number removed]" in row["description"]
    assert PHONE in next(r for r in admin.rows if r["id"] == idea_id)["description"]
    out = io.StringIO()
    csv.writer(out).writerows([[str(v) for v in r.values()] for r in reviewer.rows])
    assert PHONE not in out.getvalue()



def test_the_form_is_described_only_to_someone_who_may_decide(c: MemoryApp) -> None:
    idea_id = submit_flagged(c)
    value = f"{idea_id}:1:as-is"
    form = c.service.form_for(Action("f1", BROKER, "review.approve-network", value, NOW))
    assert form is not None and PHONE in form.intro and [i.name for i in form.inputs] == ["reason"]
    assert c.service.form_for(Action("f2", OTHER_BROKER, "review.approve-network", value, NOW)) is None
    assert c.service.form_for(Action("f3", OFFICER, "review.approve-network", value, NOW)) is None
    assert c.service.form_for(Action("f4", BROKER, "review.approve-network", f"{idea_id}:9:as-is", NOW)) is None


def test_an_officer_who_chose_welsh_is_told_of_the_edits_in_welsh(c: MemoryApp) -> None:
    """The broker works in English; the officer chose Cymraeg: the whole of the news is in Welsh, the list
    of what was edited included (it was once drawn in the broker's language)."""
    cy = Translator("cy")
    idea_id = submit_flagged(c)
    c.service.handle(Message(f"fm{next(_n)}", OFFICER, "Cymraeg", NOW))
    check = next(r for r in decide(c, "review.approve-network", f"{idea_id}:1") if isinstance(r, Card))
    prefilled = {i.name: i.value for i in check.buttons[0].form.inputs} if check.buttons[0].form else {}
    rewritten = prefilled["description"].replace("[name removed] on [phone number removed]", "the direct line")
    decide(c, "review.approve-network", check.buttons[0].value, {"description": rewritten})
    told = told_officer(c)
    opening = cy("share.told.edited", name="{name}", ref=idea_id, found="{found}").split("{name}")[0]
    assert opening and opening in told
    assert cy("share.told.field", field=cy("field.description"), text=rewritten) in told
    assert t("share.told.edited", name="x", ref=idea_id, found="y").split("x")[0] not in told
