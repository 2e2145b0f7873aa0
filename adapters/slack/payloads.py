"""Slack payloads → core events. Pure functions: no I/O, no Bolt, so they are easy to test.

Event ids are what make Slack's retries harmless (the service claims each id once), so every id here
is built only from fields Slack repeats unchanged when it resends the same thing:

* Events API: the envelope's ``event_id`` (identical on every ``X-Slack-Retry-Num`` retry);
* a click: team, ``action_ts`` and the action id (Slack does not retry interactivity, but a replayed
  payload is still recognised);
* a slash command or shortcut: its ``trigger_id``; a modal submission: the view id and hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import PersonRef, Platform
from bot.events import Actor

# Buttons in one message must have distinct action ids, so blocks.py suffixes "#<n>"; strip it here.
_INDEX_SUFFIX = re.compile(r"#[rf]?\d+$")
# Slack's markup in message text: <@U123|name>, <#C123|general>, <!here>, <https://x|label>.
_MARKUP = re.compile(r"<([^<>]*)>")

MAX_ID = 240  # processed_events.event_id is 255 characters


class BadPayload(ValueError):
    """A payload that lacks what every payload of its type carries: answered with a 4xx, never acted on."""


@dataclass(frozen=True)
class SlackUser:
    """Who did something, and in which workspace (and Enterprise Grid org, when there is one)."""

    team_id: str
    user_id: str
    enterprise_id: str = ""

    @property
    def ref(self) -> PersonRef:
        return PersonRef(Platform.SLACK.value, self.team_id, self.user_id)

    @property
    def tenant(self) -> str:
        return tenant_key(self.enterprise_id, self.team_id)


@dataclass(frozen=True)
class Profile:
    display_name: str = ""
    email: str = ""
    locale: str = "en"
    checked_at: datetime | None = None  # when users.info gave it (None: Slack did not answer)


@dataclass(frozen=True)
class DirectMessage:
    event_id: str
    user: SlackUser
    channel: str
    text: str


@dataclass(frozen=True)
class Click:
    event_id: str
    user: SlackUser
    action_id: str  # the core's id, index suffix removed
    value: str
    label: str
    channel: str  # the DM the button was in, or "" for App Home and modals
    message_ts: str
    block_id: str
    needs_reason: bool = False  # the button asked for a written reason (see blocks.ActionIds)
    needs_form: bool = False  # the button opens a form first (see blocks.ActionIds)


def tenant_key(enterprise_id: str | None, team_id: str) -> str:
    """The outbox tenant: the team id, prefixed by the org on Enterprise Grid (tokens are per org install)."""
    return f"{enterprise_id}:{team_id}" if enterprise_id else team_id


def parse_tenant(tenant: str) -> tuple[str | None, str]:
    enterprise_id, _, team_id = tenant.rpartition(":")
    return enterprise_id or None, team_id


def actor(user: SlackUser, profile: Profile) -> Actor:
    return Actor(user.ref, display_name=profile.display_name[:200], email=profile.email[:320],
                 locale=profile.locale or "en", profile_checked_at=profile.checked_at)


def core_action_id(slack_action_id: str) -> str:
    return _INDEX_SUFFIX.sub("", slack_action_id)


def plain_text(slack_text: str) -> str:
    """What a person typed, from Slack's message markup: mentions and links as readable text, entities
    decoded. The core keeps plain text; blocks.py escapes it again on the way out."""

    def readable(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):  # a user
            return "@" + (label or target[1:])
        if target.startswith("#"):  # a channel
            return "#" + (label or target[1:])
        if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
            special = target[1:]
            if special.startswith("subteam^"):
                return label or "@" + special.removeprefix("subteam^")
            if special.startswith("date^"):
                return label
            return "@" + special
        if label and label != target.removeprefix("mailto:"):
            return f"{label} ({target.removeprefix('mailto:')})"
        return target.removeprefix("mailto:")

    text = _MARKUP.sub(readable, slack_text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _dict(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _bounded(event_id: str) -> str:
    if len(event_id) > MAX_ID:
        raise BadPayload("identifier too long")
    return event_id


def _require(*values: str) -> None:
    if not all(values):
        raise BadPayload("payload is missing an identifier")


def enterprise_of(body: Mapping[str, Any]) -> str:
    enterprise = body.get("enterprise")
    if isinstance(enterprise, Mapping):
        return _str(enterprise, "id")
    if isinstance(enterprise, str):
        return enterprise
    return _str(body, "enterprise_id")


def event_user(body: Mapping[str, Any], event: Mapping[str, Any]) -> SlackUser:
    team = _str(body, "team_id")
    user = _str(event, "user")
    _require(team, user)
    return SlackUser(team, user, enterprise_of(body))


def event_user_team(event: Mapping[str, Any]) -> str:
    """The home workspace of the person behind an event (differs from the team in Slack Connect)."""
    return _str(event, "user_team") or _str(event, "team")


def envelope_event_id(body: Mapping[str, Any]) -> str:
    event_id = _str(body, "event_id")
    _require(event_id)
    return _bounded(f"slack:{event_id}")


def is_person_dm(event: Mapping[str, Any]) -> bool:
    """A message a person wrote in their DM with the bot (not an edit, a join, or a bot's message)."""
    return event.get("type") == "message" and event.get("channel_type") == "im" \
        and not (event.get("subtype") or event.get("bot_id") or event.get("bot_profile"))


def is_person_mention(event: Mapping[str, Any]) -> bool:
    """A mention a person wrote (not a bot's, nor an edit of an old one)."""
    return not (event.get("bot_id") or event.get("subtype"))


def direct_message(body: Mapping[str, Any]) -> DirectMessage | None:
    """A person's own message in their DM with the bot, or None for anything to ignore: edits,
    deletions, joins and every other subtype, bots (ourselves included), other channel types."""
    event = _dict(body, "event")
    if not is_person_dm(event):
        return None
    channel = _str(event, "channel")
    _require(channel)
    return DirectMessage(envelope_event_id(body), event_user(body, event), channel, plain_text(_str(event, "text")))


def interaction_user(body: Mapping[str, Any]) -> SlackUser:
    """The clicker of a button, the submitter of a modal or the caller of a shortcut."""
    user = _dict(body, "user")
    team = _str(_dict(body, "team"), "id") or _str(user, "team_id")
    user_id = _str(user, "id")
    _require(team, user_id)
    return SlackUser(team, user_id, enterprise_of(body))


def clicker_home_team(body: Mapping[str, Any]) -> str:
    return _str(_dict(body, "user"), "team_id")


def click(body: Mapping[str, Any]) -> Click:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], Mapping):
        raise BadPayload("block_actions without actions")
    action = actions[0]
    user = interaction_user(body)
    slack_action_id = _str(action, "action_id")
    action_ts = _str(action, "action_ts")
    _require(slack_action_id, action_ts)
    selected = _dict(action, "selected_option")
    if selected:
        value, label = _str(selected, "value"), _str(_dict(selected, "text"), "text")
    else:
        value, label = _str(action, "value"), _str(_dict(action, "text"), "text")
    container = _dict(body, "container")
    channel = _str(container, "channel_id") if container.get("type") == "message" else ""
    event_id = _bounded(f"slack:{user.team_id}:{action_ts}:{slack_action_id}")
    return Click(event_id, user, core_action_id(slack_action_id), value, label, channel,
                 _str(container, "message_ts"), _str(action, "block_id"),
                 needs_reason=re.search(r"#r\d+$", slack_action_id) is not None,
                 needs_form=re.search(r"#f\d+$", slack_action_id) is not None)


