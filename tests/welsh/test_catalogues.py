"""Welsh and English catalogues: the same keys, the same placeholders, and CLDR plurals in both."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from bot.i18n import CATALOGUES, Translator, language_of, plurals
from bot.i18n.cy import MESSAGES as WELSH
from bot.i18n.en import MESSAGES as ENGLISH

FIELD = string.Formatter()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in FIELD.parse(template) if name}


def base(key: str) -> str:
    return key.split("#", 1)[0]


def test_every_key_is_in_both_catalogues() -> None:
    english, welsh = {base(k) for k in ENGLISH}, {base(k) for k in WELSH}
    assert sorted(english - welsh) == [], "keys with no Welsh"
    assert sorted(welsh - english) == [], "Welsh keys that English lacks"


@pytest.mark.parametrize("key", sorted({base(k) for k in ENGLISH}))
def test_every_form_of_a_message_has_the_english_placeholders(key: str) -> None:
    english = {k: v for k, v in ENGLISH.items() if base(k) == key}
    welsh = {k: v for k, v in WELSH.items() if base(k) == key}
    wanted = set().union(*(placeholders(v) for v in english.values()))
    for k, template in {**english, **welsh}.items():
        assert placeholders(template) == wanted, k
    assert all(v.strip() for v in welsh.values())


def test_count_aware_messages_have_every_plural_form_of_their_language() -> None:
    plural_keys = {base(k) for k in {**ENGLISH, **WELSH} if "#" in k}
    assert plural_keys, "no count-aware messages: the scan is broken"
    for key in plural_keys:
        assert {f"{key}#one", f"{key}#other"} <= set(ENGLISH), key
        assert key not in ENGLISH and key not in WELSH, f"{key} has both a plain and a counted form"
        assert {f"{key}#{c}" for c in plurals.CATEGORIES} <= set(WELSH), key


@pytest.mark.parametrize(("n", "english", "welsh"), [
    (0, "other", "zero"), (1, "one", "one"), (2, "other", "two"), (3, "other", "few"), (6, "other", "many"),
    (20, "other", "other"),
])
def test_cldr_plural_categories(n: int, english: str, welsh: str) -> None:
    assert plurals.plural_category("en", n) == english
    assert plurals.plural_category("cy", n) == welsh


@pytest.mark.parametrize(("n", "english", "welsh"), [
    (0, "0 days", "0 diwrnod"), (1, "1 day", "1 diwrnod"), (2, "2 days", "2 ddiwrnod"),
    (3, "3 days", "3 diwrnod"), (6, "6 days", "6 diwrnod"), (20, "20 days", "20 diwrnod"),
])
def test_counted_messages_never_say_1_days(n: int, english: str, welsh: str) -> None:
    assert Translator("en")("roundup.waiting.days", count=n) == english
    assert Translator("cy")("roundup.waiting.days", count=n) == welsh  # 2: soft mutation, "dau ddiwrnod"


def test_reminders_count_working_days_in_both_languages() -> None:
    en, cy = Translator("en"), Translator("cy")
    assert "waited 1 working day for" in en("review.reminder", ref=4, force="Kent Police", count=1)
    assert "waited 6 working days for" in en("review.reminder", ref=4, force="Kent Police", count=6)
    assert "wedi aros 2 ddiwrnod gwaith am" in cy("review.reminder", ref=4, force="Heddlu Gwent", count=2)
    assert en("roundup.more.title", count=1) == "…and 1 more idea"
    assert en("roundup.more.title", count=1200) == "…and 1,200 more ideas"  # numbers through CLDR too


def test_dates_through_cldr() -> None:
    assert Translator("en").date(date(2026, 12, 4)) == "4 December 2026"
    assert Translator("cy").date(date(2026, 12, 4)) == "4 Rhagfyr 2026"
    assert Translator("cy").date(date(2026, 7, 1)) == "1 Gorffennaf 2026"


def test_platform_locales_pick_the_catalogue() -> None:
    assert language_of("cy-GB") == language_of("cy_GB") == language_of("CY") == "cy"
    assert language_of("en-US") == language_of("fr-FR") == language_of("") == language_of(None) == "en"
    assert Translator("cy-GB")("button.submit") == "Cyflwyno"
    assert set(CATALOGUES) == {"en", "cy"}


def test_the_welsh_catalogue_says_it_needs_a_fluent_review_and_lists_its_glossary() -> None:
    from bot.i18n import cy

    doc = cy.__doc__ or ""
    assert "REVIEW BEFORE GO-LIVE" in doc and "fluent Welsh speaker" in doc
    glossary = dict(re.findall(r"^    ([a-z][a-z ()/#-]+?)\s{2,}(\S.*)$", doc, re.MULTILINE))
    for word, welsh in {"idea": "syniad", "innovation broker": "brocer arloesi", "force": "heddlu",
                        "officer": "swyddog", "innovation": "arloesi"}.items():
        assert glossary[word].startswith(welsh), word


def test_welsh_forces_have_their_welsh_names_in_the_shipped_data() -> None:
    from tests.bot.dialogue import load_forces

    welsh = {f.slug: f.name_in("cy") for f in load_forces() if f.in_wales}
    assert welsh == {"dyfed-powys": "Heddlu Dyfed-Powys", "gwent": "Heddlu Gwent",
                     "north-wales": "Heddlu Gogledd Cymru", "south-wales": "Heddlu De Cymru"}


# Words after which Welsh mutates the next word (soft: am, ar, at, gan, heb, i, o, dan, dros, drwy, wrth, hyd,
# dy, ei, neu, y (feminine nouns), pa, mor, rhy, dau, dwy; aspirate: a, â, gyda, tua, tri, chwe; nasal: fy,
# yn). A placeholder there cannot take the mutation its value needs, so only values that never mutate may
# follow one: numbers and dates (written as digits), people's names and force names (proper names are not
# mutated in Welsh public-service writing, and the Welsh forces' names begin with "Heddlu", which no
# mutation changes), and quoted or listed text. Anything else (a field label, a status, a theme) is written
# so that it does not follow such a word: "y maes ‘{field}’", "mae #{ref} nawr {status}".
MUTATING = {"am", "ar", "at", "gan", "heb", "i", "o", "dan", "dros", "drwy", "wrth", "hyd", "dy", "ei", "neu", "y",
            "pa", "mor", "rhy", "dau", "dwy", "a", "â", "gyda", "tua", "tri", "chwe", "fy", "yn"}
NEVER_MUTATED = {"force", "name", "count", "limit", "length", "date", "start", "end", "first", "last", "most",
                 "total", "ref", "doc", "period", "when", "days", "n",
                 "channel",  # a channel's name or reference, as the platform writes it
                 # literal tokens shown to be typed as they stand: command syntax, ids, periods, URL schemes
                 "second", "third", "team", "channel_id", "year", "nearby", "command", "column", "http", "person",
                 "https"}


def test_no_placeholder_that_would_need_a_mutation_follows_a_mutating_word() -> None:
    found = {}
    for key, template in WELSH.items():
        for word, name in re.findall(r"(?:^|[\s(])([A-Za-zâ']+)\s+\{(\w+)\}", template):
            if word.lower() in MUTATING and name not in NEVER_MUTATED:
                found[key] = f"{word} {{{name}}}"
    assert found == {}


def test_every_welsh_force_name_is_immune_to_mutation() -> None:
    from tests.bot.dialogue import load_forces

    welsh = [f.name_in("cy") for f in load_forces() if f.in_wales]
    assert welsh and all(name.startswith("Heddlu ") for name in welsh), welsh
