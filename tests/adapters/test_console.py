"""`innovation-bot chat`: sharing a flagged idea from the terminal — the check lists each item, and
"Share as it is" asks for its reason as a question (real SQLite and PostgreSQL)."""

from __future__ import annotations

import io

from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.local.console import run_console
from adapters.local.identity import Persona
from bot.domain import Role
from storage.models import DecisionRow, IdeaRow
from tests.test_review import NOW, setup_people
from tests.test_share_check import PHONE, submit_flagged


def test_share_as_it_is_from_the_console(container: Container) -> None:
    setup_people(container)
    idea_id = submit_flagged(container)
    # queue → the card's first button (Approve for the network) → the check's second (Share as it is) → reason
    stdin = io.StringIO("queue\n1\n2\nPublished on the force website\nexit\n")
    stdout = io.StringIO()
    run_console(container, Persona("Bea", "kent", Role.BROKER), stdin, stdout, clock=lambda: NOW)
    shown = stdout.getvalue()
    assert f'a phone number: "{PHONE}"' in shown
    assert "[1] Edit before sharing" in shown and "[2] Share as it is" in shown
    assert "only brokers, reviewers and the audit trail see this" in shown
    assert f"#{idea_id} is now approved for the network and shared as it is" in shown
    with container.sessions() as s:
        row = s.get(IdeaRow, idea_id)
        assert row is not None and (row.status, row.shared_as_is) == ("approved-network", "network")
        reason = s.scalars(select(DecisionRow.reason).where(DecisionRow.idea_id == idea_id)
                           .order_by(DecisionRow.id.desc())).first()
    assert reason is not None and "Published on the force website" in reason
