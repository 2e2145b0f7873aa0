"""`innovation-bot chat`: the same conversation in a terminal. Buttons become numbered options.

The current question (the last reply with options) is always numbered from 1, so "1" means the same
thing whatever came before it (search results, similar work); other buttons on the way, such as
"Connect me" on a match, are lettered a, b, c.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from adapters.bootstrap import Container
from adapters.local.identity import Persona
from bot.events import Action, Message
from bot.i18n import Translator
from bot.replies import Card, Chart, Choices, Form, Reply, Text

Clickable = tuple[str, str, str]  # (action_id, value, label)
Numbered = tuple[str, str, str, str]  # (key typed to pick it, action_id, value, label)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def number_options(replies: list[Reply]) -> list[Numbered]:
    """Every clickable option of one answer, keyed: the last question 1, 2, 3…; the rest a, b, c…"""
    picks = [render(r)[1] for r in replies]
    last = max((i for i, p in enumerate(picks) if p), default=-1)
    keyed: list[Numbered] = []
    letters = iter(_LETTERS)
    for i, options in enumerate(picks):
        for n, (action_id, value, label) in enumerate(options, start=1):
            key = str(n) if i == last else next(letters, "")
            if key:
                keyed.append((key, action_id, value, label))
    return keyed


def render(reply: Reply) -> tuple[str, list[Clickable]]:
    """Plain text for a terminal, plus the options the person can pick by number."""
    if isinstance(reply, Text):
        return reply.text, []
    if isinstance(reply, Choices):
        return reply.prompt, [(reply.action_id, o.value, o.label) for o in reply.options]
    if isinstance(reply, Card):
        lines = [f"== {reply.title} =="]
        if reply.body:
            lines.append(reply.body)
        lines += [f"  {f.label}: {f.value}" for f in reply.fields]
        if reply.note:
            lines.append(f"  ! {reply.note}")
        return "\n".join(lines), [(b.action_id, b.value, b.label) for b in reply.buttons]
    if isinstance(reply, Chart):  # a terminal shows no pictures: the chart's words say every figure
        return f"-- {reply.title} --\n{reply.alt}", []
    raise TypeError(f"the console cannot render {type(reply).__name__}")


def run_console(container: Container, persona: Persona, stdin: TextIO, stdout: TextIO,
                clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    container.personas.take_on(persona, clock())
    options: dict[str, Clickable] = {}
    forms: dict[str, Form] = {}  # option key → the form its button opens
    # The console speaks the persona's language, and follows it when they say "Cymraeg" or "English".
    t = Translator(container.personas.language(persona))
    stdout.write(t("console.hello", name=persona.name) + "\n")
    while True:
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in ("exit", "quit", ":q", "gadael"):
            stdout.write(t("console.bye") + "\n")
            return
        text = line.rstrip("\n")
        event_id = f"console:{uuid.uuid4().hex}"
        key = text.strip().lower()
        if key in options:
            action_id, value, label = options[key]
            stdout.write(t("console.picked", label=label) + "\n")
            form = forms.get(key)
            answers = ask_form(form, stdin, stdout, t) if form else {}
            if answers is None:
                stdout.write(t("console.bye") + "\n")
                return
            event: Message | Action = Action(event_id, persona.actor, action_id, value, clock(), inputs=answers)
        elif key.isdigit():
            # A number picks an option; with none showing under that number it is not a message either.
            stdout.write(t("console.no_option", number=key[:6]) + "\n")
            continue
        else:
            event = Message(event_id, persona.actor, text, clock())
        replies = list(container.service.handle(event).replies)
        t = Translator(container.personas.language(persona))
        keyed = {(action_id, value, label): k for k, action_id, value, label in number_options(replies)}
        options, forms = {}, {}
        for reply in replies:
            body, picks = render(reply)
            stdout.write(body + "\n")
            opens = {(b.action_id, b.value, b.label): b.form for b in reply.buttons if b.form is not None} \
                if isinstance(reply, Card) else {}
            for pick in picks:
                if (k := keyed.get(pick)) is not None:
                    options[k] = pick
                    if pick in opens:
                        forms[k] = opens[pick]
                    stdout.write(f"  [{k}] {pick[2]}\n")


def ask_form(form: Form, stdin: TextIO, stdout: TextIO, t: Translator | None = None) -> dict[str, str] | None:
    """A form as questions in turn, one line each; Enter keeps a box's current text. None at end of input."""
    t = t or Translator()
    stdout.write(f"-- {form.title} --\n{form.intro}\n")
    answers: dict[str, str] = {}
    for box in form.inputs:
        stdout.write((box.label if box.required else t("console.optional", label=box.label)) + ":\n")
        if box.value:
            stdout.write(t("console.keeps", value=box.value) + "\n")
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return None
        answers[box.name] = line.rstrip("\n").strip() or box.value
    return answers
