"""Coming back to an unfinished draft: offer *carry on* or *start again*, and keep what was typed.

A person who left an idea half-way and comes back (after a while, or with "I've got an idea", or with
a whole new description where a button answer was expected) is shown the old draft in a line and asked
which they mean. What they typed is held in the draft until they choose: it answers the old question
if they carry on, or becomes the new idea if they start again. Nothing they typed is thrown away.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import drafting, views
from bot.conversation.state import EDITABLE_FIELDS, Draft, State
from bot.conversation.steps import new_draft_id, normalise_command, prompt, stage_from_text
from bot.conversation.types import Context, Outcome
from bot.force_names import resolve
from bot.replies import Text

# States part-way through a draft, where a returning person may mean something new.
FLOW_STATES = frozenset({State.AWAITING_PROBLEM, State.AWAITING_STAGE, State.AWAITING_FORCE, State.CONFIRMING,
                         State.CHOOSING_EDIT, State.AWAITING_EDIT})
# Of those, the ones whose answer is typed freely: a held text can answer them.
FREE_TEXT_STATES = frozenset({State.AWAITING_PROBLEM, State.AWAITING_DESCRIPTION, State.AWAITING_EDIT})
CARRY_ON = {"carry on", "continue", "carry on with it", "resume", "keep going", "go on", "1", "old", "the old one",
            "parhau", "parhau ag ef", "ymlaen"}  # and in Welsh
START_AGAIN = {"start again", "start a new idea", "new idea", "new", "start over", "start afresh", "2", "fresh",
               "dechrau eto", "dechrau syniad newydd", "syniad newydd", "newydd"}
CONFIRM_WORDS = {"submit", "yes", "send", "send it", "ok", "confirm", "y", "edit"}

Answer = Callable[[State, Draft, str, Context], Outcome]
Describe = Callable[[Draft, str, Context], Outcome]


def answers_the_question(state: State, draft: Draft, text: str, ctx: Context) -> bool:
    """Whether ``text`` is a fitting answer to a question that expects a choice."""
    command = normalise_command(text)
    if state is State.AWAITING_STAGE:
        return stage_from_text(text, ctx.translate) is not None
    if state is State.AWAITING_FORCE:
        guess = resolve(text, ctx.forces)
        return bool(guess.named or guess.candidates) or bool(draft.force_guess)
    if state is State.CONFIRMING:
        return command in CONFIRM_WORDS
    if state is State.CHOOSING_EDIT:
        return any(command in (n, ctx.translate(f"field.{n}").lower()) for n in EDITABLE_FIELDS)
    return True


def should_offer(state: State, draft: Draft, text: str, ctx: Context) -> bool:
    if state not in FLOW_STATES:
        return False
    if drafting.is_announcement(text):
        return True
    fits = answers_the_question(state, draft, text, ctx)
    returned = ctx.last_activity is not None and ctx.now - ctx.last_activity >= ctx.limits.resume_after
    if returned and (state in FREE_TEXT_STATES or not fits):
        return True
    # A whole description where a button answer was expected is a new idea, not a wrong answer.
    return not fits and drafting.word_count(text) >= drafting.DESCRIPTION_MIN_WORDS


def offer(state: State, draft: Draft, text: str, ctx: Context) -> Outcome:
    held = "" if drafting.is_announcement(text) else text
    draft = draft.with_(paused=state.value, held=held)
    return Outcome(State.RESUMING, draft, tuple(views.resume_offer(ctx.translate, draft)))


def on_resuming(draft: Draft, text: str, ctx: Context, answer: Answer, describe: Describe) -> Outcome | None:
    """A typed reply to the offer; None when it is something else (help, cancel, status...)."""
    command = normalise_command(text)
    if command in CARRY_ON or command == normalise_command(ctx.translate("resume.carry_on")):
        return carry_on(draft, ctx, answer)
    if command in START_AGAIN or command == normalise_command(ctx.translate("resume.start_again")):
        return start_again(draft, ctx, describe, event_id=draft.draft_id + ":again")
    return None


def not_understood(draft: Draft, text: str, ctx: Context) -> Outcome:
    """Neither choice: asked again, with a longer text added to what is held (nothing is dropped)."""
    if drafting.word_count(text) >= drafting.DESCRIPTION_MIN_WORDS and not drafting.is_announcement(text):
        draft = draft.with_(held=f"{draft.held}\n{text}".strip())
    return Outcome(State.RESUMING, draft, (Text(ctx.translate("resume.pick")),
                                           *views.resume_offer(ctx.translate, draft)))


def carry_on(draft: Draft, ctx: Context, answer: Answer) -> Outcome:
    state = State(draft.paused) if draft.paused in {s.value for s in State} else State.CONFIRMING
    held, draft = draft.held, draft.with_(paused="", held="")
    if held and state in FREE_TEXT_STATES:
        return answer(state, draft, held, ctx)
    return Outcome(state, draft, tuple(prompt(state, draft, ctx)))


def start_again(draft: Draft, ctx: Context, describe: Describe, event_id: str) -> Outcome:
    fresh = Draft(draft_id=new_draft_id(event_id))
    if draft.held:
        return describe(fresh, draft.held, ctx)
    return Outcome(State.AWAITING_DESCRIPTION, fresh, (views.ask_description(ctx.translate),))
