"""The similarity matcher: abbreviations, typos, explanations, incremental changes and robustness."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import (
    CatalogueEntry,
    Match,
    Matcher,
    MatchKind,
    SynonymTable,
    analyse,
    fold,
    parse_synonyms,
    stem,
    words,
)
from bot.matching.normalise import MAX_TOKENS
from bot.matching.typos import Vocabulary
from storage.matching_data import load_demo_catalogue, load_synonym_table

DRONES = CatalogueEntry(
    1, "Drones to search for missing persons",
    "Thermal imaging drones help search teams find missing persons on moorland and in woods at night.",
    "Searches for vulnerable missing persons took many officer hours.",
    force_slug="devon-and-cornwall", force_name="Devon and Cornwall Police",
)
DOMESTIC = CatalogueEntry(
    2, "Domestic abuse risk triage",
    "A daily meeting reviews every domestic abuse incident and plans support for high-risk victims.",
    "High-risk victims of domestic abuse waited weeks for a multi-agency safety plan.",
)
ROADS = CatalogueEntry(
    3, "Dashcam footage upload portal",
    "Drivers and cyclists upload dashcam video of dangerous driving through a web form for review.",
)


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


@pytest.fixture()
def small(table: SynonymTable) -> Matcher:
    matcher = Matcher(table)
    for entry in (DRONES, DOMESTIC, ROADS):
        matcher.add(entry)
    return matcher


def titles(matches: list[Match]) -> list[str]:
    return [m.entry.title for m in matches]


# ------------------------------------------------------------------------------- normalising


def test_fold_lowers_and_strips_accents() -> None:
    assert fold("Café NAÏVE Ærø") == "cafe naive ærø"
    assert words("Body-worn video, A&E & 999!") == ["body", "worn", "video", "ae", "999"]


def test_light_stemming_meets_common_forms() -> None:
    assert stem("searches") == stem("searching") == stem("search")
    assert stem("drones") == stem("drone")
    assert stem("automation") == stem("automate") == stem("automated")
    assert stem("patrolling") == stem("patrol")
    # Abbreviations are not mistaken for plurals.
    assert stem("cps") == "cps" and stem("dbs") == "dbs"


def test_synonym_table_parses_groups_and_skips_the_header() -> None:
    table = parse_synonyms("canonical,equivalents\n# comment\ndrone,UAV,unmanned aerial vehicle\n\n"
                           "domestic abuse,DA,DV\n")
    assert len(table) == 2
    uav = table.lookup("UAV")
    assert uav is not None and uav.readable == "drone"
    assert table.lookup("unmanned aerial vehicles") is uav
    da = table.lookup("dv")
    assert da is not None and da.readable == "domestic abuse"
    assert table.lookup("canonical") is None


def test_shipped_table_has_the_policing_abbreviations(table: SynonymTable) -> None:
    assert len(table) >= 40
    expected = {
        "UAV": "drone", "DA": "domestic abuse", "ASB": "anti-social behaviour",
        "VAWG": "violence against women and girls", "CSE": "child sexual exploitation",
        "ANPR": "automatic number plate recognition", "body worn camera": "body-worn video",
        "MisPer": "missing person", "RTA": "road traffic collision", "crash": "road traffic collision",
        "OCG": "organised crime group", "NPT": "neighbourhood policing team",
        "PCSO": "police community support officer", "DV": "domestic abuse",
    }
    for phrase, canonical in expected.items():
        concept = table.lookup(phrase)
        assert concept is not None and concept.readable == canonical, phrase


def test_analysis_expands_abbreviations_to_the_same_terms(table: SynonymTable) -> None:
    short = analyse("UAV for MisPer", table)
    long = analyse("unmanned aerial vehicle for missing persons", table)
    assert set(short.terms) == set(long.terms)
    assert analyse("well-being", table).terms == analyse("wellbeing", table).terms


def test_typo_vocabulary_corrects_within_bounds() -> None:
    vocab = Vocabulary()
    vocab.learn(["domestic", "abuse", "missing", "safeguarding", "drone", "van"])
    correct = vocab.corrector(lambda word: 0)
    assert correct("domestc") == "domestic"
    assert correct("misisng") == "missing"  # a swap of two letters is one edit
    assert correct("safegaurdnig") == "safeguarding"  # long words may have two edits
    assert correct("domestic") is None  # known words are left alone
    assert correct("vna") is None  # too short to correct
    assert correct("lemon") is None  # nothing close enough
    assert correct("xomestic") is None  # the first letter is trusted
    limited = vocab.corrector(lambda word: 0, lookups=1)
    assert limited("zzzzzz") is None
    assert limited("domestc") is None  # the look-up budget is spent


# ----------------------------------------------------------------------------------- matching


def test_abbreviations_find_an_entry_written_out_in_full(small: Matcher) -> None:
    found = small.match("UAV for missing people searches")
    assert found and found[0].entry.idea_id == DRONES.idea_id
    assert found[0].kind is MatchKind.LIKELY_DUPLICATE


def test_typos_are_forgiven(small: Matcher) -> None:
    found = small.match("domestc abuse risk meeting evry morning for high risk victms")
    assert found and found[0].entry.idea_id == DOMESTIC.idea_id


@pytest.mark.parametrize("text", [
    "recipe for lemon drizzle cake",
    "new canteen menu",
    "the weather is lovely today",
    "book a venue for the Christmas party",
])
def test_unrelated_text_stays_unmatched(demo: Matcher, text: str) -> None:
    assert demo.match(text) == []


def test_explanation_names_the_shared_phrases(small: Matcher) -> None:
    found = small.match("UAV for missing people searches")
    shared = found[0].shared
    assert "drone" in shared and "missing person" in shared
    assert 0 < len(shared) <= 5


def test_explanation_shows_the_canonical_phrase_for_an_abbreviation(small: Matcher) -> None:
    found = small.match("daily DA triage meeting for high risk victims")
    assert found[0].entry.idea_id == DOMESTIC.idea_id
    assert found[0].shared[0] == "domestic abuse"


def test_demo_catalogue_examples(demo: Matcher) -> None:
    assert titles(demo.match("bodyworn vidoe for pcsos"))[0] == "Body-worn video for PCSOs"
    assert titles(demo.match("Put MH nurses in the FCR to reduce s136 detentions"))[0] == \
        "Mental health nurses in the force control room"
    related = demo.match("An officer, a paramedic and a mental health worker patrol together")
    assert related[0].entry.title.startswith("Street triage car")


def test_exclude_and_limit(demo: Matcher) -> None:
    first = demo.match("drones", 3)
    assert first
    again = demo.match("drones", 3, exclude={first[0].entry.idea_id})
    assert first[0].entry.idea_id not in {m.entry.idea_id for m in again}
    assert len(demo.match("drones", 1)) == 1
    assert demo.match("drones", 0) == []


def test_search_accepts_short_queries_and_explains(demo: Matcher) -> None:
    found = demo.search("drones", 5)
    assert found and all("drone" in m.shared for m in found)
    assert "Thermal drones for missing person searches" in titles(found)
    assert demo.search("county lines")[0].entry.title.startswith("Disrupting county lines")
    assert demo.search("lemon drizzle") == []


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError):
        Matcher(duplicate_threshold=20, related_threshold=40)


# ------------------------------------------------------------------------- incremental changes


def test_add_remove_upsert(table: SynonymTable) -> None:
    matcher = Matcher(table)
    assert len(matcher) == 0 and matcher.match("drones for missing persons") == []
    matcher.add(DRONES)
    assert len(matcher) == 1 and DRONES.idea_id in matcher and 99 not in matcher
    assert titles(matcher.match("drones for missing persons")) == [DRONES.title]

    # Upsert: same id, new text; the old text no longer matches.
    renamed = CatalogueEntry(DRONES.idea_id, "Bike marking events", "PCSOs mark bicycles at supermarkets.")
    matcher.add(renamed)
    assert len(matcher) == 1
    assert matcher.match("drones for missing persons") == []
    assert titles(matcher.search("bike marking")) == ["Bike marking events"]

    matcher.add(DOMESTIC)
    matcher.remove(DRONES.idea_id)
    matcher.remove(12345)  # unknown ids are ignored
    assert len(matcher) == 1 and DRONES.idea_id not in matcher
    assert matcher.search("bike marking") == []
    assert titles(matcher.match("domestic abuse triage for high risk victims")) == [DOMESTIC.title]


def test_many_replacements_compact_the_index(table: SynonymTable) -> None:
    matcher = Matcher(table)
    for round_ in range(3):
        for idea_id in range(600):
            matcher.add(CatalogueEntry(idea_id, f"Entry {idea_id} round {round_}",
                                       f"Drones search woodland for missing persons, version {round_}."))
    assert len(matcher) == 600
    assert matcher._dead < 1300  # tombstones were cleared on the way
    found = matcher.match("drones to search woodland for missing persons", 3)
    assert len(found) == 3 and all("round 2" in m.entry.title for m in found)


def test_match_while_another_thread_adds(table: SynonymTable) -> None:
    matcher = Matcher(table)
    matcher.add(DRONES)
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            for idea_id in range(100, 1600):
                matcher.add(CatalogueEntry(idea_id, f"Drone project {idea_id}", "Drones search for missing persons."))
                if idea_id % 3 == 0:
                    matcher.remove(idea_id - 1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    while not stop.is_set():
        try:
            found = matcher.match("UAV for missing people searches", 3)
            assert len(found) <= 3
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            break
    thread.join()
    assert errors == []
    assert DRONES.idea_id in matcher


# --------------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("text", ["", "   ", "drones", "a", "!!!", "the and of", "🚓🚨👮‍♀️",
                                  "東京 警察 無人機", "Полиция беспилотник", "الشرطة", "x" * 50])
def test_odd_input_never_fails(demo: Matcher, text: str) -> None:
    for found in (demo.match(text), demo.search(text)):
        assert len(found) <= 5
        assert all(0 <= m.score <= 100 for m in found)


def test_non_latin_entries_can_be_matched(table: SynonymTable) -> None:
    matcher = Matcher(table)
    matcher.add(CatalogueEntry(7, "Беспилотники для поиска пропавших", "Беспилотники ищут пропавших людей."))
    assert titles(matcher.search("беспилотники поиска")) == ["Беспилотники для поиска пропавших"]


def test_very_long_query_is_bounded(demo: Matcher) -> None:
    long_text = ("drones searching for missing people on the moors " * 2000)[:10_000]
    assert len(long_text) == 10_000
    assert len(analyse(long_text).terms) <= MAX_TOKENS
    start = time.perf_counter()
    found = demo.match(long_text)
    assert time.perf_counter() - start < 1.0
    assert found and found[0].entry.title == "Thermal drones for missing person searches"
    gibberish = " ".join(f"zq{i}xv" for i in range(3000))
    start = time.perf_counter()
    assert demo.match(gibberish) == []
    assert time.perf_counter() - start < 1.0


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400), limit=st.integers(min_value=0, max_value=6))
def test_arbitrary_text_property(demo: Matcher, text: str, limit: int) -> None:
    for found in (demo.match(text, limit), demo.search(text, limit)):
        assert len(found) <= limit
        scores = [m.score for m in found]
        assert all(0.0 <= s <= 100.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({m.entry.idea_id for m in found}) == len(found)
        assert all(len(m.shared) <= 5 for m in found)


@settings(max_examples=60, deadline=None)
@given(text=st.lists(st.sampled_from(
    ["drone", "UAV", "missing", "domestc", "abuse", "DA", "ASB", "PCSO", "body", "worn", "video", "the",
     "for", "county", "lines", "crash", "RTC", "&", "A&E", "well-being", "🚓", "Café"]), max_size=30))
def test_policing_word_soup_property(demo: Matcher, text: list[str]) -> None:
    found = demo.match(" ".join(text), 3)
    assert len(found) <= 3
    assert all(0.0 <= m.score <= 100.0 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(m.kind in (MatchKind.LIKELY_DUPLICATE, MatchKind.RELATED) for m in found)
