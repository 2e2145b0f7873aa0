"""CSV and JSON exports: ideas, decisions, metrics, and the Practice-Bank-ready list of approved ideas.

Who may see what is decided here, not by callers: submitters' email addresses only in an admin-level
export; the Practice Bank export (which leaves the network) carries a contact only with the officer's
consent, never names the submitter of an anonymous-to-peers idea, and has text that looks like personal
or operational detail replaced by a placeholder (``bot.sensitivity``), with what was removed listed.
Column lists are documented in docs/evidence.md.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.domain import Status, Visibility
from bot.i18n import Translator
from bot.sensitivity import check, kinds, redact
from bot.sharing import beyond_force
from storage.metrics import CSV_COLUMNS as METRICS_COLUMNS
from storage.metrics import Metrics, compute_metrics, metric_rows, metrics_json
from storage.models import DecisionRow, ForceRow, IdeaRow, PersonRow, ThemeRow


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


def ideas_table(session: Session, level: Level) -> Table:
    submitter = aliased(PersonRow)
    query = (select(IdeaRow, ForceRow.name, ThemeRow.name, submitter.display_name, submitter.email)
             .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
             .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
             .outerjoin(submitter, submitter.id == IdeaRow.submitter_id)
             .where(IdeaRow.status != Status.DRAFT.value)
             .order_by(IdeaRow.id))
    rows = []
    for idea, force_name, theme_name, name, email in session.execute(query):
        # Below admin level the file is one that travels (the national team's download): flagged detail is
        # masked unless a broker shared the idea as it is. Admins get the record as stored.
        def shown(text: str, idea: IdeaRow = idea) -> str:
            return text if level is Level.ADMIN else beyond_force(text, idea.shared_as_is)

        rows.append({
            "id": idea.id, "title": shown(idea.title), "description": shown(idea.description),
            "problem": shown(idea.problem), "evidence": shown(idea.evidence), "stage": stage_label(idea.stage),
            "stage_code": idea.stage, "theme_slug": idea.theme_slug or "", "theme": theme_name or "",
            "force_slug": idea.force_slug, "force": force_name, "status": status_label(idea.status),
            "status_code": idea.status,
            "source": idea.source, "visibility": idea.visibility, "contact_consent": idea.contact_consent,
            "contact": _without_email(idea.contact, email or "", level), "url": idea.url,
            "submitter_id": idea.submitter_id,
            "submitter_name": name or "",
            "submitter_email": (email or "") if level is Level.ADMIN else "",
            "created_at": _iso(idea.created_at), "submitted_at": _iso(idea.submitted_at),
            "updated_at": _iso(idea.updated_at),
            "sensitivity_flags": _flags(idea.title, idea.description, idea.problem, idea.evidence),
            "shared_as_is": idea.shared_as_is or "",
        })
    columns = IDEA_COLUMNS if level is Level.ADMIN else tuple(c for c in IDEA_COLUMNS if c != "submitter_email")
    for row in rows:
        if level is not Level.ADMIN:
            del row["submitter_email"]
    return Table(columns, rows)


def _without_email(text: str, email: str, level: Level) -> str:
    """Below admin level, the submitter's address never appears, even where they typed it as the contact."""
    if level is Level.ADMIN or not email or email.lower() not in text.lower():
        return text
    start = text.lower().index(email.lower())
    return text[:start] + "[email removed]" + text[start + len(email):]


def decisions_table(session: Session) -> Table:
    actor = aliased(PersonRow)
    query = (select(DecisionRow, IdeaRow.title, actor.display_name)
             .join(IdeaRow, IdeaRow.id == DecisionRow.idea_id)
             .outerjoin(actor, actor.id == DecisionRow.actor_id)
             .order_by(DecisionRow.created_at, DecisionRow.id))
    rows = [{"id": d.id, "idea_id": d.idea_id, "idea_title": title, "actor_id": d.actor_id,
             "actor_name": name or "", "from_status": status_label(d.from_status), "from_status_code": d.from_status,
             "to_status": status_label(d.to_status), "to_status_code": d.to_status, "reason": d.reason,
             "created_at": _iso(d.created_at)}
            for d, title, name in session.execute(query)]
    return Table(DECISION_COLUMNS, rows)


def _contact(idea: IdeaRow, name: str, email: str) -> str:
    """Who to contact about the practice: only with consent, never the submitter of an anonymous idea."""
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


def practice_bank_table(session: Session) -> Table:
    submitter = aliased(PersonRow)
    query = (select(IdeaRow, ForceRow.name, ThemeRow.name, submitter.display_name, submitter.email)
             .join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
             .outerjoin(ThemeRow, ThemeRow.slug == IdeaRow.theme_slug)
             .outerjoin(submitter, submitter.id == IdeaRow.submitter_id)
             .where(IdeaRow.status.in_(PRACTICE_BANK_STATUSES))
             .order_by(IdeaRow.id))
    rows = []
    for idea, force_name, theme_name, name, email in session.execute(query):
        texts = {"title": idea.title, "problem": idea.problem, "what_was_done": idea.description,
                 "evidence": idea.evidence}
        flags = {key: check(text) for key, text in texts.items()}
        clean = {key: redact(text, flags[key]) for key, text in texts.items()}
        rows.append({
            "reference": idea.id, "title": clean["title"], "aim": clean["problem"], "problem": clean["problem"],
            "what_was_done": clean["what_was_done"], "stage_of_practice": STAGE_LABELS.get(idea.stage, idea.stage),
            "evidence": clean["evidence"], "force": force_name, "theme": theme_name or "",
            "contact": _contact(idea, name or "", email or ""), "url": idea.url, "status": idea.status,
            "sensitivity_flags": ";".join(k.value for k in kinds(tuple(f for fs in flags.values() for f in fs))),
        })
    return Table(PRACTICE_BANK_COLUMNS, rows)


def metrics_table(metrics: Metrics) -> Table:
    return Table(METRICS_COLUMNS, metric_rows(metrics))


# --- formats --------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Neutralise spreadsheet formulas in free text (an idea's title could start with "=HYPERLINK(")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def to_json(table: Table) -> str:
    return json.dumps([{c: row.get(c) for c in table.columns} for row in table.rows], ensure_ascii=False, indent=2)


def metrics_to_json(metrics: Metrics) -> str:
    return json.dumps(metrics_json(metrics), ensure_ascii=False, indent=2)


WHATS: Sequence[str] = ("ideas", "decisions", "metrics", "practice-bank")


def export(session: Session, what: str, fmt: str, *, level: Level, metrics: Metrics | None = None) -> str:
    """One export as text: ``what`` in WHATS, ``fmt`` "csv" or "json"."""
    if what == "metrics":
        m = metrics or compute_metrics(session)
        return to_csv(metrics_table(m)) if fmt == "csv" else metrics_to_json(m)
    tables = {"ideas": lambda: ideas_table(session, level), "decisions": lambda: decisions_table(session),
              "practice-bank": lambda: practice_bank_table(session)}
    if what not in tables:
        raise ValueError(f"unknown export {what!r}; choose one of {', '.join(WHATS)}")
    table = tables[what]()
    return to_csv(table) if fmt == "csv" else to_json(table)
