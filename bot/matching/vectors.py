"""An in-memory index of unit vectors (one per catalogue entry) answering "which entries are nearest".

Small catalogues are scanned in full: one matrix-vector product, exact. From ``IVF_MIN`` entries on, the
index also keeps an inverted file: the vectors are grouped around ``lists`` centroids (a few rounds of
k-means on a sample), and a query scans only the ``probe`` groups whose centroids are nearest, which
reads a few percent of the rows. Entries added after the groups were built sit in a tail that is always
scanned in full; the groups are rebuilt once the tail or the removed rows grow past a quarter of the
index, so each change costs amortised O(1) work and a query never misses a new entry.

Vectors are float32 and L2-normalised by the embedder, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

IVF_MIN = 20_000  # below this a full scan is fast enough and exact
PROBE = 24  # groups scanned per query
KMEANS_ROUNDS = 6
KMEANS_SAMPLE = 12_000  # ~40 points per group at 100k; enough to place the centroids
SEED = 7  # the grouping is deterministic for the same vectors


class VectorIndex:
    """Slots of vectors by idea id; not thread-safe (the ``Matcher`` holds its lock around every call)."""

    def __init__(self, dim: int, *, ivf_min: int = IVF_MIN, probe: int = PROBE) -> None:
        self.dim = dim
        self.ivf_min = ivf_min
        self.probe = probe
        self._matrix: Vector = np.zeros((1024, dim), dtype=np.float32)
        self._ids = np.zeros(1024, dtype=np.int64)
        self._live = np.zeros(1024, dtype=bool)
        self._size = 0  # slots used, live or not
        self._slot_of: dict[int, int] = {}
        # Inverted file: centroids, and for each group the slots in it; slots >= _grouped are the tail.
        self._centroids: Vector | None = None
        self._bounds: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)  # group g: rows bounds[g]..bounds[g+1]
        self._grouped = 0
        self._dead_grouped = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, idea_id: object) -> bool:
        return idea_id in self._slot_of

    def vector(self, idea_id: int) -> Vector | None:
        slot = self._slot_of.get(idea_id)
        return None if slot is None else self._matrix[slot]

    # ----------------------------------------------------------------------------------- changes

    def add(self, idea_id: int, vector: Vector) -> None:
        self.remove(idea_id)
        if self._size == len(self._ids):
            self._grow(max(1024, 2 * self._size))
        slot = self._size
        self._matrix[slot] = vector
        self._ids[slot] = idea_id
        self._live[slot] = True
        self._slot_of[idea_id] = slot
        self._size += 1
        self._maybe_regroup()

    def add_many(self, items: Iterable[tuple[int, Vector]]) -> None:
        """Add many at once: rows are copied in one go and the groups rebuilt at most once (loading a
        stored catalogue at start-up)."""
        pairs = list(items)
        if not pairs:
            return
        for idea_id, _ in pairs:
            self.remove(idea_id)
        pairs = list({idea_id: v for idea_id, v in pairs}.items())  # the last vector of an id wins
        need = self._size + len(pairs)
        if need > len(self._ids):
            self._grow(max(1024, need, 2 * self._size))
        start = self._size
        for n, (_, vector) in enumerate(pairs):  # row by row: no second copy of a large catalogue
            self._matrix[start + n] = vector
        self._ids[start:need] = [i for i, _ in pairs]
        self._live[start:need] = True
        self._slot_of.update((idea_id, start + n) for n, (idea_id, _) in enumerate(pairs))
        self._size = need
        self._maybe_regroup()

    def remove(self, idea_id: int) -> None:
        slot = self._slot_of.pop(idea_id, None)
        if slot is not None:
            self._live[slot] = False
            if slot < self._grouped:
                self._dead_grouped += 1

    def _grow(self, capacity: int) -> None:
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        matrix[: self._size] = self._matrix[: self._size]
        ids = np.zeros(capacity, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        live = np.zeros(capacity, dtype=bool)
        live[: self._size] = self._live[: self._size]
        self._matrix, self._ids, self._live = matrix, ids, live

    def _maybe_regroup(self) -> None:
        live = len(self._slot_of)
        if live < self.ivf_min:
            if self._centroids is not None:
                self._centroids, self._grouped, self._dead_grouped = None, 0, 0
            return
        tail = self._size - self._grouped
        if self._centroids is None or tail > live // 4 or self._dead_grouped > live // 4:
            self.regroup()

    def regroup(self) -> None:
        """Compact away removed rows and rebuild the groups (k-means on a sample, then assign all)."""
        keep = np.flatnonzero(self._live[: self._size])
        self._matrix[: len(keep)] = self._matrix[keep]
        self._ids[: len(keep)] = self._ids[keep]
        self._live[: self._size] = False
        self._live[: len(keep)] = True
        self._size = len(keep)
        self._slot_of = {int(i): s for s, i in enumerate(self._ids[: self._size])}
        self._dead_grouped = 0
        if self._size < self.ivf_min:
            self._centroids, self._grouped = None, 0
            return
        data = self._matrix[: self._size]
        lists = max(16, int(math.sqrt(self._size)))
        rng = np.random.default_rng(SEED)
        sample = data[rng.choice(self._size, size=min(self._size, max(KMEANS_SAMPLE, 24 * lists)), replace=False)]
        centroids = sample[rng.choice(len(sample), size=lists, replace=False)].copy()
        for _ in range(KMEANS_ROUNDS):
            nearest = np.argmax(sample @ centroids.T, axis=1)
            # Sum each group's members: sort by group, then add contiguous runs (np.add.at is far slower).
            order = np.argsort(nearest, kind="stable")
            present, starts = np.unique(nearest[order], return_index=True)
            sums = np.zeros_like(centroids)
            sums[present] = np.add.reduceat(sample[order], starts, axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0  # an empty group keeps its old centroid
            centroids = np.where(empty[:, None], centroids, sums / np.maximum(norms, 1e-12))
        assignment = np.empty(self._size, dtype=np.int64)
        for start in range(0, self._size, 65_536):  # in blocks: a 1M x 1000 product would not fit
            assignment[start:start + 65_536] = np.argmax(data[start:start + 65_536] @ centroids.T, axis=1)
        # Rows are reordered so that each group is one contiguous block: a query then multiplies a few
        # slices in place instead of gathering scattered rows (which cost more than the arithmetic).
        order = np.argsort(assignment, kind="stable")
        self._matrix[: self._size] = data[order]
        self._ids[: self._size] = self._ids[order]
        self._slot_of = {int(i): s for s, i in enumerate(self._ids[: self._size])}
        self._bounds = np.searchsorted(assignment[order], np.arange(lists + 1))
        self._centroids = centroids.astype(np.float32)
        self._grouped = self._size

    # ------------------------------------------------------------------------------------ queries

    def nearest(self, query: Vector, k: int, exclude: Collection[int] = (), *,
                exact: bool = False) -> list[tuple[int, float]]:
        """The ``k`` entries most similar to ``query`` as (idea id, cosine), best first.

        ``exact`` scans every row, as the benchmark's baseline does."""
        if k <= 0 or not self._slot_of:
            return []
        if self._centroids is None or exact:
            slots = np.arange(self._size)
            scores = self._matrix[: self._size] @ query
        else:
            near = np.argsort(-(self._centroids @ query))[: self.probe]
            blocks = [(int(self._bounds[g]), int(self._bounds[g + 1])) for g in near]
            blocks.append((self._grouped, self._size))  # the tail added since the groups were built
            slots = np.concatenate([np.arange(a, b) for a, b in blocks])
            # einsum, not ``@``: it runs in this thread, whereas BLAS hands a product this small to its
            # worker threads, whose hand-over costs more than the arithmetic on a busy machine (measured
            # in docs/PERFORMANCE.md).
            scores = np.concatenate([np.einsum("ij,j->i", self._matrix[a:b], query) for a, b in blocks])
        alive = self._live[slots]
        if not alive.all():
            slots, scores = slots[alive], scores[alive]
        if not len(slots):
            return []
        want = min(len(slots), k + len(exclude))
        top = np.argpartition(-scores, want - 1)[:want]
        top = top[np.argsort(-scores[top], kind="stable")]
        found: list[tuple[int, float]] = []
        for i in top:
            idea_id = int(self._ids[slots[i]])
            if idea_id not in exclude:
                found.append((idea_id, float(scores[i])))
                if len(found) == k:
                    break
        return found

    def similarity(self, query: Vector, idea_ids: Iterable[int]) -> dict[int, float]:
        """Cosine between ``query`` and each of ``idea_ids`` that the index holds."""
        pairs = [(i, self._slot_of[i]) for i in idea_ids if i in self._slot_of]
        if not pairs:
            return {}
        scores = np.einsum("ij,j->i", self._matrix[[s for _, s in pairs]], query)
        return {i: float(v) for (i, _), v in zip(pairs, scores, strict=True)}
