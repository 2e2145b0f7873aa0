"""The capture conversation as a pure transition function.

``step(state, draft, event, context) -> Outcome(state, draft, replies, effects)``

Nothing here reads a clock, a database or the network: the caller passes ``now`` and the reference
data in ``Context``, persists the returned state and draft, and carries out the ``effects`` (storing a
submitted idea, listing someone's ideas). The flow is drawn in ``docs/conversation.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.conversation import drafting, views
from bot.conversation.state import EDITABLE_FIELDS, TEXT_FIELDS, Draft, State
from bot.domain import Force, Stage, Theme, Visibility
from bot.events import Action, Event, Message
from bot.i18n import Translator
from bot.replies import Reply, Text

if TYPE_CHECKING:
    from bot.matching import Match


class SimilarFinder(Protocol):
    def match(self, text: str, limit: int = 3, *, exclude: Collection[int] = ()) -> list[Match]: ...

    def search(self, text: str, limit: int = 5) -> list[Match]: ...


@dataclass(frozen=True)
class Limits:
    # Slack's own message limit is 4,000 characters before it truncates; Teams allows more, but an
    # idea longer than this is better shortened than half-read by a busy broker.
    max_message_chars: int = 4000
    draft_ttl: timedelta = timedelta(days=3)


@dataclass(frozen=True)
class Context:
    now: datetime
    translate: Translator
    forces: Sequence[Force]
    themes: Sequence[Theme]
    person_force: str | None = None
    last_activity: datetime | None = None
    finder: SimilarFinder | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class SubmitDraft:
    draft: Draft


@dataclass(frozen=True)
class ShowMyIdeas:
    pass


@dataclass(frozen=True)
class ShowQueue:
    """A broker's or reviewer's list of ideas waiting for their decision."""


@dataclass(frozen=True)
class ProvideInfo:
    idea_id: int
    text: str


@dataclass(frozen=True)
class AdminCommand:
    text: str


@dataclass(frozen=True)
class ShowMyData:
    pass


@dataclass(frozen=True)
class Withdraw:
    idea_id: int


Effect = SubmitDraft | ShowMyIdeas | ShowQueue | ProvideInfo | AdminCommand | ShowMyData | Withdraw


@dataclass(frozen=True)
class Outcome:
    state: State
    draft: Draft | None
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()


_COMMAND_HELP = {"help", "?", "what can you do", "commands", "cymorth"}
_COMMAND_CANCEL = {"cancel", "stop", "quit", "abandon", "start again", "never mind", "nevermind"}
_COMMAND_STATUS = {"status", "my ideas", "my idea", "ideas"}
_COMMAND_MY_DATA = {"my data", "what do you know about me", "what do you hold about me", "privacy"}
_WITHDRAW = re.compile(r"^\s*/?withdraw\s+(?:idea\s+)?#?(?P<id>\d{1,9})\s*$", re.IGNORECASE)
_COMMAND_QUEUE = {"queue", "review", "review queue", "my queue", "waiting", "pending"}
_ADMIN = re.compile(r"^\s*/?admin\b\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CONFIRM_WORDS = {"submit", "yes", "send", "send it", "ok", "confirm", "y"}
_SEARCH = re.compile(r"^\s*search\b[:\s]*(?P<q>.*)$", re.IGNORECASE | re.DOTALL)


def new_draft_id(event_id: str) -> str:
    # Deterministic (replays give the same id) and short enough for any platform's button value.
    return hashlib.blake2s(event_id.encode("utf-8"), digest_size=6).hexdigest()


def _normalise_command(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().lstrip("/!")).strip(" .!")


def step(state: State, draft: Draft | None, event: Event, ctx: Context) -> Outcome:
    t = ctx.translate
    prefix: tuple[Reply, ...] = ()
    expired = ctx.last_activity is not None and ctx.now - ctx.last_activity > ctx.limits.draft_ttl
    if state not in (State.IDLE, State.AWAITING_INFO) and draft is not None and expired:
        prefix = (Text(t("draft.expired", title=draft.title or t("draft.untitled"))),)
        state, draft = State.IDLE, None
    elif state is not State.IDLE and draft is None:
        state = State.IDLE  # a state without a draft cannot continue; start cleanly
    outcome = _on_message(state, draft, event, ctx) if isinstance(event, Message) else \
        _on_action(state, draft, event, ctx)
    return Outcome(outcome.state, outcome.draft, prefix + outcome.replies, outcome.effects)


# --- messages -------------------------------------------------------------------------------------

def _on_message(state: State, draft: Draft | None, event: Message, ctx: Context) -> Outcome:
    t = ctx.translate
    text = event.text.strip()
    if not text:
        return Outcome(state, draft, (Text(t("input.empty")), *prompt(state, draft, ctx)))
    if len(text) > ctx.limits.max_message_chars:
        # The draft so far is untouched: nothing is lost, the person only needs to send less.
        return Outcome(state, draft, (Text(t("input.too_long", length=len(text),
                                             limit=ctx.limits.max_message_chars)),))
    command = _normalise_command(text)
    in_flow = state is not State.IDLE
    if command in _COMMAND_HELP:
        return Outcome(state, draft, (*views.help_reply(t, in_flow), *prompt(state, draft, ctx)))
    if command in _COMMAND_CANCEL:
        reply = t("cancel.done") if in_flow else t("cancel.nothing")
        return Outcome(State.IDLE, None, (Text(reply),))
    if command in _COMMAND_STATUS:
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)), (ShowMyIdeas(),))
    if command in _COMMAND_MY_DATA:
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)), (ShowMyData(),))
    if withdraw := _WITHDRAW.match(text):
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)),
                       (Withdraw(int(withdraw.group("id"))),))
    if command in _COMMAND_QUEUE:
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)), (ShowQueue(),))
    if (admin := _ADMIN.match(text)) and state is not State.AWAITING_DESCRIPTION:
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)),
                       (AdminCommand(admin.group("rest").strip()),))
    if (found := _SEARCH.match(text)) and (in_flow is False or state is not State.AWAITING_DESCRIPTION):
        return _search(state, draft, found.group("q").strip(), ctx)
    if text.startswith("/") and state is not State.AWAITING_EDIT:
        return Outcome(state, draft, (Text(t("command.unknown", command=text.split()[0][:40])),
                                      *views.help_reply(t, in_flow), *prompt(state, draft, ctx)))

    if state is State.IDLE or draft is None:
        fresh = Draft(draft_id=new_draft_id(event.event_id))
        if drafting.is_conversation_opener(text):
            return Outcome(State.AWAITING_DESCRIPTION, fresh, (Text(t("greeting")), views.ask_description(t)))
        return _take_description(fresh, text, ctx)
    if state is State.AWAITING_INFO:
        # The answer goes back to the brokers; the officer is free to start something new after.
        return Outcome(State.IDLE, None, (), (ProvideInfo(draft.info_for, text),))
    if state is State.AWAITING_DESCRIPTION:
        return _take_description(draft, text, ctx)
    if state is State.AWAITING_PROBLEM:
        draft = draft.with_(problem=text, theme=draft.theme or _theme_for(draft.description + " " + text, ctx))
        return Outcome(State.AWAITING_STAGE, draft, (views.ask_stage(t, draft),))
    if state is State.AWAITING_STAGE:
        stage = _stage_from_text(text, t)
        if stage is None:
            return Outcome(state, draft, (Text(t("stage.pick")), views.ask_stage(t, draft)))
        return _after_stage(draft.with_(stage=stage.value), ctx)
    if state is State.AWAITING_FORCE:
        return _take_force_text(draft, text, ctx, then=_summary)
    if state is State.CONFIRMING:
        if command in _CONFIRM_WORDS:
            return _submit(draft, ctx)
        if command == "edit":
            return Outcome(State.CHOOSING_EDIT, draft, (views.ask_edit_field(t, draft),))
        return Outcome(state, draft, (Text(t("confirm.use_buttons")), *prompt(state, draft, ctx)))
    if state is State.CHOOSING_EDIT:
        chosen = next((n for n in EDITABLE_FIELDS if command in (n, t(f"field.{n}").lower())), None)
        if chosen is None:
            return Outcome(state, draft, (Text(t("edit.pick")), views.ask_edit_field(t, draft)))
        return _start_edit(draft, chosen, ctx)
    # AWAITING_EDIT
    return _take_edit_text(draft, text, ctx)


def _take_description(draft: Draft, text: str, ctx: Context) -> Outcome:
    t = ctx.translate
    matches = ctx.finder.match(text, 3) if ctx.finder else []
    similar = views.similar_intro(t, matches)
    draft = draft.with_(
        description=text,
        title=drafting.draft_title(text),
        theme=_theme_for(text, ctx),
        similar_ids=tuple(m.entry.idea_id for m in matches),
    )
    one_shot = drafting.split_one_shot(text)
    if one_shot is not None:
        description, problem = one_shot
        stage = drafting.guess_stage(text) or Stage.IDEA
        draft = draft.with_(description=description, problem=problem, stage=stage.value)
        nxt = _after_stage(draft, ctx)
        return Outcome(nxt.state, nxt.draft, (*similar, *nxt.replies))
    return Outcome(State.AWAITING_PROBLEM, draft, (Text(t("thanks.description")), *similar,
                                                   views.ask_problem(t)))


def _after_stage(draft: Draft, ctx: Context) -> Outcome:
    force = draft.force or ctx.person_force or ""
    if not force:
        return Outcome(State.AWAITING_FORCE, draft, (views.ask_force(ctx.translate, draft, ctx.forces),))
    return _summary(draft.with_(force=force), ctx)


def _summary(draft: Draft, ctx: Context) -> Outcome:
    draft = draft.with_(editing="", force=draft.force or ctx.person_force or "")
    t = ctx.translate
    return Outcome(State.CONFIRMING, draft, (*views.sensitivity_warning(t, draft),
                                             views.summary(t, draft, ctx.forces, ctx.themes)))


def _take_force_text(draft: Draft, text: str, ctx: Context, then: _Next) -> Outcome:
    t = ctx.translate
    force = drafting.pick_force(text, ctx.forces)
    if force is not None:
        return then(draft.with_(force=force.slug), ctx)
    candidates = drafting.find_forces(text, ctx.forces)
    state = State.AWAITING_FORCE if draft.editing == "" else State.AWAITING_EDIT
    if candidates:
        return Outcome(state, draft, (views.ask_force(t, draft, candidates, "force.did_you_mean"),))
    return Outcome(state, draft, (Text(t("force.not_found", text=text[:60])),
                                  views.ask_force(t, draft, ctx.forces)))


def _start_edit(draft: Draft, name: str, ctx: Context) -> Outcome:
    t = ctx.translate
    draft = draft.with_(editing=name)
    if name == "stage":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_stage(t, draft),))
    if name == "theme":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_theme(t, draft, ctx.themes),))
    if name == "force":
        return Outcome(State.AWAITING_EDIT, draft, (views.ask_force(t, draft, ctx.forces),))
    return Outcome(State.AWAITING_EDIT, draft, (views.ask_edit_text(t, draft, name),))


def _take_edit_text(draft: Draft, text: str, ctx: Context) -> Outcome:
    t = ctx.translate
    name = draft.editing
    if name in TEXT_FIELDS:
        value = text if name != "title" else text[: drafting.TITLE_MAX_CHARS * 2]
        return _summary(draft.with_(**{name: value}), ctx)
    if name == "stage":
        stage = _stage_from_text(text, t)
        if stage is None:
            return Outcome(State.AWAITING_EDIT, draft, (Text(t("stage.pick")), views.ask_stage(t, draft)))
        return _summary(draft.with_(stage=stage.value), ctx)
    if name == "theme":
        theme = _theme_from_text(text, ctx.themes)
        if theme is None:
            return Outcome(State.AWAITING_EDIT, draft, (Text(t("theme.pick")),
                                                        views.ask_theme(t, draft, ctx.themes)))
        return _summary(draft.with_(theme=theme.slug), ctx)
    if name == "force":
        return _take_force_text(draft, text, ctx, then=_summary)
    return _summary(draft, ctx)


def _submit(draft: Draft, ctx: Context) -> Outcome:
    final = draft.with_(
        editing="",
        title=draft.title or drafting.draft_title(draft.description),
        stage=draft.stage or Stage.IDEA.value,
        force=draft.force or ctx.person_force or "",
    )
    if not final.force:
        return Outcome(State.AWAITING_FORCE, final, (views.ask_force(ctx.translate, final, ctx.forces),))
    return Outcome(State.IDLE, None, (), (SubmitDraft(final),))


def _search(state: State, draft: Draft | None, query: str, ctx: Context) -> Outcome:
    t = ctx.translate
    if not query:
        return Outcome(state, draft, (Text(t("search.usage")), *prompt(state, draft, ctx, resume=True)))
    matches = ctx.finder.search(query, 5) if ctx.finder else []
    return Outcome(state, draft, (*views.search_results(t, query[:80], matches),
                                  *prompt(state, draft, ctx, resume=True)))


# --- actions (button clicks) ----------------------------------------------------------------------

def _on_action(state: State, draft: Draft | None, event: Action, ctx: Context) -> Outcome:
    t = ctx.translate
    if event.action_id == "capture.start":
        if draft is not None and state is not State.IDLE:
            return Outcome(state, draft, (Text(t("capture.already")), *prompt(state, draft, ctx)))
        fresh = Draft(draft_id=new_draft_id(event.event_id))
        return Outcome(State.AWAITING_DESCRIPTION, fresh, (views.ask_description(t),))
    if not event.action_id.startswith("capture."):
        return Outcome(state, draft, (Text(t("action.unknown")), *prompt(state, draft, ctx)))
    draft_id, _, payload = event.value.rpartition("|")
    if draft is None or state is State.IDLE or draft_id != draft.draft_id:
        return Outcome(state, draft, (Text(t("action.stale")), *prompt(state, draft, ctx, resume=True)))

    handler = _ACTIONS.get(event.action_id)
    if handler is None:
        return Outcome(state, draft, (Text(t("action.unknown")), *prompt(state, draft, ctx)))
    outcome = handler(state, draft, payload, ctx)
    if outcome is None:
        return Outcome(state, draft, (Text(t("action.out_of_turn")), *prompt(state, draft, ctx)))
    return outcome


def _click_stage(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {s.value for s in Stage} or state not in (State.AWAITING_STAGE, State.AWAITING_EDIT,
                                                                State.CONFIRMING):
        return None
    draft = draft.with_(stage=payload)
    return _after_stage(draft, ctx) if state is State.AWAITING_STAGE else _summary(draft, ctx)


def _click_force(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {f.slug for f in ctx.forces} or state not in (State.AWAITING_FORCE, State.AWAITING_EDIT,
                                                                    State.CONFIRMING):
        return None
    return _summary(draft.with_(force=payload), ctx)


def _click_theme(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {th.slug for th in ctx.themes} or state not in (State.AWAITING_EDIT, State.CONFIRMING):
        return None
    return _summary(draft.with_(theme=payload), ctx)


def _click_submit(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    return _submit(draft, ctx) if state is State.CONFIRMING else None


def _click_edit(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if state not in (State.CONFIRMING, State.CHOOSING_EDIT, State.AWAITING_EDIT):
        return None
    return Outcome(State.CHOOSING_EDIT, draft.with_(editing=""), (views.ask_edit_field(ctx.translate, draft),))


def _click_edit_field(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in EDITABLE_FIELDS or state not in (State.CHOOSING_EDIT, State.CONFIRMING):
        return None
    return _start_edit(draft, payload, ctx)


def _click_visibility(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if payload not in {v.value for v in Visibility} or state is not State.CONFIRMING:
        return None
    return _summary(draft.with_(visibility=payload), ctx)


def _click_cancel(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    return Outcome(State.IDLE, None, (Text(ctx.translate("cancel.done")),))


class _Next(Protocol):
    def __call__(self, draft: Draft, ctx: Context, /) -> Outcome: ...


class _Click(Protocol):
    def __call__(self, state: State, draft: Draft, payload: str, ctx: Context, /) -> Outcome | None: ...


_ACTIONS: dict[str, _Click] = {
    "capture.stage": _click_stage,
    "capture.force": _click_force,
    "capture.theme": _click_theme,
    "capture.submit": _click_submit,
    "capture.edit": _click_edit,
    "capture.edit-field": _click_edit_field,
    "capture.visibility": _click_visibility,
    "capture.cancel": _click_cancel,
}


# --- helpers --------------------------------------------------------------------------------------

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
        return [*lead, *_start_edit(draft, draft.editing, ctx).replies] if draft.editing else \
            [*lead, views.ask_edit_field(t, draft)]
    if state is State.AWAITING_INFO:
        return [*lead, Text(t("info.ask", ref=draft.info_for))]
    return [*lead, views.summary(t, draft, ctx.forces, ctx.themes)]


def _theme_for(text: str, ctx: Context) -> str:
    theme = drafting.guess_theme(text, ctx.themes)
    return theme.slug if theme else ""


def _stage_from_text(text: str, t: Translator) -> Stage | None:
    lowered = _normalise_command(text)
    for stage in Stage:
        if lowered in (stage.value, stage.value.replace("-", " "), t(f"stage.{stage.value}").lower()):
            return stage
    if lowered.isdigit() and 1 <= int(lowered) <= len(Stage):
        return list(Stage)[int(lowered) - 1]
    return drafting.guess_stage(text) if len(lowered.split()) <= 6 else None


def _theme_from_text(text: str, themes: Sequence[Theme]) -> Theme | None:
    lowered = _normalise_command(text)
    for theme in themes:
        if lowered in (theme.slug, theme.slug.replace("-", " "), theme.name.lower()):
            return theme
    return drafting.guess_theme(text, themes)
