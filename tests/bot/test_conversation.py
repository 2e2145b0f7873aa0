"""Transcript tests of the capture conversation (pure core, no database)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.conversation import Limits, ShowMyIdeas, State, SubmitDraft
from bot.i18n import Translator
from bot.replies import Card, Choices, Text
from tests.bot.dialogue import Dialogue, texts

t = Translator()
QUESTIONS = {t("ask.description"), t("ask.problem"), t("ask.stage"), t("ask.force")}

DESCRIPTION = "We built a shared calendar so response officers can book the forensic van themselves."
PROBLEM = "Officers were waiting hours on the phone for the control room to book it."
ONE_SHOT = (
    "In our area we started giving neighbourhood officers a tablet app to record anti-social behaviour "
    "reports on the street, with photos and location. It saves about an hour of paperwork per shift because "
    "nothing has to be typed up again at the station."
)


def questions_asked(d: Dialogue) -> int:
    return sum(1 for _, replies in d.turns for line in texts(replies) if line in QUESTIONS)


def test_happy_path_takes_four_questions_when_force_is_unknown() -> None:
    d = Dialogue(person_force=None)
    assert t("ask.description") in texts(d.say("I've got an idea"))
    assert t("ask.problem") in texts(d.say(DESCRIPTION))
    assert t("ask.stage") in texts(d.say(PROBLEM))
    assert t("ask.force") in texts(d.press(t("stage.being-tried")))
    d.say("Kent")
    card = d.summary()
    fields = {f.label: f.value for f in card.fields}
    assert fields[t("field.force")] == "Kent Police"
    assert fields[t("field.stage")] == t("stage.being-tried")
    assert fields[t("field.description")] == DESCRIPTION
    assert fields[t("field.problem")] == PROBLEM
    assert fields[t("field.title")].startswith("We built a shared calendar")
    assert card.note == t("summary.privacy")
    assert [b.label for b in card.buttons] == [t("button.submit"), t("button.edit"), t("button.edit_title"),
                                               t("button.visibility.anonymous-to-peers"), t("button.cancel")]
    assert questions_asked(d) == 4

    assert d.press(t("button.submit")) == ()
    assert d.state is State.IDLE and d.draft is None
    [effect] = d.effects
    assert isinstance(effect, SubmitDraft)
    assert effect.draft.force == "kent" and effect.draft.stage == "being-tried"
    assert effect.draft.theme == "forensics"


def test_known_force_skips_the_force_question() -> None:
    d = Dialogue(person_force="lancashire")
    d.say(DESCRIPTION)  # a substantive first message is taken as the description at once
    d.say(PROBLEM)
    d.press(t("stage.idea"))
    assert {f.label: f.value for f in d.summary().fields}[t("field.force")] == "Lancashire Constabulary"
    assert questions_asked(d) == 2


def test_one_shot_message_goes_straight_to_the_summary() -> None:
    d = Dialogue(person_force="essex")
    replies = d.say(ONE_SHOT)
    assert d.state is State.CONFIRMING
    assert not set(texts(replies)) & QUESTIONS
    fields = {f.label: f.value for f in d.summary().fields}
    assert "saves about an hour of paperwork" in fields[t("field.problem")]
    assert "tablet app" in fields[t("field.description")]
    # "we started giving": a guess from the message, and the summary says so
    assert fields[t("field.stage")] == t("summary.guessed", value=t("stage.being-tried"))
    assert fields[t("field.theme")] in ("Neighbourhood crime", "Digital and technology", "Efficiency")


def test_one_shot_with_unknown_force_asks_only_the_force() -> None:
    d = Dialogue(person_force=None)
    d.say(ONE_SHOT)
    assert d.state is State.AWAITING_FORCE
    d.press("Essex Police")
    assert d.state is State.CONFIRMING
    assert questions_asked(d) == 1


def test_edit_title_and_theme_then_submit() -> None:
    d = Dialogue()
    d.say(ONE_SHOT)
    d.press(t("button.edit"))
    d.press(t("field.title"))
    assert d.state is State.AWAITING_EDIT
    d.say("ASB reporting app")
    assert {f.label: f.value for f in d.summary().fields}[t("field.title")] == "ASB reporting app"
    d.press(t("button.edit"))
    d.press(t("field.theme"))
    d.press("Efficiency")
    assert {f.label: f.value for f in d.summary().fields}[t("field.theme")] == "Efficiency"
    d.press(t("button.edit"))
    d.press(t("field.force"))
    d.say("gmp greater manchester")
    d.press(t("force.confirm_one", name="Greater Manchester Police"))  # a loosely typed force is confirmed
    assert {f.label: f.value for f in d.summary().fields}[t("field.force")] == "Greater Manchester Police"
    d.press(t("button.submit"))
    [effect] = d.effects
    assert isinstance(effect, SubmitDraft)
    assert (effect.draft.title, effect.draft.theme, effect.draft.force) == (
        "ASB reporting app", "efficiency", "greater-manchester")


def test_visibility_toggle_is_carried_into_the_submission() -> None:
    d = Dialogue()
    d.say(ONE_SHOT)
    d.press(t("button.visibility.anonymous-to-peers"))
    fields = {f.label: f.value for f in d.summary().fields}
    assert fields[t("field.visibility")] == t("visibility.row.anonymous-to-peers", name="Sam")
    d.press(t("button.visibility.named"))
    d.press(t("button.visibility.anonymous-to-peers"))
    d.press(t("button.submit"))
    [effect] = d.effects
    assert isinstance(effect, SubmitDraft) and effect.draft.visibility == "anonymous-to-peers"


def test_answer_to_a_brokers_question_goes_back_as_info() -> None:
    from bot.conversation import Draft, ProvideInfo

    d = Dialogue()
    d.state, d.draft = State.AWAITING_INFO, Draft(draft_id="info-7", info_for=7)
    assert texts(d.say("help"))[-1] == t("info.ask", ref=7)
    d.say("We trialled it on two shifts in March.")
    assert d.effects == [ProvideInfo(7, "We trialled it on two shifts in March.")]
    assert d.state is State.IDLE and d.draft is None


def test_queue_and_admin_commands_become_effects() -> None:
    from bot.conversation import AdminCommand, ShowQueue

    d = Dialogue()
    d.say("queue")
    d.say("admin add-broker kent local:bea")
    assert d.effects == [ShowQueue(), AdminCommand("add-broker kent local:bea")]
    assert d.state is State.IDLE


def test_cancel_by_button_and_by_word() -> None:
    d = Dialogue()
    d.say(ONE_SHOT)
    assert texts(d.press(t("button.cancel"))) == [t("cancel.done")]
    assert d.state is State.IDLE and d.draft is None
    d.say("I have an idea")
    assert texts(d.say("cancel")) == [t("cancel.done")]
    assert texts(d.say("cancel")) == [t("cancel.nothing")]
    assert d.effects == []


def test_help_and_status_keep_the_draft() -> None:
    d = Dialogue()
    d.say(DESCRIPTION)
    before = d.draft
    replies = d.say("help")
    assert texts(replies)[0] == t("help.text") and t("ask.problem") in texts(replies)
    replies = d.say("My ideas")
    assert d.effects == [ShowMyIdeas(in_progress=d.draft.title if d.draft else "")]
    assert d.state is State.AWAITING_PROBLEM and d.draft == before
    assert t("ask.problem") in texts(replies)


def test_unknown_command_gets_help() -> None:
    d = Dialogue()
    replies = d.say("/frobnicate now")
    assert texts(replies)[0] == t("command.unknown", command="/frobnicate")
    assert t("help.text") in texts(replies)


def test_empty_message_reasks_the_question() -> None:
    d = Dialogue()
    d.say("hello")
    assert texts(d.say("   ")) == [t("input.empty"), t("ask.description")]
    assert d.state is State.AWAITING_DESCRIPTION


def test_too_long_message_is_refused_politely_and_keeps_the_draft() -> None:
    d = Dialogue(limits=Limits(max_message_chars=4000))
    d.say(DESCRIPTION)
    before = (d.state, d.draft)
    replies = d.say("x" * 10_000)
    assert texts(replies) == [t("input.too_long", length=10_000, limit=4000)]
    assert (d.state, d.draft) == before
    d.say("y" * 4000)  # exactly at the limit is accepted
    assert d.state is State.AWAITING_STAGE and d.draft is not None and d.draft.problem == "y" * 4000


@pytest.mark.parametrize("text", [
    "Rydym wedi dechrau defnyddio dronau i chwilio am bobl sydd ar goll yng nghefn gwlad Cymru 🚁",
    "我们开始使用无人机搜索失踪人员，效果很好，节省了很多时间和警力资源。",
    "<script>alert('x')</script> **bold** <!channel> <@U123> & more words here",
    "🚓🚓🚓 👮‍♀️ idea with emoji everywhere 🎉 and some more words to say",
])
def test_any_text_is_kept_verbatim(text: str) -> None:
    d = Dialogue()
    d.say(text)
    assert d.draft is not None and d.draft.description == text
    d.say(text)
    d.press(t("stage.idea"))
    fields = {f.label: f.value for f in d.summary().fields}
    assert fields[t("field.description")] == text and fields[t("field.problem")] == text


def test_stale_button_from_a_finished_conversation_changes_nothing() -> None:
    d = Dialogue()
    d.say(ONE_SHOT)
    old_submit = next(b for b in d.last_buttons() if b.label == t("button.submit"))
    d.press(t("button.submit"))
    assert len(d.effects) == 1
    replies = d.click(old_submit.action_id, old_submit.value)
    assert texts(replies) == [t("action.stale")]
    assert len(d.effects) == 1 and d.state is State.IDLE
    # and a stale click during a newer draft leaves the newer draft alone
    d.say(DESCRIPTION)
    current = d.draft
    replies = d.click(old_submit.action_id, old_submit.value)
    assert texts(replies)[0] == t("action.stale") and d.draft == current and len(d.effects) == 1


def test_forged_or_unknown_actions_are_refused() -> None:
    d = Dialogue()
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    assert d.draft is not None
    draft_id = d.draft.draft_id
    assert texts(d.click("capture.stage", f"{draft_id}|rocket-science"))[0] == t("action.out_of_turn")
    assert texts(d.click("review.approve", f"{draft_id}|1"))[0] == t("action.unknown")
    assert texts(d.click("capture.submit", f"{draft_id}|"))[0] == t("action.out_of_turn")
    assert d.state is State.AWAITING_STAGE and d.effects == []


def test_idle_draft_expires_after_the_configured_time() -> None:
    d = Dialogue(limits=Limits(draft_ttl=timedelta(hours=2)))
    d.say(DESCRIPTION)
    d.now += timedelta(hours=3)
    replies = d.say("hello")
    assert texts(replies)[0].startswith("Your unfinished idea")
    assert d.state is State.AWAITING_DESCRIPTION  # "hello" started a fresh conversation


def test_draft_survives_just_inside_the_ttl() -> None:
    d = Dialogue(limits=Limits(draft_ttl=timedelta(hours=2), resume_after=timedelta(hours=2)))
    d.say(DESCRIPTION)
    d.now += timedelta(hours=1)
    d.say(PROBLEM)
    assert d.state is State.AWAITING_STAGE


def test_typed_stage_and_force_answers() -> None:
    d = Dialogue(person_force=None)
    d.say(DESCRIPTION)
    d.say(PROBLEM)
    assert texts(d.say("banana"))[0] == t("stage.pick")
    d.say("2")
    assert d.draft is not None and d.draft.stage == "being-tried"
    replies = d.say("north")
    assert d.state is State.AWAITING_FORCE
    choices = [r for r in replies if isinstance(r, Choices)]
    assert choices and {t("force.confirm_one", name="North Wales Police"), "North Yorkshire Police"} <= {
        o.label for o in choices[0].options}
    replies = d.say("Atlantis Constabulary")
    assert d.state is State.AWAITING_FORCE
    d.say("the met")
    assert d.state is State.AWAITING_FORCE  # a loose name is confirmed first
    d.say("yes")
    assert d.state is State.CONFIRMING and d.draft is not None and d.draft.force == "metropolitan"


def test_search_in_the_middle_of_a_draft_resumes_it() -> None:
    class Finder:
        def match(self, text: str, limit: int = 3, *, exclude: object = ()) -> list[object]:
            return []

        def search(self, text: str, limit: int = 5) -> list[object]:
            return []

    d = Dialogue(finder=Finder())
    d.say(DESCRIPTION)
    replies = d.say("search drones")
    assert texts(replies)[0] == t("search.none", query="drones")
    assert t("ask.problem") in texts(replies) and d.state is State.AWAITING_PROBLEM


def test_summary_card_carries_only_plain_text() -> None:
    d = Dialogue()
    d.say(ONE_SHOT)
    card = d.summary()
    assert isinstance(card, Card) and all(isinstance(f.value, str) for f in card.fields)
    assert all(isinstance(r, Text | Card | Choices) for _, replies in d.turns for r in replies)


def test_summary_warns_about_personal_or_operational_detail() -> None:
    d = Dialogue()
    d.say("Officers can ring me on 07700 900123 to book the van for CSI jobs at short notice.")
    d.say("It saves hours of waiting for the control room.")
    replies = d.press(t("stage.idea"))
    warning = [r.text for r in replies if isinstance(r, Text)]
    assert warning and 'a phone number ("07700 900123")' in warning[0]
    d.press(t("button.edit"))
    d.press(t("field.description"))
    replies = d.say("Officers book the van for CSI jobs themselves through a shared calendar.")
    assert [r.text for r in replies if isinstance(r, Text)] == [warning[0]]  # the title still has it
    d.press(t("button.edit"))
    d.press(t("field.title"))
    replies = d.say("Self-service CSI van booking")
    assert not [r for r in replies if isinstance(r, Text)]  # clean now: no warning
    assert isinstance(replies[-1], Card) and replies[-1].kind == "summary"


def test_a_brokers_question_does_not_expire_like_a_draft() -> None:
    from bot.conversation import Draft, ProvideInfo

    d = Dialogue(limits=Limits(draft_ttl=timedelta(hours=2)))
    d.state, d.draft = State.AWAITING_INFO, Draft(draft_id="info-9", info_for=9)
    d.last_activity = d.now
    d.now += timedelta(days=5)
    d.say("Sorry for the delay: it ran for three months in two stations.")
    assert d.effects == [ProvideInfo(9, "Sorry for the delay: it ran for three months in two stations.")]
