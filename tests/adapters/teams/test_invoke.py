"""``adaptiveCard/action`` invokes through the one way in (issue 18): stored in the inbound store like any
other activity, held by their own request while it decides and answers, then finished; a Teams retry of
the same activity answers without deciding again; a request that dies between record and finish leaves
the invoke to the worker, which processes it once. Real SDK over real HTTP with real JWTs, both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from microsoft_teams.api.activities import ActivityTypeAdapter
from sqlalchemy import select

from adapters.event_processing import InboundWorker
from adapters.teams.queued import stored_activity
from bot.events import Event
from bot.i18n import Translator
from bot.ports import Address
from bot.queues import INBOUND_LEASE
from bot.service import Handled
from storage.models import InboundEventRow, ProcessedEventRow
from tests.adapters.teams.conftest import SAM_CHAT, TeamsBot, find_button

t = Translator()
ASKED = t("ask.description").replace("'", "'")


async def start_card(bot: TeamsBot) -> dict[str, Any]:
    """Sam installs the app; the invoke of the welcome card's Start button, ready to post."""
    assert bot.install_personal().status_code == 200
    await bot.deliver()
    verb, data = find_button(bot.last_card(), t("button.start"))
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    return bot.activity("invoke", name="adaptiveCard/action", value=value)


def stored(bot: TeamsBot) -> list[tuple[str, str, str, int]]:
    with bot.container.sessions() as s:
        return [(r.event_id, r.kind, r.status, r.attempts)
                for r in s.scalars(select(InboundEventRow).order_by(InboundEventRow.id))]


def processed(bot: TeamsBot, activity: dict[str, Any]) -> int:
    with bot.container.sessions() as s:
        return len(s.scalars(select(ProcessedEventRow).where(
            ProcessedEventRow.event_id == f"teams:{activity['id']}")).all())


def asked(bot: TeamsBot) -> int:
    return sum(1 for a in bot.sent() if a.get("text") == ASKED)


def wrap_handle(bot: TeamsBot, monkeypatch: pytest.MonkeyPatch,
                around: Callable[[Callable[..., Handled], Event, Address | None], Handled]) -> None:
    service = bot.container.service
    original = service.handle
    monkeypatch.setattr(service, "handle", lambda event, reply_to=None: around(original, event, reply_to))


async def run_worker_after_the_lease(bot: TeamsBot) -> int:
    """The inbound worker, its clock past the lease of an invoke whose request died."""
    later = datetime.now(UTC) + INBOUND_LEASE + timedelta(seconds=1)
    worker = InboundWorker(bot.container.inbound_store, bot.container.processors, clock=lambda: later)
    return await worker.run_once()


async def test_an_invoke_is_stored_held_while_its_request_decides_and_then_finished(
        teams_on_every_db: TeamsBot, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = teams_on_every_db
    invoke = await start_card(bot)
    seen: list[list[tuple[str, str, str, int]]] = []

    def spying(handle: Callable[..., Handled], event: Event, reply_to: Address | None) -> Handled:
        seen.append(stored(bot))  # what the inbound store holds while the decision is being taken
        return handle(event, reply_to=reply_to)

    wrap_handle(bot, monkeypatch, spying)
    response = bot.post(invoke)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive" and "Action.Execute" not in str(answer)
    assert seen == [[(f"{SAM_CHAT}|{invoke['id']}", "invoke", "working", 1)]]
    assert stored(bot) == []  # finished before the answer
    await bot.deliver()
    assert processed(bot, invoke) == 1 and asked(bot) == 1
    assert not bot.fake.updates(), "the answer carried the card: no update through the outbox"


async def test_a_teams_retry_of_an_invoke_is_answered_with_the_card_and_decided_once(
        teams_on_every_db: TeamsBot) -> None:
    bot = teams_on_every_db
    invoke = await start_card(bot)
    first = bot.post(invoke)
    await bot.deliver()
    again = bot.post(invoke)  # Teams did not hear the first answer in time and sends the same activity
    await bot.deliver()
    assert first.status_code == again.status_code == 200
    assert again.json()["type"] == "application/vnd.microsoft.card.adaptive"
    assert again.json()["value"] == first.json()["value"]
    assert processed(bot, invoke) == 1 and asked(bot) == 1
    assert stored(bot) == []


async def test_a_retry_while_the_first_is_still_held_answers_without_a_second_decision(
        teams_on_every_db: TeamsBot) -> None:
    """The first request is still at work (its row held): the retry runs beside it; the service's
    processed-event id keeps the decision to one, and the retry leaves the held row to its owner."""
    bot = teams_on_every_db
    invoke = await start_card(bot)
    # The row as a request that has not finished yet holds it.
    with bot.container.inbound_store.transaction() as inbound:
        held = inbound.take(stored_activity(ActivityTypeAdapter.validate_python(invoke)), datetime.now(UTC))
    assert held is not None
    response = bot.post(invoke)
    assert response.status_code == 200 and response.json()["type"] == "application/vnd.microsoft.card.adaptive"
    assert stored(bot) == [(f"{SAM_CHAT}|{invoke['id']}", "invoke", "working", 1)]  # still its owner's
    assert await run_worker_after_the_lease(bot) == 1  # the owner died: the worker finds it decided
    await bot.deliver()
    assert processed(bot, invoke) == 1 and asked(bot) == 1 and stored(bot) == []


@pytest.mark.parametrize("dies", ["before the decision", "after the decision"])
async def test_an_invoke_whose_request_died_is_processed_once_by_the_worker(
        teams_on_every_db: TeamsBot, monkeypatch: pytest.MonkeyPatch, dies: str) -> None:
    bot = teams_on_every_db
    invoke = await start_card(bot)

    def dying(handle: Callable[..., Handled], event: Event, reply_to: Address | None) -> Handled:
        if dies == "after the decision":
            handle(event, reply_to=reply_to)
        raise SystemError("the process died here")

    wrap_handle(bot, monkeypatch, dying)
    assert bot.post(invoke).status_code >= 500  # no answer: Teams shows the click failed
    monkeypatch.undo()
    assert stored(bot) == [(f"{SAM_CHAT}|{invoke['id']}", "invoke", "working", 1)]
    assert processed(bot, invoke) == (1 if dies == "after the decision" else 0)

    assert await run_worker_after_the_lease(bot) == 1
    assert await run_worker_after_the_lease(bot) == 0  # once
    await bot.deliver()
    assert stored(bot) == [] and processed(bot, invoke) == 1 and asked(bot) == 1
    updates = bot.fake.updates()
    if dies == "before the decision":
        # Nobody heard an answer: the clicked card is answered through the outbox instead, once.
        assert len(updates) == 1 and "Action.Execute" not in str(updates[0].body)
    else:
        assert updates == []  # the decision was already taken: nothing is sent twice
