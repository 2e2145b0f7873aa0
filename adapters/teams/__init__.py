"""Microsoft Teams: the Teams SDK (``microsoft-teams-apps``) mounted on the project's web app.

    endpoint.py    POST /api/messages → the SDK (JWT validation, activity routing)
    handlers.py    activity → core service call / stored reference; invoke answers
    payloads.py    activity → core event
    cards.py       core replies → Adaptive Cards, with user text made inert
    references.py  notify_person / notify_channel, through the stored conversation references (bot/installs)
    sender.py      the outbox sender (Bot Connector REST, with the serving registration's token)
    registrations.py  the bot registrations (app id, tenant, credential), from settings
    tokens.py      outbound tokens per registration: client secret, managed identity, or none (dev mode)
    graph.py       optional Microsoft Graph features
    package.py     the app package for Teams admins (manifest/: the manifest and the two icons)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.teams.references import NoReference, notify_channel, notify_person

if TYPE_CHECKING:
    from fastapi import FastAPI

    from adapters.bootstrap import Container

__all__ = ["NoReference", "mount_teams", "notify_channel", "notify_person"]


def mount_teams(app: FastAPI, container: Container) -> None:
    """Add ``POST /api/messages`` and register the Teams outbox sender (needs a registration, or
    TEAMS_DEV_SKIP_AUTH on a developer's machine)."""
    from adapters.teams.endpoint import add_route, build_bots
    from adapters.teams.graph import load_graph
    from adapters.teams.handlers import TeamsTurns
    from adapters.teams.registrations import load_registrations
    from adapters.teams.sender import Connector, TeamsSender

    settings = container.settings
    registrations = load_registrations(settings)
    connector = Connector(registrations)
    graph = load_graph(settings, registrations)
    bots = build_bots(settings, registrations)
    turns = TeamsTurns(container, connector, graph)
    for bot in bots:
        turns.register(bot.app)
    add_route(app, bots, dev_skip_auth=settings.teams_dev_skip_auth)
    container.senders["teams"] = TeamsSender(settings, container.installs, container.outbox_store,
                                             connector, graph)
