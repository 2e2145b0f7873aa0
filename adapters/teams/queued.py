"""Teams activities through the one way in: committed to the inbound store before Teams hears "200",
then processed through the same handlers (``handlers.TeamsTurns``).

Every activity the bot acts on is stored as the activity's JSON, deduplicated by the activity's id within
its conversation (``stored_activity``), and queued behind the same person's earlier activities:

* messages (typed text and ``Action.Submit`` clicks), conversation updates and installation updates are
  stored (``record``), answered, and processed by the inbound worker (``processor``);
* ``adaptiveCard/action`` invokes (``Action.Execute`` clicks) must be answered with their outcome (Teams
  shows the card the response carries), so the request processes them itself (``inline``): stored
  already leased to the request, processed, then finished (deleted), and answered only after those
  commits. If the process dies in between, the lease runs out and the worker processes the stored
  invoke like any other activity (the card is then updated through the outbox); the service's
  processed-event ids keep a decision already taken from being taken twice.

Authentication stays the SDK's: only activities it has accepted reach ``record`` and ``inline``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from microsoft_teams.api.activities import ActivityTypeAdapter
from pydantic import ValidationError

from adapters.event_processing import Unprocessable
from adapters.intake import InboundWriter
from adapters.teams.payloads import person_of, tenant_of
from bot.queues import InboundEvent, InboundItem, InboundQueue, InboundStore

if TYPE_CHECKING:
    from microsoft_teams.api import ActivityBase

TEAMS = "teams"
T = TypeVar("T")


def stored_activity(activity: ActivityBase) -> InboundEvent:
    tenant = tenant_of(activity)
    who = person_of(tenant, activity.from_) if activity.from_ else None
    payload = activity.model_dump(mode="json", by_alias=True, exclude_none=True)
    # Activity ids are unique within a conversation: both together name one activity.
    event_id = f"{activity.conversation.id}|{activity.id or ''}"[:255]
    return InboundEvent(TEAMS, event_id, str(activity.type), str(who) if who else event_id, payload,
                        {"tenant_id": tenant})


async def record(inbox: InboundWriter, activity: ActivityBase) -> None:
    """Return once the activity is committed (the SDK answers Teams when its handler returns)."""
    await inbox.store(stored_activity(activity))


async def inline(store: InboundStore, activity: ActivityBase, run: Callable[[], Awaitable[T]]) -> T:
    """Record ``activity`` leased to this request, ``run`` it, finish it; the result (the answer) comes
    back only after those commits. A retry of an activity still held elsewhere (or dead) runs without a
    row of its own: the service answers a decision already taken as a duplicate.

    ``store`` is the worker's (the ordinary sessions), not the group-commit writer's durable one: the
    row only has to outlive this process, and Teams hears nothing before the decision's own commit."""
    event = stored_activity(activity)
    held = await asyncio.to_thread(_in_transaction, store, lambda inbound: inbound.take(event, datetime.now(UTC)))
    answer = await run()  # an error leaves the row held: the worker takes it once the lease has run out
    if held is not None:
        await asyncio.to_thread(_in_transaction, store, lambda inbound: inbound.finish([held.id]))
    return answer


def _in_transaction(store: InboundStore, work: Callable[[InboundQueue], T]) -> T:
    with store.transaction() as inbound:
        return work(inbound)


def processor(handle: Callable[[ActivityBase], Awaitable[None]]) -> Callable[[InboundItem], Awaitable[None]]:
    """The worker's side: the stored activity, typed again, through ``handle`` (the same handlers)."""
    async def process(item: InboundItem) -> None:
        try:
            activity = ActivityTypeAdapter.validate_python(item.event.payload)
        except ValidationError as exc:
            raise Unprocessable(f"a stored Teams activity no longer parses: {exc.error_count()} error(s)") from None
        await handle(activity)

    return process
