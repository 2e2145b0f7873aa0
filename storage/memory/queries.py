"""The read-mostly repositories in memory, over the same tables, with the semantics of ``storage.metrics``,
``storage.exports`` and ``storage.imported_practice``: the evaluation's facts, the exports' records (names
joined in as the SQL joins them) and the catalogue entries imported from files of existing practice."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime

from bot.domain import Status
from bot.evidence.ports import DecisionRecord, IdeaRecord
from bot.metrics.ports import DecisionFact, IdeaFact
from bot.metrics.rules import CONNECTION_MADE_STATUSES
from bot.practice_import.ports import PracticeValues
from storage.memory.tables import DecisionRow, IdeaRow, Ids, Tables


def in_window(at: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    """``since <= at < until`` with None bounds open, as the SQL filters (a NULL time is never in one)."""
    return at is not None and (since is None or at >= since) and (until is None or at < until)


def by_time(decisions: Iterable[DecisionRow]) -> list[DecisionRow]:
    return sorted(decisions, key=lambda d: (d.created_at, d.id))


class MemoryMetricsQueries:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def force_names(self) -> Mapping[str, str]:
        return {slug: force.name for slug, force in self._t.forces.items()}

    def theme_names(self) -> Mapping[str, str]:
        return {slug: theme.name for slug, theme in self._t.themes.items()}

    def _counted(self, excluding_sources: Collection[str]) -> list[IdeaRow]:
        return sorted((i for i in self._t.ideas.values() if i.source not in excluding_sources), key=lambda i: i.id)

    def ideas(self, *, excluding_sources: Collection[str]) -> Sequence[IdeaFact]:
        return [IdeaFact(i.id, i.force_slug, i.theme_slug, i.stage, i.submitter_id, i.submitted_at)
                for i in self._counted(excluding_sources)]

    def decisions(self, *, excluding_sources: Collection[str]) -> Sequence[DecisionFact]:
        ids = {i.id for i in self._counted(excluding_sources)}
        return [DecisionFact(d.idea_id, d.to_status, d.created_at)
                for d in by_time(self._t.decisions.values()) if d.idea_id in ids]

    def connections_asked(self, since: datetime | None, until: datetime | None) -> int:
        return sum(1 for c in self._t.connections.values() if in_window(c.created_at, since, until))

    def connections_made(self, since: datetime | None, until: datetime | None) -> int:
        return sum(1 for c in self._t.connections.values()
                   if c.status in CONNECTION_MADE_STATUSES and in_window(c.decided_at, since, until))

    def duplicates_flagged(self, since: datetime | None, until: datetime | None) -> int:
        return sum(1 for f in self._t.duplicate_flags.values() if in_window(f.created_at, since, until))


class MemoryExportQueries:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def ideas(self, *, statuses: Collection[str] | None = None,
              excluding: Collection[str] = ()) -> Sequence[IdeaRecord]:
        records = []
        for i in sorted(self._t.ideas.values(), key=lambda i: i.id):
            force = self._t.forces.get(i.force_slug)
            if force is None or (statuses is not None and i.status not in statuses) or i.status in excluding:
                continue  # the SQL joins the force (an inner join) and filters on the status
            theme = self._t.themes.get(i.theme_slug) if i.theme_slug else None
            submitter = self._t.people.get(i.submitter_id) if i.submitter_id is not None else None
            records.append(IdeaRecord(
                id=i.id, title=i.title, description=i.description, problem=i.problem, evidence=i.evidence,
                stage=i.stage, theme_slug=i.theme_slug, theme_name=theme.name if theme else "",
                force_slug=i.force_slug, force_name=force.name, status=i.status, source=i.source,
                visibility=i.visibility, contact_consent=i.contact_consent, contact=i.contact, url=i.url,
                submitter_id=i.submitter_id, submitter_name=submitter.display_name if submitter else "",
                submitter_email=submitter.email if submitter else "", created_at=i.created_at,
                submitted_at=i.submitted_at, updated_at=i.updated_at, shared_as_is=i.shared_as_is))
        return records

    def decisions(self) -> Sequence[DecisionRecord]:
        records = []
        for d in by_time(self._t.decisions.values()):
            idea = self._t.ideas.get(d.idea_id)
            if idea is None:
                continue
            actor = self._t.people.get(d.actor_id) if d.actor_id is not None else None
            records.append(DecisionRecord(id=d.id, idea_id=d.idea_id, idea_title=idea.title, actor_id=d.actor_id,
                                          actor_name=actor.display_name if actor else "", from_status=d.from_status,
                                          to_status=d.to_status, reason=d.reason, created_at=d.created_at))
        return records


def _values(row: IdeaRow) -> PracticeValues:
    return PracticeValues(title=row.title, description=row.description, problem=row.problem, stage=row.stage,
                          theme_slug=row.theme_slug, force_slug=row.force_slug, contact=row.contact, url=row.url)


class MemoryImportedPractice:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def find(self, keys: Collection[str]) -> Mapping[str, tuple[int, PracticeValues]]:
        wanted = set(keys)
        return {i.import_key: (i.id, _values(i)) for i in self._t.ideas.values()
                if i.import_key is not None and i.import_key in wanted}

    def add(self, key: str, values: PracticeValues, *, status: str, at: datetime, reason: str) -> int:
        if any(i.import_key == key for i in self._t.ideas.values()):
            raise ValueError(f"an entry was imported under {key!r} before")  # the database's unique key
        idea = IdeaRow(id=self._ids.next("ideas"), **asdict(values), status=status, source="import", import_key=key,
                       visibility="named", created_at=at, submitted_at=at, updated_at=at)
        self._t.ideas[idea.id] = idea
        decision = DecisionRow(self._ids.next("decisions"), idea.id, None, Status.DRAFT.value, status, reason, at)
        self._t.decisions[decision.id] = decision
        return idea.id

    def update(self, idea_id: int, values: PracticeValues, at: datetime) -> None:
        idea = self._t.ideas.get(idea_id)
        if idea is not None:
            self._t.ideas[idea_id] = replace(idea, **asdict(values), updated_at=at, version=idea.version + 1)
