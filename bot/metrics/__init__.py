"""The evaluation figures: the counting rules, the computation, and the figures as rows (docs/evidence.md)."""

from bot.metrics.figures import Counts, Metrics, compute_metrics, iso_week, percentile
from bot.metrics.ports import DecisionFact, IdeaFact, MetricsQueries
from bot.metrics.rules import CONNECTION_MADE_STATUSES, Period, connection_made
from bot.metrics.tables import CSV_COLUMNS, metric_rows, metrics_csv, metrics_json

__all__ = ["CONNECTION_MADE_STATUSES", "CSV_COLUMNS", "Counts", "DecisionFact", "IdeaFact", "Metrics",
           "MetricsQueries", "Period", "compute_metrics", "connection_made", "iso_week", "metric_rows",
           "metrics_csv", "metrics_json", "percentile"]
