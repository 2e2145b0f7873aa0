"""Who people are (``users.info``) and where their DM with the bot is (``conversations.open``), cached.

Both answers change rarely, and asking Slack for every message would meet its rate limits at once,
so they are kept in memory: profiles for ``ttl`` seconds, DM channel ids for as long as the process
lives (a DM's id never changes). Concurrent look-ups of one person share a single call. A failed
look-up never fails the event: the person is then known by what was stored of them (else by id only),
and asked again a minute later.

Profiles are also kept with the person in the database (``stored``: name, email, locale and when Slack
gave them), so a profile fetched by one worker serves the others, and a restarted process, until it
is ``ttl`` old: a process that has not seen a person reads that row before asking Slack.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.platform_wait import waiting_on_platform
from adapters.slack.payloads import Profile, SlackUser
from bot.domain import PersonRef
from bot.ports import KnownProfile

log = logging.getLogger(__name__)

PROFILE_TTL = 600.0
FAILED_TTL = 60.0
MAX_ENTRIES = 20_000


# What the database holds of a person's profile (blocking: called in a worker thread).
StoredProfiles = Callable[[PersonRef], KnownProfile | None]


class Directory:
    def __init__(self, ttl: float = PROFILE_TTL, clock: Callable[[], float] = time.monotonic, *,
                 stored: StoredProfiles | None = None, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._ttl = ttl
        self._clock = clock
        self._stored = stored
        self._now = now
        self._profiles: OrderedDict[tuple[str, str], tuple[float, Profile]] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Future[Profile]] = {}
        self._dms: OrderedDict[tuple[str, str], str] = OrderedDict()

    async def profile(self, client: AsyncWebClient, user: SlackUser) -> Profile:
        key = (user.team_id, user.user_id)
        cached = self._profiles.get(key)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Profile] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            profile, ttl = await self._stored_or_fetched(client, user)
            self._remember(self._profiles, key, (self._clock() + ttl, profile))
            future.set_result(profile)
            return profile
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            del self._pending[key]

    async def _stored_or_fetched(self, client: AsyncWebClient, user: SlackUser) -> tuple[Profile, float]:
        """The stored profile while it is fresh (for what is left of its ``ttl``), else Slack's answer."""
        known = await asyncio.to_thread(self._stored, user.ref) if self._stored is not None else None
        if known is None:
            return await self._fetch(client, user.user_id)
        stored = Profile(display_name=known.display_name, email=known.email, locale=known.locale or "en",
                         checked_at=known.checked_at)
        age = (self._now() - known.checked_at).total_seconds()
        if 0 <= age < self._ttl:
            return stored, self._ttl - age
        profile, ttl = await self._fetch(client, user.user_id)
        # Slack did not answer: what it said before is better than no name at all.
        return (stored, ttl) if profile.checked_at is None else (profile, ttl)

    async def _fetch(self, client: AsyncWebClient, user_id: str) -> tuple[Profile, float]:
        try:
            with waiting_on_platform():
                response = await client.users_info(user=user_id, include_locale=True)
        except (SlackClientError, OSError) as exc:
            log.warning("users.info failed for %s (%s); carrying on without a name", user_id, type(exc).__name__)
            return Profile(), FAILED_TTL
        checked_at = self._now()
        data: Any = response.get("user") or {}
        profile: Any = data.get("profile") or {}
        name = (profile.get("display_name") or profile.get("real_name") or data.get("real_name")
                or data.get("name") or "")
        return Profile(display_name=str(name), email=str(profile.get("email") or ""),
                       locale=str(data.get("locale") or "en"), checked_at=checked_at), self._ttl

    async def dm_channel(self, client: AsyncWebClient, user: SlackUser) -> str:
        """The bot's DM with this person (raises SlackApiError when Slack will not open one)."""
        key = (user.team_id, user.user_id)
        channel = self._dms.get(key)
        if channel:
            return channel
        with waiting_on_platform():
            response = await client.conversations_open(users=user.user_id)
        channel_data: Any = response.get("channel") or {}
        channel = str(channel_data.get("id") or "")
        if not channel:
            raise SlackClientError("conversations.open returned no channel")
        self._remember(self._dms, key, channel)
        return channel

    def know_dm(self, user: SlackUser, channel: str) -> None:
        """A DM seen in an event: no need to open it later."""
        self._remember(self._dms, (user.team_id, user.user_id), channel)

    @staticmethod
    def _remember(cache: OrderedDict[tuple[str, str], Any], key: tuple[str, str], value: Any) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > MAX_ENTRIES:
            cache.popitem(last=False)
