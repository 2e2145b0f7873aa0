"""Multi-workspace install: slack_sdk's SQLAlchemy stores on the project's own database.

The stores are slack_sdk's synchronous ``SQLAlchemyInstallationStore`` and ``SQLAlchemyOAuthStateStore``
bound to the project's engine (so SQLite's locking and PostgreSQL's pool are configured once, in
``storage/db.py``); the composition root builds them (``Container.slack_installations``), and this
module runs each call in a worker thread for Bolt's ``AsyncApp``. Their tables come from the
migration ``0003_slack``, never from ``create_tables()``.

Installs are keyed as slack_sdk keys them: (enterprise_id, team_id), with org-wide Enterprise Grid
installs under (enterprise_id, None).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from adapters.slack.logs import slack_logger
from adapters.slack.payloads import parse_tenant

# Exactly the manifest's bot scopes (tests/adapters/slack/test_manifest.py holds the two together).
BOT_SCOPES = ("app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write", "users:read",
              "users:read.email")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


class ThreadedInstallationStore(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store, each call in a worker thread."""

    def __init__(self, sync: SQLAlchemyInstallationStore) -> None:
        self.sync = sync

    @property
    def logger(self) -> logging.Logger:
        return self.sync.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.sync.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.sync.save_bot, bot)

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        return await asyncio.to_thread(self.sync.find_bot, enterprise_id=enterprise_id, team_id=team_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        return await asyncio.to_thread(self.sync.find_installation, enterprise_id=enterprise_id, team_id=team_id,
                                       user_id=user_id, is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.sync.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.sync.delete_installation, enterprise_id=enterprise_id, team_id=team_id,
                                user_id=user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class ThreadedStateStore(AsyncOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store (one-time ``state`` values), in a worker thread."""

    def __init__(self, sync: SQLAlchemyOAuthStateStore) -> None:
        self.sync = sync

    @property
    def logger(self) -> logging.Logger:
        return self.sync.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.sync.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.sync.consume, state)


class InstalledTokens:
    """The outbox sender's tokens in OAuth mode: the newest bot installed for a workspace, or for its
    Grid org when the app was installed org-wide."""

    def __init__(self, store: ThreadedInstallationStore) -> None:
        self._store = store

    async def bot_token(self, tenant: str) -> str | None:
        enterprise_id, team_id = parse_tenant(tenant)
        bot = await self._store.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id:
            bot = await self._store.async_find_bot(enterprise_id=enterprise_id, team_id=None,
                                                   is_enterprise_install=True)
        token = bot.bot_token if bot is not None else None
        return token if isinstance(token, str) else None


def oauth_settings(client_id: str, client_secret: str, store: ThreadedInstallationStore,
                   state_store: ThreadedStateStore) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=state_store,
        state_expiration_seconds=STATE_SECONDS,
        logger=slack_logger("oauth"),
    )
