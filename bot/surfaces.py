"""The chat surfaces around the conversation: what a platform adapter asks the core before it renders
something other than a reply (a home page, an edit box, a pointer to the private chat, a card redrawn
once answered). The adapter translates the request and renders the answer; every decision is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.codec import reply_from_json, reply_to_json
from bot.conversation import Draft, State, views
from bot.conversation.state import TEXT_FIELDS
from bot.conversation.types import Limits, SimilarFinder
from bot.domain import IdeaSummary, PersonRef
from bot.events import Action, Actor, Event, Message
from bot.i18n import Translator
from bot.ports import Address, KnownProfile, PersonRecord, SentMessage, UnitOfWork
from bot.queues import OutboxMessage
from bot.replies import Button, ButtonStyle, Card, Reply, Text
from bot.review.workflow import ReviewWorkflow

EDIT_FIELD = "capture.edit-field"  # the click that asks for one field of the draft to be edited


@dataclass(frozen=True)
class EditForm:
    """A box to edit one text field of the draft, already holding its text."""

    draft_id: str
    field: str
    current: str
    max_chars: int


@dataclass(frozen=True)
class Home:
    """A person's home page: their ideas, what waits for their decision, and a search's results."""

    ideas: tuple[IdeaSummary, ...]
    queue: tuple[Reply, ...]
    results: tuple[Reply, ...]
    locale: str = "en"  # the language it is in: the one the person chose with us, else their platform's


class ChatSurfaces:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, review: ReviewWorkflow,
                 finder: SimilarFinder | None, limits: Limits,
                 lookups: Callable[[], UnitOfWork] | None = None) -> None:
        self._uow = uow_factory
        # For the look-ups an adapter makes for each person it has not yet seen (``known_profile``): one
        # read that must not wait in line with the writers (the root gives a store's reading sessions).
        self._lookups = lookups or uow_factory
        self._review = review
        self._finder = finder
        self._limits = limits

    # --- the person ----------------------------------------------------------------------------------

    def chosen_language(self, ref: PersonRef) -> str | None:
        """The language the person chose with us (a platform may not offer it), else None."""
        with self._uow() as uow:
            person = uow.people.find(ref)
        return person.locale if person is not None and person.locale_source == "chosen" else None

    def known_profile(self, ref: PersonRef) -> KnownProfile | None:
        """What the platform's directory last said of the person, kept with them (None: never asked), so an
        adapter asks the platform again only when it is stale."""
        with self._lookups() as uow:
            return uow.people.known_profile(ref)

    def meet(self, actor: Actor) -> PersonRecord:
        """Keep what the platform says of the person (name, email, language), creating them on first contact."""
        with self._uow() as uow:
            person = self._ensure(uow, actor)
            uow.commit()
        return person

    def needs_force(self, actor: Actor) -> bool:
        """True when neither the person nor their whole organisation has a force yet."""
        with self._uow() as uow:
            person = uow.people.ensure(actor.ref, display_name=actor.display_name, at=datetime.now(UTC))
            mapped = uow.people.tenant_force(actor.ref.platform, actor.ref.tenant)
            uow.commit()
        return person.force_slug is None and mapped is None

    def remember_force(self, actor: Actor, slug: str) -> None:
        """A force suggested from the person's profile; one they already have is never overridden."""
        with self._uow() as uow:
            person = uow.people.ensure(actor.ref, at=datetime.now(UTC))
            if person.force_slug is None:
                uow.people.set_force(person.person_id, slug)
            uow.commit()

    # --- the draft, edited in a box ----------------------------------------------------------------------

    @staticmethod
    def asks_to_edit(action_id: str, value: str) -> bool:
        """Whether a click could open an edit box (``edit_form``), known without reading anything: most
        clicks are answers, and an adapter need not look further (nor leave the event loop) for them."""
        return action_id == EDIT_FIELD and value.rpartition("|")[2] in TEXT_FIELDS

    def edit_form(self, ref: PersonRef, action_id: str, value: str) -> EditForm | None:
        """The edit box a click opens, when the click asked to edit a text field and the conversation is
        waiting for exactly that (else None: the question in the chat still stands)."""
        if not self.asks_to_edit(action_id, value):
            return None
        field = value.rpartition("|")[2]
        state, draft = self._conversation(ref)
        if state is not State.AWAITING_EDIT or draft is None or draft.editing != field:
            return None
        limit = self._limits.max_message_chars
        return EditForm(draft.draft_id, field, str(getattr(draft, field))[:limit], limit)

    def edit_answer(self, event_id: str, actor: Actor, draft_id: str, field: str, text: str,
                    at: datetime) -> Event:
        """What an edit box sent back means: the answer to the open question, or (when the conversation
        moved on) the click again, so the core says so and changes nothing."""
        state, draft = self._conversation(actor.ref)
        if state is State.AWAITING_EDIT and draft is not None and draft.draft_id == draft_id \
                and draft.editing == field:
            return Message(event_id, actor, text, at)
        return Action(event_id, actor, EDIT_FIELD, f"{draft_id}|{field}", at)

    def shared_message(self, event_id: str, actor: Actor, text: str, at: datetime) -> Event:
        """A message shared to the bot becomes a new draft; mid-capture the core says to finish the current
        one first (the shared text must not be taken as the answer to whatever question is open)."""
        state, _ = self._conversation(actor.ref)
        return Message(event_id, actor, text, at) if state is State.IDLE else \
            Action(event_id, actor, "capture.start", "", at)

    def _conversation(self, ref: PersonRef) -> tuple[State, Draft | None]:
        with self._uow() as uow:
            record = uow.conversations.get(ref)
        if record is None:
            return State.IDLE, None
        return State(record.state), Draft.from_json(record.draft) if record.draft else None

    # --- pointers to the private chat ------------------------------------------------------------------

    def point_to_private_chat(self, where: Address, locale: str, dedupe_key: str, *, key: str = "pointer.direct_chat",
                              only_for: str = "", start_at: Address | None = None, start_key: str = "") -> None:
        """One polite line where the person wrote (shown to ``only_for`` alone when given), and with
        ``start_at`` a way to start sharing there. Dedupe keys make a retried request a no-op."""
        t = Translator(locale)
        now = datetime.now(UTC)
        with self._uow() as uow:
            if start_at is not None:
                start: list[Reply] = [Text(t("mention.prompt")),
                                      Card(t("help.start_title"), buttons=(
                                          Button("capture.start", "", t("button.start"), ButtonStyle.PRIMARY),))]
                uow.outbox.enqueue_replies(start_at, [reply_to_json(r) for r in start],
                                           dedupe_key=start_key or f"{dedupe_key}:start", at=now)
            if where.target:
                payload: dict[str, object] = {"replies": [reply_to_json(Text(t(key)))]}
                if only_for:
                    payload["user"] = only_for
                uow.outbox.enqueue(OutboxMessage(where.platform, where.tenant, where.target, dict(payload),
                                                 thread=where.thread, kind="ephemeral" if only_for else "post",
                                                 dedupe_key=dedupe_key), now)
            uow.commit()

    # --- a card, once answered --------------------------------------------------------------------------

    def sent(self, outbox_id: int) -> SentMessage | None:
        """Outbox message ``outbox_id`` once delivered, with what the platform answered (for an update)."""
        with self._uow() as uow:
            return uow.outbox.sent(outbox_id)

    def sent_card(self, outbox_id: int, platform: str, conversation_id: str) -> list[Reply]:
        """What the bot sent as outbox message ``outbox_id``, if it sent it into this very conversation
        (the id comes from the client, so nothing else is shown)."""
        sent = self.sent(outbox_id)
        if sent is None or sent.platform != platform or sent.result.get("conversation_id") != conversation_id:
            return []
        return [reply_from_json(r) for r in sent.payload.get("replies", [])]

    def replace_card(self, where: Address, original_id: int, replies: Sequence[Reply], dedupe_key: str) -> None:
        """Queue the redrawn card in place of what outbox message ``original_id`` posted."""
        with self._uow() as uow:
            uow.outbox.enqueue_replies(where, [reply_to_json(r) for r in replies], dedupe_key=dedupe_key,
                                       at=datetime.now(UTC), kind="update", original_id=original_id)
            uow.commit()

    # --- the home page ---------------------------------------------------------------------------------

    def home(self, actor: Actor, query: str = "") -> Home:
        """The person's own ideas; for brokers and reviewers what waits for their decision; and the
        catalogue's answer to ``query`` when there is one, in the person's language (``Home.locale``)."""
        with self._uow() as uow:
            person = self._ensure(uow, actor)
            t = Translator(person.locale)
            ideas = uow.ideas.for_person(person.person_id)
            deciding = bool(uow.reviews.grants(person.person_id))
            queue = self._review.queue(uow, person, t) if deciding else []
            uow.commit()
        results: list[Reply] = []
        if query and self._finder is not None:
            results = views.search_results(t, query[:80], self._finder.search(query, 5))
        return Home(tuple(ideas), tuple(queue), tuple(results), t.locale)

    @staticmethod
    def _ensure(uow: UnitOfWork, actor: Actor) -> PersonRecord:
        return uow.people.ensure(actor.ref, display_name=actor.display_name, email=actor.email,
                                 locale=actor.locale, at=datetime.now(UTC),
                                 profile_checked_at=actor.profile_checked_at)
