"""Pure helpers that turn an officer's own words into draft fields.

The officer can always edit what these propose, so they favour a sensible guess over asking again:
every question we skip is a minute saved for someone on shift.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from bot.domain import Force, Stage, Theme

TITLE_MAX_CHARS = 70  # a card heading that reads at a glance on a phone
EDITED_TITLE_MAX_CHARS = 120  # what an officer types as a title is theirs: cut only when very long
ONE_SHOT_MIN_WORDS = 25
# A message this long is probably a description rather than "hi" or "I've got an idea".
DESCRIPTION_MIN_WORDS = 6

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

# Words that usually introduce why the idea matters: the "problem it solves" half of a message.
_PROBLEM_CUES = re.compile(
    r"\b(because|so that|so we|so officers|so staff|problem|issue|saves?d?|saving|reduc\w*|prevent\w*|"
    r"avoid\w*|instead of|which means|means that|cuts?|cutting|stops?|improv\w*|faster|quicker|"
    r"less time|fewer|delays?|backlog|waste\w*|struggl\w*|difficult|hard to)\b",
    re.IGNORECASE,
)

_STAGE_CUES: tuple[tuple[Stage, re.Pattern[str]], ...] = (
    (Stage.INDEPENDENTLY_EVALUATED, re.compile(
        r"\b(independent(ly)? evaluat\w*|randomi[sz]ed|rct|peer[- ]reviewed|external evaluation)\b", re.I)),
    (Stage.EVALUATED_LOCALLY, re.compile(r"\b(evaluat\w*|measured|results show\w*|we found that)\b", re.I)),
    (Stage.BEING_TRIED, re.compile(
        r"\b(trial\w*|pilot(ed|ing)\b|(a|the|our) pilot\b|"
        r"we('ve| have)? (been )?(using|tried|trying|started|introduced|rolled)|"
        r"rolled out|in use|currently using|we use|testing)\b", re.I)),
    # The same in Welsh (no English pattern matches Welsh text, so these keep their own order).
    (Stage.INDEPENDENTLY_EVALUATED, re.compile(r"(werthuso'n annibynnol|gwerthusiad annibynnol)", re.I)),
    (Stage.EVALUATED_LOCALLY, re.compile(r"(wedi'i werthuso|wedi ei werthuso|gwerthusiad|mae'r canlyniadau)", re.I)),
    (Stage.BEING_TRIED, re.compile(
        r"\b(treialu|treial|peilot|rydym yn defnyddio|rydyn ni'n defnyddio|wedi dechrau|wedi cyflwyno)\b", re.I)),
)

_GREETING_OR_START = re.compile(
    r"^\s*((hi|hello|hey|hiya|morning|good morning|afternoon|evening)[\s,!.]*(there|bot)?[\s,!.]*)?"
    r"(start|new|new idea|idea|share|"
    r"(so |well |ok |okay )?(i('ve| have)?|i'?ve|we('ve| have)?) (just )?(got |had )?(an? )?(new |quick |good )?"
    r"(idea|suggestion)s?( (to share|for you))?|(i'?ve )?got an? idea|here'?s an? idea|"
    r"(can|could|may) i share (an? )?(idea|suggestion)|i('d| would)? (want|like) to share (an? )?(idea|suggestion))?"
    r"[\s.!?]*$",
    re.IGNORECASE,
)
# The same in Welsh: "Helo", "Shwmae", "Mae gen i syniad", "Mae syniad gyda fi", "Syniad newydd".
_WELSH_GREETING_OR_START = re.compile(
    r"^\s*(helo|shwmae|sut mae|bore da|prynhawn da|noswaith dda|dechrau|syniad|syniad newydd|"
    r"mae (gen i|gennyf) (syniad|awgrym)( i'?w rannu)?|mae (syniad|awgrym) (gen i|gyda fi|gennyf)|"
    r"(ga i|hoffwn i?) rannu syniad)\b[\s.!?]*$",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def is_announcement(text: str) -> bool:
    """True for "hi" / "I've got an idea" and the like: a message that announces an idea is never its content."""
    return bool(text.strip()) and (_GREETING_OR_START.match(text) is not None
                                   or _WELSH_GREETING_OR_START.match(text) is not None)


def is_conversation_opener(text: str) -> bool:
    """True for "hi" / "I've got an idea": the person wants to start, but has not said what yet."""
    if is_announcement(text):
        return True
    # Scripts written without spaces (Chinese, Japanese) count few "words": judge those by length.
    return word_count(text) < DESCRIPTION_MIN_WORDS and len(text.strip()) < 30


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def draft_title(text: str) -> str:
    """The first sentence, cut at a word boundary: short enough for a card heading."""
    first = sentences(text)[0] if text.strip() else ""
    first = re.sub(r"\s+", " ", first).strip(" .!?")
    for opener in ("we could ", "i think we should ", "my idea is to ", "my idea is ", "the idea is to ",
                   "what if we ", "i'd like to ", "we should "):
        if first.lower().startswith(opener):
            first = first[len(opener):]
            break
    first = cut_at_word(first, TITLE_MAX_CHARS)
    return first[:1].upper() + first[1:]


def cut_at_word(text: str, limit: int) -> str:
    """``text`` if it fits; otherwise its longest run of whole words within ``limit``, then "…"."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if text[limit] != " " else text[:limit]
    return (cut or text[:limit]).rstrip(" ,;:-") + "…"


