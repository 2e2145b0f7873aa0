"""The figures as long ("tidy") rows for a spreadsheet and as JSON (columns documented in docs/evidence.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.metrics.figures import Counts, Metrics

CSV_COLUMNS = ("period_start", "period_end", "measure", "breakdown", "key", "label", "value", "note")
_COUNT_MEASURES = (("ideas_submitted", "submitted"), ("ideas_approved_local", "approved_local"),
                   ("ideas_approved_network", "approved_network"), ("ideas_declined", "declined"))


def metric_rows(m: Metrics) -> list[dict[str, Any]]:
    """One row per measure and group, ready for a spreadsheet pivot."""
    start = m.period.start.isoformat() if m.period.start else ""
    end = m.period.end.isoformat() if m.period.end else ""
    rows: list[dict[str, Any]] = []

    def add(measure: str, value: object, breakdown: str = "all", key: str = "", label: str = "") -> None:
        rows.append({"period_start": start, "period_end": end, "measure": measure, "breakdown": breakdown,
                     "key": key, "label": label, "value": "" if value is None else value,
                     "note": m.notes.get(measure, "")})

    for measure, attr in _COUNT_MEASURES:
        add(measure, getattr(m.totals, attr))
    for name, counts in (("force", m.by_force), ("theme", m.by_theme), ("stage", m.by_stage), ("week", m.by_week)):
        for c in counts:
            for measure, attr in _COUNT_MEASURES:
                add(measure, getattr(c, attr), name, c.key, c.label)
    add("ideas_decided", m.decided)
    add("ideas_awaiting_decision", m.awaiting_decision)
    add("median_hours_to_first_decision", _round(m.median_hours_to_decision))
    add("p90_hours_to_first_decision", _round(m.p90_hours_to_decision))
    add("needs_info_loops", m.needs_info_loops)
    add("national_escalations", m.national_escalations)
    add("active_submitters", m.active_submitters)
    add("connections_asked", m.connections_asked)
    add("connections_made", m.connections_made)
    add("duplicates_flagged", m.duplicates_flagged)
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def metrics_csv(m: Metrics) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(metric_rows(m))
    return out.getvalue()


def metrics_json(m: Metrics) -> dict[str, Any]:
    def counts(c: Counts) -> dict[str, Any]:
        return {"key": c.key, "label": c.label, "submitted": c.submitted, "approved_local": c.approved_local,
                "approved_network": c.approved_network, "declined": c.declined}

    return {
        "period": {"start": m.period.start.isoformat() if m.period.start else None,
                   "end": m.period.end.isoformat() if m.period.end else None},
        "generated_at": m.generated_at.isoformat(),
        "totals": counts(m.totals),
        "by_force": [counts(c) for c in m.by_force], "by_theme": [counts(c) for c in m.by_theme],
        "by_stage": [counts(c) for c in m.by_stage], "by_week": [counts(c) for c in m.by_week],
        "ideas_decided": m.decided, "ideas_awaiting_decision": m.awaiting_decision,
        "median_hours_to_first_decision": _round(m.median_hours_to_decision),
        "p90_hours_to_first_decision": _round(m.p90_hours_to_decision),
        "needs_info_loops": m.needs_info_loops, "national_escalations": m.national_escalations,
        "active_submitters": m.active_submitters, "connections_asked": m.connections_asked,
        "connections_made": m.connections_made, "duplicates_flagged": m.duplicates_flagged, "notes": m.notes,
    }
