"""Roundups in a channel's language: ``subscribe ... --lang en|cy|both``; ``both`` is one post, Welsh first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.bootstrap import Container
from adapters.slack.roundup_blocks import MAX_BLOCKS, blocks
from bot import admin
from bot.i18n import Translator
from bot.replies import Card, Reply, Text
from bot.roundups.content import RoundupContent
from bot.roundups.period import compose_in
from bot.roundups.planning import RoundupConfig
from scheduler.roundups import PLATFORM_BUDGETS
from storage.roundup_models import Subscription
from tests.bot.test_roundup import content, idea

FORCES = {"kent", "gwent"}
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _compose_in(lang: str, content: RoundupContent, config: RoundupConfig) -> list[Reply]:
    return compose_in(lang, content, config, PLATFORM_BUDGETS)


def header_labels(replies: list[Reply]) -> list[str]:
    """The first field label of each roundup header card ("Ideas shared" / "Syniadau a rannwyd")."""
    return [r.fields[0].label for r in replies if isinstance(r, Card) and r.kind == "roundup"]


def test_subscribe_takes_a_language_and_refuses_an_unknown_one() -> None:
    parsed = admin.parse("subscribe slack:T1:C1 --scope force:gwent --lang both", FORCES)
    assert isinstance(parsed, admin.Subscribe) and (parsed.scope, parsed.lang) == ("force:gwent", "both")
    assert admin.parse("subscribe slack:T1:C1 --scope network", FORCES).lang == "en"  # unchanged default
    with pytest.raises(admin.AdminError, match="use --lang en, cy or both"):
        admin.parse("subscribe slack:T1:C1 --scope network --lang fr", FORCES)


def test_the_language_is_stored_with_the_subscription(container: Container) -> None:
    said = container.admin.run(admin.parse("subscribe slack:T1:C9 --scope network --lang cy", FORCES), NOW)
    assert "in Welsh" in said
    with container.sessions() as s:
        assert s.scalars(select(Subscription.lang).where(Subscription.channel == "C9")).one() == "cy"


@pytest.mark.parametrize(("lang", "first", "second"), [("cy", "cy", None), ("en", "en", None), ("both", "cy", "en")])
def test_roundups_are_composed_in_the_channels_language(lang: str, first: str, second: str | None) -> None:
    config = RoundupConfig()
    replies = _compose_in(lang, content([idea(1), idea(2, force=2)], scope_name="Rhwydwaith"), config)
    expected = [Translator(first)("roundup.count.ideas")] + ([Translator(second)("roundup.count.ideas")]
                                                              if second else [])
    assert header_labels(replies) == expected
    if lang == "both":  # the two halves together still fit one Slack message
        assert sum(blocks(r) for r in replies) <= MAX_BLOCKS


def test_a_quiet_bilingual_roundup_says_so_in_both_languages_welsh_first() -> None:
    replies = _compose_in("both", content([]), RoundupConfig())
    assert [type(r) for r in replies] == [Text, Text]
    assert "wythnos dawel" in replies[0].text and "a quiet week" in replies[1].text  # type: ignore[union-attr]

