"""How similar one candidate is to a query, and why.

The score blends four signals, each in 0..1:

* ``cover_query``: the share of the query's IDF weight that the entry shares. The main signal: an
  officer's idea is a duplicate when what they describe is already there.
* ``cover_title``: the share of the entry's *title* weight found in the query. Titles name the idea
  in a few words, so matching one is stronger evidence than matching a stray word of the description.
* ``cover_entry``: the share of the entry's distinct terms that the query shares (square-rooted,
  since entries are longer than queries). Unweighted on purpose: weighting it changed no ranking in
  the evaluation and cost an IDF look-up per term of every candidate.
* ``fuzzy``: rapidfuzz's ``token_set_ratio`` on the analysed texts, which rewards word-for-word
  overlap regardless of order and catches near-identical wording the weights alone undervalue.

For ``match`` (run on every description an officer types) the blend is scaled down when fewer than
``FULL_EVIDENCE`` distinct words or phrases are shared, so that one shared word cannot make a
"likely duplicate". ``search`` is an explicit request for a few words, so it skips that scaling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.matching.model import MAX_SHARED
from bot.matching.synonyms import Analysis, SynonymTable

DUPLICATE_THRESHOLD = 62.0
RELATED_THRESHOLD = 30.0
SEARCH_THRESHOLD = 30.0
CORRECTED_WEIGHT = 0.8  # a typo-corrected word is probably, not surely, the word it was mapped to
FULL_EVIDENCE = 3.0  # shared words/phrases needed before a match gets its full score

_W_QUERY, _W_TITLE, _W_ENTRY, _W_FUZZY = 0.45, 0.2, 0.15, 0.2


@dataclass(frozen=True)
class Score:
    """The signals for one candidate; ``fuzzy`` stays at its maximum, 1.0, until measured, so that
    an unmeasured score is an upper bound and rapidfuzz runs only on candidates that could still win."""

    cover_query: float
    cover_title: float
    cover_entry: float
    evidence: float  # distinct shared words/phrases
    fuzzy: float = 1.0

    @property
    def match(self) -> float:
        """0..100, used by ``Matcher.match``."""
        blend = (_W_QUERY * self.cover_query + _W_TITLE * self.cover_title + _W_ENTRY * self.cover_entry
                 + _W_FUZZY * self.fuzzy)
        return 100.0 * blend * math.sqrt(min(1.0, self.evidence / FULL_EVIDENCE))

    @property
    def search(self) -> float:
        """0..100, used by ``Matcher.search``: no penalty for a short query."""
        return 100.0 * (0.6 * self.cover_query + 0.2 * self.cover_title + 0.2 * self.fuzzy)

    def with_fuzzy(self, query_text: str, doc_text: str) -> Score:
        measured = float(fuzz.token_set_ratio(query_text, doc_text)) / 100.0 if self.evidence else 0.0
        return Score(self.cover_query, self.cover_title, self.cover_entry, self.evidence, measured)


@dataclass(frozen=True)
class PreparedQuery:
    """What scoring needs from a query, computed once per query rather than once per candidate."""

    analysis: Analysis
    weights: dict[str, float]  # distinct term -> IDF weight
    total: float  # sum of the weights
    concept_parts: tuple[tuple[str, frozenset[str]], ...]  # (concept key, the stems it expands to)


def prepare(query: Analysis, weights: dict[str, float]) -> PreparedQuery:
    parts = tuple((c.key, frozenset(c.stems) - {c.key}) for c in dict.fromkeys(query.concepts))
    return PreparedQuery(query, weights, sum(weights.values()), parts)


def score(
    query: PreparedQuery,
    doc_terms: tuple[str, ...],
    title_terms: tuple[str, ...],
    idf: Callable[[str], float],
    title_weight: float,
) -> Score:
    """Everything but the fuzzy signal (see ``Score.with_fuzzy``)."""
    weights = query.weights
    shared = [t for t in doc_terms if t in weights]
    evidence = len(shared)
    if query.concept_parts and shared:  # a shared concept hides the words it expands to
        shared_set = set(shared)
        hidden: set[str] = set()
        for key, parts in query.concept_parts:
            if key in shared_set:
                hidden |= parts
        evidence -= len(hidden & shared_set)
    return Score(
        cover_query=sum(weights[t] for t in shared) / (query.total or 1.0),
        cover_title=sum(idf(t) for t in title_terms if t in weights) / (title_weight or 1.0),
        cover_entry=math.sqrt(len(shared) / (len(doc_terms) or 1)),
        evidence=float(evidence),
    )


def _units(query: Analysis, shared: set[str]) -> list[str]:
    """Shared terms counted once per idea: a shared concept hides the words it expands to."""
    hidden = {part for c in query.concepts if c.key in shared for part in c.stems if part != c.key}
    return [t for t in dict.fromkeys(query.terms) if t in shared and t not in hidden]


def explain(
    query: Analysis,
    weights: dict[str, float],
    doc_terms: tuple[str, ...],
    doc_text: str,
    table: SynonymTable,
) -> tuple[str, ...]:
    """What the query and the entry share, readable, most telling first, at most MAX_SHARED.

    Shared synonym concepts come first as their canonical phrase ("domestic abuse" for "DA"), then
    two-word phrases found in both texts, then single words by weight.
    """
    shared = {t for t in doc_terms if t in weights}
    units = _units(query, shared)
    padded = f" {doc_text} "
    phrases: list[tuple[float, str, set[str]]] = []
    for term in units:
        concept = table.concept(term)
        if concept is not None:  # listed first, hiding the words it expands to
            phrases.append((weights[term] + 100.0, query.readable[term], {term, *concept.stems}))
    for first, second in zip(query.terms, query.terms[1:], strict=False):
        if first != second and first in shared and second in shared and f" {first} {second} " in padded:
            pair_weight = weights[first] + weights[second]
            phrases.append((pair_weight + 50.0, f"{query.readable[first]} {query.readable[second]}",
                            {first, second}))
    used: set[str] = set()
    result: list[str] = []
    for _, text, terms in sorted(phrases, key=lambda p: -p[0]):
        if terms & used or text in result:
            continue
        used |= terms
        result.append(text)
    for term in sorted(units, key=lambda t: -weights[t]):
        if term not in used and query.readable.get(term, term) not in result:
            used.add(term)
            result.append(query.readable.get(term, term))
    return tuple(result[:MAX_SHARED])
