"""Reference data and the demo catalogue, loaded idempotently (safe to run on every start)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import Stage, Status
from storage.models import DecisionRow, ForceRow, IdeaRow, ThemeRow


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (resources.files("storage") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def force_records() -> list[dict[str, str]]:
    """The shipped forces (slug, name, nation, kind, name_cy): the one source for every store."""
    return _read_csv("uk_police_forces.csv")


def theme_records() -> list[dict[str, str]]:
    """The shipped themes in their order (slug, name, "|"-separated keywords)."""
    return _read_csv("themes.csv")


def seed_forces(session: Session) -> int:
    """Insert forces missing from the table; existing rows keep any local renaming."""
    existing = set(session.scalars(select(ForceRow.slug)).all())
    added = 0
    for row in force_records():
        if row["slug"] not in existing:
            session.add(ForceRow(slug=row["slug"], name=row["name"], nation=row["nation"], kind=row["kind"],
                                 name_cy=row.get("name_cy", "")))
            added += 1
    session.flush()
    return added


def seed_themes(session: Session) -> int:
    existing = set(session.scalars(select(ThemeRow.slug)).all())
    added = 0
    for position, row in enumerate(theme_records()):
        if row["slug"] not in existing:
            session.add(ThemeRow(slug=row["slug"], name=row["name"], keywords=row["keywords"],
                                 position=position, active=True))
            added += 1
    session.flush()
    return added


def seed_demo_catalogue(session: Session, now: datetime | None = None) -> int:
    """Load the shipped demo catalogue once, so the playground has similar work to find."""
    from storage.matching_data import load_demo_catalogue

    if session.scalar(select(func.count()).select_from(IdeaRow).where(IdeaRow.source == "demo")):
        return 0
    now = now or datetime.now(UTC)
    themes = set(session.scalars(select(ThemeRow.slug)).all())
    added = 0
    for entry in load_demo_catalogue():
        idea = IdeaRow(
            title=entry["title"], description=entry["description"], problem=entry.get("problem", ""),
            stage=entry.get("stage") or Stage.IDEA.value,
            theme_slug=entry.get("theme") if entry.get("theme") in themes else None,
            force_slug=entry["force"], status=Status.APPROVED_NETWORK.value, source="demo",
            contact=entry.get("contact", ""), url=entry.get("url", ""), visibility="named",
            created_at=now, submitted_at=now, updated_at=now,
        )
        session.add(idea)
        session.flush()
        session.add(DecisionRow(idea_id=idea.id, actor_id=None, from_status=Status.DRAFT.value,
                                to_status=Status.APPROVED_NETWORK.value, reason="demo catalogue", created_at=now))
        added += 1
    session.flush()
    return added
