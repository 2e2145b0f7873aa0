"""What is done with each stored Slack request, run by the inbound worker (``queued.py``).

Every listener follows the same path: translate the payload (``payloads.py``), look the person up
(``directory.py``, cached), run the event through ``ConversationService.handle`` in a worker thread with
the person's DM as ``reply_to`` (the replies are queued in the outbox in the same transaction), then
wake the outbox dispatcher, which renders and posts them (``sender.py``). Slack's retries carry the
same event id, which the service claims once, so a retry changes nothing and sends nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import Container
from adapters.slack import forms, payloads
from adapters.slack.background import Background
from adapters.slack.blocks import after_click, escape
from adapters.slack.commands import innovation_words
from adapters.slack.directory import Directory
from adapters.slack.home import home_view
from adapters.slack.messages import translator
from adapters.slack.modals import FORM_CALLBACK, edit_view, metadata, reason_view, trigger_of
from adapters.slack.payloads import Click, SlackUser
from adapters.slack.respond import api_error, respond_privately
from bot.events import Action, Event, Message
from bot.i18n import Translator
from bot.ports import Address
from bot.service import Handled

log = logging.getLogger(__name__)

DB_ATTEMPTS = 3
# Events run through the core a few at a time: SQLite takes one writer at a time anyway, and worker
# threads beyond that only take the interpreter from the event loop, which must stay free to ack.
WORKERS = {"sqlite": 1}
DEFAULT_WORKERS = 4


class SlackAdapter:
    def __init__(self, container: Container, bolt: AsyncApp, *, oauth: bool, workers: int | None = None) -> None:
        self.container = container
        self.bolt = bolt
        self.oauth = oauth
        self.directory = Directory(stored=container.surfaces.known_profile)
        self.work = Background()
        self.workers = workers or WORKERS.get(container.dialect, DEFAULT_WORKERS)
        self._slots: asyncio.Semaphore | None = None
        self._wake_due = False

    # --- the service, off the event loop ------------------------------------------------------------

    async def handle(self, event: Event, address: Address) -> Handled:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            for attempt in range(1, DB_ATTEMPTS + 1):
                try:
                    handled = await asyncio.to_thread(self.container.service.handle, event, address)
                    break
                except self.container.database_blinks:  # the database blinked: the event is already acked, so try again
                    if attempt == DB_ATTEMPTS:
                        raise
                    log.warning("database unavailable for %s (attempt %d); retrying", event.event_id, attempt)
                    await asyncio.sleep(0.5 * 2 ** attempt)
        self.wake_outbox()
        return handled

    def wake_outbox(self) -> None:
        if self._wake_due or self.container.dispatcher.hands_over:  # the commits handed the messages over
            return
        self._wake_due = True

        def wake() -> None:
            self._wake_due = False
            self.container.dispatcher.wake()

        # Once for all the events finished in this pass of the loop: under load the dispatcher is busy
        # anyway and takes what queued meanwhile in its next claim; idle, the reply leaves at once
        # (a fixed delay here was the largest part of the time to reply, docs/PERFORMANCE.md).
        asyncio.get_running_loop().call_soon(wake)

    async def words(self, user: SlackUser, profile: payloads.Profile, handled: Handled | None = None) -> Translator:
        """The person's language: their choice with us (Slack has no Welsh), else their Slack locale. After a
        turn the service has said which (``handled``): only words said before or without one read the person."""
        if handled is not None and handled.locale:
            return translator(handled.locale)
        chosen = await asyncio.to_thread(self.container.surfaces.chosen_language, user.ref)
        return translator(chosen or profile.locale)

    @staticmethod
    def installed(context: AsyncBoltContext) -> tuple[str | None, str | None]:
        result = context.authorize_result
        if result is None:
            return context.team_id, context.enterprise_id
        return result.team_id, result.enterprise_id

    # --- what each listener does after its ack ------------------------------------------------------

    async def on_direct_message(self, client: AsyncWebClient, body: Mapping[str, Any], team: str | None,
                                enterprise: str | None) -> None:
        """``team`` and ``enterprise``: where the app that received the event is installed."""
        dm = payloads.direct_message(body)
        if dm is None:
            return
        home = payloads.event_user_team(body.get("event") or {})
        if not payloads.same_organisation(home, dm.user, team, enterprise):
            log.info("ignored a DM from outside the workspace (%s)", dm.event_id)
            return
        self.directory.know_dm(dm.user, dm.channel)
        profile = await self.directory.profile(client, dm.user)
        now = datetime.now(UTC)
        await self.handle(Message(dm.event_id, payloads.actor(dm.user, profile), dm.text, now),
                          Address("slack", dm.user.tenant, dm.channel))

    async def on_click(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any, team: str | None,
                       enterprise: str | None) -> None:
        click = payloads.click(body)
        profile = await self.directory.profile(client, click.user)
        if not payloads.same_organisation(payloads.clicker_home_team(body), click.user, team, enterprise):
            log.info("refused a click from outside the workspace (%s)", click.event_id)
            await respond_privately(respond, (await self.words(click.user, profile))("refused.other_organisation"))
            return
        channel = click.channel or await self.directory.dm_channel(client, click.user)
        if click.needs_reason:
            await self._ask_reason(client, body, click, channel, await self.words(click.user, profile))
            return
        if click.needs_form and await self._open_form(client, body, click, profile, channel):
            return
        event = Action(click.event_id, payloads.actor(click.user, profile), click.action_id, click.value,
                       datetime.now(UTC))
        handled = await self.handle(event, Address("slack", click.user.tenant, channel))
        if handled.duplicate or handled.refused:
            return  # a refused click keeps its buttons: no "✓" for something that did not happen
        t = await self.words(click.user, profile, handled)
        if click.channel and click.message_ts and click.block_id:
            await self._mark_answered(client, body, click, t)
        await self._open_edit_modal(client, body, click, channel, t)

    async def _ask_reason(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click, channel: str,
                          t: Translator) -> None:
        """Decline, ask for more info, or share a flagged idea: the decision waits for a written reason."""
        trigger = trigger_of(body, "needs a reason")
        try:
            await client.views_open(trigger_id=trigger, view=reason_view(click, channel, t))
        except (SlackClientError, OSError) as exc:  # nothing changed; the button still works
            log.info("could not open the reason box (%s)", type(exc).__name__)

    async def _open_form(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click,
                         profile: payloads.Profile, channel: str) -> bool:
        """A button with a form (sharing a flagged idea): the core describes it, a modal shows it.
        False when the core has no form for the click any more: the click then goes through as it is,
        and the core says why (already decided, not allowed)."""
        trigger = trigger_of(body, "opens a form")
        probe = Action(click.event_id, payloads.actor(click.user, profile), click.action_id, click.value,
                       datetime.now(UTC))
        form = await asyncio.to_thread(self.container.service.form_for, probe)
        if form is None:
            return False
        meta = {"action": click.action_id, "value": click.value, "channel": channel}
        view = forms.form_view(form, FORM_CALLBACK, json.dumps(meta), await self.words(click.user, profile))
        try:
            await client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, OSError) as exc:  # nothing changed; the button still works
            log.info("could not open the form (%s)", type(exc).__name__)
        return True

    async def on_form_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = payloads.interaction_user(body)
        action_id, value, channel = metadata(body, "action", "value", "channel", what="form")
        profile = await self.directory.profile(client, user)
        inputs = forms.form_answers(payloads.view_values(body))
        event = Action(payloads.view_event_id(body), payloads.actor(user, profile), action_id, value,
                       datetime.now(UTC), inputs=inputs)
        await self.handle(event, Address("slack", user.tenant, channel))

    async def on_reason_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = payloads.interaction_user(body)
        action_id, value, channel = metadata(body, "action", "value", "channel", what="reason")
        reason = payloads.view_values(body).get("value", "")
        profile = await self.directory.profile(client, user)
        event = Action(payloads.view_event_id(body), payloads.actor(user, profile), action_id, value,
                       datetime.now(UTC), text=reason)
        await self.handle(event, Address("slack", user.tenant, channel))

    async def _mark_answered(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click,
                             t: Translator) -> None:
        message = body.get("message")
        blocks = message.get("blocks") if isinstance(message, Mapping) else None
        if not isinstance(blocks, list):
            return
        picked = escape(t("click.picked", label=click.label or click.value))
        try:
            await client.chat_update(channel=click.channel, ts=click.message_ts,
                                     text=str(message.get("text", "")) if isinstance(message, Mapping) else "",
                                     blocks=after_click(blocks, click.block_id, picked))
        except (SlackClientError, OSError) as exc:  # cosmetic: the answer went through
            log.info("could not mark the answered question (%s)", type(exc).__name__)

    async def _open_edit_modal(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click,
                               channel: str, t: Translator) -> None:
        """A text field is easier to edit in a box that already holds it; the chat way still works."""
        trigger = body.get("trigger_id")
        if not isinstance(trigger, str) or not self.container.surfaces.asks_to_edit(click.action_id, click.value):
            return
        form = await asyncio.to_thread(self.container.surfaces.edit_form, click.user.ref, click.action_id,
                                       click.value)
        if form is None:
            return
        try:
            await client.views_open(trigger_id=trigger, view=edit_view(form, channel, t))
        except (SlackClientError, OSError) as exc:  # the DM question still stands
            log.info("could not open the edit box (%s)", type(exc).__name__)

    async def on_edit_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = payloads.interaction_user(body)
        event_id = payloads.view_event_id(body)
        draft_id, field, channel = metadata(body, "draft", "field", "channel", what="edit")
        text = payloads.view_values(body).get("value", "")
        profile = await self.directory.profile(client, user)
        event = await asyncio.to_thread(self.container.surfaces.edit_answer, event_id, payloads.actor(user, profile),
                                        draft_id, field, text, datetime.now(UTC))
        await self.handle(event, Address("slack", user.tenant, channel))

    async def on_idea_command(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any) -> None:
        user = payloads.command_user(body)
        event_id = payloads.command_event_id(body)
        profile = await self.directory.profile(client, user)
        dm = await self.directory.dm_channel(client, user)
        actor = payloads.actor(user, profile)
        text = payloads.plain_text(str(body.get("text") or "")).strip()
        now = datetime.now(UTC)
        # "/idea" alone starts a capture; "/idea <text>" is the first message of one (or the next answer).
        event: Event = Message(event_id, actor, text, now) if text else \
            Action(event_id, actor, "capture.start", "", now)
        handled = await self.handle(event, Address("slack", user.tenant, dm))
        if body.get("channel_id") != dm:
            await respond_privately(respond, (await self.words(user, profile, handled))("pointer.direct_chat"))

    async def on_innovation_command(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any) -> None:
        user = payloads.command_user(body)
        event_id = payloads.command_event_id(body)
        words = payloads.plain_text(str(body.get("text") or "")).strip()
        profile = await self.directory.profile(client, user)
        text = innovation_words(words)
        if text is None:
            t = await self.words(user, profile)
            shown = f"{body.get('command') or '/innovation'} {words.partition(' ')[0]}"[:60]
            await respond_privately(respond, t("command.unknown", command=shown) + "\n" + t("help.text"))
            return
        dm = await self.directory.dm_channel(client, user)
        handled = await self.handle(Message(event_id, payloads.actor(user, profile), text, datetime.now(UTC)),
                                    Address("slack", user.tenant, dm))
        if body.get("channel_id") != dm:
            await respond_privately(respond, (await self.words(user, profile, handled))("pointer.direct_chat"))

    async def on_share_shortcut(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any,
                                team: str | None, enterprise: str | None) -> None:
        user = payloads.interaction_user(body)
        event_id = payloads.shortcut_event_id(body)
        profile = await self.directory.profile(client, user)
        if not payloads.same_organisation(payloads.clicker_home_team(body), user, team, enterprise):
            await respond_privately(respond, (await self.words(user, profile))("refused.other_organisation"))
            return
        dm = await self.directory.dm_channel(client, user)
        event = await asyncio.to_thread(self.container.surfaces.shared_message, event_id,
                                        payloads.actor(user, profile), payloads.shortcut_text(body),
                                        datetime.now(UTC))
        handled = await self.handle(event, Address("slack", user.tenant, dm))
        channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), Mapping) else None
        if channel != dm:
            await respond_privately(respond, (await self.words(user, profile, handled))("pointer.direct_chat"))

    async def on_mention(self, client: AsyncWebClient, body: Mapping[str, Any], team: str | None,
                         enterprise: str | None) -> None:
        event = body.get("event") or {}
        if not payloads.is_person_mention(event):
            return
        user = payloads.event_user(body, event)
        if not payloads.same_organisation(payloads.event_user_team(event), user, team, enterprise):
            return
        event_id = payloads.envelope_event_id(body)
        t = await self.words(user, await self.directory.profile(client, user))
        dm = await self.directory.dm_channel(client, user)
        # A prompt in the DM, and a pointer to it that only the person sees where they mentioned the bot.
        where = Address("slack", user.tenant, str(event.get("channel") or ""), thread=str(event.get("thread_ts") or ""))
        await asyncio.to_thread(self.container.surfaces.point_to_private_chat, where, t.locale,
                                f"{event_id}:pointer", only_for=user.user_id,
                                start_at=Address("slack", user.tenant, dm), start_key=f"{event_id}:mention")
        self.wake_outbox()

    async def publish_home(self, client: AsyncWebClient, user: SlackUser, query: str = "") -> None:
        profile = await self.directory.profile(client, user)
        home = await asyncio.to_thread(self.container.surfaces.home, payloads.actor(user, profile), query)
        try:
            await client.views_publish(user_id=user.user_id, view=home_view(translator(home.locale), home.ideas,
                                                                            query, home.results, home.queue))
        except (SlackClientError, OSError) as exc:
            log.warning("could not publish App Home (%s)", api_error(exc))

    async def on_home_opened(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        event = body.get("event") or {}
        if event.get("tab") != "home":
            return
        await self.publish_home(client, payloads.event_user(body, event))

    async def on_home_search(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = payloads.interaction_user(body)
        actions = body.get("actions") or [{}]
        query = payloads.plain_text(str(actions[0].get("value") or "")).strip()[:200]
        await self.publish_home(client, user, query)
