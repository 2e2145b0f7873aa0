"""Composes a roundup: one period's ideas for one channel, as neutral replies (pure; no I/O).

Layout, in order:

    header card      title, period, counts (ideas shared, forces taking part, connections made)
    chart            ideas each week over the last six, by theme (by force for a theme's channel), when
                     any of those weeks had one (``bot/roundup_chart.py``)
    waiting card     broker channels only: ideas waiting for a decision
    similar card     "similar work across forces" highlights
    per theme        a heading, then one card per idea with a "Connect me" button (``connect.ask``)
    "more" card      only when the limits below cut the list short: a pointer to "see all"

Platform limits are numbers here so every renderer and test can hold to them: Slack takes at most
``SLACK_MAX_BLOCKS`` blocks in one message and Teams about ``TEAMS_MAX_CARD_BYTES`` of card JSON. The
composer counts *block equivalents* with ``slack_blocks`` (an upper bound for a plain renderer: a
card's title, body, note and row of buttons each take one block, as do every ten short fields and
each field longer than ``SLACK_SHORT_FIELD_CHARS``; a Text takes one) and
estimates card bytes with ``adaptive_bytes`` (a chart counts as the largest image a renderer may attach,
``CHART_IMAGE_BYTES``, plus its words); it drops ideas (spread fairly across themes) until both
fit, then says how many more there are.

Anonymous submitters are never named: a ``RoundupIdea`` only ever carries a name the submitter chose
to show (``submitter_visible_name``), and the composer shows nothing else about who shared it.
"""

from __future__ import annotations

import enum
import heapq
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from bot.codec import reply_to_json
from bot.i18n import Translator
from bot.replies import Button, Card, Chart, Field, Reply, Text
from bot.schedule import Frequency

if TYPE_CHECKING:
    from bot.roundup_chart import WeeklyCounts

SLACK_MAX_BLOCKS = 50
TEAMS_MAX_CARD_BYTES = 28_000
# What one neutral element (title, body, field, note, button) costs once wrapped as Adaptive Card JSON,
# beyond its own text: {"type": "TextBlock", "wrap": true, …}. Deliberately generous.
ADAPTIVE_ELEMENT_OVERHEAD = 120
SLACK_FIELDS_PER_SECTION = 10
SLACK_SHORT_FIELD_CHARS = 120  # a longer field value (or one with a line break) takes a section of its own
SLACK_BUTTONS_PER_ACTIONS = 25
# The most a chart's image may add to an Adaptive Card: its PNG as a data URI (base64). Renderers that
# draw a bigger one leave the image out and keep the words, so this bound always holds.
CHART_IMAGE_BYTES = 6_000
MAX_TITLE_CHARS = 150  # a Slack header block's limit
MAX_SUMMARY_CHARS = 200
MAX_SIMILAR = 3
MAX_WAITING = 8
SIMILAR_CANDIDATES = 100  # newest ideas of a period checked for similar work elsewhere
CONNECT_ACTION = "connect.ask"


class QuietMode(enum.StrEnum):
    NOTE = "note"  # a short "quiet week" note
    SKIP = "skip"  # post nothing


@dataclass(frozen=True)
class Limits:
    max_blocks: int = SLACK_MAX_BLOCKS
    max_bytes: int = TEAMS_MAX_CARD_BYTES


@dataclass(frozen=True)
class RoundupIdea:
    idea_id: int
    title: str
    summary: str
    force_slug: str
    force_name: str
    theme_slug: str | None
    theme_name: str | None
    stage: str
    submitter_visible_name: str | None = None  # None when anonymous to peers, or not known
    connectable: bool = True  # the submitter agreed to be contacted


@dataclass(frozen=True)
class WaitingIdea:
    idea_id: int
    title: str
    force_name: str
    waiting_days: int


@dataclass(frozen=True)
class PairSide:
    idea_id: int
    title: str
    force_slug: str
    force_name: str


