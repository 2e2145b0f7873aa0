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


def test_the_console_follows_the_persona_into_welsh(sqlite_container: Container) -> None:
    """Its own lines too, not only the bot's replies: after "Cymraeg", the prompts and "gadael" are Welsh."""
    from bot.i18n import Translator

    cy, en = Translator("cy"), Translator("en")
    stdin = io.StringIO("Cymraeg\nhelp\ngadael\n")
    stdout = io.StringIO()
    run_console(sqlite_container, Persona("Gwen", "gwent", Role.OFFICER), stdin, stdout, clock=lambda: NOW)
    shown = stdout.getvalue()
    assert shown.startswith(en("console.hello", name="Gwen"))  # she had not chosen yet
    assert cy("language.set") in shown
    assert shown.rstrip().endswith(cy("console.bye"))
    # A second session starts in the language she chose.
    again = io.StringIO()
    run_console(sqlite_container, Persona("Gwen", "gwent", Role.OFFICER), io.StringIO("exit\n"), again,
                clock=lambda: NOW)
    assert again.getvalue().startswith(cy("console.hello", name="Gwen"))
