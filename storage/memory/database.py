"""One in-memory database: what is committed, the identity counters, and one writer at a time.

A unit of work holds the database from ``__enter__`` to ``__exit__`` (as SQLite holds its write lock), so
transactions never interleave: two racing writers are serialised and the second one's version check sees
the first one's commit. Reference data comes from the same shipped files ``storage.seed`` loads.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.domain import Force, Stage, Status
from bot.matching import CatalogueEntry
from bot.sharing import beyond_force
from storage.catalogue import CATALOGUE_STATUSES
from storage.matching_data import load_demo_catalogue
from storage.memory.tables import DecisionRow, IdeaRow, Ids, Tables, ThemeRow
from storage.seed import force_records, theme_records


class MemoryDatabase:
    def __init__(self) -> None:
        self.committed = Tables()
        self.ids = Ids()
        self._lock = threading.Lock()
        self._holder: int | None = None
        for row in force_records():
            self.committed.forces[row["slug"]] = Force(row["slug"], row["name"], row["nation"], row["kind"],
                                                       row.get("name_cy", ""))
        for position, row in enumerate(theme_records()):
            self.committed.themes[row["slug"]] = ThemeRow(row["slug"], row["name"], row["keywords"], position)

    def acquire(self) -> None:
        if self._holder == threading.get_ident():
            # A database would make the inner transaction wait for the outer one for ever (or fail with
            # "database is locked"): say so at once rather than hang a test.
            raise RuntimeError("a unit of work is already open in this thread: finish it before opening another")
        self._lock.acquire()
        self._holder = threading.get_ident()

    def release(self) -> None:
        self._holder = None
        self._lock.release()

    def seed_demo_catalogue(self, now: datetime | None = None) -> int:
        """As ``storage.seed.seed_demo_catalogue``: the shipped demo catalogue, once."""
        self.acquire()
        try:
            tables = self.committed.copy()  # published whole at the end: a reader never sees half of it
            if any(i.source == "demo" for i in tables.ideas.values()):
                return 0
            now = now or datetime.now(UTC)
            added = 0
            for entry in load_demo_catalogue():
                idea = IdeaRow(
                    id=self.ids.next("ideas"), title=entry["title"], description=entry["description"],
                    problem=entry.get("problem", ""), stage=entry.get("stage") or Stage.IDEA.value,
                    theme_slug=entry.get("theme") if entry.get("theme") in tables.themes else None,
                    force_slug=entry["force"], status=Status.APPROVED_NETWORK.value, source="demo",
                    contact=entry.get("contact", ""), url=entry.get("url", ""), created_at=now, submitted_at=now,
                    updated_at=now)
                tables.ideas[idea.id] = idea
                decision = DecisionRow(self.ids.next("decisions"), idea.id, None, Status.DRAFT.value,
                                       Status.APPROVED_NETWORK.value, "demo catalogue", now)
                tables.decisions[decision.id] = decision
                added += 1
            self.committed = tables
            return added
        finally:
            self.release()

    def catalogue_entries(self, idea_ids: set[int] | None = None) -> list[CatalogueEntry]:
        """What the matcher indexes, as ``storage.catalogue.catalogue_entries`` reads it (committed only).
        Needs no lock: a commit publishes a new ``Tables`` and never changes a published one."""
        tables = self.committed
        return [CatalogueEntry(idea_id=i.id, title=beyond_force(i.title, i.shared_as_is),
                               description=beyond_force(i.description, i.shared_as_is),
                               problem=beyond_force(i.problem, i.shared_as_is), force_slug=i.force_slug,
                               force_name=tables.force_name(i.force_slug) or "", stage=i.stage, status=i.status)
                for i in tables.ideas.values()
                if i.status in CATALOGUE_STATUSES and (idea_ids is None or i.id in idea_ids)]
