"""The message catalogue: every key the code uses exists, and a new language needs no code change."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import CATALOGUES, Translator
from bot.i18n.en import MESSAGES

BOT = Path(__file__).resolve().parents[2] / "bot"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z][a-z0-9_.-]+)["']""")


def test_every_literal_key_in_the_core_is_in_the_english_catalogue() -> None:
    used = {key for path in BOT.rglob("*.py") for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no keys: the pattern is broken"
    assert sorted(used - {key.split("#")[0] for key in MESSAGES}) == []  # "key#one": a counted message


def test_key_families_built_at_run_time_are_complete() -> None:
    from bot.domain import Stage, Status
    from bot.review.policy import Decision

    for stage in Stage:
        assert f"stage.{stage.value}" in MESSAGES
    for status in Status:
        assert f"status.{status.value}" in MESSAGES
    for decision in Decision:
        for family in ("review.button", "review.outcome", "review.next"):
            assert f"{family}.{decision.value}" in MESSAGES


def test_a_new_language_is_a_new_catalogue() -> None:
    welsh = {"ask.description": "Beth yw eich syniad?"}
    t = Translator("cy-GB", {**CATALOGUES, "cy": welsh})
    assert t.locale == "cy"
    assert t("ask.description") == "Beth yw eich syniad?"
    assert t("ask.problem") == MESSAGES["ask.problem"]  # untranslated keys fall back to English
    assert Translator("fr").locale == "en"  # an unknown language falls back rather than failing


def test_user_text_in_parameters_is_never_reinterpreted() -> None:
    t = Translator()
    assert t("search.none", query="{greeting} and {0}") == 'I found nothing in the catalogue like "{greeting} and {0}".'
