"""The evidence use cases: the figures for a period and every export, each in its own read transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo

from bot.evidence.formats import metrics_to_json, to_csv, to_json
from bot.evidence.tables import (
    NOT_EXPORTED,
    PRACTICE_BANK_STATUSES,
    Level,
    Table,
    decisions_table,
    ideas_table,
    metrics_table,
    practice_bank_table,
)
from bot.i18n import Translator
from bot.metrics import Metrics, Period, compute_metrics
from bot.ports import UnitOfWork

WHATS: Sequence[str] = ("ideas", "decisions", "metrics", "practice-bank")
FORMATS: Sequence[str] = ("csv", "json")


class UnknownExport(ValueError):
    """Not one of ``WHATS`` / ``FORMATS``."""


class Evidence:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def metrics(self, period: Period | None = None, *, tz: tzinfo = UTC, now: datetime | None = None) -> Metrics:
        """The figures for ``period`` (all time when None), weeks counted in ``tz``."""
        with self._uow() as uow:
            return compute_metrics(uow.metrics, period, tz=tz, now=now)

    def table(self, what: str, level: Level) -> Table:
        with self._uow() as uow:
            if what == "ideas":
                return ideas_table(uow.exports.ideas(excluding=NOT_EXPORTED), level)
            if what == "decisions":
                return decisions_table(uow.exports.decisions())
            if what == "practice-bank":
                return practice_bank_table(uow.exports.ideas(statuses=PRACTICE_BANK_STATUSES))
        raise UnknownExport(f"unknown export {what!r}; choose one of {', '.join(WHATS)}")

    def export(self, what: str, fmt: str, *, level: Level, period: Period | None = None, tz: tzinfo = UTC,
               language: str | None = None) -> str:
        """One export as text: ``what`` in WHATS, ``fmt`` in FORMATS. ``language`` ("en"/"cy") gives CSV
        headings in words in that language; without it the headings are the column codes (for scripts)."""
        if fmt not in FORMATS:
            raise UnknownExport(f"unknown format {fmt!r}; choose csv or json")
        if what not in WHATS:
            raise UnknownExport(f"unknown export {what!r}; choose one of {', '.join(WHATS)}")
        t = Translator(language) if language else None
        if what == "metrics":
            m = self.metrics(period, tz=tz)
            return to_csv(metrics_table(m), t) if fmt == "csv" else metrics_to_json(m)
        table = self.table(what, level)
        return to_csv(table, t) if fmt == "csv" else to_json(table)
