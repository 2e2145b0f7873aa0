"""The counting rules of the evaluation figures (docs/evidence.md): what counts as an idea shared, a
decision, an escalation and a connection made. Storage only filters by these; it never decides them.

* **submitted** — ideas whose submission time falls in the period (imported and demo entries excluded);
* **approved-local / approved-network / declined** — ideas that reached that status in the period (the
  decision's time), at most once per idea and outcome;
* **time to first decision** — for ideas submitted in the period, hours from submission to the first
  later decision whose new status is not ``submitted`` (nor ``draft`` / ``withdrawn``, which are the
  officer's own moves, not a broker's);
* **needs-info loops** and **national escalations** — transitions in the period;
* **a connection made** — an introduction whose contact accepted, or whose published contact was shared
  at once, counted at the moment it was decided. The roundups' figure and the dashboard's are the same
  rule: both ask ``MetricsQueries.connections_made``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Status

# Sources that are not officers sharing through the bot: they never count as submissions.
NOT_SUBMISSIONS = ("import", "demo")
OUTCOMES = (Status.APPROVED_LOCAL.value, Status.APPROVED_NETWORK.value, Status.DECLINED.value)
ESCALATIONS = (Status.NATIONAL_REVIEW.value, Status.NATIONAL_TESTING.value)
# Moves that are not a broker deciding: the officer resubmitting, withdrawing, or a draft reappearing.
NOT_A_DECISION = (Status.SUBMITTED.value, Status.DRAFT.value, Status.WITHDRAWN.value)
# The one rule for "a connection made": these outcomes, at their decision time.
CONNECTION_MADE_STATUSES = ("accepted", "shared")


def connection_made(status: str) -> bool:
    return status in CONNECTION_MADE_STATUSES


@dataclass(frozen=True)
class Period:
    """Half-open: ``start <= t < end``; None on either side means unbounded."""

    start: datetime | None = None
    end: datetime | None = None

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, datetime):
            return False
        return (self.start is None or moment >= self.start) and (self.end is None or moment < self.end)
