"""Which channel a roundup goes to (``ChannelRef``), read from ``slack:TEAM:CHANNEL``-style text, and the
errors a person sees when setting up a channel's subscription.

    SubscriptionError (ValueError; one line for a person)
    ├── BadChannelRef     not PLATFORM:TEAM_ID:CHANNEL_ID in a form the platform uses
    ├── UnknownScope      not network / force:SLUG / theme:SLUG, or no such force or theme
    ├── BadWhen           a day, time or frequency that does not parse
    └── NotSubscribed     a channel with no subscription
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.roundups.errors import Refusal


class SubscriptionError(Refusal):
    pass


class BadChannelRef(SubscriptionError):
    pass


class UnknownScope(SubscriptionError):
    pass


class BadWhen(SubscriptionError):
    pass


class NotSubscribed(SubscriptionError):
    pass


@dataclass(frozen=True, order=True)
class ChannelRef:
    platform: str
    tenant: str
    channel: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.tenant}:{self.channel}"

    def __str__(self) -> str:
        return self.key


LOCAL_CHANNEL = ChannelRef("local", "local", "network")  # the playground's "Network channel" panel

# Each platform's ids, as its admins copy them. Workspace (T…/E…) and channel (C…/G…) ids are upper
# case; a team or channel id of the other kind looks like 19:abc…@thread.tacv2, colon included, and
# other ids have no colon.
_UPPER_TEAM = re.compile(r"[TE][A-Z0-9]{1,30}")
_UPPER_CHANNEL = re.compile(r"[CG][A-Z0-9]{1,30}")
_THREAD_REF = re.compile(r"(?P<tenant>19:[^\s:]{1,160}|[^\s:]{1,128}):(?P<channel>19:[^\s:]{1,230}|[^\s:]{1,255})")
_LOCAL_REF = re.compile(r"(?P<tenant>[^\s:]{1,128}):(?P<channel>[^\s:]{1,255})")
_UPPER_IDS, _THREAD_IDS = "slack", "teams"  # the platforms (bot.domain.Platform) whose ids look so


_FORMS = {"first": f"{_UPPER_IDS}:TEAM_ID:CHANNEL_ID", "second": f"{_THREAD_IDS}:TEAM_ID:CHANNEL_ID"}


def parse_channel_ref(text: str) -> ChannelRef:
    """``slack:T0123:C0456``, ``teams:19:…@thread.tacv2:19:…@thread.tacv2`` or ``local:local:network``."""
    shown = repr(text.strip()[:120])
    platform, _, rest = text.strip().partition(":")
    if platform == _UPPER_IDS:
        tenant, _, channel = rest.partition(":")
        tenant, channel = tenant.upper(), channel.upper()
        if _UPPER_TEAM.fullmatch(tenant) and _UPPER_CHANNEL.fullmatch(channel):
            return ChannelRef(platform, tenant, channel)
        raise BadChannelRef("roundup.error.channel_ids", channel=shown, **_FORMS, platform=_UPPER_IDS.title(),
                            team="T0123ABC", channel_id="C0456DEF")
    pattern = {_THREAD_IDS: _THREAD_REF, "local": _LOCAL_REF}.get(platform)
    found = pattern.fullmatch(rest) if pattern else None
    if found is None:
        raise BadChannelRef("roundup.error.channel", channel=shown, **_FORMS)
    return ChannelRef(platform, found["tenant"], found["channel"])
