"""`innovation-bot chat`: the same conversation in a terminal. Buttons become numbered options."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from adapters.bootstrap import Container
from adapters.local.identity import Persona, register
from bot.events import Action, Message
from bot.replies import Card, Chart, Choices, Reply, Text

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
            event: Message | Action = Action(event_id, persona.actor, action_id, value, clock())
        else:
            event = Message(event_id, persona.actor, text, clock())
        options = []
        for reply in container.service.handle(event).replies:
            body, picks = render(reply)
            stdout.write(body + "\n")
            for action_id, value, label in picks:
                options.append((action_id, value, label))
                stdout.write(f"  [{len(options)}] {label}\n")
