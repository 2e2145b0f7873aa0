"""Roundup composition: grouping, counts, quiet periods, anonymity, and platform size limits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pytest

from adapters.slack.roundup_blocks import BUDGET as BLOCKS
from adapters.slack.roundup_blocks import MAX_BLOCKS as SLACK_MAX_BLOCKS
from adapters.slack.roundup_blocks import blocks as slack_blocks
from adapters.teams.roundup_card import BUDGET as CARD_BYTES
from adapters.teams.roundup_card import MAX_CARD_BYTES as TEAMS_MAX_CARD_BYTES
from adapters.teams.roundup_card import card_bytes
from bot.codec import reply_from_json, reply_to_json
from bot.i18n import Translator
from bot.replies import Card, Reply, Text
from bot.roundups import compose as composer
from bot.roundups.budget import Budget
from bot.roundups.compose import CONNECT_ACTION
from bot.roundups.content import (
    BadScope,
    PairSide,
    QuietMode,
    RoundupContent,
    RoundupIdea,
    Scope,
    SimilarPair,
    WaitingIdea,
)
from bot.roundups.schedule import Frequency
from bot.roundups.similar import similar_pairs
from bot.roundups.text import summarise

t = Translator("en")
THEMES = [("cybercrime", "Cybercrime"), ("serious-violence", "Serious violence"), ("neighbourhood-crime",
                                                                                  "Neighbourhood crime")]
FORCES = [("kent", "Kent Police"), ("essex", "Essex Police"), ("dyfed-powys", "Dyfed-Powys Police")]


def idea(n: int, *, theme: int | None = 0, force: int = 0, name: str | None = "PC Sam Taylor",
         stage: str = "being-tried", connectable: bool = True, long: bool = False) -> RoundupIdea:
    theme_slug, theme_name = THEMES[theme] if theme is not None else (None, None)
    words = " ".join(["Officers"] + ["patrolled"] * (60 if long else 5)) + "."
    return RoundupIdea(n, f"Idea number {n} about <b>drones</b> & *QR codes*" + (" extra" * 40 if long else ""),
                       summarise(f"{words} A second sentence that is left out."), FORCES[force][0], FORCES[force][1],
                       theme_slug, theme_name, stage, name, connectable)


def content(ideas: Sequence[RoundupIdea], **kwargs: object) -> RoundupContent:
    values: dict[str, object] = {"scope_name": "", "first_day": date(2026, 11, 23), "last_day": date(2026, 11, 30),
                                 "frequency": Frequency.WEEKLY, "ideas": ideas, **kwargs}
    return RoundupContent(**values)  # type: ignore[arg-type]


def budgets(max_blocks: int = SLACK_MAX_BLOCKS, max_bytes: int = TEAMS_MAX_CARD_BYTES) -> tuple[Budget, ...]:
    """Both platforms' budgets, as the clock hands them to the composer (with other limits when given)."""
    return Budget("blocks", max_blocks, slack_blocks), Budget("card bytes", max_bytes, card_bytes)


def compose(content: RoundupContent, t: Translator, *, quiet: QuietMode = QuietMode.NOTE,
            limits: tuple[Budget, ...] = (BLOCKS, CARD_BYTES)) -> list[Reply]:
    return composer.compose(content, t, quiet=quiet, budgets=limits)


def total_blocks(replies: Sequence[Reply]) -> int:
    return BLOCKS.total(replies)


def total_bytes(replies: Sequence[Reply]) -> int:
    return CARD_BYTES.total(replies)


def cards(replies: Sequence[Reply], kind: str) -> list[Card]:
    return [r for r in replies if isinstance(r, Card) and r.kind == kind]


def as_json(replies: Sequence[Reply]) -> str:
    return json.dumps([reply_to_json(r) for r in replies], ensure_ascii=False)


def test_ideas_are_grouped_by_theme_with_counts_and_a_connect_button_each() -> None:
    ideas = [idea(1, theme=1, force=0), idea(2, theme=0, force=1), idea(3, theme=1, force=1, stage="idea"),
             idea(4, theme=None, force=2), idea(5, theme=1, force=0, stage="independently-evaluated")]
    replies = compose(content(ideas, connections_made=4), t)
    header = replies[0]
    assert isinstance(header, Card) and header.kind == "roundup"
    assert header.title == "Innovation network roundup: 23 November 2026 to 30 November 2026"
    assert [(f.label, f.value) for f in header.fields] == [("Ideas shared", "5"), ("Forces taking part", "3"),
                                                         ("Connections made", "4")]
    headings = [r.text for r in replies if isinstance(r, Text)]
    assert headings == ["Serious violence (3)", "Cybercrime (1)", "Other ideas (1)"]
    order = [int(c.extra["idea_id"]) for c in cards(replies, "roundup-idea")]
    assert order == [5, 1, 3, 2, 4]  # biggest theme first, most evaluated practice first within it
    for card in cards(replies, "roundup-idea"):
        assert [(b.action_id, b.value) for b in card.buttons] == [(CONNECT_ACTION, card.extra["idea_id"])]
        assert [f.label for f in card.fields] == ["Force", "Stage"]
    assert not cards(replies, "roundup-more")
    # User text stays plain text; the codec round trip is exact.
    assert [reply_from_json(reply_to_json(r)) for r in replies] == replies
    assert "Idea number 1 about <b>drones</b> & *QR codes*" in as_json(replies)


