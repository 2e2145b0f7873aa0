"""The playground's "Network channel" panel: roundups posted to the local channel ``local:local:network``.

Roundups reach this channel through the outbox like any other; the page stands in for the platform,
so reading a message here is its delivery (as with the playground's inbox): the rows are marked sent,
and the roundup then counts as posted. A chart comes with its image drawn here, as a data URI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.charts.png import data_uri, render_png, size
from bot.codec import reply_from_json, reply_to_json
from bot.replies import Chart, Reply
from storage import roundups
from storage.models import OutboxRow

CHANNEL = roundups.LOCAL_CHANNEL


def ensure_local_subscription(container: Container) -> None:
    """Subscribe the playground's channel to the whole network's weekly roundup, unless an admin has
    already set it up (their choice is kept)."""
    with container.sessions.begin() as session:
        if roundups.find_subscription(session, CHANNEL) is None:
            roundups.subscribe(session, CHANNEL.key, "network")


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
    prefix = f"roundup:{CHANNEL.key}:"

    @router.get("/playground/api/channel")
    def channel(after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
                limit: Annotated[int, Query(ge=1, le=20)] = 5) -> dict[str, Any]:
        """Roundups for the local channel, oldest first: the newest ``limit`` of them, or with ``after``
        (the last id the page has seen) only newer ones. Each is ``{"id", "period", "replies"}``."""
        with container.sessions.begin() as session:
            query = select(OutboxRow).where(
                OutboxRow.platform == CHANNEL.platform, OutboxRow.tenant == CHANNEL.tenant,
                OutboxRow.target == CHANNEL.channel, OutboxRow.dedupe_key.startswith(prefix, autoescape=True))
            if after:
                rows = list(session.scalars(query.where(OutboxRow.id > after).order_by(OutboxRow.id).limit(limit)))
            else:
                rows = list(reversed(session.scalars(query.order_by(OutboxRow.id.desc()).limit(limit)).all()))
            now = datetime.now(UTC)
            result = []
            for row in rows:
                # Decoded and encoded again: a malformed stored reply fails here, loudly, not in the page.
                replies = [_shown(reply_from_json(r)) for r in row.payload.get("replies", [])]
                result.append({"id": row.id, "period": (row.dedupe_key or "").removeprefix(prefix),
                               "replies": replies})
                if row.status != "sent":
                    row.status, row.sent_at, row.lease_until = "sent", now, None
        return {"channel": CHANNEL.key, "roundups": result}

    return router
