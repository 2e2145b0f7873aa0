"""An export as CSV or JSON text. CSV headings are the column codes, or words in a language when asked."""

from __future__ import annotations

import csv
import io
import json

from bot.evidence.tables import Table
from bot.i18n import Translator
from bot.metrics import Metrics, metrics_json

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Neutralise spreadsheet formulas in free text (an idea's title could start with "=HYPERLINK(")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def heading(column: str, t: Translator) -> str:
    """A column's heading in ``t``'s language (the code itself for a column the catalogue lacks)."""
    key = f"export.col.{column}"
    return t(key) if t.has(key) else column


def to_csv(table: Table, t: Translator | None = None) -> str:
    """The table as CSV; with ``t``, the header row is in that language instead of the column codes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading(c, t) for c in table.columns] if t is not None else table.columns)
    for row in table.rows:
        writer.writerow([_cell(row.get(c)) for c in table.columns])
    return out.getvalue()


def to_json(table: Table) -> str:
    return json.dumps([{c: row.get(c) for c in table.columns} for row in table.rows], ensure_ascii=False, indent=2)


def metrics_to_json(metrics: Metrics) -> str:
    return json.dumps(metrics_json(metrics), ensure_ascii=False, indent=2)
