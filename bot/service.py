"""The service layer: one inbound event, through the core, inside one unit of work.

Every adapter (Slack, Teams, the playground, the console) calls ``ConversationService.handle``.
It makes two promises the platforms need:

* the same event id twice gives one effect and one set of replies (the id is claimed in the same
  transaction as the effect, so a platform retry finds it taken and gets no replies);
* two messages racing in one conversation never corrupt it (the conversation row carries a version;
  the loser of the race is retried on fresh state, and told to resend if it keeps losing).

Review clicks (``review.*`` actions) go to the review workflow in the same unit of work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot import admin, connect
from bot.admin_service import carry_out
from bot.codec import reply_to_json
from bot.conversation import (
    AdminCommand,
    Context,
    Draft,
    Limits,
    ProvideInfo,
    SetLanguage,
    ShowMyData,
    ShowMyIdeas,
    ShowQueue,
    State,
    SubmitDraft,
    Withdraw,
    step,
    views,
)
from bot.conversation.steps import prompt
from bot.conversation.types import Effect, SimilarFinder
from bot.domain import Force, Role, Stage, Theme
from bot.events import Action, Event
from bot.i18n import LANGUAGES, Translator, language_of
from bot.matching import MatchKind
from bot.ports import Address, ConcurrentUpdate, NewIdea, PersonRecord, Recipient, UnitOfWork
from bot.replies import Form, Reply, Text
from bot.review.workflow import ReviewWorkflow

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 3


@dataclass(frozen=True)
class Handled:
    replies: tuple[Reply, ...]
    duplicate: bool = False
    submitted_idea_id: int | None = None
    # Ideas that entered or left the catalogue: the matcher learns of them once the change is committed.
    catalogue_changed: tuple[int, ...] = field(default_factory=tuple)
    # The click was refused or came too late: nothing changed, and no adapter may show it as done.
    refused: bool = False
    # The language to use with the person after this event: the one they chose with us, else their
    # platform's ("" for a duplicate). An adapter's own words after the turn (a pointer, a card marked as
    # answered) follow it, so it need not look the person up again.
    locale: str = ""


class ConversationService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        *,
        forces: Sequence[Force],
        themes: Sequence[Theme],
        finder: SimilarFinder | None = None,
        limits: Limits | None = None,
        on_catalogue_change: Callable[[Sequence[int]], None] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self.forces = tuple(forces)
        self.themes = tuple(themes)
        self.finder = finder
        self.limits = limits or Limits()
        self.review = ReviewWorkflow(finder)
        # Platforms whose sender can open a conversation with several people (outbox kind "group"): an
        # adapter adds its own when it is mounted. "Connect me" introduces two people there.
        self.group_chats: set[str] = set()
        self._on_catalogue_change = on_catalogue_change

    def handle(self, event: Event, reply_to: Address | None = None) -> Handled:
        """Run one event. With ``reply_to``, the replies are also queued in the outbox in the same
        transaction as the change, so a crash can lose neither the change nor its answer."""
        for attempt in range(1, MAX_CONFLICT_RETRIES + 1):
            try:
                handled = self._handle_once(event, reply_to)
            except ConcurrentUpdate:
                log.info("conversation changed under event %s (attempt %d); retrying", event.event_id, attempt)
                continue
            if handled.catalogue_changed and self._on_catalogue_change is not None:
                self._on_catalogue_change(handled.catalogue_changed)
            return handled
        busy = (Text(Translator(event.actor.locale)("error.busy")),)
        if reply_to is not None:
            with self._uow_factory() as uow:
                uow.outbox.enqueue_replies(reply_to, [reply_to_json(r) for r in busy],
                                           dedupe_key=f"{event.event_id}:busy", at=event.at)
                uow.commit()
        return Handled(busy)

    def form_for(self, event: Action) -> Form | None:
        """The form a button opens, for an adapter that builds it when clicked (a modal). Reads only:
        the click itself is handled when the form comes back."""
        if not event.action_id.startswith("review."):
            return None
        with self._uow_factory() as uow:
            person = uow.people.ensure(event.actor.ref, display_name=event.actor.display_name,
                                       email=event.actor.email, locale=event.actor.locale, at=event.at)
            form = self.review.form(uow, event, person, Translator(person.locale))
            uow.commit()
        return form

    def _handle_once(self, event: Event, reply_to: Address | None) -> Handled:
        with self._uow_factory() as uow:
            if not uow.events.claim(event.event_id, event.at):
                return Handled((), duplicate=True)
            actor = event.actor
            person = uow.people.ensure(actor.ref, display_name=actor.display_name, email=actor.email,
                                       locale=actor.locale, at=event.at,
                                       profile_checked_at=actor.profile_checked_at)
            t = Translator(person.locale)
            if isinstance(event, Action) and event.action_id.startswith("language."):
                language = event.action_id.removeprefix("language.")
                handled = Handled(tuple(self._choose_language(uow, event, person, language)),
                                  locale=language if language in LANGUAGES else "")
            elif isinstance(event, Action) and event.action_id.startswith("connect."):
                handled = Handled(tuple(connect.handle(uow, uow.connections, event, person, t,
                                                          group_chats=self.group_chats)))
            elif isinstance(event, Action) and event.action_id.startswith("review."):
                result = self.review.decide(uow, event, person, t)
                if result.info_requested_from is not None and result.idea_id is not None:
                    self._await_info(uow, result.info_requested_from, result.idea_id, event)
                handled = Handled(tuple(result.replies), catalogue_changed=tuple(result.catalogue_add),
                                  refused=result.refused)
            else:
                handled = self._converse(uow, event, person, t, reply_to)
            if not handled.locale:
                handled = replace(handled, locale=t.locale)
            if reply_to is not None and handled.replies:
                uow.outbox.enqueue_replies(reply_to, [reply_to_json(r) for r in handled.replies],
                                           dedupe_key=f"{event.event_id}:replies", at=event.at)
            uow.commit()
            return handled

    def _context(self, uow: UnitOfWork, event: Event, person: PersonRecord, t: Translator,
                 last_activity: datetime | None) -> Context:
        force = person.force_slug or uow.people.tenant_force(event.actor.ref.platform, event.actor.ref.tenant)
        return Context(
            now=event.at, translate=t, forces=self.forces, themes=self.themes, person_force=force,
            person_name=person.display_name, last_activity=last_activity, finder=self.finder, limits=self.limits,
        )

    def _choose_language(self, uow: UnitOfWork, event: Event, person: PersonRecord, language: str) -> list[Reply]:
        """Keep the person's choice, say so in the chosen language, and ask the current question again in it."""
        if language not in LANGUAGES:
            return [Text(Translator(person.locale)("action.unknown"))]
        uow.people.set_locale(person.person_id, language, "chosen")
        t = Translator(language)
        record = uow.conversations.get(event.actor.ref)
        if record is None:
            return [Text(t("language.set"))]
        draft = Draft.from_json(record.draft) if record.draft else None
        ctx = self._context(uow, event, person, t, record.updated_at)
        return [Text(t("language.set")), *prompt(State(record.state), draft, ctx, resume=True)]

    def _language_offer(self, uow: UnitOfWork, person: PersonRecord, force: str | None, t: Translator) -> list[Reply]:
        """On first contact, someone in a force in Wales whose platform did not say Welsh is offered the choice
        (the Welsh Language Standards: Welsh is offered, not waited for). Offered once; it is theirs after."""
        if person.locale_source != "platform" or language_of(person.locale) == "cy":
            return []
        if not any(f.slug == force and f.in_wales for f in self.forces):
            return []
        uow.people.set_locale(person.person_id, person.locale, "offered")
        return [views.language_choice(t, "language.offer")]

    def _converse(self, uow: UnitOfWork, event: Event, person: PersonRecord, t: Translator,
                  reply_to: Address | None = None) -> Handled:
        actor = event.actor
        record = uow.conversations.get(actor.ref)
        state = State(record.state) if record else State.IDLE
        draft = Draft.from_json(record.draft) if record and record.draft else None
        ctx = self._context(uow, event, person, t, record.updated_at if record else None)
        outcome = step(state, draft, event, ctx)
        chosen = next((e.language for e in outcome.effects if isinstance(e, SetLanguage)), None)
        offer = [] if chosen else self._language_offer(uow, person, ctx.person_force, t)
        effect_replies: list[Reply] = [*offer]
        submitted: int | None = None
        changed: list[int] = []
        for effect in outcome.effects:
            if isinstance(effect, SetLanguage):
                uow.people.set_locale(person.person_id, effect.language, "chosen")
                t = Translator(effect.language)
                effect_replies.append(Text(t("language.set")))
                effect_replies.extend(prompt(outcome.state, outcome.draft, replace(ctx, translate=t), resume=True))
                continue
            if isinstance(effect, Withdraw):
                effect_replies.append(self._withdraw(uow, effect.idea_id, person, event, t, changed))
                continue
            replies, idea_id = self._run_effect(uow, effect, person, event, t, reply_to)
            effect_replies.extend(replies)
            submitted = idea_id or submitted
        uow.conversations.save(
            actor.ref, outcome.state.value, outcome.draft.to_json() if outcome.draft else None,
            expected_version=record.version if record else None, at=event.at,
        )
        return Handled((*effect_replies, *outcome.replies), submitted_idea_id=submitted,
                       catalogue_changed=tuple(changed), refused=outcome.refused, locale=t.locale)

    def _withdraw(self, uow: UnitOfWork, idea_id: int, person: PersonRecord, event: Event, t: Translator,
                  changed: list[int]) -> Reply:
        outcome = uow.data_rights.withdraw(idea_id, person.person_id, event.at)
        if outcome == "withdrawn":
            changed.append(idea_id)
            return Text(t("withdraw.done", ref=idea_id))
        return Text(t("withdraw.already" if outcome == "already" else "withdraw.not_yours", ref=idea_id))

    def _run_effect(self, uow: UnitOfWork, effect: Effect, person: PersonRecord, event: Event,
                    t: Translator, reply_to: Address | None = None) -> tuple[list[Reply], int | None]:
        if isinstance(effect, ShowMyIdeas):
            return views.my_ideas(t, uow.ideas.for_person(person.person_id), effect.in_progress), None
        if isinstance(effect, ShowQueue):
            return self.review.queue(uow, person, t, send_to=reply_to, event_id=event.event_id, at=event.at), None
        if isinstance(effect, ProvideInfo):
            return self.review.provide_info(uow, effect.idea_id, effect.text, person, event.at, t), None
        if isinstance(effect, ShowMyData):
            return views.my_data(t, uow.data_rights.my_data(person.person_id)), None
        if isinstance(effect, AdminCommand):
            return [Text(self._admin(uow, effect.text, person, event, t))], None
        assert isinstance(effect, SubmitDraft)
        draft = effect.draft
        if person.force_slug is None:
            uow.people.set_force(person.person_id, draft.force)
        idea_id = uow.ideas.submit(NewIdea(
            title=draft.title, description=draft.description, problem=draft.problem,
            stage=draft.stage or Stage.IDEA.value, theme_slug=draft.theme or None, force_slug=draft.force,
            submitter_id=person.person_id, submitted_at=event.at, visibility=draft.visibility,
        ))
        if self.finder is not None:
            matches = self.finder.match(f"{draft.title}. {draft.description} {draft.problem}", 3)
            uow.ideas.flag_duplicates(idea_id, [(m.entry.idea_id, m.score) for m in matches
                                                if m.kind is MatchKind.LIKELY_DUPLICATE], event.at)
        force_name = next((f.name_in(t.locale) for f in self.forces if f.slug == draft.force), draft.force)
        brokers, _national = self.review.route_new_idea(uow, idea_id, person, event.at, t)
        return views.submitted(t, idea_id, force_name, brokers), idea_id

    def _admin(self, uow: UnitOfWork, text: str, person: PersonRecord, event: Event, t: Translator) -> str:
        if not any(g.role is Role.ADMIN for g in uow.reviews.grants(person.person_id)):
            return t("admin.not_allowed")
        try:
            op = admin.parse(text, {f.slug for f in self.forces})
            done = carry_out(uow, op, event.at, t)
        except admin.AdminError as exc:
            return exc.render(t)
        if isinstance(op, admin.GrantRole) and op.role is Role.BROKER and op.force:
            broker = uow.people.ensure(op.person, at=event.at)
            # The welcome goes to the new broker, so it is in their language, not the admin's.
            self.review.welcome_broker(uow, Recipient(broker.person_id, broker.ref, broker.display_name,
                                                      broker.locale), op.force, event.at, Translator(broker.locale))
        return done

    def _await_info(self, uow: UnitOfWork, submitter: Recipient, idea_id: int, event: Event) -> None:
        """Reopen the submitter's conversation so their next message answers the broker's question."""
        record = uow.conversations.get(submitter.ref)
        if record is not None and record.state != State.IDLE.value:
            return  # mid-way through something else: the message they got explains how to answer later
        draft = Draft(draft_id=f"info-{idea_id}", info_for=idea_id)
        uow.conversations.save(submitter.ref, State.AWAITING_INFO.value, draft.to_json(),
                               expected_version=record.version if record else None, at=event.at)
