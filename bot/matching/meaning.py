"""Saying, in the entry's own words, why a match that shares few words was suggested.

A bare score tells an officer nothing. When a match rests on meaning, the sentence of the entry (its
title, or one sentence of its description or problem) closest in meaning to the query is shown instead:
"Similar in meaning: 'A small team of trained pilots flies drones fitted with thermal cameras…'".

Only shown matches are explained, so sentence vectors are computed lazily and kept for the most recently
shown ``CACHE_SIZE`` entries (a few MB), rather than stored for the whole catalogue.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from bot.matching.model import Match
from bot.matching.semantic import Embedder, clip_query, sentences

CACHE_SIZE = 2048
MAX_SENTENCES = 4  # longer entries: their first four sentences (bounds the work per match)


class MeaningExplainer:
    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, tuple[list[str], npt.NDArray[np.float32]]] = OrderedDict()

    def forget(self, idea_id: int) -> None:
        """The entry changed: its sentences must be read again."""
        with self._lock:
            self._cache.pop(idea_id, None)

    def explain(self, matches: list[Match], query: npt.NDArray[np.float32]) -> list[Match]:
        """``matches`` with ``closest`` set to each entry's sentence nearest in meaning to ``query``.

        Entries not yet cached are embedded in one batch (one model call for all of them)."""
        wanted: dict[int, list[str]] = {}
        with self._lock:
            for m in matches:
                if m.entry.idea_id in self._cache:
                    self._cache.move_to_end(m.entry.idea_id)
                else:
                    wanted[m.entry.idea_id] = sentences(m.entry)[:MAX_SENTENCES]
        flat = [text for texts in wanted.values() for text in texts]
        if flat:
            # Each sentence is read as far as a query is (its start): the model's time grows with length,
            # and a sentence's opening says what it is about (the whole sentence is still shown).
            vectors = self._embedder.embed([clip_query(text) for text in flat])
            with self._lock:
                start = 0
                for idea_id, texts in wanted.items():
                    self._cache[idea_id] = (texts, vectors[start:start + len(texts)])
                    start += len(texts)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        out = []
        with self._lock:
            cached = {m.entry.idea_id: self._cache.get(m.entry.idea_id) for m in matches}
        for m in matches:
            found = cached[m.entry.idea_id]
            if found is None or not found[0]:
                out.append(m)
                continue
            texts, vectors = found
            out.append(replace(m, closest=texts[int(np.argmax(vectors @ query))]))
        return out
