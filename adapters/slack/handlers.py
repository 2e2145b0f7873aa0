"""What is done with each stored Slack request, run by the inbound worker (``queued.py``).

Every listener follows the same path: translate the payload (``translate.py``), look the person up
(``directory.py``, cached), run the event through ``ConversationService.handle`` in a worker thread with
the person's DM as ``reply_to`` (the replies are queued in the outbox in the same transaction), then
wake the outbox dispatcher, which renders and posts them (``sender.py``). Slack's retries carry the
same event id, which the service claims once, so a retry changes nothing and sends nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import OperationalError

from adapters.bootstrap import Container
from adapters.slack import forms, translate
from adapters.slack.blocks import after_click, escape, plain, section
from adapters.slack.directory import Directory
from adapters.slack.home import home_view
from adapters.slack.messages import translator
from adapters.slack.translate import BadPayload, Click, SlackUser
from bot.codec import reply_to_json
from bot.conversation import Draft
from bot.conversation.state import TEXT_FIELDS, State
from bot.events import Action, Event, Message
from bot.i18n import Translator
from bot.ports import Address
from bot.queues import OutboxMessage
from bot.replies import Button, ButtonStyle, Card, Reply, Text
from bot.review.policy import MAX_REASON_CHARS
from bot.service import Handled
from storage.repositories import find_person

log = logging.getLogger(__name__)

EDIT_CALLBACK = "capture.edit"
REASON_CALLBACK = "review.reason"
FORM_CALLBACK = "review.form"
SHARE_CALLBACK = "share_as_idea"
DB_ATTEMPTS = 3
# Events run through the core a few at a time: SQLite takes one writer at a time anyway, and worker
# threads beyond that only take the interpreter from the event loop, which must stay free to ack.
WORKERS = {"sqlite": 1}
DEFAULT_WORKERS = 4
# Many events queue replies within moments under load: wake the outbox once for all of them.
WAKE_DELAY = 0.05


class Background:
    """Work started after an ack. Kept so shutdown can let it finish, and so a failure is logged."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(self._run(work, name), name=f"slack:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except BadPayload as exc:
            log.warning("slack %s ignored: %s", name, exc)
        except Exception:
            log.exception("slack %s failed after it was acknowledged", name)

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 10.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