def test_counts_cover_the_whole_scope_and_connections_are_left_out_when_unknown() -> None:
    replies = compose(content([idea(i, force=i % 2) for i in range(12)], scope_name="Cybercrime"), t)
    header = replies[0]
    assert isinstance(header, Card) and header.title.startswith("Cybercrime roundup: ")
    assert [(f.label, f.value) for f in header.fields] == [("Ideas shared", "12"), ("Forces taking part", "2")]


def test_anonymous_submitters_are_never_named() -> None:
    named = idea(1, name="PC Sam Taylor")
    anonymous = idea(2, name=None)
    replies = compose(content([named, anonymous]), t)
    by_id = {c.extra["idea_id"]: c for c in cards(replies, "roundup-idea")}
    assert by_id["1"].note == "Shared by PC Sam Taylor"
    assert by_id["2"].note == ""
    assert as_json(replies).count("PC Sam Taylor") == 1


def test_an_idea_whose_submitter_declined_contact_has_no_connect_button() -> None:
    replies = compose(content([idea(1, connectable=False)]), t)
    assert cards(replies, "roundup-idea")[0].buttons == ()


def test_quiet_period_posts_a_short_note_or_nothing() -> None:
    note = compose(content([]), t)
    assert len(note) == 1 and isinstance(note[0], Text)
    assert "a quiet week" in note[0].text and "no new ideas" in note[0].text
    monthly = compose(content([], frequency=Frequency.MONTHLY), t)
    assert isinstance(monthly[0], Text) and "a quiet month" in monthly[0].text
    assert compose(content([]), t, quiet=QuietMode.SKIP) == []


def test_broker_channels_see_what_is_waiting_even_in_a_quiet_week() -> None:
    waiting = [WaitingIdea(i, f"Waiting idea {i}", "Kent Police", i) for i in range(1, 12)]
    replies = compose(content([], waiting=waiting), t, quiet=QuietMode.SKIP)
    [card] = cards(replies, "roundup-waiting")
    assert card.title == "Waiting for a broker's decision (11)"
    assert (card.fields[0].label, card.fields[0].value) == ("#11 Waiting idea 11", "11 days")  # longest wait first
    assert len(card.fields) == 8 and card.note.startswith("…and 3 more")
    assert not cards(compose(content([idea(1)]), t), "roundup-waiting")  # not a broker channel


def test_similar_work_across_forces_is_highlighted_for_this_channels_ideas() -> None:
    ours, theirs = idea(1, force=0), idea(2, force=1)
    pairs = [SimilarPair(PairSide(1, ours.title, "kent", "Kent Police"), PairSide(9, "Drone searches", "essex",
                                                                                  "Essex Police"), ("drone",), 80),
             SimilarPair(PairSide(7, "Not in this channel", "kent", "Kent Police"),
                         PairSide(8, "Other", "essex", "Essex Police"), (), 90)]
    replies = compose(content([ours, theirs], similar=pairs), t)
    [card] = cards(replies, "roundup-similar")
    assert [(f.label, f.value) for f in card.fields] == [
        (f"{ours.title} (Kent Police)", "Similar to Drone searches (Essex Police). Both mention: drone")]


@dataclass(frozen=True)
class Entry:
    idea_id: int
    title: str
    force_slug: str
    force_name: str


@dataclass(frozen=True)
class Found:
    entry: Entry
    score: float
    shared: tuple[str, ...]


class FakeFinder:
    def __init__(self, results: dict[str, list[Found]]) -> None:
        self.results = results
        self.asked: list[str] = []

    def match(self, text: str, limit: int) -> list[Found]:
        self.asked.append(text)
        return next((v for k, v in self.results.items() if text.startswith(k)), [])[:limit]


