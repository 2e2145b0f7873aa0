"""Slack's own answers outside the outbox: a private line through a request's ``response_url``."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack.blocks import escape, section

log = logging.getLogger(__name__)


async def respond_privately(respond: Any, text: str) -> None:
    """Only the person who asked sees it. A courtesy: a failure is logged, never raised."""
    try:
        await respond(text=escape(text), blocks=[section(escape(text))], response_type="ephemeral",
                      replace_original=False)
    except (SlackClientError, OSError) as exc:
        log.info("could not send an ephemeral reply (%s)", type(exc).__name__)


def api_error(exc: BaseException) -> str:
    """What Slack said went wrong (its ``error`` code), for the log."""
    if isinstance(exc, SlackApiError):
        data = getattr(exc.response, "data", None)
        return str(data.get("error")) if isinstance(data, dict) else type(exc).__name__
    return type(exc).__name__
