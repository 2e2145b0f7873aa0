"""Stored embeddings of catalogue entries, so that no process recomputes the catalogue's vectors.

An entry's vector is computed once, when the entry first reaches a matcher (import, approval, an edit:
the text's hash changes) and stored with the model that made it. A restart or a second process reads the
stored vectors; only entries whose text or model changed are embedded again. ``reembed`` recomputes
everything for ``innovation-bot reembed`` after a model change. Vectors are float32 bytes (1.5 KB each).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.matching import CatalogueEntry, Matcher
from bot.matching.semantic import Embedder, entry_text
from bot.matching.vectors import Vector
from storage.catalogue import catalogue_entries
from storage.models import Base
from storage.types import UTCDateTime

BATCH = 64  # entries embedded and written per transaction


class CatalogueEmbeddingRow(Base):
    __tablename__ = "catalogue_embeddings"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(128))
    dim: Mapped[int] = mapped_column(Integer)
    text_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the embedded text
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


def text_hash(entry: CatalogueEntry) -> str:
    return hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()


def _decode(row: CatalogueEmbeddingRow) -> Vector:
    return np.frombuffer(row.vector, dtype=np.float32).copy()


def stored_vectors(session: Session, entries: Sequence[CatalogueEntry], embedder: Embedder) -> dict[int, Vector]:
    """The stored vectors still valid for these entries (same model, same text)."""
    wanted = {e.idea_id: text_hash(e) for e in entries}
    found: dict[int, Vector] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 500):  # keeps the IN list within every database's limits
        rows = session.scalars(select(CatalogueEmbeddingRow).where(
            CatalogueEmbeddingRow.idea_id.in_(ids[start:start + 500]))).all()
        for row in rows:
            if row.model == embedder.model_id and row.dim == embedder.dim and row.text_hash == wanted[row.idea_id]:
                found[row.idea_id] = _decode(row)
    return found


def store_vectors(session: Session, entries: Sequence[CatalogueEntry], vectors: Sequence[Vector],
                  embedder: Embedder, now: datetime | None = None) -> None:
    """Insert or replace the vectors of ``entries`` (the caller commits)."""
    stamp = now or datetime.now(UTC)
    for entry, vector in zip(entries, vectors, strict=True):
        row = session.get(CatalogueEmbeddingRow, entry.idea_id)
        if row is None:
            row = CatalogueEmbeddingRow(idea_id=entry.idea_id)
            session.add(row)
        row.model, row.dim, row.text_hash = embedder.model_id, embedder.dim, text_hash(entry)
        row.vector = np.asarray(vector, dtype=np.float32).tobytes()
        row.updated_at = stamp


def vectors_for(session: Session, entries: Sequence[CatalogueEntry], embedder: Embedder) -> dict[int, Vector]:
    """Stored vectors, plus fresh ones (computed in batches and stored) for entries that had none."""
    found = stored_vectors(session, entries, embedder)
    missing = [e for e in entries if e.idea_id not in found]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start:start + BATCH]
        fresh = embedder.embed([entry_text(e) for e in chunk])
        store_vectors(session, chunk, list(fresh), embedder)
        found.update((e.idea_id, v) for e, v in zip(chunk, fresh, strict=True))
    return found


def load_into(matcher: Matcher, session: Session, idea_ids: Collection[int] | None = None) -> list[CatalogueEntry]:
    """Add catalogue entries (all, or these ids) to ``matcher`` with their stored vectors; the caller
    commits what had to be embedded."""
    entries = catalogue_entries(session, idea_ids)
    if matcher.embedder is None:
        matcher.add_many(entries)
        return entries
    vectors = vectors_for(session, entries, matcher.embedder)
    matcher.add_many(entries, vectors.get)
    return entries


def reembed(sessions: sessionmaker[Session], embedder: Embedder, *, everything: bool = False,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute catalogue vectors: the stale ones (other model or text), or ``everything``.

    Works in batches of ``BATCH`` entries, each committed on its own, so an interrupted run keeps what it
    did; ``progress(done, total)`` is called after each batch. Vectors of ideas no longer in the catalogue
    are deleted. Returns how many entries were embedded."""
    with sessions() as session:
        entries = catalogue_entries(session)
        current = {e.idea_id for e in entries}
        stale_rows = [i for i in session.scalars(select(CatalogueEmbeddingRow.idea_id)) if i not in current]
        for start in range(0, len(stale_rows), 500):
            session.execute(delete(CatalogueEmbeddingRow).where(
                CatalogueEmbeddingRow.idea_id.in_(stale_rows[start:start + 500])))
        valid = set() if everything else set(stored_vectors(session, entries, embedder))
        session.commit()
    todo = sorted((e for e in entries if e.idea_id not in valid), key=lambda e: e.idea_id)
    if progress is not None:
        progress(0, len(todo))
    for done, chunk in enumerate(_chunks(todo, BATCH), start=1):
        vectors = embedder.embed([entry_text(e) for e in chunk])
        with sessions() as session:
            store_vectors(session, chunk, list(vectors), embedder)
            session.commit()
        if progress is not None:
            progress(min(done * BATCH, len(todo)), len(todo))
    return len(todo)


def _chunks(items: Sequence[CatalogueEntry], size: int) -> Iterator[Sequence[CatalogueEntry]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
