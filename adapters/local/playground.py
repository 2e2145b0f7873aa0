"""The web playground: chat with the bot in a browser as an officer, a broker or a reviewer.

It goes through the same ``ConversationService`` as Slack and Teams; this module only translates
JSON from the page into core events and core replies back into JSON.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from adapters.bootstrap import Container
from adapters.local.identity import Persona
from bot.codec import reply_to_json
from bot.domain import Role
from bot.events import Action, Event, Message
from bot.i18n import LANGUAGES, messages_with_prefix

STATIC = resources.files("adapters.local") / "static"
_CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                  ".svg": "image/svg+xml"}

# Generous bounds: the core enforces the real message limit and answers politely; these only stop a
# request from carrying megabytes into the process.
# NUL characters are dropped before the bounds are checked (PostgreSQL's text cannot hold them;
# bot/events.py cleans event text the same way).
Clean = BeforeValidator(lambda v: v.replace("\x00", "") if isinstance(v, str) else v)
Name = Annotated[str, Clean, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
# Row ids the page polls from: beyond a 64-bit integer no database can compare them (400, not 500).
After = Annotated[int, Query(ge=0, le=2**63 - 1)]


class PersonaIn(BaseModel):
    name: Name
    force: Annotated[str | None, Clean] = Field(default=None, max_length=64)
    role: Literal["officer", "broker", "reviewer", "admin"] = "officer"
    # The page's language setting, reported like a Teams client's locale: a change is honoured, and the
    # same one never overrides what the person chose in the chat ("Cymraeg" / "English").
    language: Literal["en", "cy"] | None = None


class EventIn(BaseModel):
    persona: PersonaIn
    kind: Literal["message", "action"]
    text: str = Field(default="", max_length=100_000)
    action_id: str = Field(default="", max_length=200)
    value: str = Field(default="", max_length=2000)
    event_id: str | None = Field(default=None, max_length=100)
    # A form's answers by box name (sharing a flagged idea); bounded like ``text``.
    inputs: dict[Annotated[str, StringConstraints(max_length=40)], Annotated[str, StringConstraints(
        max_length=100_000)]] = Field(default_factory=dict, max_length=12)


def _event(body: EventIn, persona: Persona, now: datetime) -> Event:
    event_id = f"local:{body.event_id or uuid.uuid4().hex}"
    if body.kind == "message":
        return Message(event_id, persona.actor, body.text, now)
    return Action(event_id, persona.actor, body.action_id, body.value, now, text=body.text, inputs=dict(body.inputs))


def playground_router(container: Container) -> APIRouter:
    router = APIRouter()
    personas = container.personas
    known_forces = personas.known_forces

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @router.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        if "/" in name or suffix not in _CONTENT_TYPES or not (STATIC / name).is_file():
            raise HTTPException(404)
        return Response((STATIC / name).read_bytes(), media_type=_CONTENT_TYPES[suffix])

    @router.get("/playground/api/setup")
    def setup() -> dict[str, Any]:
        return {
            "forces": [{"slug": f.slug, "name": f.name} for f in container.service.forces],
            "roles": [r.value for r in (Role.OFFICER, Role.BROKER, Role.REVIEWER, Role.ADMIN)],
            # The page's own words in every language, so it follows the persona's language at once.
            "labels": {lang: messages_with_prefix(lang, "playground.") for lang in LANGUAGES},
        }

    @router.post("/playground/api/events")
    def post_event(body: EventIn) -> dict[str, Any]:
        if body.persona.force and body.persona.force not in known_forces:
            raise HTTPException(400, detail=f"unknown force {body.persona.force[:64]!r}")
        persona = Persona(body.persona.name, body.persona.force or None, Role(body.persona.role),
                          locale=body.persona.language or "")
        now = datetime.now(UTC)
        personas.take_on(persona, now)
        handled = container.service.handle(_event(body, persona, now))
        return {"replies": [reply_to_json(r) for r in handled.replies], "duplicate": handled.duplicate,
                "submitted_idea_id": handled.submitted_idea_id, "refused": handled.refused,
                "lang": personas.language(persona)}

    @router.post("/playground/api/persona")
    def choose_persona(body: PersonaIn) -> dict[str, Any]:
        """Picking a persona on the page makes it so at once: a broker for Kent is Kent's broker before
        saying anything (the playground is for trying the product, roles included)."""
        if body.force and body.force not in known_forces:
            raise HTTPException(422, detail=f"unknown force {body.force[:64]!r}")
        persona = Persona(body.name, body.force or None, Role(body.role), locale=body.language or "")
        roles = personas.choose(persona, datetime.now(UTC))
        return {"name": persona.name, "force": persona.force, "roles": roles}

    @router.get("/playground/api/inbox")
    def inbox(name: Annotated[str, Clean, Query(min_length=1, max_length=80)], after: After = 0) -> dict[str, Any]:
        """Messages the bot sent this persona on its own (broker cards, decisions, reminders): the
        playground's stand-in for a Slack or Teams direct message. The page polls with the last id seen."""
        persona = Persona(name, None)
        messages = personas.inbox(persona, after, datetime.now(UTC))
        return {"messages": messages, "lang": personas.language(persona)}

    return router


def mount_playground(app: FastAPI, container: Container) -> None:
    from adapters.local.channel import channel_router

    app.include_router(playground_router(container))
    app.include_router(channel_router(container))  # the "Network channel" panel, where roundups land
