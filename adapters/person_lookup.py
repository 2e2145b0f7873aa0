"""Who a person is, asked of their platform when an admin names them before they have spoken to the bot.

`innovation-bot admin add-broker kent slack:T1:U9` knows only an id. Officers must never be told that
"U9, the innovation broker for Kent Police, will look at it", so the admin command asks the platform:

    slack   users.info with the workspace's bot token (SLACK_BOT_TOKEN, or the OAuth installation's)
    teams   Microsoft Graph's user (displayName, mail, userPrincipalName) when GRAPH_ENABLED; Teams' own
            roster API needs a conversation, which a person who has never opened the app does not have

Nothing found (no token, no Graph, the platform refused): the person stays unnamed, and the core words
them as "your force's innovation broker". A person is looked up again when they first speak to the bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain import PersonRef, Platform

if TYPE_CHECKING:
    from adapters.bootstrap import Container

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    name: str
    email: str


async def look_up(container: Container, ref: PersonRef) -> Found | None:
    try:
        if ref.platform == Platform.SLACK.value:
            return await _slack(container, ref)
        if ref.platform == Platform.TEAMS.value:
            return await _teams(container, ref)
    except Exception as exc:  # a lookup is a nicety: the admin command has already done its work
        log.info("could not look up %s on %s (%s)", ref.user_id, ref.platform, type(exc).__name__)
    return None


async def _slack(container: Container, ref: PersonRef) -> Found | None:
    from adapters.slack import api_base
    from adapters.slack.directory import Directory
    from adapters.slack.oauth import InstalledTokens, ThreadedInstallationStore
    from adapters.slack.payloads import SlackUser
    from adapters.slack.sender import StaticToken, TokenSource, web_client

    s = container.settings
    tokens: TokenSource
    if s.slack_bot_token:
        tokens = StaticToken(s.slack_bot_token.get_secret_value())
    elif s.slack_client_id:
        tokens = InstalledTokens(ThreadedInstallationStore(container.slack_installations(s.slack_client_id)))
    else:
        return None
    token = await tokens.bot_token(ref.tenant)
    if not token:
        return None
    client = web_client(token, api_base(s.slack_api_url))
    team = ref.tenant.rsplit(":", 1)[-1]
    profile = await Directory().profile(client, SlackUser(team, ref.user_id))
    return Found(profile.display_name, profile.email) if profile.display_name else None


async def _teams(container: Container, ref: PersonRef) -> Found | None:
    from adapters.teams.graph import load_graph
    from adapters.teams.registrations import load_registrations

    graph = load_graph(container.settings, load_registrations(container.settings))
    if graph is None:
        return None
    user = await graph.user(ref.tenant, ref.user_id)
    name = user.get("displayName", "")
    return Found(name, user.get("mail") or user.get("userPrincipalName", "")) if name else None
