"""Teams activities → core events. Nothing here talks to the network or the database.

* a message in a personal chat → ``Message`` (its text) or, when it carries an ``Action.Submit``
  ``value``, → ``Action``;
* an ``adaptiveCard/action`` invoke (``Action.Execute``) → ``Action``.

The person is ``PersonRef("teams", tenant id, aadObjectId)`` (the ``29:`` id when Teams sends no
object id); the event id is the activity id, so a Teams retry of the same activity is answered once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from microsoft_teams.api import Account, ActivityBase

from bot.domain import PersonRef, Platform
from bot.events import Action, Actor, Event, Message

MAX_ID = 200
MAX_VALUE = 2000
MAX_TEXT = 100_000  # the core answers over-long text politely; this only bounds what is carried


@dataclass(frozen=True)
class Click:
    """What a card button carried (see ``cards._data``)."""

    action_id: str
    value: str
    text: str = ""
    outbox_id: int | None = None
    label: str = ""
    inputs: dict[str, str] = field(default_factory=dict)  # a form's answers, by the box's name


def tenant_of(activity: ActivityBase) -> str:
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if not tenant and activity.channel_data and activity.channel_data.tenant:
        tenant = activity.channel_data.tenant.id
    return tenant or ""


def conversation_type(activity: ActivityBase) -> str:
    """``personal``, ``channel`` or ``groupChat``."""
    return (activity.conversation.conversation_type or "personal") if activity.conversation else "personal"


def person_of(tenant: str, account: Account) -> PersonRef:
    return PersonRef(Platform.TEAMS.value, tenant, account.aad_object_id or account.id)


def actor_of(activity: ActivityBase) -> Actor:
    account = activity.from_
    locale = (activity.locale or "en")[:16]
    return Actor(person_of(tenant_of(activity), account), display_name=(account.name or "")[:200], locale=locale)


def event_id_of(activity: ActivityBase) -> str:
    # Prefixed so a Teams id can never collide with another platform's in the processed-events table.
    return f"teams:{activity.id or uuid.uuid4().hex}"[:255]


def click_from(data: Any, verb: str | None = None) -> Click | None:
    """Read a button's data (``Action.Execute`` or ``Action.Submit``); None when it is not ours."""
    if not isinstance(data, dict):
        return None
    action_id = verb or data.get("action")
    if not isinstance(action_id, str) or not action_id:
        return None
    value = data.get("value")
    if value is None and isinstance(data.get("input"), str):
        value = data.get(data["input"])  # a pick from a drop-down list
    reason_input = data.get("reason_input")
    text = data.get(reason_input) if isinstance(reason_input, str) else ""
    outbox_id = data.get("ob")
    names = data.get("form_inputs")
    answers = {str(name)[:MAX_ID]: _string(data.get(input_id))[:MAX_TEXT]
               for name, input_id in (names.items() if isinstance(names, dict) else ()) if isinstance(input_id, str)}
    return Click(action_id[:MAX_ID], _string(value)[:MAX_VALUE], _string(text)[:MAX_VALUE],
                 outbox_id if isinstance(outbox_id, int) and not isinstance(outbox_id, bool) else None,
                 _string(data.get("label"))[:MAX_ID], answers)


def _string(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def message_event(activity: ActivityBase, text: str | None, value: Any, at: datetime | None = None) -> Event:
    """A message activity: a card's ``Action.Submit`` when it carries our data, typed text otherwise."""
    at = at or datetime.now(UTC)  # the server's clock: a client's timestamp must not steer draft expiry
    click = click_from(value)
    if click is not None:
        return click_event(activity, click, at)
    return Message(event_id_of(activity), actor_of(activity), (text or "")[:MAX_TEXT].strip(), at)


def click_event(activity: ActivityBase, click: Click, at: datetime | None = None) -> Action:
    return Action(event_id_of(activity), actor_of(activity), click.action_id, click.value,
                  at or datetime.now(UTC), text=click.text, inputs=click.inputs)
