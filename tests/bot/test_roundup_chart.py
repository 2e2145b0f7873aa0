"""The roundup's chart: weeks counted back from the period's end, counts per scope, the series shown,
the words that describe it, and its place in the composed roundup and the outbox's JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.slack.roundup_blocks import MAX_BLOCKS as SLACK_MAX_BLOCKS
from adapters.slack.roundup_blocks import blocks as slack_blocks
from adapters.teams.roundup_card import CHART_IMAGE_BYTES
from adapters.teams.roundup_card import MAX_CARD_BYTES as TEAMS_MAX_CARD_BYTES
from adapters.teams.roundup_card import card_bytes as adaptive_bytes
from bot.codec import UnknownReply, reply_from_json, reply_to_json
from bot.i18n import Translator
from bot.replies import Chart, Series
from bot.roundups.chart import CHART_ALT_CHARS, Approval, WeeklyCounts, WeeklyTally, chart_reply, week_bounds
from bot.roundups.content import Scope
from tests.bot.test_roundup import cards, compose, content, idea, total_blocks, total_bytes

t = Translator("en")
LONDON = ZoneInfo("Europe/London")
END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 GMT


def approval(at: datetime, idea_id: int, force: str = "kent", theme: str | None = "cybercrime") -> Approval:
    return Approval(at, idea_id, force, force.title() + " Police", theme, theme.title() if theme else None)


def tally(approvals: list[Approval], end: datetime = END) -> WeeklyTally:
    approvals = sorted(approvals, key=lambda a: a.approved_at)
    return WeeklyTally(approvals, [a.approved_at for a in approvals], week_bounds(end, LONDON), LONDON)


def test_weeks_count_back_from_the_end_of_the_period_on_the_wall_clock() -> None:
    bounds = week_bounds(END, LONDON)
    assert len(bounds) == 7 and bounds[-1] == END
    # Six Mondays at 09:00 London time: the first in British Summer Time (08:00 UTC), the rest in GMT.
    assert [b.astimezone(LONDON).strftime("%a %d %b %H:%M") for b in bounds] == [
        "Mon 19 Oct 09:00", "Mon 26 Oct 09:00", "Mon 02 Nov 09:00", "Mon 09 Nov 09:00", "Mon 16 Nov 09:00",
        "Mon 23 Nov 09:00", "Mon 30 Nov 09:00"]
    assert bounds[1] - bounds[0] == timedelta(hours=169)  # the week the clocks went back


def test_a_tally_counts_each_idea_in_its_week_for_every_kind_of_scope() -> None:
    week = timedelta(days=7)
    first = week_bounds(END, LONDON)[0]  # 09:00 BST: an hour more than six weeks before the end
    counted = tally([
        approval(END - timedelta(minutes=1), 1),  # the last week, just before the end
        approval(END, 2),  # at the end: the next roundup's
        approval(END - week - timedelta(hours=1), 3, force="essex"),
        approval(END - week - timedelta(hours=2), 4, theme="serious-violence"),
        approval(first, 5),  # the first moment of the first week
        approval(first - timedelta(seconds=1), 6),  # before it
        approval(END - timedelta(hours=3), 7, theme=None),
        approval(END - timedelta(hours=2), 7, theme=None),  # approved again the same week: one idea
    ])
    assert counted.starts == (date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9),
                              date(2026, 11, 16), date(2026, 11, 23))
    network = counted.counts(Scope("network"))
    assert (network.by, network.groups) == ("theme", (
        ("Cybercrime", (1, 0, 0, 0, 1, 1)), ("Serious-Violence", (0, 0, 0, 0, 1, 0)), (None, (0, 0, 0, 0, 0, 1))))
    assert counted.counts(Scope("force", "essex")).groups == (("Cybercrime", (0, 0, 0, 0, 1, 0)),)
    by_force = counted.counts(Scope("theme", "cybercrime"))
    assert (by_force.by, by_force.groups) == ("force", (("Kent Police", (1, 0, 0, 0, 0, 1)),
                                                       ("Essex Police", (0, 0, 0, 0, 1, 0))))
    assert counted.counts(Scope("force", "dyfed-powys")).groups == ()


def weekly(*groups: tuple[str | None, tuple[int, ...]], by: str = "theme") -> WeeklyCounts:
    starts = tuple(date(2026, 10, 19) + timedelta(days=7 * n) for n in range(6))
    return WeeklyCounts(starts, by, groups)


def test_the_chart_shows_the_biggest_four_and_the_rest_together_with_every_figure_in_words() -> None:
    chart = chart_reply(t, weekly(("Cybercrime", (1, 2, 0, 0, 3, 4)), ("Serious violence", (0, 0, 1, 0, 0, 2)),
                                  ("Neighbourhood crime", (1, 0, 0, 0, 0, 1)), ("Road safety", (0, 1, 0, 0, 0, 0)),
                                  ("Fraud", (0, 0, 0, 0, 1, 0)), (None, (2, 0, 0, 0, 0, 0))))
    assert chart is not None and chart.kind == "roundup-chart"
    assert chart.title == "Ideas shared each week, by theme"
    assert chart.weeks == ("19 Oct", "26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov")
    assert [(s.label, s.counts) for s in chart.series] == [
        ("Cybercrime", (1, 2, 0, 0, 3, 4)), ("Serious violence", (0, 0, 1, 0, 0, 2)),
        ("Neighbourhood crime", (1, 0, 0, 0, 0, 1)), ("Road safety", (0, 1, 0, 0, 0, 0)),
        ("Other ideas", (2, 0, 0, 0, 1, 0))]  # Fraud and the ideas with no theme
    assert chart.totals == (4, 3, 1, 0, 4, 7)
    assert chart.alt == (
        "Bar chart: Ideas shared each week, by theme, for the 6 weeks from the week starting 19 October 2026 to "
        "the week starting 23 November 2026; ideas in all: 19. Ideas each week, oldest first. "
        "Cybercrime: 1, 2, 0, 0, 3, 4 (10 in all); Serious violence: 0, 0, 1, 0, 0, 2 (3 in all); "
        "Neighbourhood crime: 1, 0, 0, 0, 0, 1 (2 in all); Road safety: 0, 1, 0, 0, 0, 0 (1 in all); "
        "Other ideas: 2, 0, 0, 0, 1, 0 (3 in all). All together: 4, 3, 1, 0, 4, 7.")


def test_five_groups_are_all_named_and_a_theme_channel_is_charted_by_force() -> None:
    five = chart_reply(t, weekly(*((f"Force {n}", (n, 0, 0, 0, 0, 1)) for n in range(1, 6)), by="force"))
    assert five is not None and five.title == "Ideas shared each week, by force"
    assert [s.label for s in five.series] == ["Force 1", "Force 2", "Force 3", "Force 4", "Force 5"]
    six = chart_reply(t, weekly(*((f"Force {n}", (n, 0, 0, 0, 0, 1)) for n in range(1, 7)), by="force"))
    assert six is not None and [s.label for s in six.series][-1] == "Other forces"


def test_long_names_are_clipped_and_the_words_stay_within_slacks_alt_text() -> None:
    long = "Violence against women and girls and a great many other words besides " * 5
    chart = chart_reply(t, weekly(*((f"{n} {long}", (999_999,) * 6) for n in range(9))))
    assert chart is not None
    assert all(len(s.label) <= 40 and s.label.endswith("…") for s in chart.series[:-1])
    assert len(chart.alt) <= CHART_ALT_CHARS


def test_no_chart_when_no_week_had_an_idea() -> None:
    assert chart_reply(t, None) is None
    assert chart_reply(t, weekly()) is None
    assert chart_reply(t, weekly(("Cybercrime", (0,) * 6))) is None


def test_compose_puts_the_chart_after_the_header_and_counts_it() -> None:
    figures = weekly(("Cybercrime", (1, 0, 2, 0, 0, 1)))
    replies = compose(content([idea(1)], weekly=figures), t)
    assert isinstance(replies[1], Chart) and replies[1].series[0].counts == (1, 0, 2, 0, 0, 1)
    assert slack_blocks(replies[1]) == 1 and adaptive_bytes(replies[1]) > CHART_IMAGE_BYTES
    assert not any(isinstance(r, Chart) for r in compose(content([idea(1)]), t))
    assert not any(isinstance(r, Chart) for r in compose(content([idea(1)], weekly=weekly()), t))
    # A quiet week stays a one-line note, whatever the weeks before it held.
    assert [type(r).__name__ for r in compose(content([], weekly=figures), t)] == ["Text"]


def test_two_hundred_ideas_and_a_chart_stay_within_the_limits() -> None:
    ideas = [idea(i, theme=i % 3 if i % 7 else None, force=i % 3, long=True) for i in range(200)]
    figures = weekly(*((f"Theme number {n} " + "x" * 60, (999,) * 6) for n in range(8)), (None, (5,) * 6))
    replies = compose(content(ideas, weekly=figures, connections_made=3), t)
    assert any(isinstance(r, Chart) for r in replies)
    assert total_blocks(replies) <= SLACK_MAX_BLOCKS and total_bytes(replies) <= TEAMS_MAX_CARD_BYTES
    assert cards(replies, "roundup-more")


def test_a_chart_goes_through_the_outbox_as_data_and_a_bad_one_fails_loudly() -> None:
    chart = Chart("Ideas", ("19 Oct", "26 Oct"), (Series("Cybercrime", (1, 0)), Series("Fraud", (0, 2))), "In words",
                  kind="roundup-chart")
    data = reply_to_json(chart)
    assert data == {"type": "chart", "kind": "roundup-chart", "title": "Ideas", "weeks": ["19 Oct", "26 Oct"],
                    "series": [{"label": "Cybercrime", "counts": [1, 0]}, {"label": "Fraud", "counts": [0, 2]}],
                    "alt": "In words"}
    assert reply_from_json(data) == chart
    for broken in ({**data, "series": [{"label": "x", "counts": [1]}]},  # a count missing
                   {**data, "series": [{"label": "x", "counts": [1, -1]}]},
                   {**data, "series": [{"label": "x", "counts": [1, "2"]}]},
                   {**data, "weeks": []}):
        with pytest.raises(ValueError):
            reply_from_json(broken)
    with pytest.raises(KeyError):
        reply_from_json({"type": "chart", "title": "no data"})
    with pytest.raises(UnknownReply):
        reply_from_json({"type": "pie-chart"})


def test_every_chart_word_is_in_the_catalogue() -> None:
    for key in ("roundup.chart.title.theme", "roundup.chart.title.force", "roundup.chart.other.theme",
                "roundup.chart.other.force", "roundup.chart.week", "roundup.chart.alt", "roundup.chart.alt.series"):
        assert t.has(key), key
    for month in range(1, 13):
        assert t.has(f"roundup.month_short.{month}")


def test_weeks_follow_the_slot_when_the_roundup_is_posted_between_slots() -> None:
    friday = END + timedelta(days=4, hours=6)
    bounds = week_bounds(friday, LONDON, anchor=END)  # a weekly "mon 09:00" subscription, posted early
    assert len(bounds) == 7 and bounds[-1] == friday and bounds[-2] == END
    assert {b.astimezone(LONDON).strftime("%a %H:%M") for b in bounds[:-1]} == {"Mon 09:00"}
    # A monthly slot weeks back: whole weeks from the slot, then the part week up to the post.
    monthly = week_bounds(friday, LONDON, anchor=END - timedelta(days=14))
    assert monthly[-2] == END and monthly[-1] == friday
    # At the slot itself nothing changes: six whole weeks back from the end.
    assert week_bounds(END, LONDON, anchor=END) == week_bounds(END, LONDON)
