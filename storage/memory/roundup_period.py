"""What a roundup period holds, in memory, with the semantics of ``storage.roundup_period``: approved ideas,
approvals for the chart, ideas waiting for a decision, connections made."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Status
from bot.roundups.chart import Approval
from bot.roundups.ports import ApprovedRecord, WaitingRecord
from storage.catalogue import CATALOGUE_STATUSES
from storage.memory.queries import MemoryMetricsQueries, by_time, in_window
from storage.memory.tables import IdeaRow, Tables


class MemoryRoundupPeriod:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _shown(self, idea_id: int) -> IdeaRow | None:
        """The idea, if other forces may still see it and its force is known (the SQL's inner join)."""
        idea = self._t.ideas.get(idea_id)
        return idea if idea and idea.status in CATALOGUE_STATUSES and idea.force_slug in self._t.forces else None

    def _theme_name(self, slug: str | None) -> str | None:
        theme = self._t.themes.get(slug) if slug else None
        return theme.name if theme else None

    def approved(self, start: datetime, end: datetime) -> list[ApprovedRecord]:
        latest: dict[int, datetime] = {}
        for d in self._t.decisions.values():
            if d.to_status == Status.APPROVED_NETWORK.value and in_window(d.created_at, start, end):
                latest[d.idea_id] = max(latest.get(d.idea_id, d.created_at), d.created_at)
        records = []
        for idea_id, approved_at in sorted(latest.items(), key=lambda item: (item[1], item[0])):
            idea = self._shown(idea_id)
            if idea is None:
                continue
            person = self._t.people.get(idea.submitter_id) if idea.submitter_id is not None else None
            records.append(ApprovedRecord(idea.id, idea.title, idea.description, idea.force_slug,
                                          self._t.forces[idea.force_slug].name, idea.theme_slug,
                                          self._theme_name(idea.theme_slug), idea.stage, idea.visibility,
                                          idea.contact_consent, person.display_name if person else None, approved_at,
                                          idea.shared_as_is))
        return records

    def approvals(self, start: datetime, end: datetime) -> list[Approval]:
        found = []
        for d in by_time(self._t.decisions.values()):
            idea = self._shown(d.idea_id)
            if idea and d.to_status == Status.APPROVED_NETWORK.value and in_window(d.created_at, start, end):
                found.append(Approval(d.created_at, idea.id, idea.force_slug, self._t.forces[idea.force_slug].name,
                                      idea.theme_slug, self._theme_name(idea.theme_slug)))
        return sorted(found, key=lambda a: (a.approved_at, a.idea_id))

    def waiting(self, scope_kind: str, slug: str, limit: int = 200) -> list[WaitingRecord]:
        ideas = [i for i in self._t.ideas.values()
                 if i.status == Status.SUBMITTED.value and i.force_slug in self._t.forces
                 and (scope_kind != "force" or i.force_slug == slug)
                 and (scope_kind != "theme" or i.theme_slug == slug)]
        # An idea with no submission time (none is stored so today) sorts last, as PostgreSQL puts NULLs.
        ideas.sort(key=lambda i: (i.submitted_at is None, i.submitted_at or i.created_at, i.id))
        return [WaitingRecord(i.id, i.title, self._t.forces[i.force_slug].name, i.submitted_at or i.created_at)
                for i in ideas[:limit]]

    def connections_made(self, since: datetime, until: datetime) -> int:
        return MemoryMetricsQueries(self._t).connections_made(since, until)
