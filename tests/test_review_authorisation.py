"""The authorisation matrix: every role × every decision, through the service (one test per cell)."""

from __future__ import annotations

import pytest

from bot.events import Action
from bot.replies import Text
from bot.review.policy import RULES, Decision
from tests.support.memory import MemoryApp
from tests.test_review import (
    ADMIN,
    BROKER,
    NOW,
    OFFICER,
    OTHER_BROKER,
    REVIEWER,
    decisions,
    idea_row,
    setup_people,
    submit,
)

ROLES = {"officer": OFFICER, "broker-same-force": BROKER, "broker-other-force": OTHER_BROKER,
         "reviewer": REVIEWER, "admin": ADMIN}
ALLOWED = {
    "officer": set(),
    "broker-same-force": {Decision.APPROVE_NETWORK, Decision.APPROVE_LOCAL, Decision.ASK_INFO, Decision.DECLINE,
                          Decision.ESCALATE},
    "broker-other-force": set(),
    "reviewer": set(Decision),
    "admin": set(Decision),
}


@pytest.mark.parametrize("decision", list(Decision), ids=lambda d: d.value)
@pytest.mark.parametrize("role", list(ROLES))
def test_authorisation_matrix(memory_app: MemoryApp, role: str, decision: Decision) -> None:
    c = memory_app
    setup_people(c)
    idea_id = submit(c)
    start = next(iter(sorted(s.value for s in RULES[decision].from_)))
    with c.uow_factory() as uow:  # the idea where this decision can be made
        assert uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status=start,
                                  actor_id=None, reason="", at=NOW)
        uow.commit()
    version = idea_row(c, idea_id).version
    before = len(decisions(c, idea_id))
    handled = c.service.handle(Action(f"click-{role}-{decision.value}", ROLES[role],
                                      f"review.{decision.value}", f"{idea_id}:{version}", NOW, text="Because"))
    text = " ".join(r.text for r in handled.replies if isinstance(r, Text))
    status = idea_row(c, idea_id).status
    if decision in ALLOWED[role]:
        assert text.startswith(f"Done — #{idea_id}")
        assert status == RULES[decision].to.value and len(decisions(c, idea_id)) == before + 1
    else:
        assert "only a broker of Kent Police, a national reviewer or an admin" in text or \
            "can't decide on your own idea" in text
        assert status == start and len(decisions(c, idea_id)) == before


def test_nobody_decides_their_own_idea(memory_app: MemoryApp) -> None:
    c = memory_app
    setup_people(c)
    idea_id = submit(c, BROKER)
    handled = c.service.handle(Action("own", BROKER, "review.approve-network", f"{idea_id}:1", NOW))
    assert "can't decide on your own idea" in handled.replies[0].text  # type: ignore[union-attr]
