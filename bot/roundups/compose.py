"""Composes a roundup: one period's ideas for one channel, as neutral replies (pure; no I/O).

Layout, in order:

    header card      title, period, counts (ideas shared, forces taking part, connections made)
    chart            ideas each week over the last six, by theme (by force for a theme's channel), when
                     any of those weeks had one (``bot/roundups/chart.py``)
    waiting card     broker channels only: ideas waiting for a decision
    similar card     "similar work across forces" highlights
    per theme        a heading, then one card per idea with a "Connect me" button (``connect.ask``)
    "more" card      only when the budgets cut the list short: a pointer to "see all"

How much fits in one message is the renderers' business: each hands in a ``Budget`` (what a reply
costs once rendered, and how much one message holds). The composer drops ideas (spread fairly across
themes) until every budget fits, then says how many more there are.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator
from bot.replies import Button, Card, Field, Reply, Text
from bot.roundups.budget import Budget
from bot.roundups.chart import chart_reply
from bot.roundups.content import QuietMode, RoundupContent, RoundupIdea, SimilarPair, WaitingIdea
from bot.roundups.text import MAX_SUMMARY_CHARS, clip, format_day

MAX_TITLE_CHARS = 150  # a Slack header block's limit, and long enough for any title read at a glance
MAX_SIMILAR = 3
MAX_WAITING = 8
CONNECT_ACTION = "connect.ask"


def _stage(t: Translator, stage: str) -> str:
    key = f"stage.{stage}"
    return t(key) if t.has(key) else t("summary.not_set")


def _period(t: Translator, content: RoundupContent) -> str:
    return t("roundup.period", start=format_day(t, content.first_day), end=format_day(t, content.last_day))


def _title(t: Translator, content: RoundupContent) -> str:
    scope = content.scope_name or t("roundup.scope.network")
    return clip(t("roundup.title", scope=scope, period=_period(t, content)), MAX_TITLE_CHARS)


def _header(t: Translator, content: RoundupContent) -> Card:
    forces = len({i.force_slug for i in content.ideas})
    fields = [Field(t("roundup.count.ideas"), str(len(content.ideas))), Field(t("roundup.count.forces"), str(forces))]
    if content.connections_made is not None:
        fields.append(Field(t("roundup.count.connections"), str(content.connections_made)))
    return Card(_title(t, content), tuple(fields), body=t("roundup.intro", span=t(f"roundup.span.{content.frequency}")),
                kind="roundup", extra=dict(content.extra))


def _waiting(t: Translator, waiting: Sequence[WaitingIdea]) -> Card:
    shown = sorted(waiting, key=lambda w: (-w.waiting_days, w.idea_id))[:MAX_WAITING]
    fields = tuple(Field(clip(t("roundup.waiting.item", ref=w.idea_id, title=w.title), MAX_TITLE_CHARS),
                         t("roundup.waiting.days", count=w.waiting_days)) for w in shown)
    more = len(waiting) - len(shown)
    return Card(t("roundup.waiting.title", count=len(waiting)), fields,
                note=t("roundup.waiting.more", count=more) if more > 0 else "", kind="roundup-waiting")


def _similar(t: Translator, pairs: Sequence[SimilarPair], ideas: Sequence[RoundupIdea]) -> Card | None:
    ours = {i.idea_id for i in ideas}
    seen: set[frozenset[int]] = set()
    fields: list[Field] = []
    for pair in pairs:
        key = frozenset((pair.first.idea_id, pair.second.idea_id))
        if pair.first.idea_id not in ours or key in seen:
            continue
        seen.add(key)
        side = clip(t("roundup.similar.side", title=pair.first.title, force=pair.first.force_name), MAX_TITLE_CHARS)
        if pair.shared:
            value = t("roundup.similar.pair", title=pair.second.title, force=pair.second.force_name,
                      shared=", ".join(pair.shared[:3]))
        else:
            value = t("roundup.similar.pair_overall", title=pair.second.title, force=pair.second.force_name)
        fields.append(Field(side, clip(value, 2 * MAX_TITLE_CHARS)))
        if len(fields) == MAX_SIMILAR:
            break
    if not fields:
        return None
    return Card(t("roundup.similar.title"), tuple(fields), body=t("roundup.similar.intro"), kind="roundup-similar")


def idea_card(t: Translator, idea: RoundupIdea) -> Card:
    buttons = (Button(CONNECT_ACTION, str(idea.idea_id), t("roundup.connect")),) if idea.connectable else ()
    note = t("roundup.shared_by", name=idea.submitter_visible_name) if idea.submitter_visible_name else ""
    return Card(clip(idea.title, MAX_TITLE_CHARS),
                (Field(t("field.force"), idea.force_name), Field(t("field.stage"), _stage(t, idea.stage))),
                body=clip(idea.summary, MAX_SUMMARY_CHARS), note=note, buttons=buttons, kind="roundup-idea",
                extra={"idea_id": str(idea.idea_id)})


_STAGE_ORDER = {"independently-evaluated": 0, "evaluated-locally": 1, "being-tried": 2, "idea": 3}


def _order(idea: RoundupIdea) -> tuple[int, str, int]:
    return (_STAGE_ORDER.get(idea.stage, 9), idea.title.lower(), idea.idea_id)


@dataclass(frozen=True)
class ThemeGroup:
    theme: str | None
    count: int  # every idea of the theme in the period
    leading: list[RoundupIdea]  # the first ``cap`` of them in display order: most evaluated practice first


def group_by_theme(ideas: Sequence[RoundupIdea], cap: int | None = None) -> list[ThemeGroup]:
    """Theme groups, biggest first ("no theme" last). Only the ``cap`` leading ideas of each are sorted,
    since no message shows more: a busy network channel stays cheap to compose."""
    members: dict[str | None, list[RoundupIdea]] = {}
    for idea in ideas:
        members.setdefault(idea.theme_name, []).append(idea)
    groups = []
    for theme, group in members.items():
        if cap is None or len(group) <= cap:
            leading = sorted(group, key=_order)
        else:
            leading = heapq.nsmallest(cap, group, key=_order)
        groups.append(ThemeGroup(theme, len(group), leading))
    return sorted(groups, key=lambda g: (g.theme is None, -g.count, (g.theme or "").lower()))


def _fair_order(groups: Sequence[ThemeGroup]) -> list[tuple[int, RoundupIdea]]:
    """Round robin over the groups, so a cut list still shows every theme it can."""
    order: list[tuple[int, RoundupIdea]] = []
    for rank in range(max((len(g.leading) for g in groups), default=0)):
        order += [(n, g.leading[rank]) for n, g in enumerate(groups) if rank < len(g.leading)]
    return order


def _heading(t: Translator, theme: str | None, count: int) -> Text:
    return Text(t("roundup.theme.heading", theme=theme or t("roundup.theme.none"), count=count))


def _more(t: Translator, hidden: int) -> Card:
    return Card(t("roundup.more.title", count=hidden), body=t("roundup.more.body"), kind="roundup-more",
                extra={"see_all": "home", "hidden": str(hidden)})


def compose(content: RoundupContent, t: Translator, *, quiet: QuietMode = QuietMode.NOTE,
            budgets: Sequence[Budget] = ()) -> list[Reply]:
    """The replies to post, within every budget; ``[]`` when there is nothing to say and ``quiet`` is SKIP."""
    waiting = content.waiting or ()
    if not content.ideas and not waiting:
        if quiet is QuietMode.SKIP:
            return []
        return [Text(t("roundup.quiet", title=_title(t, content),
                       span_noun=t(f"roundup.span_noun.{content.frequency}")))]
    fixed: list[Reply] = [_header(t, content)]
    chart = chart_reply(t, content.weekly)
    if chart is not None:
        fixed.append(chart)
    if waiting:
        fixed.append(_waiting(t, waiting))
    similar = _similar(t, content.similar, content.ideas)
    if similar is not None:
        fixed.append(similar)

    # A card costs at least one unit of any budget, so no message can show more than the smallest limit
    # of ideas of any theme: only that many of each are sorted.
    groups = group_by_theme(content.ideas, cap=min((b.limit for b in budgets), default=None))
    reserve = _more(t, len(content.ideas))
    used = [b.total([*fixed, reserve]) for b in budgets]
    chosen: dict[int, list[Card]] = {}
    for index, idea in _fair_order(groups):
        card = idea_card(t, idea)
        adding: list[Reply] = [card]
        if index not in chosen:
            adding.append(_heading(t, groups[index].theme, groups[index].count))
        extra = [b.total(adding) for b in budgets]
        if any(u + e > b.limit for u, e, b in zip(used, extra, budgets, strict=True)):
            break
        used = [u + e for u, e in zip(used, extra, strict=True)]
        chosen.setdefault(index, []).append(card)

    replies = fixed
    for n, group in enumerate(groups):
        if n in chosen:
            replies.append(_heading(t, group.theme, group.count))
            replies.extend(chosen[n])
    shown = sum(len(cards) for cards in chosen.values())
    if shown < len(content.ideas):
        replies.append(_more(t, len(content.ideas) - shown))
    return replies
