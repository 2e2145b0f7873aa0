"""Reads the catalogue (what the network may show others, ``bot.catalogue``) for the matcher's index."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue import CATALOGUE_STATUSES
from bot.matching import CatalogueEntry
from bot.sharing import beyond_force
from storage.models import ForceRow, IdeaRow

__all__ = ["CATALOGUE_STATUSES", "catalogue_entries"]  # the rule itself lives in bot/catalogue.py


def catalogue_entries(session: Session, idea_ids: Collection[int] | None = None) -> list[CatalogueEntry]:
    query = (select(IdeaRow, ForceRow.name).join(ForceRow, ForceRow.slug == IdeaRow.force_slug)
             .where(IdeaRow.status.in_(CATALOGUE_STATUSES)))
    if idea_ids is not None:
        query = query.where(IdeaRow.id.in_(list(idea_ids)))
    rows = session.execute(query).all()
    # Everything built on the catalogue (search results, similar-work suggestions, their "why similar"
    # words) is seen by other forces: flagged detail is masked before the matcher ever indexes it.
    return [CatalogueEntry(idea_id=r.id, title=beyond_force(r.title, r.shared_as_is),
                           description=beyond_force(r.description, r.shared_as_is),
                           problem=beyond_force(r.problem, r.shared_as_is),
                           force_slug=r.force_slug, force_name=name, stage=r.stage, status=r.status)
            for r, name in rows]
