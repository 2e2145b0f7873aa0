"""Microsoft Teams: the Teams SDK (``microsoft-teams-apps``) mounted on the project's web app.

    endpoint.py    POST /api/messages → the SDK (JWT validation, activity routing)
    handlers.py    activity → core service call / stored reference; invoke answers
    translate.py   activity → core event
    cards.py       core replies → Adaptive Cards, with user text made inert
    references.py  stored conversation references; notify_person / notify_channel
    sender.py      the outbox sender (Bot Connector REST, with the bot's token)
    graph.py       optional Microsoft Graph features
    package.py     the app package for Teams admins (manifest/: the manifest and the two icons)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import storage.teams_models  # noqa: F401
from adapters.teams.references import NoReference, notify_channel, notify_person

if TYPE_CHECKING:
    from fastapi import FastAPI

    from adapters.bootstrap import Container

__all__ = ["NoReference", "mount_teams", "notify_channel", "notify_person"]


def mount_teams(app: FastAPI, container: Container) -> None:
    """Add ``POST /api/messages`` and register the Teams outbox sender (needs TEAMS_APP_ID)."""
    from adapters.teams.endpoint import RouteAdapter, add_route, build_app
    from adapters.teams.graph import load_graph
    from adapters.teams.handlers import TeamsTurns
    from adapters.teams.sender import Connector, TeamsSender

    settings = container.settings
    connector = Connector(settings)
    adapter = RouteAdapter()
    graph = load_graph(settings)
    teams = build_app(settings, adapter)
    TeamsTurns(container, connector, graph).register(teams)
    add_route(app, teams, adapter)
    container.senders["teams"] = TeamsSender(settings, container.sessions, connector, graph)
