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
from bot.matching.semantic import Embedder, sentences

CACHE_SIZE = 2048


class MeaningExplainer:
    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, tuple[list[str], npt.NDArray[np.float32]]] = OrderedDict()

    def forget(self, idea_id: int) -> None:
        """The entry changed: its sentences must be read again."""
        with self._lock:
            self._cache.pop(idea_id, None)

    def explain(self, match: Match, query: npt.NDArray[np.float32]) -> Match:
        """``match`` with ``closest`` set to the entry's sentence nearest in meaning to ``query``."""
        idea_id = match.entry.idea_id
        with self._lock:
            cached = self._cache.get(idea_id)
            if cached is not None:
                self._cache.move_to_end(idea_id)
        if cached is None:
            texts = sentences(match.entry)
            if not texts:
                return match
            cached = (texts, self._embedder.embed(texts))
            with self._lock:
                self._cache[idea_id] = cached
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        texts, vectors = cached
        best = int(np.argmax(vectors @ query))
        return replace(match, closest=texts[best])
