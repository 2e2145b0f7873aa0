"""How long Microsoft asked us to wait: a ``Retry-After`` header in seconds or as an HTTP date."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

import httpx

MAX_RETRY_AFTER = 3600.0


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