@dataclass(frozen=True)
class SimilarPair:
    first: PairSide  # an idea of this period
    second: PairSide  # similar work in another force (this period or the catalogue)
    shared: tuple[str, ...] = ()
    score: float = 0.0


class BadScope(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    """What a channel subscribes to: the whole network, one force, or one theme."""

    kind: str  # "network" | "force" | "theme"
    slug: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        value = text.strip().lower()
        if value in ("network", "all"):
            return cls("network")
        kind, _, slug = value.partition(":")
        if kind in ("force", "theme") and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", slug):
            return cls(kind, slug)
        raise BadScope(f"{text[:80]!r} is not a scope: use network, force:SLUG or theme:SLUG")

    def __str__(self) -> str:
        return self.kind if self.kind == "network" else f"{self.kind}:{self.slug}"

    def includes(self, idea: RoundupIdea) -> bool:
        if self.kind == "force":
            return idea.force_slug == self.slug
        if self.kind == "theme":
            return idea.theme_slug == self.slug
        return True


@dataclass(frozen=True)
class RoundupContent:
    """Everything one channel's roundup says. ``ideas`` are already limited to the channel's scope."""

    scope_name: str  # "" for the whole network; otherwise the force's or the theme's name
    first_day: date  # local dates the period covers, for the title
    last_day: date
    frequency: Frequency
    ideas: Sequence[RoundupIdea]
    connections_made: int | None = None  # None until connections are recorded
    similar: Sequence[SimilarPair] = ()  # may cover other channels too: only this channel's ideas are shown
    waiting: Sequence[WaitingIdea] | None = None  # None: not a broker channel
    weekly: WeeklyCounts | None = None  # the chart's figures; None: no chart
    extra: dict[str, str] = field(default_factory=dict)


# --- text helpers ---------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def clip(text: str, limit: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def summarise(description: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    """A one-line summary: the first sentence, clipped at a word."""
    text = _SPACE.sub(" ", description).strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return clip(first, limit)


def format_day(t: Translator, day: date) -> str:
    return t.date(day)  # CLDR through Babel: "4 December 2026", "4 Rhagfyr 2026"


def _stage(t: Translator, stage: str) -> str:
    key = f"stage.{stage}"
    return t(key) if t.has(key) else t("summary.not_set")


# --- size accounting ------------------------------------------------------------------------------


def slack_blocks(reply: Reply) -> int:
    """Block Kit blocks a plain renderer needs for ``reply`` (an upper bound; see the module note)."""
    if isinstance(reply, Card):
        long = sum(1 for f in reply.fields if len(f.value) > SLACK_SHORT_FIELD_CHARS or "\n" in f.value)
        short = len(reply.fields) - long
        return (1 + (1 if reply.body else 0) + long + math.ceil(short / SLACK_FIELDS_PER_SECTION)
                + (1 if reply.note else 0) + math.ceil(len(reply.buttons) / SLACK_BUTTONS_PER_ACTIONS))
    if isinstance(reply, Text | Chart):
        return 1  # a chart is an image block, or a context block of its words
    return 2  # Choices: a prompt and an actions block


def adaptive_bytes(reply: Reply) -> int:
    """Estimated bytes of ``reply`` as Adaptive Card JSON: its own text plus a per-element overhead."""
    encoded = len(json.dumps(reply_to_json(reply), ensure_ascii=False).encode("utf-8"))
    if isinstance(reply, Card):
        elements = 2 + bool(reply.body) + len(reply.fields) + bool(reply.note) + len(reply.buttons)
    elif isinstance(reply, Chart):
        return encoded + CHART_IMAGE_BYTES + 3 * ADAPTIVE_ELEMENT_OVERHEAD  # a container, the image, its words
    else:
        elements = 2
    return encoded + elements * ADAPTIVE_ELEMENT_OVERHEAD


def total_blocks(replies: Sequence[Reply]) -> int:
    return sum(slack_blocks(r) for r in replies)


def total_bytes(replies: Sequence[Reply]) -> int:
    return sum(adaptive_bytes(r) for r in replies)


# --- similar work ---------------------------------------------------------------------------------


class _Entry(Protocol):
    @property
    def idea_id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def force_slug(self) -> str: ...

    @property
    def force_name(self) -> str: ...


class _Found(Protocol):
    @property
    def entry(self) -> _Entry: ...

    @property
    def score(self) -> float: ...

    @property
    def shared(self) -> tuple[str, ...]: ...


class SimilarFinder(Protocol):
    """What ``bot.matching.Matcher`` offers: the catalogue entries most like a text."""

    def match(self, text: str, limit: int) -> Sequence[_Found]: ...


def similar_pairs(ideas: Sequence[RoundupIdea], finder: SimilarFinder, *, candidates: int = SIMILAR_CANDIDATES,
                  per_idea: int = 3) -> list[SimilarPair]:
    """Pairs of (an idea of the period, similar work in a *different* force), best first.

    Only the first ``candidates`` ideas are looked up, which bounds the cost for a busy period; pass
    the newest first.
    """
    pairs: dict[frozenset[int], SimilarPair] = {}
    for idea in ideas[:candidates]:
        for found in finder.match(f"{idea.title}. {idea.summary}", per_idea + 1):
            entry = found.entry
            if entry.idea_id == idea.idea_id or entry.force_slug == idea.force_slug:
                continue
            key = frozenset((idea.idea_id, entry.idea_id))
            pair = SimilarPair(PairSide(idea.idea_id, idea.title, idea.force_slug, idea.force_name),
                               PairSide(entry.idea_id, entry.title, entry.force_slug, entry.force_name),
                               tuple(found.shared), float(found.score))
            if key not in pairs or pairs[key].score < pair.score:
                pairs[key] = pair
    return sorted(pairs.values(), key=lambda p: (-p.score, p.first.idea_id, p.second.idea_id))


# --- composition ----------------------------------------------------------------------------------


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
            limits: Limits = Limits()) -> list[Reply]:
    """The replies to post, within ``limits``; ``[]`` when there is nothing to say and ``quiet`` is SKIP."""
    waiting = content.waiting or ()
    if not content.ideas and not waiting:
        if quiet is QuietMode.SKIP:
            return []
        return [Text(t("roundup.quiet", title=_title(t, content),
                       span_noun=t(f"roundup.span_noun.{content.frequency}")))]
    fixed: list[Reply] = [_header(t, content)]
    from bot.roundup_chart import chart_reply  # (here: that module builds on this one's text helpers)

    chart = chart_reply(t, content.weekly)
    if chart is not None:
        fixed.append(chart)
    if waiting:
        fixed.append(_waiting(t, waiting))
    similar = _similar(t, content.similar, content.ideas)
    if similar is not None:
        fixed.append(similar)

    # A card takes at least one block, so no message can show more than ``max_blocks`` of any theme.
    groups = group_by_theme(content.ideas, cap=limits.max_blocks)
    reserve = _more(t, len(content.ideas))
    blocks = total_blocks(fixed) + slack_blocks(reserve)
    size = total_bytes(fixed) + adaptive_bytes(reserve)
    chosen: dict[int, list[Card]] = {}
    for index, idea in _fair_order(groups):
        card = idea_card(t, idea)
        extra_blocks, extra_bytes = slack_blocks(card), adaptive_bytes(card)
        if index not in chosen:
            heading = _heading(t, groups[index].theme, groups[index].count)
            extra_blocks += slack_blocks(heading)
            extra_bytes += adaptive_bytes(heading)
        if blocks + extra_blocks > limits.max_blocks or size + extra_bytes > limits.max_bytes:
            break
        blocks += extra_blocks
        size += extra_bytes
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
