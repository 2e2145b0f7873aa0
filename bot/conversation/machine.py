"""The capture conversation as a pure transition function.

``step(state, draft, event, context) -> Outcome(state, draft, replies, effects)``

Nothing here reads a clock, a database or the network: the caller passes ``now`` and the reference
data in ``Context``, persists the returned state and draft, and carries out the ``effects`` (storing a
submitted idea, listing someone's ideas). The flow is drawn in ``docs/conversation.md``.
"""

from __future__ import annotations

import re

from bot.conversation import drafting, resume, views
from bot.conversation.clicks import on_action
from bot.conversation.state import EDITABLE_FIELDS, TEXT_FIELDS, Draft, State
from bot.conversation.steps import (
    after_stage,
    chosen,
    new_draft_id,
    normalise_command,
    prompt,
    stage_from_text,
    start_edit,
    submit,
    summary,
    take_force_text,
    theme_for,
    theme_from_text,
)
from bot.conversation.types import (
    AdminCommand,
    Context,
    Outcome,
    ProvideInfo,
    SetLanguage,
    ShowMyData,
    ShowMyIdeas,
    ShowQueue,
    Withdraw,
)
from bot.events import Event, Message
from bot.replies import Reply, Text

# Each command in English and in Welsh: a Welsh speaker types the Welsh word the help text shows.
_COMMAND_HELP = {"help", "?", "what can you do", "commands", "cymorth", "help os gwelwch yn dda"}
_COMMAND_CANCEL = {"cancel", "stop", "quit", "abandon", "start again", "never mind", "nevermind", "canslo",
                   "stopio", "dechrau eto"}
_COMMAND_STATUS = {"status", "my ideas", "my idea", "ideas", "statws", "fy syniadau", "fy syniad", "syniadau"}
_COMMAND_MY_DATA = {"my data", "what do you know about me", "what do you hold about me", "privacy", "fy nata",
                    "preifatrwydd"}
_WITHDRAW = re.compile(r"^\s*/?(?:withdraw|tynnu'?n ôl|tynnu yn ôl)\s+(?:idea\s+|syniad\s+)?#?(?P<id>\d{1,9})\s*$",
                       re.IGNORECASE)
_COMMAND_QUEUE = {"queue", "review", "review queue", "my queue", "waiting", "pending", "adolygu", "ciw"}
_ADMIN = re.compile(r"^\s*/?admin\b\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CONFIRM_WORDS = {"submit", "yes", "send", "send it", "ok", "confirm", "y", "cyflwyno", "ie", "iawn", "anfon",
                  "cadarnhau"}
_SEARCH = re.compile(r"^\s*(?:search|chwilio)\b[:\s]*(?P<q>.*)$", re.IGNORECASE | re.DOTALL)
# Choosing a language: the language's own name switches straight to it; "iaith" / "language" asks.
_COMMAND_LANGUAGE = {"language", "iaith", "/language", "/iaith", "newid iaith", "change language"}
_LANGUAGE_BY_NAME = {"cymraeg": "cy", "welsh": "cy", "/cymraeg": "cy", "english": "en", "saesneg": "en",
                     "/english": "en"}


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
        on_action(state, draft, event, ctx, on_resume=_click_resume)
    return Outcome(outcome.state, outcome.draft, prefix + outcome.replies, outcome.effects, outcome.refused)



def _click_resume(state: State, draft: Draft, payload: str, ctx: Context) -> Outcome | None:
    if state is not State.RESUMING or payload not in ("carry-on", "start-again"):
        return None
    if payload == "carry-on":
        return resume.carry_on(draft, ctx, answer)
    return resume.start_again(draft, ctx, take_description, event_id=draft.draft_id + ":again")


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
    command = normalise_command(text)
    in_flow = state is not State.IDLE
    if command in _COMMAND_HELP:
        return Outcome(state, draft, (*views.help_reply(t, in_flow), *prompt(state, draft, ctx)))
    if command in _LANGUAGE_BY_NAME:
        # The reply comes from the service, in the newly chosen language (with a prompt to carry on).
        return Outcome(state, draft, (), (SetLanguage(_LANGUAGE_BY_NAME[command]),))
    if command in _COMMAND_LANGUAGE:
        return Outcome(state, draft, (views.language_choice(t, "language.ask"),))
    if state is State.RESUMING and draft is not None:
        chose = resume.on_resuming(draft, text, ctx, answer, take_description)
        if chose is not None:
            return chose
    if command in _COMMAND_STATUS:
        in_progress = (draft.title or drafting.draft_title(draft.description)) if draft is not None \
            and state is not State.AWAITING_INFO and draft.description else ""
        return Outcome(state, draft, tuple(prompt(state, draft, ctx, resume=True)), (ShowMyIdeas(in_progress),))
    if command in _COMMAND_CANCEL:
        reply = t("cancel.done") if in_flow else t("cancel.nothing")
        return Outcome(State.IDLE, None, (Text(reply),))
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
        if text.isdigit() and len(text) <= 6:  # an option number, with no options showing
            return Outcome(State.IDLE, None, (Text(t("number.nothing_to_pick", number=text)),))
        fresh = Draft(draft_id=new_draft_id(event.event_id))
        if drafting.is_conversation_opener(text):
            return Outcome(State.AWAITING_DESCRIPTION, fresh, (Text(t("greeting")), views.ask_description(t)))
        return take_description(fresh, text, ctx)
    if state is State.AWAITING_INFO:
        # The answer goes back to the brokers; the officer is free to start something new after.
        return Outcome(State.IDLE, None, (), (ProvideInfo(draft.info_for, text),))
    if state is State.RESUMING:
        return resume.not_understood(draft, text, ctx)
    if resume.should_offer(state, draft, text, ctx):
        return resume.offer(state, draft, text, ctx)
    return answer(state, draft, text, ctx)


