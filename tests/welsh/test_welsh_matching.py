"""An idea written in Welsh finds the similar work written in English (the shipped tables, the real matcher)."""

from __future__ import annotations

import pytest

from bot.matching import CatalogueEntry, Matcher, SynonymTable, analyse
from storage.matching_data import load_demo_catalogue, load_synonym_table


@pytest.fixture(scope="module")
def table() -> SynonymTable:
    return load_synonym_table()


@pytest.fixture(scope="module")
def demo(table: SynonymTable) -> Matcher:
    matcher = Matcher(table)
    for idea_id, item in enumerate(load_demo_catalogue(), start=1):
        matcher.add(CatalogueEntry(idea_id, item["title"], item["description"], item["problem"],
                                   force_slug=item["force"]))
    return matcher


@pytest.mark.parametrize(("welsh", "english"), [
    ("dronau", "drones"), ("ddrôn", "UAV"), ("cam-drin domestig", "domestic abuse"), ("pobl ar goll", "MisPer"),
    ("teledu cylch cyfyng", "CCTV"), ("ymddygiad gwrthgymdeithasol", "ASB"), ("iechyd meddwl", "mental health"),
])
def test_welsh_terms_are_the_same_concepts_as_english(table: SynonymTable, welsh: str, english: str) -> None:
    assert table.lookup(welsh) is not None, welsh
    assert table.lookup(welsh) == table.lookup(english)


def test_welsh_function_words_say_nothing_about_the_idea(table: SynonymTable) -> None:
    terms = analyse("Mae gen i syniad: rydyn ni wedi bod yn defnyddio dronau i chwilio am bobl ar goll", table).terms
    assert not {"mae", "gen", "syniad", "rydyn", "ni", "wedi", "bod", "yn", "i", "am"} & set(terms)


def test_an_idea_written_in_welsh_finds_the_english_work(demo: Matcher) -> None:
    found = demo.match("Rydym yn defnyddio dronau gyda chamerâu thermol i chwilio am bobl ar goll yn y nos")
    assert found, "nothing found for a Welsh idea"
    top = found[0].entry
    assert "drone" in (top.title + top.description).lower()
    assert "drone" in found[0].shared or any("drone" in s for s in found[0].shared)