class SlackAdapter:
    def __init__(self, container: Container, bolt: AsyncApp, *, oauth: bool, workers: int | None = None) -> None:
        self.container = container
        self.bolt = bolt
        self.oauth = oauth
        self.directory = Directory()
        self.work = Background()
        self.workers = workers or WORKERS.get(container.engine.dialect.name, DEFAULT_WORKERS)
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
                except OperationalError:  # the database blinked: the event is already acked, so try again
                    if attempt == DB_ATTEMPTS:
                        raise
                    log.warning("database unavailable for %s (attempt %d); retrying", event.event_id, attempt)
                    await asyncio.sleep(0.5 * 2 ** attempt)
        self.wake_outbox()
        return handled

    def wake_outbox(self) -> None:
        if self._wake_due:
            return
        self._wake_due = True

        def wake() -> None:
            self._wake_due = False
            self.container.dispatcher.wake()

        asyncio.get_running_loop().call_later(WAKE_DELAY, wake)

    async def person(self, client: AsyncWebClient, user: SlackUser) -> tuple[translate.Profile, Translator]:
        """The person's profile, and the words to use with them: the language they chose (Slack has no Welsh
        interface language, so a Welsh speaker's choice lives with us), else their Slack locale."""
        profile = await self.directory.profile(client, user)
        return profile, translator(self._chosen_language(user) or profile.locale)

    def _chosen_language(self, user: SlackUser) -> str | None:
        with self.container.sessions() as session:
            row = find_person(session, user.ref)
            return row.locale if row is not None and row.locale_source == "chosen" else None

    async def respond_ephemeral(self, respond: Any, text: str) -> None:
        try:
            await respond(text=escape(text), blocks=[section(escape(text))], response_type="ephemeral",
                          replace_original=False)
        except (SlackClientError, OSError) as exc:  # a courtesy: never fail the work
            log.info("could not send an ephemeral reply (%s)", type(exc).__name__)

    @staticmethod
    def installed(context: AsyncBoltContext) -> tuple[str | None, str | None]:
        result = context.authorize_result
        if result is None:
            return context.team_id, context.enterprise_id
        return result.team_id, result.enterprise_id

    def conversation(self, user: SlackUser) -> tuple[State, Draft | None]:
        with self.container.uow_factory() as uow:
            record = uow.conversations.get(user.ref)
        if record is None:
            return State.IDLE, None
        return State(record.state), Draft.from_json(record.draft) if record.draft else None

    # --- what each listener does after its ack ------------------------------------------------------

    async def on_direct_message(self, client: AsyncWebClient, body: Mapping[str, Any], team: str | None,
                                enterprise: str | None) -> None:
        """``team`` and ``enterprise``: where the app that received the event is installed."""
        dm = translate.direct_message(body)
        if dm is None:
            return
        home = translate.event_user_team(body.get("event") or {})
        if not translate.same_organisation(home, dm.user, team, enterprise):
            log.info("ignored a DM from outside the workspace (%s)", dm.event_id)
            return
        self.directory.know_dm(dm.user, dm.channel)
        profile, _ = await self.person(client, dm.user)
        now = datetime.now(UTC)
        await self.handle(Message(dm.event_id, translate.actor(dm.user, profile), dm.text, now),
                          Address("slack", dm.user.tenant, dm.channel))

    async def on_click(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any, team: str | None,
                       enterprise: str | None) -> None:
        click = translate.click(body)
        profile, t = await self.person(client, click.user)
        if not translate.same_organisation(translate.clicker_home_team(body), click.user, team, enterprise):
            log.info("refused a click from outside the workspace (%s)", click.event_id)
            await self.respond_ephemeral(respond, t("refused.other_organisation"))
            return
        channel = click.channel or await self.directory.dm_channel(client, click.user)
        if click.needs_reason:
            await self._ask_reason(client, body, click, channel, t)
            return
        if click.needs_form and await self._open_form(client, body, click, profile, channel):
            return
        event = Action(click.event_id, translate.actor(click.user, profile), click.action_id, click.value,
                       datetime.now(UTC))
        handled = await self.handle(event, Address("slack", click.user.tenant, channel))
        if handled.duplicate or handled.refused:
            return  # a refused click keeps its buttons: no "✓" for something that did not happen
        if click.channel and click.message_ts and click.block_id:
            await self._mark_answered(client, body, click, t)
        if click.action_id == "capture.edit-field" and click.value.rpartition("|")[2] in TEXT_FIELDS:
            await self._open_edit_modal(client, body, click, channel, t)

    async def _ask_reason(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click, channel: str,
                          t: Translator) -> None:
        """Decline, ask for more info, or share a flagged idea: the decision waits for a written reason."""
        trigger = body.get("trigger_id")
        if not isinstance(trigger, str):
            raise BadPayload("a click that needs a reason came without a trigger id")
        meta = {"action": click.action_id, "value": click.value, "channel": channel,
                "message_ts": click.message_ts, "block_id": click.block_id}
        view = {
            "type": "modal", "callback_id": REASON_CALLBACK, "private_metadata": json.dumps(meta),
            "title": plain(t("modal.reason.title"), 24), "submit": plain(t("modal.reason.send"), 24),
            "close": plain(t("modal.close"), 24),
            "blocks": [{"type": "section", "text": plain(click.label or click.action_id, 3000)},
                       {"type": "input", "block_id": "value", "label": plain(t("modal.reason.label"), 2000),
                        "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                                    "min_length": 1, "max_length": MAX_REASON_CHARS}}],
        }
        try:
            await client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, OSError) as exc:  # nothing changed; the button still works
            log.info("could not open the reason box (%s)", type(exc).__name__)

    async def _open_form(self, client: AsyncWebClient, body: Mapping[str, Any], click: Click,
                         profile: translate.Profile, channel: str) -> bool:
        """A button with a form (sharing a flagged idea): the core describes it, a modal shows it.
        False when the core has no form for the click any more: the click then goes through as it is,
        and the core says why (already decided, not allowed)."""
        trigger = body.get("trigger_id")
        if not isinstance(trigger, str):
            raise BadPayload("a click that opens a form came without a trigger id")
        probe = Action(click.event_id, translate.actor(click.user, profile), click.action_id, click.value,
                       datetime.now(UTC))
        form = await asyncio.to_thread(self.container.service.form_for, probe)
        if form is None:
            return False
        t = translator(profile.locale)
        meta = {"action": click.action_id, "value": click.value, "channel": channel}
        view = forms.form_view(form, FORM_CALLBACK, json.dumps(meta), t)
        try:
            await client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, OSError) as exc:  # nothing changed; the button still works
            log.info("could not open the form (%s)", type(exc).__name__)
        return True

    async def on_form_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = translate.interaction_user(body)
        try:
            meta = json.loads(str((body.get("view") or {}).get("private_metadata") or "{}"))
            action_id, value, channel = str(meta["action"]), str(meta["value"]), str(meta["channel"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadPayload("form submission without its metadata") from None
        profile, _ = await self.person(client, user)
        inputs = forms.form_answers(translate.view_values(body))
        event = Action(translate.view_event_id(body), translate.actor(user, profile), action_id, value,
                       datetime.now(UTC), inputs=inputs)
        await self.handle(event, Address("slack", user.tenant, channel))

    async def on_reason_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = translate.interaction_user(body)
        try:
            meta = json.loads(str((body.get("view") or {}).get("private_metadata") or "{}"))
            action_id, value, channel = str(meta["action"]), str(meta["value"]), str(meta["channel"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadPayload("reason submission without its metadata") from None
        reason = translate.view_values(body).get("value", "")
        profile, _ = await self.person(client, user)
        event = Action(translate.view_event_id(body), translate.actor(user, profile), action_id, value,
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
        state, draft = await asyncio.to_thread(self.conversation, click.user)
        field = click.value.rpartition("|")[2]
        if not isinstance(trigger, str) or state is not State.AWAITING_EDIT or draft is None \
                or draft.editing != field:
            return
        limit = self.container.service.limits.max_message_chars
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": field != "title",
                                   "max_length": limit, "min_length": 1}
        current = str(getattr(draft, field))[:limit]
        if current:
            element["initial_value"] = current
        view = {
            "type": "modal", "callback_id": EDIT_CALLBACK,
            "private_metadata": json.dumps({"draft": draft.draft_id, "field": field, "channel": channel}),
            "title": plain(t("modal.edit.title"), 24), "submit": plain(t("modal.edit.save"), 24),
            "close": plain(t("modal.close"), 24),
            "blocks": [{"type": "input", "block_id": "value", "label": plain(t(f"field.{field}"), 2000),
                        "element": element}],
        }
        try:
            await client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, OSError) as exc:  # the DM question still stands
            log.info("could not open the edit box (%s)", type(exc).__name__)

    async def on_edit_submitted(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = translate.interaction_user(body)
        event_id = translate.view_event_id(body)
        try:
            meta = json.loads(str((body.get("view") or {}).get("private_metadata") or "{}"))
            draft_id, field, channel = str(meta["draft"]), str(meta["field"]), str(meta["channel"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadPayload("edit submission without its metadata") from None
        text = translate.view_values(body).get("value", "")
        profile, _ = await self.person(client, user)
        actor = translate.actor(user, profile)
        state, draft = await asyncio.to_thread(self.conversation, user)
        now = datetime.now(UTC)
        if state is State.AWAITING_EDIT and draft is not None and draft.draft_id == draft_id \
                and draft.editing == field:
            event: Event = Message(event_id, actor, text, now)
        else:  # the conversation moved on: let the core say so, changing nothing
            event = Action(event_id, actor, "capture.edit-field", f"{draft_id}|{field}", now)
        await self.handle(event, Address("slack", user.tenant, channel))

    async def on_idea_command(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any) -> None:
        user = translate.command_user(body)
        event_id = translate.command_event_id(body)
        profile, t = await self.person(client, user)
        dm = await self.directory.dm_channel(client, user)
        actor = translate.actor(user, profile)
        text = translate.plain_text(str(body.get("text") or "")).strip()
        now = datetime.now(UTC)
        # "/idea" alone starts a capture; "/idea <text>" is the first message of one (or the next answer).
        event: Event = Message(event_id, actor, text, now) if text else \
            Action(event_id, actor, "capture.start", "", now)
        await self.handle(event, Address("slack", user.tenant, dm))
        if body.get("channel_id") != dm:
            await self.respond_ephemeral(respond, t("pointer.direct_chat"))

    async def on_innovation_command(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any) -> None:
        user = translate.command_user(body)
        event_id = translate.command_event_id(body)
        words = translate.plain_text(str(body.get("text") or "")).strip()
        sub, _, rest = words.partition(" ")
        profile, t = await self.person(client, user)
        command = _INNOVATION.get(sub.lower())
        if sub.lower() == "my" and rest.lower().strip() in ("idea", "ideas"):
            command = "status"
        if sub.lower() == "my" and rest.lower().strip() == "data":
            command = "my data"
        if command is None:
            shown = f"{body.get('command') or '/innovation'} {sub}"[:60]
            await self.respond_ephemeral(respond, t("command.unknown", command=shown) + "\n" + t("help.text"))
            return
        dm = await self.directory.dm_channel(client, user)
        text = f"{command} {rest}".strip() if command in _WITH_ARGUMENTS else command
        await self.handle(Message(event_id, translate.actor(user, profile), text, datetime.now(UTC)),
                          Address("slack", user.tenant, dm))
        if body.get("channel_id") != dm:
            await self.respond_ephemeral(respond, t("pointer.direct_chat"))

    async def on_share_shortcut(self, client: AsyncWebClient, body: Mapping[str, Any], respond: Any,
                                team: str | None, enterprise: str | None) -> None:
        user = translate.interaction_user(body)
        event_id = translate.shortcut_event_id(body)
        profile, t = await self.person(client, user)
        if not translate.same_organisation(translate.clicker_home_team(body), user, team, enterprise):
            await self.respond_ephemeral(respond, t("refused.other_organisation"))
            return
        dm = await self.directory.dm_channel(client, user)
        actor = translate.actor(user, profile)
        state, _ = await asyncio.to_thread(self.conversation, user)
        now = datetime.now(UTC)
        # A message becomes a new draft; mid-capture, the core says to finish the current one first
        # (the shared text must not be taken as the answer to whatever question is open).
        event: Event = Message(event_id, actor, translate.shortcut_text(body), now) if state is State.IDLE \
            else Action(event_id, actor, "capture.start", "", now)
        await self.handle(event, Address("slack", user.tenant, dm))
        channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), Mapping) else None
        if channel != dm:
            await self.respond_ephemeral(respond, t("pointer.direct_chat"))

    async def on_mention(self, client: AsyncWebClient, body: Mapping[str, Any], team: str | None,
                         enterprise: str | None) -> None:
        event = body.get("event") or {}
        if not translate.is_person_mention(event):
            return
        user = translate.event_user(body, event)
        if not translate.same_organisation(translate.event_user_team(event), user, team, enterprise):
            return
        event_id = translate.envelope_event_id(body)
        _, t = await self.person(client, user)
        dm = await self.directory.dm_channel(client, user)
        prompt: list[Reply] = [Text(t("mention.prompt")),
                  Card(t("help.start_title"), buttons=(Button("capture.start", "", t("button.start"),
                                                              ButtonStyle.PRIMARY),))]
        pointer = OutboxMessage("slack", user.tenant, str(event.get("channel") or ""),
                                {"replies": [reply_to_json(Text(t("pointer.direct_chat")))], "user": user.user_id},
                                thread=str(event.get("thread_ts") or ""), kind="ephemeral",
                                dedupe_key=f"{event_id}:pointer")
        await asyncio.to_thread(self._queue_mention, user, dm, event_id, prompt, pointer)
        self.wake_outbox()

    def _queue_mention(self, user: SlackUser, dm: str, event_id: str, prompt: list[Reply],
                       pointer: OutboxMessage) -> None:
        now = datetime.now(UTC)
        with self.container.uow_factory() as uow:  # dedupe keys make a retried mention a no-op
            uow.outbox.enqueue_replies(Address("slack", user.tenant, dm), [reply_to_json(r) for r in prompt],
                                       dedupe_key=f"{event_id}:mention", at=now)
            if pointer.target:
                uow.outbox.enqueue(pointer, now)
            uow.commit()

    async def publish_home(self, client: AsyncWebClient, user: SlackUser, query: str = "") -> None:
        profile, t = await self.person(client, user)
        ideas, queue = await asyncio.to_thread(self._ideas_of, user, profile, t)
        results = []
        if query:
            from bot.conversation import views

            matches = await asyncio.to_thread(self.container.matcher.search, query, 5)
            results = views.search_results(t, query[:80], matches)
        try:
            await client.views_publish(user_id=user.user_id, view=home_view(t, ideas, query, results, queue))
        except (SlackClientError, OSError) as exc:
            log.warning("could not publish App Home (%s)", _reason(exc))

    def _ideas_of(self, user: SlackUser, profile: translate.Profile,
                  t: Translator) -> tuple[list[Any], list[Reply]]:
        """The person's own ideas, and for brokers and reviewers what waits for their decision."""
        with self.container.uow_factory() as uow:
            person = uow.people.ensure(user.ref, display_name=profile.display_name, email=profile.email,
                                       locale=profile.locale, at=datetime.now(UTC))
            ideas = uow.ideas.for_person(person.person_id)
            deciding = bool(uow.reviews.grants(person.person_id))
            queue = self.container.service.review.queue(uow, person, t) if deciding else []
            uow.commit()
        return ideas, queue

    async def on_home_opened(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        event = body.get("event") or {}
        if event.get("tab") != "home":
            return
        await self.publish_home(client, translate.event_user(body, event))

    async def on_home_search(self, client: AsyncWebClient, body: Mapping[str, Any]) -> None:
        user = translate.interaction_user(body)
        actions = body.get("actions") or [{}]
        query = translate.plain_text(str(actions[0].get("value") or "")).strip()[:200]
        await self.publish_home(client, user, query)


# /innovation <word>: what the word asks the core for. Anything else gets the help, privately.
_INNOVATION = {"": "help", "help": "help", "status": "status", "ideas": "status", "search": "search",
               "cancel": "cancel", "queue": "queue", "admin": "admin", "withdraw": "withdraw", "data": "my data"}
_WITH_ARGUMENTS = ("search", "admin", "withdraw")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        data = getattr(exc.response, "data", None)
        return str(data.get("error")) if isinstance(data, dict) else type(exc).__name__
    return type(exc).__name__
