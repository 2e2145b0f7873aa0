"""What the bot does with each kind of Teams activity (registered on the SDK's ``App``).

* every activity goes through the inbound store (``queued.py``): messages (text and ``Action.Submit``
  clicks) and conversation and installation updates are committed before the HTTP answer and run by
  the inbound worker; ``adaptiveCard/action`` invokes are committed leased to their request, which runs
  them and finishes them before answering (the worker runs one whose request died);
* personal-chat messages and card clicks go through ``ConversationService.handle`` (in a worker
  thread: the database is synchronous) with the personal chat as the reply address, so the replies
  leave through the outbox;
* ``Action.Execute`` clicks are answered with the clicked card, buttons removed (the protocol wants
  a card or a message back); ``Action.Submit`` clicks, and invokes the worker runs, get the same change
  as an outbox update;
* install and uninstall events store and remove conversation references (``references.py``);
* the first time a person is met (per process), the roster API gives their name, email and UPN, which
  are stored, so introductions and dashboard sign-in work for Teams users as for Slack users.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from microsoft_teams.api.activities.conversation import ConversationUpdateActivity
from microsoft_teams.api.activities.invoke.adaptive_card import AdaptiveCardInvokeActivity
from microsoft_teams.api.activities.message import MessageActivity
from microsoft_teams.api.models import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionMessageResponse,
    InvokeResponse,
)
from microsoft_teams.apps import ActivityContext, App
from microsoft_teams.cards import AdaptiveCard

from adapters.teams.cards import answered, render_card
from adapters.teams.payloads import (
    Click,
    actor_of,
    click_event,
    click_from,
    conversation_type,
    message_event,
    person_of,
    tenant_of,
)
from adapters.teams.queued import inline, processor, record
from adapters.teams.sender import Connector
from bot.conversation import views
from bot.domain import PersonRef, Platform
from bot.events import Actor, Event
from bot.i18n import Translator
from bot.installs.ports import CHANNEL, PERSONAL, ConversationRef
from bot.ports import Address
from bot.replies import Reply, Text
from bot.service import Handled

if TYPE_CHECKING:
    from microsoft_teams.api import ActivityBase

    from adapters.bootstrap import Container
    from adapters.teams.graph import Graph

log = logging.getLogger(__name__)

TEAMS = Platform.TEAMS.value
_CHANNEL_SAVED = {"channelCreated", "channelRenamed", "channelRestored"}
_TEAM_GONE = {"teamDeleted", "teamHardDeleted"}


class TeamsTurns:
    def __init__(self, container: Container, connector: Connector, graph: Graph | None = None) -> None:
        self.container = container
        self.connector = connector
        self.graph = graph
        self._met: set[PersonRef] = set()  # people whose roster entry was read (or tried) by this process

    def register(self, app: App) -> None:
        # Messages and updates are committed to the inbound store and answered; the inbound worker then
        # runs them through ``process`` (queued.py). Card invokes are answered with a card: stored, and
        # run by their own request (``process`` runs one whose request died).
        app.on_message(self._record)
        app.on_card_action(self.on_card_action)
        app.on_conversation_update(self._record)
        app.on_installation_update(self._record)
        self.container.processors["teams"] = processor(self.process)

    async def _record(self, ctx: ActivityContext[Any]) -> None:
        await record(self.container.inbox, ctx.activity)

    async def process(self, activity: ActivityBase) -> None:
        """A stored activity, as if it had just arrived."""
        ctx: Any = _Context(activity)  # the handlers read only ``ctx.activity``
        if isinstance(activity, MessageActivity):
            await self.on_message(ctx)
        elif isinstance(activity, ConversationUpdateActivity):
            await self.on_conversation_update(ctx)
        elif str(activity.type) == "installationUpdate":
            await self.on_installation_update(ctx)
        elif isinstance(activity, AdaptiveCardInvokeActivity):
            # Its request died before answering: nobody is waiting for the answer, so the card (if the
            # decision is taken now) is updated through the outbox, as for an Action.Submit click.
            await self._card_action(activity, update_card=True)

    # --- conversation ------------------------------------------------------------------------------

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        if conversation_type(activity) != PERSONAL:
            # Ideas are personal until submitted: the conversation happens in the person's own chat.
            log.info("a Teams %s message: pointing the sender to a personal chat", conversation_type(activity))
            await asyncio.to_thread(self._point_to_personal_chat, activity)
            self.container.dispatcher.wake()
            return
        click = click_from(activity.value)
        event = message_event(activity, activity.text, activity.value)
        event = dataclasses.replace(event, actor=await self._meet(activity, event.actor))
        await self._suggest_force(activity, event.actor)
        await asyncio.to_thread(self._converse, activity, event, click, update_card=True)
        self.container.dispatcher.turn_queued()

    async def on_card_action(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> InvokeResponse[Any]:
        activity = ctx.activity
        return await inline(self.container.inbound_store, activity,
                            lambda: self._card_action(activity, update_card=False))

    async def _card_action(self, activity: AdaptiveCardInvokeActivity, *, update_card: bool) -> InvokeResponse[Any]:
        action = activity.value.action
        # An unknown verb still reaches the core, which answers it politely.
        click = click_from(action.data, action.verb) or Click(action.verb or "", "")
        event = click_event(activity, click)
        card, handled = await asyncio.to_thread(self._converse, activity, event, click, update_card=update_card)
        self.container.dispatcher.turn_queued()
        if handled.refused:
            # Nothing changed: say why (the first thing the core said), leave the card and its buttons alone.
            said = next((r.text for r in handled.replies if isinstance(r, Text)), "")
            body: Any = AdaptiveCardActionMessageResponse(value=said or Translator()("action.unknown"))
        elif card:
            body = AdaptiveCardActionCardResponse(value=AdaptiveCard.model_validate(render_card(card)))
        else:
            body = AdaptiveCardActionMessageResponse(value=f"\u2713 {click.label}".strip())
        return InvokeResponse[Any](status=200, body=body)

    def _point_to_personal_chat(self, activity: ActivityBase) -> None:
        """A message in a channel or group chat: one polite reply there, through the outbox."""
        where = Address(TEAMS, tenant_of(activity), activity.conversation.id, thread=activity.service_url or "")
        self.container.surfaces.point_to_private_chat(where, activity.locale or "en", f"teams:{activity.id}:pointer",
                                                      key="chat.use_personal")

    def _converse(self, activity: ActivityBase, event: Event, click: Click | None, *,
                  update_card: bool) -> tuple[list[Reply], Handled]:
        """Runs in a worker thread. Returns the clicked card, answered (when there is one and the click was
        not refused), and what the core made of the event."""
        tenant = tenant_of(activity)
        # From the personal chat: it is refreshed (serviceUrl and ids); a card clicked in a channel is
        # answered in the person's personal chat, if there is one.
        personal = self._personal_ref(activity) if conversation_type(activity) == PERSONAL else None
        address = self.container.installs.reply_address(TEAMS, tenant, chat=personal, user_id=event.actor.ref.user_id)
        if address is None:
            log.info("no personal chat stored for a Teams click; its replies are not sent")
        handled: Handled = self.container.service.handle(event, reply_to=address)
        if click is None or click.outbox_id is None or handled.refused:
            return [], handled
        # Only a card this bot sent into this very conversation: button data comes from the client.
        card = answered(self.container.surfaces.sent_card(click.outbox_id, TEAMS, activity.conversation.id))
        if card and update_card and not handled.duplicate:
            self.container.surfaces.replace_card(Address(TEAMS, tenant, activity.conversation.id), click.outbox_id,
                                                 card, dedupe_key=f"{event.event_id}:card")
        return card, handled

    async def _meet(self, activity: ActivityBase, actor: Actor) -> Actor:
        """The actor with the name and email Teams' roster gives, read once per person per process. A failed
        read never fails the turn: the person keeps the name their activity carried."""
        if actor.ref in self._met or not activity.service_url:
            return actor
        self._met.add(actor.ref)
        try:
            member = await self.connector.member(actor.ref.tenant, activity.service_url, activity.conversation.id,
                                                 activity.from_.id)
        except Exception as exc:  # the roster is a nicety: the conversation goes on without it
            log.info("Teams roster lookup failed (%s); the person keeps the name their message carried",
                     type(exc).__name__)
            return actor
        name = str(member.get("name") or "")[:200] or actor.display_name
        email = str(member.get("email") or member.get("userPrincipalName") or "")[:320]
        return dataclasses.replace(actor, display_name=name, email=email or actor.email)

    async def _suggest_force(self, activity: ActivityBase, actor: Actor) -> None:
        """With Graph on, a person with no force yet gets one from their profile (they can edit it)."""
        if self.graph is None:
            return
        forces = self.container.service.forces
        if not self.graph.worth_asking(actor.ref) or \
                not await asyncio.to_thread(self.container.surfaces.needs_force, actor):
            return
        slug = await self.graph.suggest_force(actor.ref.tenant, activity.from_.aad_object_id or "", forces)
        if slug:
            await asyncio.to_thread(self.container.surfaces.remember_force, actor, slug)

    # --- install and uninstall ---------------------------------------------------------------------

    async def on_conversation_update(self, ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        activity = ctx.activity
        bot_id = activity.recipient.id
        event_type = activity.channel_data.event_type if activity.channel_data else None
        if any(m.id == bot_id for m in activity.members_added or ()):
            await self._installed(activity, welcome=True)
        elif any(m.id == bot_id for m in activity.members_removed or ()):
            await asyncio.to_thread(self._uninstalled, activity)
        elif event_type in _CHANNEL_SAVED and activity.channel_data and activity.channel_data.channel:
            channel = activity.channel_data.channel
            ref = self._channel_ref(activity, channel.id or "", channel.name or "")
            await asyncio.to_thread(self._save, [ref])
        elif event_type == "channelDeleted" and activity.channel_data and activity.channel_data.channel:
            await asyncio.to_thread(self.container.installs.uninstalled,
                                    conversation_id=activity.channel_data.channel.id or "")
        elif event_type in _TEAM_GONE:
            await asyncio.to_thread(self._uninstalled, activity)

    async def on_installation_update(self, ctx: ActivityContext[Any]) -> None:
        activity = ctx.activity
        action = str(getattr(activity, "action", ""))
        if action.startswith("add"):
            await self._installed(activity, welcome=False)  # conversationUpdate says hello, not this
        elif action.startswith("remove"):
            await asyncio.to_thread(self._uninstalled, activity)

    async def _installed(self, activity: ActivityBase, *, welcome: bool) -> None:
        kind = conversation_type(activity)
        if kind == PERSONAL:
            actor = await self._meet(activity, actor_of(activity))
            await asyncio.to_thread(self.container.surfaces.meet, actor)
            greeting = self._welcome(activity) if welcome else []
            await asyncio.to_thread(self._save, [self._personal_ref(activity)], greeting,
                                    f"teams:{activity.id}:welcome")
            self.container.dispatcher.wake()
            return
        team = _team(activity)
        if kind != CHANNEL or not team:
            log.info("the bot was added to a Teams %s; it only keeps personal chats and team channels", kind)
            return
        general = activity.channel_data.channel.id if activity.channel_data and activity.channel_data.channel else None
        refs = [self._channel_ref(activity, general or team, "")]
        try:
            channels = await self.connector.team_channels(tenant_of(activity), activity.service_url or "", team)
        except Exception as exc:  # the team's other channels also arrive later as channelCreated events
            log.warning("could not list the channels of a Teams team: %s", exc)
            channels = []
        refs += [self._channel_ref(activity, cid, name) for cid, name in channels if cid != refs[0].conversation_id]
        await asyncio.to_thread(self._save, refs)

    def _uninstalled(self, activity: ActivityBase) -> None:
        team = _team(activity)
        removed = self.container.installs.uninstalled(team_id=team, conversation_id=activity.conversation.id)
        log.info("Teams app removed from a %s: %d stored conversation(s) forgotten",
                 "team" if team else "personal chat", removed)

    def _save(self, refs: Sequence[ConversationRef], welcome: Sequence[Reply] = (), welcome_key: str = "") -> None:
        self.container.installs.installed(TEAMS, refs, welcome, welcome_key)

    def _welcome(self, activity: ActivityBase) -> list[Reply]:
        t = Translator(activity.locale or "en")
        return [Text(t("greeting")), *views.help_reply(t, in_flow=False)]

    # --- references ----------------------------------------------------------------------------------

    def _personal_ref(self, activity: ActivityBase) -> ConversationRef:
        tenant = tenant_of(activity)
        person = activity.from_
        return ConversationRef(PERSONAL, tenant, activity.conversation.id, activity.service_url or "",
                               aad_object_id=person_of(tenant, person).user_id, user_id=person.id,
                               name=(person.name or "")[:300], bot_id=activity.recipient.id)

    def _channel_ref(self, activity: ActivityBase, channel_id: str, name: str) -> ConversationRef:
        team = activity.channel_data.team if activity.channel_data else None
        return ConversationRef(CHANNEL, tenant_of(activity), channel_id, activity.service_url or "",
                               team_id=(team.id if team else "") or "", channel_id=channel_id, name=name,
                               bot_id=activity.recipient.id, aad_group_id=(team.aad_group_id if team else "") or "")


class _Context:
    """What the handlers read of an ``ActivityContext`` (the activity), for a stored activity."""

    def __init__(self, activity: Any) -> None:
        self.activity = activity


def _team(activity: ActivityBase) -> str:
    team = activity.channel_data.team if activity.channel_data else None
    return (team.id or "") if team else ""
