"""The broker's check before a flagged idea is approved or escalated: each item, then edit or share as is.

A click on *Approve for the network*, *Approve for local use* or *Escalate* for an idea whose shared text
(title, what it is, problem) holds flagged detail changes nothing: it answers with a card listing each
flagged item and two buttons, each opening a form —

* **Edit before sharing**: the flagged fields, with the detail already taken out, for the broker to
  rewrite; the officer is told what changed;
* **Share as it is**: a reason, required, seen by brokers, reviewers and the audit trail, never by the
  officer.

Button values carry ``idea_id:version:choice``, so an answer to an old card is caught like any click.
Pure: builds replies and checks answers; the workflow applies them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot import sensitivity, sharing
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Card, Field, Form, Input, Text
from bot.review.cards import IdeaForReview
from bot.review.policy import MAX_REASON_CHARS, Decision
from bot.sensitivity import Flag
from bot.sharing import SHARED_FIELDS, SharedAsIs

CONFIRM_DECISIONS = frozenset({Decision.APPROVE_NETWORK, Decision.APPROVE_LOCAL, Decision.ESCALATE})
BEYOND_FORCE = frozenset({Decision.APPROVE_NETWORK, Decision.ESCALATE})
FIELD_LIMITS = {"title": 300, "description": 4000, "problem": 4000}
_AUDIT = Translator()  # the audit trail is kept in one language, whoever decided


class Choice(enum.StrEnum):
    EDIT = "edit"
    AS_IS = "as-is"


def flags_by_field(idea: IdeaForReview) -> dict[str, tuple[Flag, ...]]:
    """The flags in each field that travels beyond the force (fields with none are left out)."""
    found = {name: sensitivity.check(getattr(idea, name)) for name in SHARED_FIELDS}
    return {name: flags for name, flags in found.items() if flags}


def needs_confirmation(decision: Decision, idea: IdeaForReview) -> bool:
    if decision not in CONFIRM_DECISIONS or not flags_by_field(idea):
        return False
    if idea.shared_as_is == SharedAsIs.NETWORK.value:
        return False  # already confirmed for the widest audience
    # Shared as it is for local use only: going beyond the force asks again.
    return not (idea.shared_as_is == SharedAsIs.LOCAL.value and decision not in BEYOND_FORCE)


def parse_value(value: str) -> tuple[int, int, Choice | None] | None:
    """``idea:version`` (the review card) or ``idea:version:choice`` (the check card)."""
    parts = value.split(":")
    if len(value) > 60 or len(parts) not in (2, 3) or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    choice = None
    if len(parts) == 3:
        try:
            choice = Choice(parts[2])
        except ValueError:
            return None
    return int(parts[0]), int(parts[1]), choice


def summary(t: Translator, flags: Mapping[str, tuple[Flag, ...]]) -> str:
    items = dict.fromkeys(t("sensitivity.item", kind=t(f"sensitivity.kind.{f.kind.value}"), text=f.text[:40])
                          for fs in flags.values() for f in fs)
    return "; ".join(list(items)[:8])


def _kinds(t: Translator, flags: Mapping[str, tuple[Flag, ...]]) -> str:
    kinds = sensitivity.kinds(tuple(f for fs in flags.values() for f in fs))
    return ", ".join(t(f"sensitivity.kind.{k.value}") for k in kinds)


def _outcome(t: Translator, decision: Decision) -> str:
    return t(f"review.outcome.{decision.value}")


def edit_form(t: Translator, idea: IdeaForReview, decision: Decision) -> Form:
    flags = flags_by_field(idea)
    inputs = [Input(name, t(f"field.{name}"), sharing.mask(getattr(idea, name), t, flags[name]),
                    multiline=name != "title", required=True, max_chars=FIELD_LIMITS[name])
              for name in SHARED_FIELDS if name in flags]
    inputs.append(Input("note", t("share.edit.note"), max_chars=MAX_REASON_CHARS))
    return Form(t("share.edit.title"), t("share.edit.intro", outcome=_outcome(t, decision)), tuple(inputs),
                t(f"review.button.{decision.value}"))


def as_is_form(t: Translator, idea: IdeaForReview, decision: Decision) -> Form:
    return Form(t("share.as_is.title"),
                t("share.as_is.intro", found=summary(t, flags_by_field(idea)), outcome=_outcome(t, decision)),
                (Input("reason", t("share.as_is.reason"), required=True, max_chars=MAX_REASON_CHARS),),
                t(f"review.button.{decision.value}"))


def form_for(t: Translator, idea: IdeaForReview, decision: Decision, choice: Choice) -> Form:
    return edit_form(t, idea, decision) if choice is Choice.EDIT else as_is_form(t, idea, decision)


def check_card(t: Translator, idea: IdeaForReview, decision: Decision) -> Card:
    """Each flagged item, field by field, and the two ways on."""
    flags = flags_by_field(idea)
    fields = tuple(
        Field(t("share.check.item_label", field=t(f"field.{name}")),
              "\n".join(dict.fromkeys(t("share.check.item", kind=t(f"sensitivity.kind.{f.kind.value}"), text=f.text)
                                      for f in found)))
        for name, found in flags.items())
    value = f"{idea.idea_id}:{idea.version}"
    buttons = tuple(Button(f"review.{decision.value}", f"{value}:{choice.value}", t(f"share.button.{key}"), style,
                           form=form_for(t, idea, decision, choice))
                    for choice, key, style in ((Choice.EDIT, "edit", ButtonStyle.PRIMARY),
                                               (Choice.AS_IS, "as_is", ButtonStyle.DEFAULT)))
    return Card(t("share.check.title", ref=idea.idea_id, title=idea.title), fields,
                body=t("share.check.body", outcome=_outcome(t, decision)), note=t("share.check.note"),
                buttons=buttons, kind="share-check", extra={"idea_id": str(idea.idea_id)})


@dataclass
class Confirmed:
    """What a valid answer means: the audit trail's reason, the edits, the choice and who is told what."""

    audit_reason: str
    done: str  # the broker's confirmation line (without the status), a message key
    done_params: dict[str, object] = field(default_factory=dict)
    edits: dict[str, str] = field(default_factory=dict)
    shared_as_is: SharedAsIs | None = None


