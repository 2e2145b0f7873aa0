"""A transcript harness for the pure conversation engine (in the spirit of zulip_bots' verify_dialog).

It keeps the state and draft between turns exactly as the service would persist them (through JSON),
so a transcript exercises the same round trip as production.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversation import Context, Draft, Effect, Limits, State, step
from bot.domain import Force, PersonRef, Theme
from bot.events import Action, Actor, Message
from bot.i18n import Translator
from bot.replies import Button, Card, Choices, Reply, Text

DATA = Path(__file__).resolve().parents[2] / "storage" / "data"


def load_forces() -> list[Force]:
    rows = csv.DictReader(io.StringIO((DATA / "uk_police_forces.csv").read_text(encoding="utf-8")))
    return [Force(r["slug"], r["name"], r["nation"], r["kind"], r.get("name_cy", "")) for r in rows]


def load_themes() -> list[Theme]:
    rows = csv.DictReader(io.StringIO((DATA / "themes.csv").read_text(encoding="utf-8")))
    return [Theme(r["slug"], r["name"], tuple(r["keywords"].split("|"))) for r in rows]


FORCES = load_forces()
THEMES = load_themes()
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def texts(replies: tuple[Reply, ...] | list[Reply]) -> list[str]:
    out = []
    for r in replies:
        if isinstance(r, Text):
            out.append(r.text)
        elif isinstance(r, Choices):
            out.append(r.prompt)
        elif isinstance(r, Card):
            out.append(r.title)
    return out


@dataclass
class Dialogue:
    person_force: str | None = "kent"
    person_name: str = "Sam"
    finder: object | None = None
    limits: Limits = field(default_factory=Limits)
    state: State = State.IDLE
    draft: Draft | None = None
    now: datetime = START
    last_activity: datetime | None = None
    effects: list[Effect] = field(default_factory=list)
    turns: list[tuple[str, tuple[Reply, ...]]] = field(default_factory=list)
    _n: int = 0
    t: Translator = field(default_factory=Translator)

    def _ctx(self) -> Context:
        return Context(now=self.now, translate=self.t, forces=FORCES, themes=THEMES,
                       person_force=self.person_force, person_name=self.person_name, last_activity=self.last_activity,
                       finder=self.finder, limits=self.limits)  # type: ignore[arg-type]

    def _run(self, label: str, event: Message | Action) -> tuple[Reply, ...]:
        outcome = step(self.state, self.draft, event, self._ctx())
        self.state = outcome.state
        # Persist and reload through JSON, as the database does.
        self.draft = Draft.from_json(json.loads(json.dumps(outcome.draft.to_json()))) if outcome.draft else None
        self.effects.extend(outcome.effects)
        self.turns.append((label, outcome.replies))
        self.last_activity = self.now
        self.now += timedelta(seconds=30)
        return outcome.replies

    def _event_id(self) -> str:
        self._n += 1
        return f"evt-{self._n}"

    def say(self, text: str) -> tuple[Reply, ...]:
        actor = Actor(PersonRef("local", "local", "sam"), "Sam")
        return self._run(text, Message(self._event_id(), actor, text, self.now))

    def click(self, action_id: str, value: str) -> tuple[Reply, ...]:
        actor = Actor(PersonRef("local", "local", "sam"), "Sam")
        return self._run(f"[{action_id}]", Action(self._event_id(), actor, action_id, value, self.now))

    def last_buttons(self) -> list[Button]:
        """Every clickable thing in the latest turn, choices included, as buttons."""
        buttons: list[Button] = []
        for reply in self.turns[-1][1]:
            if isinstance(reply, Card):
                buttons.extend(reply.buttons)
            elif isinstance(reply, Choices):
                buttons.extend(Button(reply.action_id, o.value, o.label) for o in reply.options)
        return buttons

    def press(self, label: str) -> tuple[Reply, ...]:
        """Click the button or option with this label in the latest turn."""
        for b in self.last_buttons():
            if b.label == label:
                return self.click(b.action_id, b.value)
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.last_buttons()]}")

    def summary(self) -> Card:
        cards = [r for r in self.turns[-1][1] if isinstance(r, Card) and r.kind == "summary"]
        assert cards, f"no summary card in the last turn: {texts(self.turns[-1][1])}"
        return cards[-1]
