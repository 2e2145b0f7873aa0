"""The in-memory similarity index: inverted index for candidates, rapidfuzz and IDF for ranking.

A query never scans the catalogue. Its terms are looked up in an inverted index, rarest first, and the
entries sharing the most (IDF-weighted) terms become candidates; at most ``MAX_CANDIDATES`` of them
are then scored properly (see ``scoring``). The number of postings read per query is capped, so a
query made only of very common words stays fast on a catalogue of a million entries: such words still
count when candidates are scored, they just do not pick candidates.

Entries live in numbered slots. Removing or replacing an entry empties its slot (a tombstone) rather
than editing every posting list it appears in; when tombstones outnumber live entries the postings are
rebuilt from the stored terms, so each change costs O(entry size) amortised.

With an ``Embedder`` the matcher is hybrid (see ``semantic``): the lexical candidates and the entries
nearest in meaning (``vectors``) are pooled, each gets both scores, and the fused score ranks them. An
entry's vector is given to ``add`` when it was stored before (the usual case), or computed there.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Collection, Iterable

from bot.matching import scoring, semantic
from bot.matching.candidates import pick_candidates
from bot.matching.meaning import MeaningExplainer
from bot.matching.model import CatalogueEntry, Match, MatchKind
from bot.matching.normalise import stem
from bot.matching.ranking import Doc, Ranked, best
from bot.matching.synonyms import EMPTY_TABLE, Analysis, SynonymTable, analyse
from bot.matching.typos import Corrector, Vocabulary
from bot.matching.vectors import Vector, VectorIndex

MIN_COMPACT = 1024  # tombstones tolerated before a rebuild is considered
SEMANTIC_POOL = 10  # entries nearest in meaning added to the pool of each query
LEXICAL_FLOOR = 8.0  # lexical scores below this are not worth a fuzzy comparison


class Matcher:
    """Finds catalogue entries similar to a piece of text. Thread-safe: one lock guards all state.

    Matching is CPU-bound Python, so under the GIL readers would not run in parallel anyway; one plain
    lock keeps ``add`` from changing the posting lists under a running query at no real cost.
    """

    def __init__(
        self,
        synonyms: SynonymTable | None = None,
        *,
        duplicate_threshold: float = scoring.DUPLICATE_THRESHOLD,
        related_threshold: float = scoring.RELATED_THRESHOLD,
        search_threshold: float = scoring.SEARCH_THRESHOLD,
        embedder: semantic.Embedder | None = None,
    ) -> None:
        if not 0 <= related_threshold <= duplicate_threshold <= 100:
            raise ValueError("need 0 <= related_threshold <= duplicate_threshold <= 100")
        self._table = synonyms if synonyms is not None else EMPTY_TABLE
        self.duplicate_threshold = duplicate_threshold
        self.related_threshold = related_threshold
        self.search_threshold = search_threshold
        self._lock = threading.Lock()
        self._docs: list[Doc | None] = []
        self._slot_of: dict[int, int] = {}
        self._postings: dict[str, list[int]] = {}
        self._df: dict[str, int] = {}
        self._dead = 0
        # Words of the entries and of the synonym table, to correct misspelt query words towards.
        self._vocab = Vocabulary()
        self._vocab.learn(sorted(self._table.vocabulary))
        self.embedder = embedder
        self._vectors = VectorIndex(embedder.dim) if embedder is not None else None
        self._meaning = MeaningExplainer(embedder) if embedder is not None else None

    @property
    def semantic(self) -> bool:
        """Whether meaning counts as well as words."""
        return self._vectors is not None

    # ----------------------------------------------------------------------------------- changes

    def add(self, entry: CatalogueEntry, vector: Vector | None = None) -> None:
        """Add ``entry``, replacing any entry with the same ``idea_id``. ``vector`` is its stored
        embedding; without one (and with an embedder) it is computed here."""
        if self.embedder is not None and vector is None:
            vector = self.embedder.embed([semantic.entry_text(entry)])[0]
        self._add_words(entry)
        if self._vectors is not None and vector is not None:
            with self._lock:
                self._vectors.add(entry.idea_id, vector)

    def add_many(self, entries: Iterable[CatalogueEntry],
                 vectors: Callable[[int], Vector | None] | None = None) -> None:
        """Add each entry, with its stored vector where ``vectors`` has one; the others are embedded in
        batches (far faster than one at a time), and the vectors go into the index in one bulk load."""
        items = list(entries)
        known = [vectors(e.idea_id) if vectors is not None else None for e in items]
        if self.embedder is not None:
            todo = [i for i, v in enumerate(known) if v is None]
            if todo:
                fresh = self.embedder.embed([semantic.entry_text(items[i]) for i in todo])
                for i, vector in zip(todo, fresh, strict=True):
                    known[i] = vector
        for entry in items:
            self._add_words(entry)
        if self._vectors is not None:
            with self._lock:
                self._vectors.add_many((e.idea_id, v) for e, v in zip(items, known, strict=True) if v is not None)

    def _add_words(self, entry: CatalogueEntry) -> None:
        title = analyse(entry.title, self._table, explain=False)
        body = analyse(f"{entry.description}\n{entry.problem}", self._table, explain=False)
        # No interning needed: ``stem`` is cached, so equal stems are already one string object.
        terms = tuple(dict.fromkeys(title.terms + body.terms))
        title_terms = tuple(dict.fromkeys(title.terms))
        doc = Doc(entry, terms, title_terms, f"{title.text} {body.text}")
        with self._lock:
            self._drop(entry.idea_id)
            slot = len(self._docs)
            self._docs.append(doc)
            self._slot_of[entry.idea_id] = slot
            self._index(slot, terms)
            self._vocab.learn(title.words)
            self._vocab.learn(body.words)
            self._maybe_compact()
            if self._meaning is not None:
                self._meaning.forget(entry.idea_id)

    def remove(self, idea_id: int) -> None:
        """Forget ``idea_id``; unknown ids are ignored."""
        with self._lock:
            self._drop(idea_id)
            self._maybe_compact()
            if self._vectors is not None:
                self._vectors.remove(idea_id)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, idea_id: object) -> bool:
        return idea_id in self._slot_of

    def _index(self, slot: int, terms: tuple[str, ...]) -> None:
        postings, df = self._postings, self._df
        for term in terms:
            plist = postings.get(term)
            if plist is None:
                postings[term] = [slot]
                df[term] = 1
            else:
                plist.append(slot)
                df[term] = df.get(term, 0) + 1  # 0: every entry having it was removed

    def _drop(self, idea_id: int) -> None:
        slot = self._slot_of.pop(idea_id, None)
        if slot is None:
            return
        doc = self._docs[slot]
        self._docs[slot] = None
        self._dead += 1
        if doc is not None:
            for term in doc.terms:
                left = self._df[term] - 1
                if left:
                    self._df[term] = left
                else:
                    del self._df[term]

    def _maybe_compact(self) -> None:
        if self._dead < MIN_COMPACT or self._dead < len(self._slot_of):
            return
        live = [doc for doc in self._docs if doc is not None]
        self._docs, self._slot_of, self._postings, self._dead = [], {}, {}, 0
        self._df = {}
        for doc in live:
            slot = len(self._docs)
            self._docs.append(doc)
            self._slot_of[doc.entry.idea_id] = slot
            self._index(slot, doc.terms)

    # ------------------------------------------------------------------------------------ queries

    def match(self, text: str, limit: int = 3, *, exclude: Collection[int] = (), explain: bool = True) -> list[Match]:
        """Entries similar to ``text`` (RELATED or better), best first, at most ``limit``. ``explain=False``
        skips the closest-sentence explanations (for callers that show only titles)."""
        return self._query(text, limit, exclude, search=False, explain=explain)

    def search(self, text: str, limit: int = 5) -> list[Match]:
        """Entries for an explicit search: short queries are fine and the bar is a little lower."""
        return self._query(text, limit, (), search=True, explain=True)

    def _query(self, text: str, limit: int, exclude: Collection[int], *, search: bool,
               explain: bool) -> list[Match]:
        if limit <= 0 or not text or not text.strip():
            return []
        # The query's vector is computed outside the lock: the model is the slow part, and it has its own.
        vector = None
        if self.embedder is not None and self._vectors is not None and len(self._vectors):
            vector = self.embedder.embed([semantic.clip_query(text)])[0]
        threshold = self.search_threshold if search else self.related_threshold
        with self._lock:
            query = analyse(text, self._table, self._corrector())
            weights = self._weights(query)
            idf = functools.lru_cache(maxsize=None)(self._idf)
            prepared = scoring.prepare(query, weights)
            if vector is None:
                ranked = self._lexical(prepared, idf, limit, exclude, search, threshold) if query.terms else []
                cosines: dict[int, float] = {}
            else:
                ranked, cosines = self._hybrid(prepared, idf, vector, limit, exclude, search, threshold)
            found: list[Match] = []
            for value, idea_id, full, doc in ranked:
                cosine = cosines.get(idea_id)
                kind = MatchKind.LIKELY_DUPLICATE if semantic.is_likely_duplicate(
                    full.match, cosine, self.duplicate_threshold) else MatchKind.RELATED
                shared = scoring.explain(query, weights, doc.terms, doc.text, self._table) if full.evidence else ()
                found.append(Match(doc.entry, round(value, 1), kind, shared,
                                   meaning=None if cosine is None else round(cosine, 3),
                                   lexical=round(full.search if search else full.match, 1)))
        if self._meaning is not None and vector is not None and explain:
            # Matches resting on meaning more than on words say which sentence of the entry is closest.
            led = [m for m in found if len(m.shared) < semantic.MEANING_LED]
            if led:
                explained = {m.entry.idea_id: m for m in self._meaning.explain(led, vector)}
                found = [explained.get(m.entry.idea_id, m) for m in found]
        return found

    def _bounds(self, prepared: scoring.PreparedQuery, idf: Callable[[str], float], exclude: Collection[int],
                search: bool) -> dict[int, tuple[float, scoring.Score, Doc]]:
        """Each lexical candidate's score before the fuzzy signal (an upper bound of its lexical score)."""
        found: dict[int, tuple[float, scoring.Score, Doc]] = {}
        if not prepared.weights:
            return found
        docs = self._docs
        for slot in pick_candidates(prepared.weights, self._postings, lambda slot: docs[slot] is not None,
                                    self._dead > 0):
            doc = docs[slot]
            if doc is None or doc.entry.idea_id in exclude:
                continue
            found[doc.entry.idea_id] = self._bound(prepared, doc, idf, search)
        return found

    def _bound(self, prepared: scoring.PreparedQuery, doc: Doc, idf: Callable[[str], float],
               search: bool) -> tuple[float, scoring.Score, Doc]:
        self._refresh_weights(doc, idf)
        bound = scoring.score(prepared, doc.terms, doc.title_terms, idf, doc.title_weight)
        return (bound.search if search else bound.match), bound, doc

    def _lexical(self, prepared: scoring.PreparedQuery, idf: Callable[[str], float], limit: int,
                 exclude: Collection[int], search: bool, threshold: float) -> list[Ranked]:
        """Words alone: the ``limit`` best candidates scoring at least ``threshold``, best first."""
        bounds = self._bounds(prepared, idf, exclude, search)
        return best(((upper, idea_id) for idea_id, (upper, _, _) in bounds.items()), bounds, prepared, limit,
                     threshold, lambda lexical, _: lexical, search)

    def _hybrid(self, prepared: scoring.PreparedQuery, idf: Callable[[str], float], vector: Vector, limit: int,
                exclude: Collection[int], search: bool, threshold: float) -> tuple[list[Ranked], dict[int, float]]:
        """Words and meaning: the ``limit`` best fused scores among the lexical candidates (lexical score at
        least ``LEXICAL_FLOOR``) and the ``SEMANTIC_POOL`` entries nearest in meaning, best first, with
        the cosines. The fuzzy comparison (the costly part of a lexical score) runs only on candidates whose
        fused upper bound could still reach the results."""
        assert self._vectors is not None
        bounds = self._bounds(prepared, idf, exclude, search)
        near = self._vectors.nearest(vector, SEMANTIC_POOL, exclude)
        nearest = {idea_id for idea_id, _ in near}
        cosines = dict(near)
        for idea_id in nearest:
            if idea_id not in bounds and (slot := self._slot_of.get(idea_id)) is not None:
                doc = self._docs[slot]
                if doc is not None:
                    bounds[idea_id] = self._bound(prepared, doc, idf, search)
        cosines.update(self._vectors.similarity(vector, [i for i in bounds if i not in cosines]))

        def fused(lexical: float, idea_id: int) -> float:
            if lexical < LEXICAL_FLOOR and idea_id not in nearest:
                return -1.0  # too few words in common, and not near enough in meaning, to be a candidate
            return semantic.fuse(lexical, cosines.get(idea_id))

        uppers = ((semantic.fuse(upper, cosines.get(idea_id)), idea_id) for idea_id, (upper, _, _) in bounds.items())
        return best(uppers, bounds, prepared, limit, threshold, fused, search), cosines

    def _idf(self, term: str) -> float:
        """BM25's IDF, always positive; a term no entry has counts as if one entry had it."""
        n = len(self._slot_of)
        df = max(1, self._df.get(term, 0))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _refresh_weights(self, doc: Doc, idf: Callable[[str], float]) -> None:
        """Recompute ``doc.title_weight`` once the catalogue has changed size by more than 5 % since it
        was computed (IDF moves slowly with size)."""
        n = len(self._slot_of)
        if abs(n - doc.weight_n) > 0.05 * n:
            doc.title_weight = sum(idf(t) for t in doc.title_terms)
            doc.weight_n = n

    def _weights(self, query: Analysis) -> dict[str, float]:
        """IDF weight of each distinct query term, lowered for typo-corrected terms."""
        return {t: self._idf(t) * (scoring.CORRECTED_WEIGHT if t in query.corrected else 1.0)
                for t in dict.fromkeys(query.terms)}

    def _corrector(self) -> Corrector:
        df = self._df
        return self._vocab.corrector(lambda word: df.get(stem(word), 0))
