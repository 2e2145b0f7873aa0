"""What the network's catalogue holds: the ideas other forces may see (search, similar work, roundups)."""

from __future__ import annotations

from bot.domain import Status

# Approved for the network, or in/after national review.
CATALOGUE_STATUSES = (
    Status.APPROVED_NETWORK.value,
    Status.NATIONAL_REVIEW.value,
    Status.NATIONAL_DISSEMINATION.value,
    Status.NATIONAL_TESTING.value,
)


def in_catalogue(status: str) -> bool:
    return status in CATALOGUE_STATUSES
