"""What a platform sender may say went wrong with a send, and how long to wait before trying again.

    DeliveryError
    ├── RetryLater        (429 with Retry-After, 5xx, a dropped connection: try again after a pause)
    └── PermanentFailure  (channel_not_found, the bot was removed: retrying cannot help)

When to try again: exactly when the platform said (``Retry-After``), or else after a short backoff
that doubles from a quarter of a second up to ``MAX_BACKOFF`` (seconds, not minutes), with jitter so
that many messages held by one outage do not all return in the same instant. The dispatcher that acts
on them is ``adapters/delivery.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

FIRST_BACKOFF = 0.25  # seconds
MAX_BACKOFF = timedelta(seconds=15)


class DeliveryError(Exception):
    pass


class RetryLater(DeliveryError):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class PermanentFailure(DeliveryError):
    pass


def backoff(attempts: int, jitter: Callable[[float, float], float] = random.uniform) -> timedelta:
    """After ``attempts`` failed tries without a Retry-After: between half and all of
    0.25 s × 2^(attempts - 1), at most ``MAX_BACKOFF`` ("equal jitter")."""
    ceiling = min(FIRST_BACKOFF * 2 ** min(max(attempts - 1, 0), 16), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=jitter(ceiling / 2, ceiling))
