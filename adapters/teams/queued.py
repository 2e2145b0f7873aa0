"""Teams activities through the one way in: committed to the inbound store before Teams hears "200",
then processed by the inbound worker through the same handlers (``handlers.TeamsTurns``).

Messages (typed text and ``Action.Submit`` clicks), conversation updates and installation updates
are stored as the activity's JSON, deduplicated by the activity's id within its conversation, and
queued behind the same person's earlier activities. ``adaptiveCard/action`` invokes are not queued:
Teams shows what the HTTP response carries (the clicked card, answered), so they run inline, and
their decisions are committed before the answer (``TeamsTurns.on_card_action``).

Authentication stays the SDK's: only activities it has accepted reach ``record``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from microsoft_teams.api.activities import ActivityTypeAdapter
from pydantic import ValidationError

from adapters.event_processing import Unprocessable
from adapters.intake import InboundWriter
from adapters.teams.payloads import person_of, tenant_of
from bot.queues import InboundEvent, InboundItem

if TYPE_CHECKING:
    from microsoft_teams.api import ActivityBase

TEAMS = "teams"


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


def processor(handle: Callable[[ActivityBase], Awaitable[None]]) -> Callable[[InboundItem], Awaitable[None]]:
    """The worker's side: the stored activity, typed again, through ``handle`` (the same handlers)."""
    async def process(item: InboundItem) -> None:
        try:
            activity = ActivityTypeAdapter.validate_python(item.event.payload)
        except ValidationError as exc:
            raise Unprocessable(f"a stored Teams activity no longer parses: {exc.error_count()} error(s)") from None
        await handle(activity)

    return process