def test_similar_pairs_skip_the_same_force_and_the_idea_itself() -> None:
    a, b = idea(1, force=0), idea(2, force=1)
    finder = FakeFinder({
        a.title: [Found(Entry(1, a.title, "kent", "Kent Police"), 100, ()),
                  Found(Entry(5, "Kent's own", "kent", "Kent Police"), 90, ()),
                  Found(Entry(2, b.title, "essex", "Essex Police"), 70, ("drone",))],
        b.title: [Found(Entry(1, a.title, "kent", "Kent Police"), 75, ("drone", "qr code"))],
    })
    pairs = similar_pairs([a, b], finder)
    assert [(p.first.idea_id, p.second.idea_id, p.score) for p in pairs] == [(2, 1, 75.0)]  # one pair, best score
    quiet = FakeFinder({})
    assert similar_pairs([idea(i) for i in range(300)], quiet, candidates=50) == [] and len(quiet.asked) == 50


def test_two_hundred_ideas_stay_within_block_kit_and_adaptive_card_limits() -> None:
    ideas = [idea(i, theme=i % 3 if i % 7 else None, force=i % 3, long=True, name=None if i % 5 else "Sergeant Ó")
             for i in range(200)]
    waiting = [WaitingIdea(i, "W" * 300, "Kent Police", i) for i in range(50)]
    pairs = [SimilarPair(PairSide(i, "S" * 300, "kent", "Kent Police"), PairSide(i + 1000, "T" * 300, "essex", "Essex"),
                         ("x" * 50,) * 5, 50) for i in range(20)]
    replies = compose(content(ideas, waiting=waiting, similar=pairs, connections_made=3), t)
    assert total_blocks(replies) <= SLACK_MAX_BLOCKS
    assert len(as_json(replies).encode("utf-8")) < TEAMS_MAX_CARD_BYTES
    assert total_bytes(replies) <= TEAMS_MAX_CARD_BYTES
    shown = cards(replies, "roundup-idea")
    [more] = cards(replies, "roundup-more")
    assert more.title == f"…and {200 - len(shown)} more ideas" and more.extra["see_all"] == "home"
    assert len(shown) >= 5
    # A cut list still shows every theme (and the ideas without one).
    assert {r.text.rsplit(" (", 1)[0] for r in replies if isinstance(r, Text)} == {
        "Cybercrime", "Serious violence", "Neighbourhood crime", "Other ideas"}
    assert all(len(c.title) <= 150 for c in shown)
    header = replies[0]
    assert isinstance(header, Card) and header.fields[0].value == "200"


@pytest.mark.parametrize("limits", [budgets(max_blocks=20), budgets(max_bytes=6000),
                                    budgets(max_blocks=50, max_bytes=9000)])
def test_any_limits_are_respected(limits: tuple[Budget, Budget]) -> None:
    replies = compose(content([idea(i, theme=i % 3) for i in range(60)]), t, limits=limits)
    assert total_blocks(replies) <= limits[0].limit and total_bytes(replies) <= limits[1].limit
    assert cards(replies, "roundup-more")


def test_scopes() -> None:
    assert Scope.parse("Network") == Scope("network") and str(Scope.parse("force:kent")) == "force:kent"
    kent, essex = idea(1, force=0, theme=0), idea(2, force=1, theme=1)
    assert Scope.parse("force:kent").includes(kent) and not Scope.parse("force:kent").includes(essex)
    assert Scope.parse("theme:serious-violence").includes(essex)
    for bad in ("forces:kent", "force:", "theme:Bad Slug", "everything"):
        with pytest.raises(BadScope, match="network, force:SLUG or theme:SLUG"):
            Scope.parse(bad)


def test_summary_is_the_first_sentence_clipped_at_a_word() -> None:
    assert summarise("We fly drones.  Then we   look.") == "We fly drones."
    long = summarise("word " * 100)
    assert len(long) <= 200 and long.endswith("word…")


def test_every_roundup_word_is_in_the_catalogue() -> None:
    from bot.i18n.en import MESSAGES
    from bot.i18n.roundup_en import ROUNDUP_MESSAGES

    assert ROUNDUP_MESSAGES.items() <= MESSAGES.items()
    for month in range(1, 13):
        assert t.has(f"roundup.month_short.{month}")
    for frequency in Frequency:
        assert t.has(f"roundup.span.{frequency}") and t.has(f"roundup.span_noun.{frequency}")


def test_the_composer_keeps_any_budget_a_renderer_hands_it() -> None:
    """The composer knows no platform: a renderer that counts one unit per reply, ten to a message, gets
    ten replies with the "more" card among them, and half of it for each language of a bilingual post."""
    per_reply = Budget("replies", 10, lambda reply: 1)
    replies = composer.compose(content([idea(i, theme=i % 3) for i in range(30)]), t, budgets=[per_reply])
    assert len(replies) == 10 and cards(replies, "roundup-more")
    assert per_reply.halved().limit == 5
    everything = composer.compose(content([idea(i, theme=i % 3) for i in range(30)]), t, budgets=[])
    assert len(cards(everything, "roundup-idea")) == 30 and not cards(everything, "roundup-more")
