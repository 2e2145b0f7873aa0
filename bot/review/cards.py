"""Cards and messages of the review workflow, built from plain data (no storage types)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain import Status
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Card, Field, Reply, Text
from bot.review.policy import RULES, Decision, open_decisions

if TYPE_CHECKING:
    from bot.matching import Match


@dataclass(frozen=True)
class IdeaForReview:
    idea_id: int
    version: int
    title: str
    description: str
    problem: str
    stage: str
    theme_name: str
    force_slug: str
    force_name: str
    status: Status
    submitter_name: str
    anonymous: bool
    submitted_on: str
    more_info: str = ""
    similar: tuple[str, ...] = field(default_factory=tuple)  # "title (force)" lines
    # The matches behind ``similar``, so each recipient's card words them in their own language.
    matches: tuple[Match, ...] = field(default_factory=tuple, compare=False)
    flags: str = ""  # what the sensitivity check found, readable; empty when nothing
    notes: tuple[Field, ...] = field(default_factory=tuple)  # extra lines for this reader (went national)
    shared_as_is: str = ""  # the broker's "Share as it is" choice (bot.sharing.SharedAsIs), "" when none

    @property
    def text(self) -> str:
        return "\n".join((self.title, self.description, self.problem, self.more_info))


@dataclass(frozen=True)
class DecisionMade:
    decision: Decision
    decider_name: str
    reason: str
    on: str  # ISO date


_STYLE = {Decision.APPROVE_NETWORK: ButtonStyle.PRIMARY, Decision.DECLINE: ButtonStyle.DANGER}


def review_value(idea: IdeaForReview) -> str:
    """Button values name the idea and the version the card showed: a click on an old card is caught."""
    return f"{idea.idea_id}:{idea.version}"


def _fields(t: Translator, idea: IdeaForReview) -> list[Field]:
    who = idea.submitter_name or t("review.unknown_submitter")
    if idea.anonymous:
        who = t("review.anonymous_to_peers", name=who)
    fields = [
        Field(t("field.description"), idea.description),
        Field(t("field.problem"), idea.problem or t("summary.not_set")),
        Field(t("field.stage"), t(f"stage.{idea.stage}") if t.has(f"stage.{idea.stage}") else idea.stage),
        Field(t("field.theme"), idea.theme_name or t("summary.not_set")),
        Field(t("field.force"), idea.force_name),
        Field(t("review.submitted_by"), f"{who} · {idea.submitted_on}"),
        Field(t("field.status"), t(f"status.{idea.status.value}")),
    ]
    if idea.more_info:
        fields.append(Field(t("review.more_info"), idea.more_info))
    if idea.similar:
        fields.append(Field(t("review.similar"), "\n".join(idea.similar)))
    if idea.flags:
        fields.append(Field(t("sensitivity.field"), t("sensitivity.broker_note", found=idea.flags,
                                                      force=idea.force_name)))
    fields.extend(idea.notes)
    return fields


def needs_reason(decision: Decision, idea: IdeaForReview) -> bool:
    """Ask and Decline always need a reason the officer reads. (Approving a flagged idea needs the broker's
    check instead: the click answers with ``share_check.check_card``.)"""
    return RULES[decision].needs_reason


def review_card(t: Translator, idea: IdeaForReview, *, national: bool = False) -> Card:
    buttons = tuple(
        Button(f"review.{d.value}", review_value(idea), t(f"review.button.{d.value}"),
               _STYLE.get(d, ButtonStyle.DEFAULT), needs_reason=needs_reason(d, idea))
        for d in open_decisions(idea.status, national=national)
    )
    return Card(f"#{idea.idea_id} {idea.title}", tuple(_fields(t, idea)), body=t("review.card_intro"),
                buttons=buttons, kind="review", extra={"idea_id": str(idea.idea_id)})


def _decider(t: Translator, made: DecisionMade) -> str:
    return made.decider_name or t("person.unnamed_decider")  # never an id in its place


def decided_card(t: Translator, idea: IdeaForReview, made: DecisionMade) -> Card:
    """The card as every broker sees it once someone has decided: the outcome and who, no buttons."""
    body = t("review.decided_by", outcome=t(f"review.outcome.{made.decision.value}"), name=_decider(t, made),
             date=made.on)
    fields = _fields(t, idea)
    if made.reason:
        fields.append(Field(t("review.reason"), made.reason))
    return Card(f"#{idea.idea_id} {idea.title}", tuple(fields), body=body, kind="review-decided",
                extra={"idea_id": str(idea.idea_id)})


def tell_submitter(t: Translator, idea: IdeaForReview, made: DecisionMade) -> list[Reply]:
    lines = [t("review.told.headline", ref=idea.idea_id, title=idea.title,
               outcome=t(f"review.outcome.{made.decision.value}"), name=_decider(t, made))]
    if made.reason:
        lines.append(t("review.told.reason", reason=made.reason))
    lines.append(t(f"review.next.{made.decision.value}"))
    return [Text("\n".join(lines))]


def new_idea_notice(t: Translator, idea: IdeaForReview, reason_key: str, **params: object) -> Text:
    return Text(t(reason_key, ref=idea.idea_id, force=idea.force_name, **params))


def already_decided(t: Translator, idea_id: int, made: DecisionMade | None, status: Status) -> Reply:
    if made is None:
        return Text(t("review.already_changed", ref=idea_id, status=t(f"status.phrase.{status.value}")))
    return Text(t("review.already_decided", ref=idea_id, name=_decider(t, made),
                  outcome=t(f"review.outcome.{made.decision.value}"), date=made.on))


def queue(t: Translator, ideas: Sequence[IdeaForReview], *, national: bool) -> list[Reply]:
    if not ideas:
        return [Text(t("review.queue.empty"))]
    return [Text(t("review.queue.title", count=len(ideas))),
            *(review_card(t, i, national=national) for i in ideas)]
