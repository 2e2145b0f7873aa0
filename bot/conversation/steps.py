"""Steps of the capture flow shared by typed answers (``machine``) and button clicks (``clicks``)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol

from bot.conversation import drafting, views
from bot.conversation.state import Draft, State
from bot.conversation.types import Context, Outcome, SubmitDraft
from bot.domain import Stage, Theme
from bot.force_names import resolve
from bot.i18n import Translator
from bot.replies import Reply, Text


class Next(Protocol):
    def __call__(self, draft: Draft, ctx: Context, /) -> Outcome: ...


def new_draft_id(event_id: str) -> str:
    # Deterministic (replays give the same id) and short enough for any platform's button value.
    return hashlib.blake2s(event_id.encode("utf-8"), digest_size=6).hexdigest()


def normalise_command(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().lstrip("/!")).strip(" .!")


def chosen(draft: Draft, name: str, **changes: object) -> Draft:
    """The draft with a field the person gave themselves: no longer shown as a guess."""
    return draft.with_(**changes, guessed=tuple(g for g in draft.guessed if g != name))


def after_stage(draft: Draft, ctx: Context) -> Outcome:
    force = draft.force or ctx.person_force or ""
    if not force:
        return Outcome(State.AWAITING_FORCE, draft, (views.ask_force(ctx.translate, draft, ctx.forces),))
    return summary(draft.with_(force=force), ctx)


def summary(draft: Draft, ctx: Context) -> Outcome:
    draft = draft.with_(editing="", force=draft.force or ctx.person_force or "")
    t = ctx.translate
    return Outcome(State.CONFIRMING, draft, (*views.sensitivity_warning(t, draft),
                                             views.summary(t, draft, ctx.forces, ctx.themes, ctx.person_name)))


_YES = {"yes", "y", "yes please", "yep", "yeah", "correct", "that's right", "thats right", "right", "ok", "okay"}


def take_force_text(draft: Draft, text: str, ctx: Context, then: Next) -> Outcome:
    """A typed force: a full name is taken; a loose one ("lancs", "the Met") is confirmed first."""
    t = ctx.translate
    state = State.AWAITING_FORCE if draft.editing == "" else State.AWAITING_EDIT
    if draft.force_guess and normalise_command(text) in _YES:
        return then(draft.with_(force=draft.force_guess, force_guess=""), ctx)
    guess = resolve(text, ctx.forces)
    if guess.named is not None:
        return then(draft.with_(force=guess.named.slug, force_guess=""), ctx)
    if guess.candidates:
        draft = draft.with_(force_guess=guess.candidates[0].slug)
        return Outcome(state, draft, (views.confirm_force(t, draft, guess.candidates),))
    return Outcome(state, draft.with_(force_guess=""), (Text(t("force.not_found", text=text[:60])),
                                                        views.ask_force(t, draft, ctx.forces)))


def start_edit(draft: Draft, name: str, ctx: Context) -> Outcome:
    t = ctx.translate
    draft = draft.with_(editing=name)
    if name == "stage":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_stage(t, draft),))
    if name == "theme":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_theme(t, draft, ctx.themes),))
    if name == "force":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_force(t, draft, ctx.forces),))
    return Outcome(State.AWAITING_EDIT, draft, (views.ask_edit_text(t, draft, name),))


def submit(draft: Draft, ctx: Context) -> Outcome:
    final = draft.with_(
        editing="",
        title=draft.title or drafting.draft_title(draft.description),
        stage=draft.stage or Stage.IDEA.value,
        force=draft.force or ctx.person_force or "",
    )
    if not final.force:
        return Outcome(State.AWAITING_FORCE, final, (views.ask_force(ctx.translate, final, ctx.forces),))
    return Outcome(State.IDLE, None, (), (SubmitDraft(final),))


def prompt(state: State, draft: Draft | None, ctx: Context, resume: bool = False) -> list[Reply]:
    """The current question again: after a help text, a bad answer, or a stale click."""
    t = ctx.translate
    if draft is None or state is State.IDLE:
        return []
    lead: list[Reply] = [Text(t("resume.lead"))] if resume else []
    if state is State.AWAITING_DESCRIPTION:
        return [*lead, views.ask_description(t)]
    if state is State.AWAITING_PROBLEM:
        return [*lead, views.ask_problem(t)]
    if state is State.AWAITING_STAGE:
        return [*lead, views.ask_stage(t, draft)]
    if state is State.AWAITING_FORCE:
        return [*lead, views.ask_force(t, draft, ctx.forces)]
    if state is State.CHOOSING_EDIT:
        return [*lead, views.ask_edit_field(t, draft)]
    if state is State.AWAITING_EDIT:
        return [*lead, *start_edit(draft, draft.editing, ctx).replies] if draft.editing else \
            [*lead, views.ask_edit_field(t, draft)]
    if state is State.AWAITING_INFO:
        return [*lead, Text(t("info.ask", ref=draft.info_for))]
    if state is State.RESUMING:
        return views.resume_offer(t, draft)
    return [*lead, views.summary(t, draft, ctx.forces, ctx.themes, ctx.person_name)]


def theme_for(text: str, ctx: Context) -> str:
    theme = drafting.guess_theme(text, ctx.themes)
    return theme.slug if theme else ""


def stage_from_text(text: str, t: Translator) -> Stage | None:
    lowered = normalise_command(text)
    for stage in Stage:
        if lowered in (stage.value, stage.value.replace("-", " "), t(f"stage.{stage.value}").lower()):
            return stage
    if lowered.isdigit() and 1 <= int(lowered) <= len(Stage):
        return list(Stage)[int(lowered) - 1]
    return drafting.guess_stage(text) if len(lowered.split()) <= 6 else None


def theme_from_text(text: str, themes: Sequence[Theme]) -> Theme | None:
    lowered = normalise_command(text)
    for theme in themes:
        if lowered in (theme.slug, theme.slug.replace("-", " "), theme.name.lower()):
            return theme
    return drafting.guess_theme(text, themes)

