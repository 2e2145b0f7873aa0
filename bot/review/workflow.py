"""The review workflow as steps run inside the caller's unit of work.

Routing a new idea to its force's brokers, a decision click (authorised, compare-and-set, audited),
telling the submitter, updating every copy of the card, and the national team's queue. Nothing here
sends anything: messages are queued in the outbox with the change, and leave after the commit.

Everything queued for someone is rendered in *their* language (``Recipient.locale``), not in the
language of whoever caused it: a Welsh-speaking broker gets a Welsh card for an English officer's idea.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.codec import reply_to_json
from bot.conversation import views
from bot.conversation.types import SimilarFinder
from bot.domain import Role, Status
from bot.events import Action
from bot.i18n import Translator
from bot.matching import Match, MatchKind
from bot.ports import Address, PersonRecord, Recipient, UnitOfWork
from bot.replies import Field, Form, Reply, Text
from bot.review import cards, share_check
from bot.review.cards import DecisionMade, IdeaForReview
from bot.review.policy import MAX_REASON_CHARS, RULES, Decision, Grant, allowed_from, may_decide

CATALOGUE_STATUSES = frozenset({Status.APPROVED_NETWORK, Status.NATIONAL_REVIEW, Status.NATIONAL_DISSEMINATION,
                                Status.NATIONAL_TESTING})
_DECISION_BY_STATUS = {rule.to.value: d for d, rule in RULES.items()}


@dataclass
class ReviewResult:
    replies: list[Reply]
    catalogue_add: list[int] = field(default_factory=list)
    info_requested_from: Recipient | None = None
    idea_id: int | None = None
    refused: bool = False  # nothing changed: not allowed, out of date, or missing a reason


def with_flags(idea: IdeaForReview, t: Translator | None = None) -> IdeaForReview:
    """The idea with what the sensitivity check finds in it, for the broker to see and confirm."""
    return replace(idea, flags=views.sensitivity_summary(t or Translator(), idea.text))



class ReviewWorkflow:
    def __init__(self, finder: SimilarFinder | None = None) -> None:
        self.finder = finder

    # --- a new idea ------------------------------------------------------------------------------

    def route_new_idea(self, uow: UnitOfWork, idea_id: int, submitter: PersonRecord, at: datetime,
                       t: Translator) -> tuple[list[str], bool]:
        """Send the idea's card to whoever must decide. Returns (broker names, went to national team)."""
        idea = self._with_similar(uow.reviews.load(idea_id), t)
        if idea is None:
            return [], False
        brokers = [b for b in uow.reviews.people_with_role(Role.BROKER, idea.force_slug)
                   if b.person_id != submitter.person_id]
        if brokers:
            for broker in brokers:
                self._send_card(uow, idea, broker, at, t, "review.new_for_broker", national=False)
            return [b.display_name for b in brokers], False
        national = self._national_team(uow, exclude=submitter.person_id)
        for person in national:
            self._send_card(uow, idea, person, at, t, "review.new_for_national", national=False)
        for admin in uow.reviews.people_with_role(Role.ADMIN):
            if admin.person_id != submitter.person_id:
                said = Translator(admin.locale)("review.admins_no_broker", force=idea.force_name, ref=idea.idea_id)
                self._tell(uow, admin, [Text(said)],
                           at, f"no-broker:{idea.idea_id}:{admin.person_id}")
        return [], True

    def _with_similar(self, idea: IdeaForReview | None, t: Translator) -> IdeaForReview | None:
        if idea is None:
            return None
        idea = with_flags(idea, t)
        if self.finder is None:
            return idea
        matches = self.finder.match(f"{idea.title}. {idea.description} {idea.problem}", 3, exclude=(idea.idea_id,))
        # The same one-line summary the officer sees (what, which force, how far along), then why.
        return replace(idea, similar=self._similar_lines(t, matches), matches=tuple(matches))

    @staticmethod
    def _similar_lines(t: Translator, matches: Sequence[Match]) -> tuple[str, ...]:
        return tuple(f"{m.entry.title}: {views.match_line(t, m)}"
                     + (f" — {t('review.likely_duplicate')}" if m.kind is MatchKind.LIKELY_DUPLICATE else "")
                     for m in matches)

    @classmethod
    def _in_language_of(cls, idea: IdeaForReview, to: Recipient) -> tuple[IdeaForReview, Translator]:
        """The idea with its card words (sensitivity flags, similar work) in the recipient's language."""
        t = Translator(to.locale)
        if idea.matches:
            idea = replace(idea, similar=cls._similar_lines(t, idea.matches))
        return with_flags(idea, t), t

    def _national_team(self, uow: UnitOfWork, exclude: int | None = None) -> list[Recipient]:
        seen: dict[int, Recipient] = {}
        for role in (Role.REVIEWER, Role.ADMIN):
            for person in uow.reviews.people_with_role(role):
                if person.person_id != exclude:
                    seen.setdefault(person.person_id, person)
        return list(seen.values())

    def _send_card(self, uow: UnitOfWork, idea: IdeaForReview, to: Recipient, at: datetime, t: Translator,
                   notice_key: str, *, national: bool, **params: object) -> bool:
        """Queue the card for ``to``; False when that very card was already queued (nothing sent)."""
        idea, t = self._in_language_of(idea, to)
        replies: list[Reply] = [cards.new_idea_notice(t, idea, notice_key, **params),
                                cards.review_card(t, idea, national=national)]
        outbox_id = uow.outbox.enqueue_replies(to.dm, [reply_to_json(r) for r in replies],
                                               dedupe_key=f"card:{idea.idea_id}:{idea.version}:{to.person_id}",
                                               at=at, kind="dm")
        if outbox_id is None:
            return False
        uow.reviews.record_card(idea.idea_id, to.person_id, outbox_id)
        return True

    def _tell(self, uow: UnitOfWork, to: Recipient, replies: Sequence[Reply], at: datetime, key: str) -> None:
        uow.outbox.enqueue_replies(to.dm, [reply_to_json(r) for r in replies], dedupe_key=key, at=at, kind="dm")

    # --- a decision ------------------------------------------------------------------------------

    def decide(self, uow: UnitOfWork, event: Action, person: PersonRecord, t: Translator) -> ReviewResult:
        try:
            decision = Decision(event.action_id.removeprefix("review."))
        except ValueError:
            return ReviewResult([Text(t("action.unknown"))], refused=True)
        parsed = share_check.parse_value(event.value)
        if parsed is None:
            return ReviewResult([Text(t("action.unknown"))], refused=True)
        idea_id, version, choice = parsed
        loaded = uow.reviews.load(idea_id)
        if loaded is None or loaded.status is Status.WITHDRAWN:
            return ReviewResult([Text(t("review.not_found", ref=idea_id))], refused=True)
        idea = with_flags(loaded, t)
        submitter = uow.reviews.submitter(idea_id)
        grants = uow.reviews.grants(person.person_id)
        is_submitter = submitter is not None and submitter.person_id == person.person_id
        if not may_decide(grants, decision, idea.force_slug, is_submitter=is_submitter):
            key = "review.own_idea" if is_submitter else "review.not_allowed"
            return ReviewResult([Text(t(key, force=idea.force_name))], refused=True)
        if idea.version != version or not allowed_from(decision, idea.status):
            return ReviewResult([self._already(uow, idea, t)], refused=True)
        reason = event.text.strip()
        rule = RULES[decision]
        decider = person.display_name  # "" for an unnamed person: the cards word them, never by id
        confirmed: share_check.Confirmed | None = None
        if share_check.needs_confirmation(decision, idea):
            if choice is None:  # the first click: show each flagged item and the two ways on
                return ReviewResult([Text(t("share.choose", ref=idea_id)), share_check.check_card(t, idea, decision)])
            checked = share_check.confirm(t, idea, decision, choice, event.inputs,
                                          decider or t("person.unnamed_decider"))
            if isinstance(checked, Text):
                return ReviewResult([checked])
            confirmed, reason = checked, checked.audit_reason
        if cards.needs_reason(decision, idea) and not reason:
            return ReviewResult([Text(t("review.reason_needed"))], refused=True)
        # (A confirmed answer's own words were measured by share_check; its audit line adds a preamble.)
        if confirmed is None and len(reason) > MAX_REASON_CHARS:
            return ReviewResult([Text(t("review.reason_too_long", length=len(reason), limit=MAX_REASON_CHARS))],
                                refused=True)
        edits = confirmed.edits if confirmed else {}
        as_is = confirmed.shared_as_is.value if confirmed and confirmed.shared_as_is else None
        if not uow.reviews.decide(idea_id, expected_version=version, from_status=idea.status.value,
                                  to_status=rule.to.value, actor_id=person.person_id, reason=reason, at=event.at,
                                  edits=edits, shared_as_is=as_is):
            return ReviewResult([self._already(uow, idea, t)], refused=True)

        made = DecisionMade(decision, decider, reason, event.at.date().isoformat())
        decided = with_flags(replace(idea, status=rule.to, version=version + 1, shared_as_is=as_is or idea.shared_as_is,
                                     title=edits.get("title", idea.title),
                                     description=edits.get("description", idea.description),
                                     problem=edits.get("problem", idea.problem)), t)
        self._update_cards(uow, decided, made, event.at, t)
        status = t(f"status.phrase.{rule.to.value}")
        done = t(confirmed.done, ref=idea_id, status=status, **confirmed.done_params) if confirmed else \
            t("review.done", ref=idea_id, status=status)
        result = ReviewResult([Text(done)], idea_id=idea_id)
        if submitter is not None:
            # The officer never reads a "Share as it is" reason: it is for brokers, reviewers and the audit.
            told = replace(made, reason="") if confirmed else made
            shown, told_t = self._in_language_of(decided, submitter)  # in the officer's language
            replies = cards.tell_submitter(told_t, shown, told)
            if confirmed and confirmed.edits:  # in the officer's language, like the rest of the news
                replies.append(Text(share_check.told_officer(told_t, idea, confirmed.edits, decider)))
            self._tell(uow, submitter, replies, event.at, f"told:{idea_id}:{version + 1}")
            if decision is Decision.ASK_INFO:
                result.info_requested_from = submitter
        if rule.to in (Status.APPROVED_NETWORK, Status.NATIONAL_REVIEW):
            for reviewer in self._national_team(uow, exclude=person.person_id):
                self._send_card(uow, decided, reviewer, event.at, t, "review.national_queue_card", national=True)
        if rule.to in CATALOGUE_STATUSES:
            result.catalogue_add.append(idea_id)
        return result

    def form(self, uow: UnitOfWork, event: Action, person: PersonRecord, t: Translator) -> Form | None:
        """The form a check card's button opens, for adapters that build it at click time (a modal).
        None when the click no longer needs one: the decision itself then says why."""
        try:
            decision = Decision(event.action_id.removeprefix("review."))
        except ValueError:
            return None
        parsed = share_check.parse_value(event.value)
        if parsed is None:
            return None
        idea_id, version, choice = parsed
        if choice is None:
            return None
        idea = uow.reviews.load(idea_id)
        if idea is None or idea.version != version or not share_check.needs_confirmation(decision, idea):
            return None
        submitter = uow.reviews.submitter(idea_id)
        is_submitter = submitter is not None and submitter.person_id == person.person_id
        if not may_decide(uow.reviews.grants(person.person_id), decision, idea.force_slug, is_submitter=is_submitter):
            return None  # the click goes through and is refused politely, showing nothing of the idea
        return share_check.form_for(t, idea, decision, choice)

    def _already(self, uow: UnitOfWork, idea: IdeaForReview, t: Translator) -> Reply:
        last = uow.reviews.last_decision(idea.idea_id)
        made = None
        if last is not None and last[0] in _DECISION_BY_STATUS:
            made = DecisionMade(_DECISION_BY_STATUS[last[0]], last[1], last[2], last[3])
        return cards.already_decided(t, idea.idea_id, made, idea.status)

    def _update_cards(self, uow: UnitOfWork, idea: IdeaForReview, made: DecisionMade, at: datetime,
                      t: Translator) -> None:
        for outbox_id, recipient in uow.reviews.cards(idea.idea_id):
            shown, their_t = self._in_language_of(idea, recipient)
            card = reply_to_json(cards.decided_card(their_t, shown, made))
            uow.outbox.enqueue_replies(recipient.dm, [card], dedupe_key=f"update:{outbox_id}:{idea.version}",
                                       at=at, kind="update", original_id=outbox_id)

    # --- the officer answers a question ----------------------------------------------------------

    def provide_info(self, uow: UnitOfWork, idea_id: int, text: str, person: PersonRecord, at: datetime,
                     t: Translator) -> list[Reply]:
        idea = self._with_similar(uow.reviews.load(idea_id), t)
        if idea is None or idea.status is not Status.NEEDS_INFO:
            return [Text(t("action.stale"))]
        uow.reviews.decide(idea_id, expected_version=idea.version, from_status=Status.NEEDS_INFO.value,
                           to_status=Status.SUBMITTED.value, actor_id=person.person_id, reason=text, at=at)
        reopened = with_flags(replace(idea, status=Status.SUBMITTED, version=idea.version + 1, more_info=text), t)
        deciders = {r.person_id: r for _, r in uow.reviews.cards(idea_id)}
        for recipient in deciders.values():
            shown, their_t = self._in_language_of(reopened, recipient)
            replies: list[Reply] = [Text(their_t("review.info.received", ref=idea_id)), Text(text),
                                    cards.review_card(their_t, shown)]
            outbox_id = uow.outbox.enqueue_replies(
                recipient.dm, [reply_to_json(r) for r in replies],
                dedupe_key=f"info:{idea_id}:{reopened.version}:{recipient.person_id}", at=at, kind="dm")
            if outbox_id is not None:
                uow.reviews.record_card(idea_id, recipient.person_id, outbox_id)
        return [Text(t("review.info.thanks"))]

    def queue(self, uow: UnitOfWork, person: PersonRecord, t: Translator, *, send_to: Address | None = None,
              event_id: str = "", at: datetime | None = None) -> list[Reply]:
        """What waits for this person. With ``send_to``, each card goes in a message of its own, recorded
        like a routed card, so a decision (by anyone) updates it in place; the list itself is returned."""
        grants = uow.reviews.grants(person.person_id)
        national = any(g.role in (Role.REVIEWER, Role.ADMIN) for g in grants)
        ideas = [self._with_national_note(uow, with_flags(i, t), t) for i in uow.reviews.open_for(grants)]
        replies = cards.queue(t, ideas, national=national)
        if send_to is None or at is None or not ideas:
            return replies
        title, *queue_cards = replies
        for n, (idea, card) in enumerate(zip(ideas, queue_cards, strict=True)):
            message = [title, card] if n == 0 else [card]
            outbox_id = uow.outbox.enqueue_replies(send_to, [reply_to_json(r) for r in message],
                                                   dedupe_key=f"queue:{event_id}:{idea.idea_id}", at=at)
            if outbox_id is not None:
                uow.reviews.record_card(idea.idea_id, person.person_id, outbox_id)
        return []

    def welcome_broker(self, uow: UnitOfWork, broker: Recipient, force_slug: str, at: datetime,
                       t: Translator) -> None:
        """A broker set up for a force hears of its ideas that went to the national team meanwhile."""
        waiting = [i for i in uow.reviews.open_for([Grant(Role.BROKER, force_slug)])
                   if self._with_national_note(uow, i, t).notes]
        if waiting:
            notice = Text(t("review.broker_welcome", force=waiting[0].force_name, count=len(waiting)))
            self._tell(uow, broker, [notice], at, f"broker-welcome:{force_slug}:{broker.person_id}")

    def _with_national_note(self, uow: UnitOfWork, idea: IdeaForReview, t: Translator) -> IdeaForReview:
        """A broker's queue says when the idea went to the national team instead (no broker, or overdue)."""
        if idea.status not in (Status.SUBMITTED, Status.NEEDS_INFO):
            return idea
        for _, recipient in uow.reviews.cards(idea.idea_id):
            brokers_here = any(g.role is Role.BROKER and g.force_slug == idea.force_slug
                               for g in uow.reviews.grants(recipient.person_id))
            if not brokers_here:
                return replace(idea, notes=(*idea.notes, Field(t("review.went_national.label"),
                                                               t("review.went_national.value"))))
        return idea