def split_one_shot(text: str) -> tuple[str, str] | None:
    """Split a long first message into (what the idea is, what problem it solves).

    Returns None when the message is too short, or says nothing about the problem, so the
    conversation asks instead of guessing.
    """
    if word_count(text) < ONE_SHOT_MIN_WORDS:
        return None
    parts = sentences(text)
    problem = [s for s in parts if _PROBLEM_CUES.search(s)]
    description = [s for s in parts if s not in problem]
    if not problem:
        return None
    if not description and len(parts) > 1:
        # Every sentence talks about the problem: the first still says what the idea is.
        description, problem = parts[:1], parts[1:]
    if not description:
        return None  # one sentence cannot be both halves: ask rather than copy it into both fields
    return " ".join(description), " ".join(problem)


def guess_stage(text: str) -> Stage | None:
    for stage, pattern in _STAGE_CUES:
        if pattern.search(text):
            return stage
    return None


def guess_theme(text: str, themes: Sequence[Theme]) -> Theme | None:
    """The theme whose keywords the text mentions most; None when it mentions none."""
    lowered = " " + utils.default_process(text) + " "
    best: tuple[int, Theme] | None = None
    for theme in themes:
        hits = sum(1 for kw in theme.keywords if kw and f" {kw.lower()}" in lowered)
        if hits and (best is None or hits > best[0]):
            best = (hits, theme)
    return best[1] if best else None


def find_forces(text: str, forces: Sequence[Force], limit: int = 5) -> list[Force]:
    """Forces whose name or slug resembles what was typed, best first ("kent", "met", "gmp")."""
    query = utils.default_process(text)
    if not query:
        return []
    exact = [f for f in forces if query in (f.slug.replace("-", " "), utils.default_process(f.name),
                                            utils.default_process(f.name_cy))]
    if exact:
        return exact
    choices = {i: f"{f.name} {f.slug.replace('-', ' ')}" for i, f in enumerate(forces)}
    # Welsh names are scored on their own ("gogledd" finds Heddlu Gogledd Cymru), not diluting the English.
    choices.update({len(forces) + i: f.name_cy for i, f in enumerate(forces) if f.name_cy})
    found = process.extract(query, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=2 * limit, score_cutoff=60)
    picked = dict.fromkeys(forces[key % len(forces)].slug for _, _, key in found)
    by_slug = {f.slug: f for f in forces}
    return [by_slug[slug] for slug in list(picked)[:limit]]


# What officers actually call forces, beyond their formal names.
FORCE_ALIASES = {
    "met": "metropolitan", "the met": "metropolitan", "mps": "metropolitan", "gmp": "greater-manchester",
    "btp": "british-transport", "mod": "ministry-of-defence", "mdp": "ministry-of-defence",
    "cnc": "civil-nuclear", "tvp": "thames-valley", "wmp": "west-midlands", "wyp": "west-yorkshire",
    "syp": "south-yorkshire", "nyp": "north-yorkshire", "asp": "avon-and-somerset", "avon": "avon-and-somerset",
    "devon": "devon-and-cornwall", "cornwall": "devon-and-cornwall", "hampshire": "hampshire-and-isle-of-wight",
    "city": "city-of-london", "col": "city-of-london", "copp": "college-of-policing", "college": "college-of-policing",
    "scotland": "police-scotland", "northern ireland": "psni",
}


def pick_force(text: str, forces: Sequence[Force]) -> Force | None:
    """One force only when the typed text clearly names it; otherwise the caller offers choices."""
    query = utils.default_process(text)
    if not query:
        return None
    by_slug = {f.slug: f for f in forces}
    alias = FORCE_ALIASES.get(query) or FORCE_ALIASES.get(query.removeprefix("the ").strip())
    if alias and alias in by_slug:
        return by_slug[alias]
    for force in forces:
        name = utils.default_process(force.name)
        if query in (force.slug.replace("-", " "), name):
            return force
        short = name.replace(" police", "").replace(" constabulary", "").strip()
        if query in (short, short.replace(" service", "")):
            return force
    candidates = find_forces(text, forces, limit=2)
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) >= 2:
        scores = [fuzz.WRatio(query, utils.default_process(f.name)) for f in candidates]
        if scores[0] >= 90 and scores[0] - scores[1] >= 10:
            return candidates[0]
    return None