def confirm(t: Translator, idea: IdeaForReview, decision: Decision, choice: Choice,
            inputs: Mapping[str, str], decider: str) -> Confirmed | Text:
    """Check the broker's answer to a form; a ``Text`` is a polite refusal that changes nothing."""
    flags = flags_by_field(idea)
    found = summary(t, flags)
    if choice is Choice.AS_IS:
        reason = str(inputs.get("reason", "")).strip()
        if not reason:
            return Text(t("share.reason_needed", ref=idea.idea_id))
        if len(reason) > MAX_REASON_CHARS:
            return Text(t("review.reason_too_long", length=len(reason), limit=MAX_REASON_CHARS))
        scope = SharedAsIs.NETWORK if decision in BEYOND_FORCE else SharedAsIs.LOCAL
        audit = _AUDIT("share.audit.as_is", scope=_AUDIT(f"share.scope.{scope.value}"),
                       found=summary(_AUDIT, flags), reason=reason)
        return Confirmed(audit, "share.done_as_is", shared_as_is=scope)
    edits: dict[str, str] = {}
    for name in flags:
        text = str(inputs.get(name, "")).strip()
        label = t(f"field.{name}")
        if not text:
            return Text(t("share.field_empty", field=label))
        if len(text) > FIELD_LIMITS[name]:
            return Text(t("share.field_too_long", field=label, length=len(text), limit=FIELD_LIMITS[name]))
        if text != getattr(idea, name):
            edits[name] = text
    if not edits:  # the broker put the detail back word for word: that is sharing it as is, without a reason
        return Text(t("share.no_change", found=found))
    note = str(inputs.get("note", "")).strip()[:MAX_REASON_CHARS]
    names = ", ".join(_AUDIT(f"field.{n}") for n in edits)
    audit = _AUDIT("share.audit.edited_note" if note else "share.audit.edited", fields=names,
                   found=summary(_AUDIT, flags), note=note)
    left = {name: sensitivity.check(edits.get(name, getattr(idea, name))) for name in SHARED_FIELDS}
    left = {name: fs for name, fs in left.items() if fs}
    if left:
        return Confirmed(audit, "share.done_edited_masked", {"found": summary(t, left)}, edits, None)
    return Confirmed(audit, "share.done_edited", {}, edits, None)


def told_officer(t: Translator, idea: IdeaForReview, edits: Mapping[str, str], decider: str) -> str:
    """What the officer is told about the broker's edits, in the officer's language (``t``): what was taken
    out and how each field now reads. ``idea`` is the idea as the broker saw it, before the edits."""
    lines = [t("share.told.edited", name=decider or t("person.unnamed_decider"), ref=idea.idea_id,
               found=_kinds(t, flags_by_field(idea)))]
    lines += [t("share.told.field", field=t(f"field.{name}"), text=text) for name, text in edits.items()]
    return "\n".join(lines)
