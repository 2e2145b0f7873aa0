"""Transcripts of issue 16's rough edges for officers: each one failed before its fix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.conversation import ShowMyIdeas, State, SubmitDraft, views
from bot.domain import IdeaSummary, Status
from bot.force_names import resolve
from bot.i18n import Translator
from bot.matching import CatalogueEntry, Match, MatchKind
from bot.replies import Card, Choices
from tests.bot.dialogue import FORCES, Dialogue, texts

t = Translator()
DESCRIPTION = "We built a shared calendar so response officers can book the forensic van themselves."
PROBLEM = "Officers were waiting hours on the phone for the control room to book it."


def fields(card: Card) -> dict[str, str]:
    return {f.label: f.value for f in card.fields}


def submitted(d: Dialogue) -> SubmitDraft:
    [effect] = [e for e in d.effects if isinstance(e, SubmitDraft)]
    return effect


# 1 ------------------------------------------------------------------------------------------------
def test_an_announcement_is_never_taken_as_the_idea() -> None:
    d = Dialogue()
    assert t("ask.description") in texts(d.say("hello"))
    replies = d.say("I've got an idea")
    assert d.state is State.AWAITING_DESCRIPTION and d.draft is not None and d.draft.description == ""
    assert texts(replies) == [t("ask.description_again")]
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    assert d.draft is not None and (d.draft.description, d.draft.problem) == (DESCRIPTION, PROBLEM)


# 2 ------------------------------------------------------------------------------------------------
def _to_stage_question() -> Dialogue:
    d = Dialogue()
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    assert d.state is State.AWAITING_STAGE
    return d


def test_a_returning_officer_is_offered_carry_on_or_start_again_and_the_new_idea_is_kept() -> None:
    d = _to_stage_question()
    d.now += timedelta(hours=5)
    new_idea = "We put QR codes on cell doors so detainee checks are logged straight away."
    replies = d.say(new_idea)
    assert d.state is State.RESUMING
    line = texts(replies)[0]
    assert "shared calendar" in line  # the unfinished draft, in a line
    d.press(t("resume.start_again"))
    assert d.draft is not None and d.draft.description == new_idea  # what they typed is the new idea
    assert d.state is State.AWAITING_PROBLEM


def test_carry_on_returns_to_the_question_and_nothing_is_lost() -> None:
    d = _to_stage_question()
    replies = d.say("I've got an idea")
    assert d.state is State.RESUMING and isinstance(replies[-1], Choices)
    replies = d.press(t("resume.carry_on"))
    assert d.state is State.AWAITING_STAGE and t("ask.stage") in texts(replies)
    d.press(t("stage.idea"))
    d.press(t("button.submit"))
    assert submitted(d).draft.description == DESCRIPTION


def test_a_new_description_at_the_stage_question_is_not_thrown_away() -> None:
    d = _to_stage_question()
    replies = d.say("Another thing: we text victims a link so they can upload CCTV from home.")
    assert d.state is State.RESUMING and t("stage.pick") not in texts(replies)
    d.say("start again")
    assert d.draft is not None and d.draft.description.startswith("Another thing: we text victims")


def test_typed_carry_on_after_a_gap_uses_the_text_as_the_answer() -> None:
    d = Dialogue()
    d.say(DESCRIPTION)
    d.now += timedelta(hours=3)
    d.say(PROBLEM)
    assert d.state is State.RESUMING
    d.say("carry on")
    assert d.state is State.AWAITING_STAGE and d.draft is not None and d.draft.problem == PROBLEM


def test_the_share_button_mid_draft_offers_the_same_choice() -> None:
    d = _to_stage_question()
    d.click("capture.start", "")
    assert d.state is State.RESUMING
    d.press(t("resume.start_again"))
    assert d.state is State.AWAITING_DESCRIPTION and d.draft is not None and d.draft.description == ""


# 3 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "slug"), [("lancs", "lancashire"), ("Met", "metropolitan"),
                                             ("Heddlu Gwent", "gwent"), ("hants", "hampshire-and-isle-of-wight"),
                                             ("Heddlu Gogledd Cymru", "north-wales")])
def test_typed_force_names_are_matched_fuzzily(typed: str, slug: str) -> None:
    guess = resolve(typed, FORCES)
    assert guess.named is None and guess.candidates[0].slug == slug


def test_a_full_force_name_needs_no_confirmation() -> None:
    assert resolve("Kent Police", FORCES).named is not None
    assert resolve("kent", FORCES).named is not None
    assert resolve("Atlantis Constabulary", FORCES) == resolve("Atlantis Constabulary", FORCES)
    assert not resolve("Atlantis Constabulary", FORCES).candidates


def test_a_guessed_force_is_confirmed_before_it_is_used() -> None:
    d = Dialogue(person_force=None)
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    d.press(t("stage.idea"))
    replies = d.say("lancs")
    assert d.state is State.AWAITING_FORCE
    assert texts(replies) == [t("force.confirm", name="Lancashire Constabulary")]
    d.say("yes")
    assert d.state is State.CONFIRMING and d.draft is not None and d.draft.force == "lancashire"


def test_choose_without_picking_a_force_files_nothing() -> None:
    d = Dialogue(person_force=None)
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    d.press(t("stage.idea"))
    assert d.draft is not None
    replies = d.click("capture.force", f"{d.draft.draft_id}|")
    assert texts(replies)[0] == t("force.pick") and d.state is State.AWAITING_FORCE
    assert d.draft.force == ""
    [choices] = [r for r in d.turns[-2][1] if isinstance(r, Choices)]
    assert choices.searchable and choices.placeholder == t("force.placeholder")


# 4 ------------------------------------------------------------------------------------------------
def test_a_long_first_message_never_copies_one_field_into_another() -> None:
    d = Dialogue()
    text = ("We are reducing the time officers spend on paperwork by letting them dictate statements into a "
            "phone app. This saves time because nothing has to be typed up again at the station later on.")
    replies = d.say(text)
    assert d.draft is not None and d.draft.problem != d.draft.description
    assert t("ask.stage") in texts(replies)  # the message does not say how far along it is: ask
    assert d.draft.stage == ""


def test_a_single_sentence_is_not_split_into_idea_and_problem() -> None:
    d = Dialogue()
    d.say("Officers could save time and reduce delays by booking interpreters through a shared app that "
          "every response team and custody suite can use, because calls take ages.")
    assert d.state is State.AWAITING_PROBLEM and d.draft is not None and d.draft.problem == ""


def test_the_summary_shows_what_was_inferred() -> None:
    d = Dialogue()
    d.say("In our area we started giving neighbourhood officers a tablet app to record anti-social behaviour "
          "reports on the street, with photos and location. It saves about an hour of paperwork per shift "
          "because nothing has to be typed up again at the station.")
    row = fields(d.summary())
    assert row[t("field.stage")] == t("summary.guessed", value=t("stage.being-tried"))
    assert d.draft is not None
    assert row[t("field.problem")] == t("summary.guessed", value=d.draft.problem)
    assert "tablet app" in row[t("field.description")] and "saves about an hour" in d.draft.problem
    d.press(t("button.edit"))
    d.press(t("field.stage"))
    d.press(t("stage.idea"))
    assert fields(d.summary())[t("field.stage")] == t("stage.idea")  # chosen now, not a guess


# 5 ------------------------------------------------------------------------------------------------
def test_status_mentions_the_draft_in_progress() -> None:
    d = Dialogue()
    d.say(DESCRIPTION)
    d.say("status")
    [effect] = d.effects
    assert isinstance(effect, ShowMyIdeas) and "shared calendar" in effect.in_progress.lower()
    reply = views.my_ideas(t, [], in_progress=effect.in_progress)
    assert "haven't shared any ideas yet" not in texts(reply)[0]
    assert effect.in_progress in texts(reply)[0]
    listed = views.my_ideas(t, [IdeaSummary(3, "Van", Status.SUBMITTED, "Kent Police", "2026-11-01")],
                            in_progress=effect.in_progress)
    assert any(effect.in_progress in f.value for r in listed if isinstance(r, Card) for f in r.fields)


# 6 ------------------------------------------------------------------------------------------------
LONG = ("Officers in rural areas often have to wait hours for a drone to arrive when a vulnerable person "
        "goes missing at night, so we trained two response officers as pilots.")


def test_titles_are_cut_at_a_word_boundary_and_editable_on_the_summary() -> None:
    d = Dialogue()
    d.say(LONG)
    assert d.draft is not None
    title = d.draft.title
    assert len(title) <= 71 and title.endswith("…")
    assert LONG.startswith(title.removesuffix("…")) and not LONG[len(title) - 1].isalnum()
    d.say("It means officers search faster.")
    d.press(t("stage.idea"))
    d.press(t("button.edit_title"))
    assert d.state is State.AWAITING_EDIT and d.draft is not None and d.draft.editing == "title"
    d.say("Night-time drone pilots for missing people")
    assert fields(d.summary())[t("field.title")] == "Night-time drone pilots for missing people"


def test_an_edited_title_that_is_too_long_is_cut_at_a_word() -> None:
    d = Dialogue()
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    d.press(t("stage.idea"))
    d.press(t("button.edit_title"))
    d.say(LONG + " " + LONG)
    title = fields(d.summary())[t("field.title")]
    assert len(title) <= 121 and title.endswith("…") and not title[:-1].endswith(" ")
    assert not (LONG + " " + LONG)[len(title) - 1].isalnum()


# 7 ------------------------------------------------------------------------------------------------
def test_the_name_row_shows_the_name_and_what_is_shown() -> None:
    d = Dialogue(person_name="Sam Taylor")
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    d.press(t("stage.idea"))
    row = fields(d.summary())[t("field.visibility")]
    assert row.startswith("Sam Taylor") and "shown to other forces" in row
    d.press(t("button.visibility.anonymous-to-peers"))
    row = fields(d.summary())[t("field.visibility")]
    assert row.startswith("Sam Taylor") and "hidden from other forces" in row


# 8 ------------------------------------------------------------------------------------------------
def test_similar_work_shows_a_one_line_summary_then_why() -> None:
    entry = CatalogueEntry(7, "Drone pilots for missing people", "Response officers trained as drone pilots "
                           "search rural areas at night for vulnerable missing people. Two pilots per shift.",
                           force_slug="kent", force_name="Kent Police", stage="evaluated-locally")
    [card] = views.match_cards(t, [Match(entry, 71.0, MatchKind.RELATED, ("drone", "vulnerable person"))])
    assert isinstance(card, Card)
    line = card.body.split("\n")[0]
    assert line.startswith("Response officers trained as drone pilots search rural areas")
    assert "Kent Police" in line and t("match.works.evaluated-locally") in line
    assert fields(card)[t("match.why")] == t("match.why_shared", words="drone, vulnerable person")
    tested = CatalogueEntry(8, "Knife arches", "Knife arches at festival gates.", force_name="Essex Police",
                            stage="being-tried", status="national-testing")
    [card] = views.match_cards(t, [Match(tested, 60.0, MatchKind.RELATED, ())])
    assert isinstance(card, Card)
    assert card.body.split("\n")[0] == ("Knife arches at festival gates · Essex Police · being tried, no results yet, "
                                        "selected for national testing")
    assert fields(card)[t("match.why")] == t("match.why_overall")


# 9 ------------------------------------------------------------------------------------------------
def test_a_bare_number_with_nothing_to_pick_does_not_start_an_idea() -> None:
    d = Dialogue()
    replies = d.say("3")
    assert d.state is State.IDLE and d.draft is None
    assert texts(replies) == [t("number.nothing_to_pick", number="3")]


# 12 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", list(Status))
def test_status_phrases_read_as_sentences(status: Status) -> None:
    sentence = t("review.done", ref=52, status=t(f"status.phrase.{status.value}"))
    middle = sentence.split(" is now ", 1)[1]
    assert middle[0].islower(), sentence
    changed = t("review.already_changed", ref=52, status=t(f"status.phrase.{status.value}"))
    assert changed.split("is now ", 1)[1][0].islower()
    assert t(f"status.{status.value}")[0].isupper()  # the label, for a field, stays a label