def command_event_id(body: Mapping[str, Any]) -> str:
    team, trigger = _str(body, "team_id"), _str(body, "trigger_id")
    _require(team, trigger)
    return _bounded(f"slack:{team}:{trigger}")


def command_user(body: Mapping[str, Any]) -> SlackUser:
    team, user = _str(body, "team_id"), _str(body, "user_id")
    _require(team, user)
    return SlackUser(team, user, _str(body, "enterprise_id"))


def shortcut_event_id(body: Mapping[str, Any]) -> str:
    team = _str(_dict(body, "team"), "id")
    trigger = _str(body, "trigger_id") or _str(body, "action_ts")
    _require(team, trigger)
    return _bounded(f"slack:{team}:{trigger}")


def shortcut_text(body: Mapping[str, Any]) -> str:
    return plain_text(_str(_dict(body, "message"), "text"))


def view_event_id(body: Mapping[str, Any]) -> str:
    view = _dict(body, "view")
    team = _str(_dict(body, "team"), "id")
    view_id, view_hash = _str(view, "id"), _str(view, "hash")
    _require(team, view_id, view_hash)
    return _bounded(f"slack:{team}:{view_id}:{view_hash}")


def view_values(body: Mapping[str, Any]) -> dict[str, str]:
    """Every input's value in a submitted modal, by action id."""
    values: dict[str, str] = {}
    state = _dict(_dict(_dict(body, "view"), "state"), "values")
    for block in state.values():
        if isinstance(block, Mapping):
            for action_id, element in block.items():
                if isinstance(element, Mapping):
                    picked = _dict(element, "selected_option")
                    values[str(action_id)] = _str(picked, "value") if picked else _str(element, "value")
    return values


def same_organisation(home_team: str, user: SlackUser, installed_team: str | None,
                      installed_enterprise: str | None) -> bool:
    """True when the person belongs to the workspace (or Grid org) the app is installed for; a click
    or message from a guest workspace in a Slack Connect conversation is refused."""
    if installed_enterprise and user.enterprise_id == installed_enterprise:
        return True
    home = home_team or user.team_id
    return installed_team is None or home == installed_team
