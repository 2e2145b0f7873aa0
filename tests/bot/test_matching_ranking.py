"""Pruning the fuzzy comparisons changes no answer: the best few found while skipping candidates whose
upper bound cannot reach the results are exactly the head of the full ranking (real model, the hard
evaluation set's 305 entries and its queries)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.matching import CatalogueEntry, Matcher, scoring
from bot.matching import semantic as sem
from storage.matching_data import load_synonym_table
from storage.semantic_model import shared_embedder

HARD = Path(__file__).resolve().parents[2] / "bench" / "data" / "matching_eval_hard.json"


@pytest.fixture(scope="module")
def hard() -> tuple[Matcher, list[str]]:
    data = json.loads(HARD.read_text(encoding="utf-8"))
    embedder = shared_embedder()
    assert embedder is not None
    matcher = Matcher(load_synonym_table(), embedder=embedder)
    matcher.add_many(CatalogueEntry(i, e["title"], e["description"], e["problem"])
                     for i, e in enumerate(data["catalogue"], start=1))
    return matcher, [q["query"] for q in data["queries"]][::3]


def _key(matches: list) -> list[tuple[int, float]]:  # type: ignore[type-arg]
    return [(m.entry.idea_id, m.score) for m in matches]


def test_the_best_three_are_the_head_of_the_full_ranking(hard: tuple[Matcher, list[str]]) -> None:
    matcher, queries = hard
    shown = 0
    for text in queries:
        top = matcher.match(text, 3, explain=False)
        everything = matcher.match(text, 1_000, explain=False)
        assert _key(top) == _key(everything[:3]), text
        shown += bool(top)
        for m in everything:  # each score is the fusion of the two it reports
            assert m.meaning is not None
            assert m.score == pytest.approx(sem.fuse(m.lexical, m.meaning), abs=0.5)  # both are rounded
    assert shown > len(queries) // 2


def test_search_prunes_exactly_too(hard: tuple[Matcher, list[str]]) -> None:
    matcher, queries = hard
    for text in queries[:20]:
        assert _key(matcher.search(text, 2)) == _key(matcher.search(text, 1_000)[:2]), text


def test_few_candidates_are_compared_in_full(hard: tuple[Matcher, list[str]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    matcher, queries = hard
    # No threshold, so nothing but the bounds can spare a candidate its fuzzy comparison.
    open_matcher = Matcher(load_synonym_table(), related_threshold=0.0, embedder=matcher.embedder)
    data = json.loads(HARD.read_text(encoding="utf-8"))
    open_matcher.add_many(CatalogueEntry(i, e["title"], e["description"], e["problem"])
                          for i, e in enumerate(data["catalogue"], start=1))
    compared: list[int] = []
    original = scoring.Score.with_fuzzy

    def counting(self: scoring.Score, query_text: str, doc_text: str) -> scoring.Score:
        compared.append(1)
        return original(self, query_text, doc_text)

    monkeypatch.setattr(scoring.Score, "with_fuzzy", counting)
    for text in queries:
        assert _key(open_matcher.match(text, 3, explain=False)) == _key(open_matcher.match(text, 1_000,
                                                                                         explain=False)[:3])
    compared.clear()
    for text in queries:
        open_matcher.match(text, 3, explain=False)
    few = len(compared)
    compared.clear()
    for text in queries:
        open_matcher.match(text, 1_000, explain=False)
    assert few < len(compared) / 3, (few, len(compared))
