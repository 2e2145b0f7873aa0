"""`innovation-bot reembed`: recompute the stored catalogue embeddings, with a progress bar.

Needed after the embedding model changes (a new pinned version): entries embedded by another model are
found by the model id stored beside each vector. Servers keep working meanwhile: until an entry's new
vector is stored, a server that starts embeds it itself. Without ``--all`` only stale vectors (other
model, changed text, missing) are computed, so running it twice costs nothing the second time.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sqlalchemy.exc import OperationalError

from adapters.settings import ConfigurationError
from storage.db import make_engine, session_factory
from storage.embeddings import reembed
from storage.semantic_model import shared_embedder

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second (and always at the end)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
        percent = 100 if total == 0 else 100 * done // total
        print(f"\rembedding [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,} {percent:3d}%",
              end="\n" if done >= total else "", file=self._stream, flush=True)


def run_reembed(database_url: str, *, everything: bool, quiet: bool) -> int:
    embedder = shared_embedder()
    if embedder is None:
        raise ConfigurationError("the embedding model could not be loaded (or SEMANTIC_MATCHING is off); "
                                 "nothing to re-embed")
    engine = make_engine(database_url)
    try:
        count = reembed(session_factory(engine), embedder, everything=everything,
                        progress=None if quiet else ProgressBar())
    except OperationalError as exc:
        raise ConfigurationError(
            f"the database is not ready ({type(exc.orig).__name__}); run `innovation-bot migrate` first") from None
    finally:
        engine.dispose()
    print(f"embedded {count:,} catalogue entr{'y' if count == 1 else 'ies'} with {embedder.model_id}")
    return 0
