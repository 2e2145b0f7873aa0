"""`innovation-bot chat`: the same conversation in a terminal. Buttons become numbered options."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from adapters.bootstrap import Container
from adapters.local.identity import Persona, register
from bot.events import Action, Message
from bot.replies import Card, Chart, Choices, Form, Reply, Text

Clickable = tuple[str, str, str]  # (action_id, value, label)


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
    known = {f.slug for f in container.service.forces}
    with container.uow_factory() as uow:
        register(uow, persona, clock(), known)
        uow.commit()
    options: list[Clickable] = []
    forms: dict[int, Form] = {}  # option number → the form it opens
    stdout.write(f"Chatting as {persona.name}. Type a message, a number to pick an option, or 'exit'.\n")
    while True:
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in ("exit", "quit", ":q"):
            stdout.write("Bye.\n")
            return
        text = line.rstrip("\n")
        event_id = f"console:{uuid.uuid4().hex}"
        if text.strip().isdigit() and options and 1 <= int(text) <= len(options):
            action_id, value, label = options[int(text) - 1]
            stdout.write(f"(you picked: {label})\n")
            form = forms.get(int(text))
            answers = ask_form(form, stdin, stdout) if form else {}
            if answers is None:
                stdout.write("Bye.\n")
                return
            event: Message | Action = Action(event_id, persona.actor, action_id, value, clock(), inputs=answers)
        else:
            event = Message(event_id, persona.actor, text, clock())
        options, forms = [], {}
        for reply in container.service.handle(event).replies:
            body, picks = render(reply)
            stdout.write(body + "\n")
            for action_id, value, label in picks:
                options.append((action_id, value, label))
                stdout.write(f"  [{len(options)}] {label}\n")
            if isinstance(reply, Card):
                base = len(options) - len(reply.buttons)
                forms |= {base + i + 1: b.form for i, b in enumerate(reply.buttons) if b.form is not None}


def ask_form(form: Form, stdin: TextIO, stdout: TextIO) -> dict[str, str] | None:
    """A form as questions in turn, one line each; Enter keeps a box's current text. None at end of input."""
    stdout.write(f"-- {form.title} --\n{form.intro}\n")
    answers: dict[str, str] = {}
    for box in form.inputs:
        stdout.write(f"{box.label}{'' if box.required else ' (optional)'}:\n")
        if box.value:
            stdout.write(f"  now: {box.value}\n  (Enter keeps it)\n")
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return None
        answers[box.name] = line.rstrip("\n").strip() or box.value
    return answers
