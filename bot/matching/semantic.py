"""The semantic signal: what an entry means, beside the words it uses, and how the two are fused.

Officers describe the same practice in different words ("quadcopters with infrared" for a thermal drone
search), so the matcher also compares sentence embeddings: unit vectors from a small language model, one
per catalogue entry (its title, description and problem) and one per query, whose dot product is their
cosine similarity. The model sits behind the ``Embedder`` port; loading its weights is I/O and lives in
``storage.semantic_model``. Embeddings of entries are computed once and stored, so a restart or a second
process reads them rather than recomputing them.

Fusion (constants calibrated on ``bench/data/matching_eval_hard.json`` and ``matching_eval.json``; see
docs/PERFORMANCE.md): the cosine is mapped linearly onto 0..100 between ``COS_FLOOR`` and ``COS_FULL`` and
combined with the lexical score (0..100) as a noisy-or, so each signal alone can make a match "related"
and agreement between them counts for more than either. "Likely duplicate" changes what a broker does,
so it still needs the lexical evidence (``DUPLICATE_THRESHOLD``, several shared words or phrases), or a
very close meaning *and* a good share of words (``DUPLICATE_COSINE`` with ``DUPLICATE_LEXICAL``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.matching.model import CatalogueEntry

COS_FLOOR = 0.45  # at or below this cosine, meaning alone adds nothing (unrelated texts reach ~0.5)
COS_FULL = 0.70  # at or above this, meaning alone gives a full score
DUPLICATE_COSINE = 0.80
DUPLICATE_LEXICAL = 40.0
MEANING_LED = 2  # below this many shared words/phrases, a match is explained by the closest sentence
MAX_QUERY_CHARS = 120  # ~25 word pieces: the model's time grows with length; longer gained nothing measured


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of ``dim`` numbers, one row per text."""

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


def entry_text(entry: CatalogueEntry) -> str:
    """What is embedded for an entry: its title, description and problem."""
    parts = [entry.title.strip(), entry.description.strip(), entry.problem.strip()]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")


def sentences(entry: CatalogueEntry, max_chars: int = 240) -> list[str]:
    """Each sentence of the entry's description and problem, trimmed for display (the title when there
    are none: it is shown beside the explanation anyway)."""
    found: list[str] = []
    for block in (entry.description, entry.problem):
        for part in _SENTENCE_END.split(block.strip()):
            part = " ".join(part.split())
            if len(part) > 3:
                found.append(part if len(part) <= max_chars else part[: max_chars - 1].rstrip() + "…")
    return [s for s in dict.fromkeys(found) if s] or ([entry.title.strip()] if entry.title.strip() else [])


def semantic_score(cosine: float) -> float:
    """0..100: how much the meaning alone says the two texts are about the same thing."""
    return 100.0 * min(1.0, max(0.0, (cosine - COS_FLOOR) / (COS_FULL - COS_FLOOR)))


def fuse(lexical: float, cosine: float | None) -> float:
    """The final 0..100 score: a noisy-or of the lexical score and the semantic one."""
    if cosine is None:
        return lexical
    a, b = lexical / 100.0, semantic_score(cosine) / 100.0
    return 100.0 * (1.0 - (1.0 - a) * (1.0 - b))


def is_likely_duplicate(lexical_match: float, cosine: float | None, duplicate_threshold: float) -> bool:
    """Strong evidence only: many shared words, or a very close meaning with a fair share of words."""
    if lexical_match >= duplicate_threshold:
        return True
    return cosine is not None and cosine >= DUPLICATE_COSINE and lexical_match >= DUPLICATE_LEXICAL


def clip_query(text: str) -> str:
    """The part of a (possibly huge) message the model is shown: its start, cut at a word boundary."""
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_QUERY_CHARS // 2 else cut
