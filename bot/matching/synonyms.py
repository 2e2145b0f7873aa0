"""Policing abbreviations and synonyms, and the analysis that applies them.

Officers write "UAV", "drone" or "unmanned aerial vehicle" for the same thing, and "DA" or "DV" for
domestic abuse. Each group in the table becomes one *concept*. When text is analysed, any phrase of a
group is replaced by the concept's key (a term that only that concept produces, which makes a shared
concept a strong signal) followed by the stems of the canonical phrase (so "missing people" still
shares "missing" with "missing children"). Both sides of a comparison are analysed the same way.

Parsing is pure: the caller reads the CSV file (see ``storage.matching_data``) and passes its text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress

from bot.matching.normalise import STOP_WORDS, is_content_word, is_word, stem, stem_all, words

# Longest phrase, in words, that the table may hold; longer variants are ignored.
MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class Concept:
    """One group of equivalent phrases."""

    # The internal term, e.g. "domestic_abus": stems joined by "_", which never occurs in a stem, so
    # only the concept produces it. A one-word canonical phrase's key is just its stem ("dron").
    key: str
    readable: str  # the canonical phrase as written in the table, shown in explanations
    stems: tuple[str, ...]  # content stems of the canonical phrase
    words: tuple[str, ...]  # the canonical phrase's word for each stem, for explanations


class SynonymTable:
    """Phrase (as a tuple of stems) -> concept, looked up by longest match."""

    def __init__(
        self,
        concepts: Iterable[tuple[Concept, Iterable[tuple[str, ...]]]] = (),
        vocabulary: Iterable[str] = (),
    ) -> None:
        self._phrases: dict[tuple[str, ...], Concept] = {}
        self._longest_from: dict[str, int] = {}  # first stem -> longest phrase starting with it
        self._concepts: dict[str, Concept] = {}
        for concept, phrases in concepts:
            self._concepts.setdefault(concept.key, concept)
            for phrase in phrases:
                if not phrase or len(phrase) > MAX_PHRASE_WORDS or phrase in self._phrases:
                    continue  # the first group to claim a phrase keeps it
                self._phrases[phrase] = self._concepts[concept.key]
                self._longest_from[phrase[0]] = max(self._longest_from.get(phrase[0], 0), len(phrase))
        # Every word the table knows, so that the typo step can correct "misper" or "safegaurding"
        # towards them and leaves them alone when they are typed right.
        self.vocabulary: frozenset[str] = frozenset(vocabulary)

    def __len__(self) -> int:
        return len(self._concepts)

    def concept(self, key: str) -> Concept | None:
        return self._concepts.get(key)

    def lookup(self, phrase: str) -> Concept | None:
        """The concept that ``phrase`` belongs to, if any (e.g. ``lookup("UAV").readable == "drone"``)."""
        return self._phrases.get(tuple(stem(w) for w in words(phrase)))


EMPTY_TABLE = SynonymTable()


def parse_synonyms(text: str) -> SynonymTable:
    """Parse the abbreviations CSV: a header line, then one group per line, canonical phrase first.

    Blank lines and lines starting with ``#`` are skipped. A variant that is a lone stop word, or only
    single letters, is ignored, since it would turn ordinary words into the concept.
    """
    groups: list[tuple[Concept, list[tuple[str, ...]]]] = []
    vocabulary: set[str] = set()
    header_seen = False
    for row in csv.reader(io.StringIO(text)):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells or cells[0].startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        canonical_words = [w for w in words(cells[0]) if is_word(w)]
        if not canonical_words:
            continue
        stems = tuple(dict.fromkeys(stem(w) for w in canonical_words))
        first_word = {s: w for w, s in reversed([(w, stem(w)) for w in canonical_words])}
        concept = Concept("_".join(stems), cells[0], stems, tuple(first_word[s] for s in stems))
        phrases = []
        for cell in cells:
            variant = words(cell)
            vocabulary.update(w for w in variant if is_content_word(w))
            # A lone stop word ("us") would turn an ordinary word into the concept; a phrase of
            # stop words ("well being") is specific enough. Single letters alone never are.
            if variant and (is_word(variant[0]) if len(variant) == 1 else any(len(w) > 1 for w in variant)):
                phrases.append(tuple(stem(w) for w in variant))
        groups.append((concept, phrases))
    return SynonymTable(groups, vocabulary)


@dataclass
class Analysis:
    """Terms of one text, in order (repeats kept), with what to show for each."""

    terms: list[str] = field(default_factory=list)
    readable: dict[str, str] = field(default_factory=dict)  # term -> word or phrase to show a person
    concepts: list[Concept] = field(default_factory=list)  # concepts found, in order
    corrected: set[str] = field(default_factory=set)  # terms that exist only thanks to typo correction
    words: list[str] = field(default_factory=list)  # content words as typed (folded), for the typo vocabulary

    @property
    def text(self) -> str:
        """The terms as one string, for rapidfuzz."""
        return " ".join(self.terms)


def analyse(
    text: str,
    table: SynonymTable = EMPTY_TABLE,
    correct: Callable[[str], str | None] | None = None,
    *,
    explain: bool = True,
) -> Analysis:
    """Fold, split, (optionally) fix typos, match synonym phrases, drop stop words and stem.

    ``correct`` is offered each word and returns a replacement for a misspelt one, or None. Phrases are
    matched on the full word sequence, stop words included, so "well-being" and "stop and search" are
    recognised before their parts are dropped. ``explain=False`` skips ``readable`` for plain words
    (the index does not need it, and it is a fair share of the time taken).
    """
    out = Analysis()
    raw = words(text)
    flags: list[bool] | None = None  # which words the corrector changed
    if correct is not None:
        fixed = [correct(w) for w in raw]
        if any(f is not None for f in fixed):
            flags = [f is not None for f in fixed]
            raw = [f if f is not None else w for f, w in zip(fixed, raw, strict=True)]
    stems = stem_all(raw)
    longest_from, phrases = table._longest_from, table._phrases
    clean: set[str] = set()  # terms seen at least once as typed (not corrected)
    pos = 0  # words before ``pos`` are done
    # Only words that can start a phrase are tried; the runs in between are plain words, handled in
    # bulk by ``_plain`` (this runs for every word of every entry indexed, so it is kept tight).
    for i in [i for i, s in enumerate(stems) if s in longest_from]:
        if i < pos:
            continue  # inside a phrase already matched
        length = min(longest_from[stems[i]], len(raw) - i)
        concept = None
        while length > 0:
            concept = phrases.get(tuple(stems[i : i + length]))
            if concept is not None:
                break
            length -= 1
        if concept is None:
            continue
        _plain(out, raw, stems, flags, pos, i, clean, explain)
        out.words.extend(w for w in raw[i : i + length] if is_content_word(w))
        out.concepts.append(concept)
        out.terms.append(concept.key)
        out.readable.setdefault(concept.key, concept.readable)
        (out.corrected if flags and any(flags[i : i + length]) else clean).add(concept.key)
        for part_stem, part_word in zip(concept.stems, concept.words, strict=True):
            if part_stem != concept.key:
                out.terms.append(part_stem)
            out.readable.setdefault(part_stem, part_word)
        pos = i + length
    _plain(out, raw, stems, flags, pos, len(raw), clean, explain)
    out.corrected -= clean
    return out


def _plain(out: Analysis, raw: list[str], stems: list[str], flags: list[bool] | None, start: int, end: int,
           clean: set[str], explain: bool) -> None:
    """Add the content words of ``raw[start:end]`` (no phrases there) to ``out``."""
    if start >= end:
        return
    words_, stems_ = raw[start:end], stems[start:end]
    keep = [len(w) > 1 and w not in STOP_WORDS and not w.isdigit() for w in words_]  # is_content_word
    out.words.extend(compress(words_, keep))
    out.terms.extend(compress(stems_, keep))
    if explain:
        readable = out.readable
        for s, w in zip(compress(stems_, keep), compress(words_, keep), strict=True):
            if s not in readable:
                readable[s] = w
    if flags is not None:  # without corrections nothing is corrected and ``clean`` is not needed
        for s, fixed in zip(compress(stems_, keep), compress(flags[start:end], keep), strict=True):
            (out.corrected if fixed else clean).add(s)
