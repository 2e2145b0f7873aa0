"""Which decisions exist, which status each may start from, and who may make it. Pure rules.

    submitted ⇄ needs-info
    submitted | needs-info → approved-local | approved-network | declined | national-review
    approved-network | approved-local → national-review            (escalate)
    approved-network | national-review → national-dissemination | national-testing   (national team)
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain import Role, Status


class Decision(enum.StrEnum):
    APPROVE_NETWORK = "approve-network"
    APPROVE_LOCAL = "approve-local"
    ASK_INFO = "ask-info"
    DECLINE = "decline"
    ESCALATE = "escalate"
    NATIONAL_DISSEMINATE = "national-disseminate"
    NATIONAL_TEST = "national-test"


@dataclass(frozen=True)
class Rule:
    to: Status
    from_: frozenset[Status]
    needs_reason: bool = False
    national_only: bool = False


_OPEN = frozenset({Status.SUBMITTED, Status.NEEDS_INFO})

RULES: dict[Decision, Rule] = {
    Decision.APPROVE_NETWORK: Rule(Status.APPROVED_NETWORK, _OPEN),
    Decision.APPROVE_LOCAL: Rule(Status.APPROVED_LOCAL, _OPEN),
    Decision.ASK_INFO: Rule(Status.NEEDS_INFO, frozenset({Status.SUBMITTED}), needs_reason=True),
    Decision.DECLINE: Rule(Status.DECLINED, _OPEN, needs_reason=True),
    Decision.ESCALATE: Rule(Status.NATIONAL_REVIEW,
                            _OPEN | {Status.APPROVED_NETWORK, Status.APPROVED_LOCAL}),
    Decision.NATIONAL_DISSEMINATE: Rule(Status.NATIONAL_DISSEMINATION,
                                        frozenset({Status.APPROVED_NETWORK, Status.NATIONAL_REVIEW}),
                                        national_only=True),
    Decision.NATIONAL_TEST: Rule(Status.NATIONAL_TESTING,
                                 frozenset({Status.APPROVED_NETWORK, Status.NATIONAL_REVIEW}), national_only=True),
}

BROKER_DECISIONS = (Decision.APPROVE_NETWORK, Decision.APPROVE_LOCAL, Decision.ASK_INFO, Decision.DECLINE,
                    Decision.ESCALATE)
NATIONAL_DECISIONS = (Decision.NATIONAL_DISSEMINATE, Decision.NATIONAL_TEST)
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Grant:
    role: Role
    force_slug: str | None = None


def may_decide(grants: Collection[Grant], decision: Decision, idea_force: str, *, is_submitter: bool) -> bool:
    """Brokers of the idea's force, national reviewers and admins decide; nobody decides their own idea."""
    if is_submitter:
        return False
    national = any(g.role in (Role.REVIEWER, Role.ADMIN) for g in grants)
    if RULES[decision].national_only:
        return national
    return national or any(g.role is Role.BROKER and g.force_slug == idea_force for g in grants)


def allowed_from(decision: Decision, status: Status) -> bool:
    return status in RULES[decision].from_


def open_decisions(status: Status, *, national: bool) -> tuple[Decision, ...]:
    """The buttons a card shows for an idea in ``status``."""
    pool = BROKER_DECISIONS + (NATIONAL_DECISIONS if national else ())
    return tuple(d for d in pool if allowed_from(d, status))


def working_days_between(start: date, end: date) -> int:
    """Whole working days (Monday to Friday) after ``start`` up to and including ``end``.

    Bank holidays are not counted out: they differ across England, Wales, Scotland and Northern Ireland,
    and a reminder a day early does less harm than one a day late.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count