def answer(state: State, draft: Draft, text: str, ctx: Context) -> Outcome:
    """``text`` as the answer to the question of ``state``."""
    t = ctx.translate
    command = normalise_command(text)
    if state is State.AWAITING_DESCRIPTION:
        if drafting.is_announcement(text):  # "I've got an idea" says one is coming; it is not the idea
            return Outcome(state, draft, (Text(t("ask.description_again")),))
        return take_description(draft, text, ctx)
    if state is State.AWAITING_PROBLEM:
        draft = chosen(draft, "problem", problem=text,
                       theme=draft.theme or theme_for(draft.description + " " + text, ctx))
        if draft.stage:  # the first message already said how far along it is
            return after_stage(draft, ctx)
        return Outcome(State.AWAITING_STAGE, draft, (views.ask_stage(t, draft),))
    if state is State.AWAITING_STAGE:
        stage = stage_from_text(text, t)
        if stage is None:
            return Outcome(state, draft, (Text(t("stage.pick")), views.ask_stage(t, draft)))
        return after_stage(chosen(draft, "stage", stage=stage.value), ctx)
    if state is State.AWAITING_FORCE:
        return take_force_text(draft, text, ctx, then=summary)
    if state is State.CONFIRMING:
        if command in _CONFIRM_WORDS:
            return submit(draft, ctx)
        if command in ("edit", "golygu"):
            return Outcome(State.CHOOSING_EDIT, draft, (views.ask_edit_field(t, draft),))
        return Outcome(state, draft, (Text(t("confirm.use_buttons")), *prompt(state, draft, ctx)))
    if state is State.CHOOSING_EDIT:
        picked = next((n for n in EDITABLE_FIELDS if command in (n, t(f"field.{n}").lower())), None)
        if picked is None:
            return Outcome(state, draft, (Text(t("edit.pick")), views.ask_edit_field(t, draft)))
        return start_edit(draft, picked, ctx)
    # AWAITING_EDIT
    return _take_edit_text(draft, text, ctx)


def take_description(draft: Draft, text: str, ctx: Context) -> Outcome:
    t = ctx.translate
    matches = ctx.finder.match(text, 3) if ctx.finder else []
    similar = views.similar_intro(t, matches)
    draft = draft.with_(
        description=text,
        title=drafting.draft_title(text),
        theme=theme_for(text, ctx),
        similar_ids=tuple(m.entry.idea_id for m in matches),
        guessed=(),
    )
    # Only what the message clearly says is filled in, each marked as a guess on the summary; what it
    # does not say is asked. One field is never copied into another.
    guessed: list[str] = []
    one_shot = drafting.split_one_shot(text)
    if one_shot is not None:
        description, problem = one_shot
        draft = draft.with_(description=description, problem=problem)
        guessed.append("problem")
    # The stage is taken from a long first message that says it; a short one gets the stage question.
    stage = drafting.guess_stage(text) if one_shot is not None else None
    if stage is not None:
        draft = draft.with_(stage=stage.value)
        guessed.append("stage")
    draft = draft.with_(guessed=tuple(guessed))
    if not draft.problem:
        return Outcome(State.AWAITING_PROBLEM, draft, (Text(t("thanks.description")), *similar,
                                                       views.ask_problem(t)))
    if not draft.stage:
        return Outcome(State.AWAITING_STAGE, draft, (Text(t("thanks.description")), *similar,
                                                     views.ask_stage(t, draft)))
    nxt = after_stage(draft, ctx)
    return Outcome(nxt.state, nxt.draft, (*similar, *nxt.replies))



def _take_edit_text(draft: Draft, text: str, ctx: Context) -> Outcome:
    t = ctx.translate
    name = draft.editing
    if name in TEXT_FIELDS:
        value = text if name != "title" else drafting.cut_at_word(text, drafting.EDITED_TITLE_MAX_CHARS)
        return summary(chosen(draft, name, **{name: value}), ctx)
    if name == "stage":
        stage = stage_from_text(text, t)
        if stage is None:
            return Outcome(State.AWAITING_EDIT, draft, (Text(t("stage.pick")), views.ask_stage(t, draft)))
        return summary(chosen(draft, "stage", stage=stage.value), ctx)
    if name == "theme":
        theme = theme_from_text(text, ctx.themes)
        if theme is None:
            return Outcome(State.AWAITING_EDIT, draft, (Text(t("theme.pick")),
                                                        views.ask_theme(t, draft, ctx.themes)))
        return summary(draft.with_(theme=theme.slug), ctx)
    if name == "force":
        return take_force_text(draft, text, ctx, then=summary)
    return summary(draft, ctx)


def _search(state: State, draft: Draft | None, query: str, ctx: Context) -> Outcome:
    t = ctx.translate
    if not query:
        return Outcome(state, draft, (Text(t("search.usage")), *prompt(state, draft, ctx, resume=True)))
    matches = ctx.finder.search(query, 5) if ctx.finder else []
    return Outcome(state, draft, (*views.search_results(t, query[:80], matches),
                                  *prompt(state, draft, ctx, resume=True)))


