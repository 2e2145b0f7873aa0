"""The playground's "Network channel" panel: roundups posted to the local channel ``local:local:network``.

Roundups reach this channel through the outbox like any other; the page stands in for the platform,
so reading a message here is its delivery (as with the playground's inbox): the rows are marked sent,
and the roundup then counts as posted. A chart comes with its image drawn here, as a data URI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from adapters.bootstrap import Container
from adapters.charts.png import data_uri, render_png, size
from bot.codec import reply_to_json
from bot.replies import Chart, Reply
from bot.roundups.channels import LOCAL_CHANNEL

CHANNEL = LOCAL_CHANNEL


def ensure_local_subscription(container: Container) -> None:
    """Subscribe the playground's channel to the whole network's weekly roundup, unless an admin has
    already set it up (their choice is kept)."""
    container.roundup_channels.ensure_subscribed(CHANNEL, "network")


def _shown(reply: Reply) -> dict[str, Any]:
    """A reply as the page gets it: codec JSON, and a chart's image (a data URI) with its size."""
    data = reply_to_json(reply)
    if isinstance(reply, Chart):
        png = render_png(reply)
        data["image"] = data_uri(png)
        data["width"], data["height"] = size(png)
    return data


def channel_router(container: Container) -> APIRouter:
    ensure_local_subscription(container)
    router = APIRouter()

    @router.get("/playground/api/channel")
    def channel(after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
                limit: Annotated[int, Query(ge=1, le=20)] = 5) -> dict[str, Any]:
        """Roundups for the local channel, oldest first: the newest ``limit`` of them, or with ``after``
        (the last id the page has seen) only newer ones. Each is ``{"id", "period", "replies"}``."""
        posted = container.roundup_channels.delivered_to(CHANNEL, after=after, limit=limit, now=datetime.now(UTC))
        return {"channel": CHANNEL.key, "roundups": [
            {"id": p.outbox_id, "period": p.period, "replies": [_shown(r) for r in p.replies]} for p in posted]}

    return router
