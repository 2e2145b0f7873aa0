"""The authorisation matrix: every role × every decision, through the service (one test per cell)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import Container
from bot.events import Action
from bot.replies import Text
from bot.review.policy import RULES, Decision
from storage.models import DecisionRow, IdeaRow
from tests.test_review import ADMIN, BROKER, NOW, OFFICER, OTHER_BROKER, REVIEWER, setup_people, submit

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
def test_authorisation_matrix(sqlite_container: Container, role: str, decision: Decision) -> None:
    c = sqlite_container
    setup_people(c)
    idea_id = submit(c)
    start = next(iter(sorted(s.value for s in RULES[decision].from_)))
    with c.sessions.begin() as s:
        row = s.get(IdeaRow, idea_id)
        assert row is not None
        row.status = start
        version = row.version
    before = _decisions(c)
    handled = c.service.handle(Action(f"click-{role}-{decision.value}", ROLES[role],
                                      f"review.{decision.value}", f"{idea_id}:{version}", NOW, text="Because"))
    text = " ".join(r.text for r in handled.replies if isinstance(r, Text))
    with c.sessions() as s:
        status = s.get(IdeaRow, idea_id).status  # type: ignore[union-attr]
    if decision in ALLOWED[role]:
        assert text.startswith(f"Done — #{idea_id}")
        assert status == RULES[decision].to.value and _decisions(c) == before + 1
    else:
        assert "only a broker of Kent Police, a national reviewer or an admin" in text or \
            "can't decide on your own idea" in text
        assert status == start and _decisions(c) == before


def _decisions(c: Container) -> int:
    with c.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(DecisionRow)) or 0)


def test_nobody_decides_their_own_idea(sqlite_container: Container) -> None:
    c = sqlite_container
    setup_people(c)
    idea_id = submit(c, BROKER)
    handled = c.service.handle(Action("own", BROKER, "review.approve-network", f"{idea_id}:1", NOW))
    assert "can't decide on your own idea" in handled.replies[0].text  # type: ignore[union-attr]
