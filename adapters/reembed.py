"""`innovation-bot reembed`: recompute the stored catalogue embeddings, with a progress bar.

Needed after the embedding model changes (a new pinned version): entries embedded by another model are
found by the model id stored beside each vector. Servers keep working meanwhile: until an entry's new
vector is stored, a server that starts embeds it itself. Without ``--all`` only stale vectors (other
model, changed text, missing) are computed, so running it twice costs nothing the second time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

BAR_WIDTH = 30


class Reembed(Protocol):
    def __call__(self, *, everything: bool, progress: Callable[[int, int], None] | None) -> tuple[int, str]:
        """(entries embedded, model id); raises ConfigurationError when there is no model or database."""


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


def run_reembed(reembed: Reembed, *, everything: bool, quiet: bool) -> int:
    """``reembed`` is the composition root's (``reembed_catalogue`` bound to the settings)."""
    count, model_id = reembed(everything=everything, progress=None if quiet else ProgressBar())
    print(f"embedded {count:,} catalogue entr{'y' if count == 1 else 'ies'} with {model_id}")
    return 0
