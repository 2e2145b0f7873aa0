"""Roundup charts as images: ``GET /charts/{token}.png``, and the link the Slack sender puts in an
image block.

Slack shows only images it can fetch over the internet (no data URIs; uploading a file would need the
``files:write`` scope, which the app does not ask for). So with ``PUBLIC_URL`` set, a chart in a Slack
message is an image block pointing here, the token signed (``links.py``) so that this route draws only
charts the bot itself sent; without it the chart is said in words. Teams and the playground carry the
PNG in the message itself (``png.py``).

``mount_charts(app, container)`` runs after the platform adapters are mounted (``adapters/web.py``),
so it can hand the Slack sender its link maker.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI
from starlette.responses import PlainTextResponse, Response

from adapters.charts.links import ChartLinks, chart_links
from adapters.charts.png import render_png

if TYPE_CHECKING:
    from adapters.bootstrap import Container

__all__ = ["charts_router", "mount_charts"]

log = logging.getLogger(__name__)

# The same token always draws the same image, so a fetched chart may be kept for as long as anyone likes.
IMAGE_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}


def charts_router(links: ChartLinks | None) -> APIRouter:
    router = APIRouter()

    @router.get("/charts/{token}.png", include_in_schema=False)
    def chart_png(token: str) -> Response:
        chart = links.chart(token) if links is not None else None
        if chart is None:  # forged, damaged, signed with another key, or charts not configured: all alike
            return PlainTextResponse("no such chart", status_code=404, headers={"Cache-Control": "no-store"})
        return Response(render_png(chart), media_type="image/png",
                        headers={**IMAGE_HEADERS, "ETag": f'"{token.rsplit(".", 1)[1]}"'})

    return router


def mount_charts(app: FastAPI, container: Container) -> None:
    """Serve chart images, and let the Slack sender link to them when ``PUBLIC_URL`` is set."""
    from adapters.slack.sender import SlackSender

    links = chart_links(container.settings)
    app.include_router(charts_router(links))
    slack = container.senders.get("slack")
    if isinstance(slack, SlackSender):
        if links is not None and container.settings.public_url:
            slack.chart_url = links.url
        else:
            log.info("PUBLIC_URL is not set: roundup charts reach Slack as words, not images")
