"""Who may see what in an export, and its columns (documented in docs/evidence.md).

Decided here, not by callers: submitters' email addresses only in an admin-level export; the Practice
Bank export (which leaves the network) carries a contact only with the officer's consent, never names
the submitter of an anonymous-to-peers idea, and has text that looks like personal or operational detail
replaced by a placeholder (``bot.sensitivity``), with what was removed listed.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import Status, Visibility
from bot.evidence.ports import DecisionRecord, IdeaRecord
from bot.i18n import Translator
from bot.metrics import CSV_COLUMNS as METRICS_COLUMNS
from bot.metrics import Metrics, metric_rows
from bot.sensitivity import check, kinds, redact
from bot.sharing import beyond_force


class Level(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Table:
    """Rows ready for either format; ``columns`` fixes the CSV header even when there are no rows."""

    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


# People read the labels ("Being tried"); machines use the codes in the *_code columns beside them.
IDEA_COLUMNS = ("id", "title", "description", "problem", "evidence", "stage", "stage_code", "theme_slug", "theme",
                "force_slug", "force", "status", "status_code", "source", "visibility", "contact_consent", "contact",
                "url", "submitter_id",
                "submitter_name", "submitter_email", "created_at", "submitted_at", "updated_at",
                "sensitivity_flags", "shared_as_is")
DECISION_COLUMNS = ("id", "idea_id", "idea_title", "actor_id", "actor_name", "from_status", "from_status_code",
                    "to_status", "to_status_code", "reason", "created_at")
PRACTICE_BANK_COLUMNS = ("reference", "title", "aim", "problem", "what_was_done", "stage_of_practice", "evidence",
                         "force", "theme", "contact", "url", "status", "sensitivity_flags")
# Shared beyond local sharing: what the national Practice Bank can take.
PRACTICE_BANK_STATUSES = (Status.APPROVED_NETWORK.value, Status.NATIONAL_REVIEW.value,
                          Status.NATIONAL_DISSEMINATION.value, Status.NATIONAL_TESTING.value)
# Drafts are the officer's own until submitted: never in an export.
NOT_EXPORTED = (Status.DRAFT.value,)
STAGE_LABELS = {"idea": "Idea", "being-tried": "Being tried", "evaluated-locally": "Evaluated locally",
                "independently-evaluated": "Independently evaluated"}

_t = Translator()


def stage_label(code: str) -> str:
    return _t(f"stage.{code}") if _t.has(f"stage.{code}") else code


def status_label(code: str) -> str:
    return _t(f"status.{code}") if _t.has(f"status.{code}") else code


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _flags(*texts: str) -> str:
    found = kinds(tuple(f for text in texts for f in check(text)))
    return ";".join(k.value for k in found)


def ideas_table(ideas: Sequence[IdeaRecord], level: Level) -> Table:
    rows = []
    for idea in ideas:
        # Below admin level the file is one that travels (the national team's download): flagged detail is
        # masked unless a broker shared the idea as it is. Admins get the record as stored.
        def shown(text: str, idea: IdeaRecord = idea) -> str:
            return text if level is Level.ADMIN else beyond_force(text, idea.shared_as_is)

        row = {
            "id": idea.id, "title": shown(idea.title), "description": shown(idea.description),
            "problem": shown(idea.problem), "evidence": shown(idea.evidence), "stage": stage_label(idea.stage),
            "stage_code": idea.stage, "theme_slug": idea.theme_slug or "", "theme": idea.theme_name,
            "force_slug": idea.force_slug, "force": idea.force_name, "status": status_label(idea.status),
            "status_code": idea.status,
            "source": idea.source, "visibility": idea.visibility, "contact_consent": idea.contact_consent,
            "contact": _without_email(idea.contact, idea.submitter_email, level), "url": idea.url,
            "submitter_id": idea.submitter_id,
            "submitter_name": idea.submitter_name,
            "created_at": _iso(idea.created_at), "submitted_at": _iso(idea.submitted_at),
            "updated_at": _iso(idea.updated_at),
            "sensitivity_flags": _flags(idea.title, idea.description, idea.problem, idea.evidence),
            "shared_as_is": idea.shared_as_is or "",
        }
        if level is Level.ADMIN:
            row["submitter_email"] = idea.submitter_email
        rows.append(row)
    columns = IDEA_COLUMNS if level is Level.ADMIN else tuple(c for c in IDEA_COLUMNS if c != "submitter_email")
    return Table(columns, rows)


def _without_email(text: str, email: str, level: Level) -> str:
    """Below admin level, the submitter's address never appears, even where they typed it as the contact."""
    if level is Level.ADMIN or not email or email.lower() not in text.lower():
        return text
    start = text.lower().index(email.lower())
    return text[:start] + "[email removed]" + text[start + len(email):]


def decisions_table(decisions: Sequence[DecisionRecord]) -> Table:
    rows = [{"id": d.id, "idea_id": d.idea_id, "idea_title": d.idea_title, "actor_id": d.actor_id,
             "actor_name": d.actor_name, "from_status": status_label(d.from_status), "from_status_code": d.from_status,
             "to_status": status_label(d.to_status), "to_status_code": d.to_status, "reason": d.reason,
             "created_at": _iso(d.created_at)}
            for d in decisions]
    return Table(DECISION_COLUMNS, rows)


def _contact(idea: IdeaRecord) -> str:
    """Who to contact about the practice: only with consent, never the submitter of an anonymous idea."""
    name, email = idea.submitter_name, idea.submitter_email
    if not idea.contact_consent:
        return ""
    if idea.visibility == Visibility.ANONYMOUS.value:
        given = idea.contact
        mentions_submitter = any(part and part.lower() in given.lower() for part in (name, email))
        return "" if mentions_submitter else given
    if idea.contact:
        return idea.contact
    if name and email:
        return f"{name} <{email}>"
    return name or email


def practice_bank_table(ideas: Sequence[IdeaRecord]) -> Table:
    rows = []
    for idea in ideas:
        texts = {"title": idea.title, "problem": idea.problem, "what_was_done": idea.description,
                 "evidence": idea.evidence}
        flags = {key: check(text) for key, text in texts.items()}
        clean = {key: redact(text, flags[key]) for key, text in texts.items()}
        rows.append({
            "reference": idea.id, "title": clean["title"], "aim": clean["problem"], "problem": clean["problem"],
            "what_was_done": clean["what_was_done"], "stage_of_practice": STAGE_LABELS.get(idea.stage, idea.stage),
            "evidence": clean["evidence"], "force": idea.force_name, "theme": idea.theme_name,
            "contact": _contact(idea), "url": idea.url, "status": idea.status,
            "sensitivity_flags": ";".join(k.value for k in kinds(tuple(f for fs in flags.values() for f in fs))),
        })
    return Table(PRACTICE_BANK_COLUMNS, rows)


def metrics_table(metrics: Metrics) -> Table:
    return Table(METRICS_COLUMNS, metric_rows(metrics))
