"""Button clicks in the capture flow: each handler says what a click means in the current state."""

from __future__ import annotations

from typing import Protocol

from bot.conversation import resume, views
from bot.conversation.state import EDITABLE_FIELDS, Draft, State
from bot.conversation.steps import after_stage, chosen, new_draft_id, prompt, start_edit, submit, summary
from bot.conversation.types import Context, Outcome
from bot.domain import Stage, Visibility
from bot.events import Action
from bot.replies import Text


def on_action(state: State, draft: Draft | None, event: Action, ctx: Context, *, on_resume: Click) -> Outcome:
    """``on_resume``: what "carry on" / "start again" does, given by the machine (it answers with the
    machine's own steps, and this module stays below the machine)."""
    t = ctx.translate
    if event.action_id == "capture.start":
        if draft is not None and state in resume.FLOW_STATES:
            return resume.offer(state, draft, "", ctx)
        if draft is not None and state is not State.IDLE:
            return Outcome(state, draft, (Text(t("capture.already")), *prompt(state, draft, ctx)))
        fresh = Draft(draft_id=new_draft_id(event.event_id))
        return Outcome(State.AWAITING_DESCRIPTION, fresh, (views.ask_description(t),))
    if not event.action_id.startswith("capture."):
        return Outcome(state, draft, (Text(t("action.unknown")), *prompt(state, draft, ctx)), refused=True)
    draft_id, _, payload = event.value.rpartition("|")
    if draft is None or state is State.IDLE or draft_id != draft.draft_id:
        return Outcome(state, draft, (Text(t("action.stale")), *prompt(state, draft, ctx, resume=True)),
                       refused=True)

    handler = on_resume if event.action_id == "capture.resume" else _ACTIONS.get(event.action_id)
    if handler is None:
        return Outcome(state, draft, (Text(t("action.unknown")), *prompt(state, draft, ctx)), refused=True)
    outcome = handler(state, draft, payload, ctx)
    if outcome is None:
        return Outcome(state, draft, (Text(t("action.out_of_turn")), *prompt(state, draft, ctx)), refused=True)
    return outcome


def _click_stage(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {s.value for s in Stage} or state not in (State.AWAITING_STAGE, State.AWAITING_EDIT,
                                                                State.CONFIRMING):
        return None
    draft = chosen(draft, "stage", stage=payload)
    return after_stage(draft, ctx) if state is State.AWAITING_STAGE else summary(draft, ctx)


def _click_force(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if state not in (State.AWAITING_FORCE, State.AWAITING_EDIT, State.CONFIRMING):
        return None
    if payload in ("", "*"):
        # "Choose" with nothing picked, or "none of these": never a default force, ask again.
        lead = (Text(ctx.translate("force.pick")),) if payload == "" else ()
        return Outcome(state, draft.with_(force_guess=""),
                       (*lead, views.ask_force(ctx.translate, draft, ctx.forces)), refused=payload == "")
    if payload not in {f.slug for f in ctx.forces}:
        return None
    return summary(draft.with_(force=payload, force_guess=""), ctx)


def _click_theme(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {th.slug for th in ctx.themes} or state not in (State.AWAITING_EDIT, State.CONFIRMING):
        return None
    return summary(chosen(draft, "theme", theme=payload), ctx)


def _click_submit(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    return submit(draft, ctx) if state is State.CONFIRMING else None


def _click_edit(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if state not in (State.CONFIRMING, State.CHOOSING_EDIT, State.AWAITING_EDIT):
        return None
    return Outcome(State.CHOOSING_EDIT, draft.with_(editing=""), (views.ask_edit_field(ctx.translate, draft),))


def _click_edit_field(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in EDITABLE_FIELDS or state not in (State.CHOOSING_EDIT, State.CONFIRMING):
        return None
    return start_edit(draft, payload, ctx)


def _click_visibility(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {v.value for v in Visibility} or state is not State.CONFIRMING:
        return None
    return summary(draft.with_(visibility=payload), ctx)


def _click_cancel(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    return Outcome(State.IDLE, None, (Text(ctx.translate("cancel.done")),))


class Click(Protocol):
    def __call__(self, state: State, draft: Draft, payload: str, ctx: Context, /) -> Outcome | None: ...


_ACTIONS: dict[str, Click] = {
    "capture.stage": _click_stage,
    "capture.force": _click_force,
    "capture.theme": _click_theme,
    "capture.submit": _click_submit,
    "capture.edit": _click_edit,
    "capture.edit-field": _click_edit_field,
    "capture.visibility": _click_visibility,
    "capture.cancel": _click_cancel,
}


