"""Spot text that looks like personal or operational detail before an idea leaves its force.

Pure and deterministic: ``check(text)`` returns flags (kind, span, reason key) and ``redact(text, flags)``
replaces each flagged span with ``[kind removed]``. The detectors are deliberately narrow — each one
needs a shape that ordinary writing about policing practice does not have (a title *and* a capitalised
surname, a full postcode, a keyword *and* a reference) — because a warning that fires on "PC training
day" or "the 101 number" teaches officers to ignore it. A flag is a prompt for a person to look, never
a verdict: the officer can edit and the broker decides.

Reason keys are stable identifiers (for message catalogues and logs), not English sentences.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.sensitivity_words import GIVEN_NAMES, NOT_SURNAMES, STREET_SUFFIXES


class Kind(enum.StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    VEHICLE = "vehicle-registration"
    REFERENCE = "reference"
    DATE_OF_BIRTH = "date-of-birth"
    NI_NUMBER = "ni-number"
    ADDRESS = "address"


@dataclass(frozen=True, order=True)
class Flag:
    start: int
    end: int
    kind: Kind
    reason: str
    text: str

    @property
    def placeholder(self) -> str:
        return f"[{self.kind.value} removed]"


Detector = Callable[[str], Iterator[Flag]]

# --- names ----------------------------------------------------------------------------------------

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)"
# Ranks and roles written before a surname. Longest first, so "DCI" wins over "DC".
_RANKS = (r"(?:Det(?:ective)?\.?\s+)?(?:Ch(?:ief)?\.?\s+)?(?:Supt|Superintendent|Insp|Inspector|Sgt|Sergeant|"
          r"Constable)|DCI|DCS|DSupt|ACC|DCC|PCSO|PSCO|PC|DC|PS|DS|DI|TDC")
# A surname: capitalised, not all capitals (so "PC CCTV" and "DS CID" stay quiet); allows O'Neill,
# McDonald, Smith-Jones.
_SURNAME = r"(?:O['’])?(?:Ma?c)?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
_INITIALS = r"(?:[A-Z]\.?\s+){0,2}"
_TITLE_NAME = re.compile(rf"\b{_TITLES}\.?\s+{_INITIALS}(?P<name>{_SURNAME})(?:\s+(?P<second>{_SURNAME}))?\b")
_RANK_NAME = re.compile(
    rf"\b(?:{_RANKS})\.?\s+(?:(?P<collar>\d{{3,6}})\s+)?(?P<name>{_SURNAME})(?:\s+(?P<second>{_SURNAME}))?\b")
_RANK_COLLAR = re.compile(r"\b(?:PC|PCSO|DC|PS|DS|Sgt)\s*(?P<collar>\d{3,6})\b")
# A common given name then a capitalised surname, with no title or rank: "Sarah Jenkins", "Liam Murphy's".
# A lookahead, so that "Witness Sarah Jenkins" is tried at "Sarah" too, not only at "Witness".
_GIVEN_NAME = re.compile(rf"\b(?=(?P<first>[A-Z][a-z]+)\s+(?P<name>{_SURNAME})\b)")



# --- phones, email --------------------------------------------------------------------------------

_SEP = r"[ \-]?"
_PHONE = re.compile(
    r"(?<![\w/+.])(?:"
    rf"(?P<intl>(?:\+|00)44{_SEP}(?:\(0\){_SEP})?[1237](?:{_SEP}\d){{8,9}})"
    rf"|(?P<paren>\(0[1237]\d{{1,4}}\){_SEP}\d(?:{_SEP}\d){{4,7}})"
    rf"|(?P<national>0[1237](?:{_SEP}\d){{8,9}})"
    r")(?![\d/])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# --- postcodes, vehicles, NI numbers ---------------------------------------------------------------

# A full postcode: outward code (area letters, district digit, optional letter/digit), then the inward
# code (a digit and two letters that exclude C, I, K, M, O, V). A bare outward code ("SW1A") is not
# flagged: it names thousands of addresses.
_POSTCODE = re.compile(
    r"\b(?P<pc>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})\b"
    r"|\b(?P<lower>(?:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?) ?\d[abd-hjlnp-uw-z]{2})\b"
)
_ORDINALS = ("st", "nd", "rd", "th")

# Current (2001-) plates: two memory-tag letters, the age identifier, three random letters. Memory tags
# never start with I, J, Q, T, U, X or Z; random letters never use I or Q. Ages run 02-29 and 51-79.
_PLATE = re.compile(r"\b(?P<plate>[A-HK-PR-SVWY][A-HJ-PR-Y](?:0[2-9]|[12]\d|5[1-9]|[67]\d) ?[A-HJ-PR-Z]{3})\b")
# Older plates still on the road: prefix (1983-2001, "P456 RST") and suffix (1963-1983, "ABC 123D") formats,
# capitals only, with the space or without. The age letter is never I, O, Q, U or Z.
_OLD_PLATE = re.compile(r"\b(?P<plate>[A-HJ-NP-TV-Y]\d{1,3} ?[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{3} ?\d{1,3}[A-HJ-NP-TV-Y])\b")

# National Insurance number. QQ is HMRC's own example prefix, so it is accepted here (it is what people
# paste when testing, and real prefixes look the same). The suffix letter A-D is optional only when the
# text says it is an NI number.
_NI_BODY = r"[A-CEGHJ-TW-Z][A-CEGHJ-NP-TW-Z] ?\d{2} ?\d{2} ?\d{2}"
_NI = re.compile(rf"\b(?P<ni>{_NI_BODY} ?[A-D])\b")
_NI_KEYWORD = re.compile(rf"\b(?:NI|NINO|N\.I\.|national insurance)(?: ?(?:no\.?|number))?:? ?(?P<ni>{_NI_BODY})\b",
                         re.IGNORECASE)

# --- addresses ------------------------------------------------------------------------------------

_SUFFIX = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
# A house number (a flat first, perhaps), then a street: one to three capitalised words ending in a street
# word ("12 Moor Park Avenue", "5 The Crescent"), or a one-word -gate street ("12 Fishergate"). A number
# before a street is what makes it an address rather than a place: "Station Road beat" stays quiet.
_ADDRESS = re.compile(
    r"\b(?P<addr>(?:(?:Flat|Apartment|Unit)\s+\d{1,4}[A-Z]?,?\s+)?\d{1,4}[A-Z]?,?\s+"
    rf"(?:(?:The\s+(?:[A-Z][a-z'’]+\s+){{0,2}}|(?:[A-Z][a-z'’]+\s+){{1,3}})(?:{_SUFFIX})|[A-Z][a-z]+gate))\b")
# A street without a number where the text says someone lives or is bailed there: "lives on Garstang Road".
_KEYED_STREET = re.compile(
    r"\b(?:lives|living|lived|resides|residing|bailed to|moved to|address(?:\s+(?:is|was|given was))?)\s+"
    rf"(?:(?:on|at|in)\s+)?(?P<addr>(?:[A-Z][a-z'’]+\s+){{1,3}}(?:{_SUFFIX}))\b")


def _addresses(text: str) -> Iterator[Flag]:
    for pattern, reason in ((_ADDRESS, "house-number-and-street"), (_KEYED_STREET, "lives-on-street")):
        for m in pattern.finditer(text):
            yield Flag(m.start("addr"), m.end("addr"), Kind.ADDRESS, reason, m.group("addr"))


# --- references -----------------------------------------------------------------------------------

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_NUM_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}"
_WORD_DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+(?:19|20)\d{{2}}"
              rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})")
_DOB = re.compile(
    rf"\b(?:DOB|D\.O\.B\.?|date of birth|born(?:\s+on)?)\s*[:\-]?\s*(?P<date>{_NUM_DATE}|{_WORD_DATE})\b",
    re.IGNORECASE)

# "CAD 1234 23/11", "CAD 1234 of 23/11/24", "log 123 of 12/03"
_DAY_REF = r"(?:\s+of|\s*[,@])?\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?"
_CAD = re.compile(rf"\b(?:CAD|STORM)\s*(?:no\.?|number|ref\.?)?\s*[:#]?\s*(?P<ref>\d{{2,6}}(?:{_DAY_REF})?)\b"
                  rf"|\blog\s*(?:(?:no\.?|number|ref\.?)\s*[:#]?\s*(?P<logref>\d{{2,6}}(?:{_DAY_REF})?)"
                  rf"|(?P<logday>\d{{2,6}}{_DAY_REF}))\b",
                  re.IGNORECASE)
_URN = re.compile(r"\b(?:URN|CRN|CRIS|PNC\s*ID|custody\s*(?:no\.?|number|record))\s*[:#]?\s*"
                  r"(?P<ref>(?=[A-Z0-9/\-]*\d{3})[A-Z0-9][A-Z0-9/\-]{5,})\b", re.IGNORECASE)
# A keyword then a reference: with "number" / "ref" any token holding four or more digits; without it,
# the token must look like a reference (slashes, "of dd/mm", or six or more digits) so that
# "the incident in 2024" stays quiet.
_KEYWORD = r"(?:crime|incident|occurrence|niche|athena|case|job|report|reference)"
_KEYED_REF = re.compile(
    rf"\b{_KEYWORD}\s+(?:no\.?|number|ref(?:erence)?\.?|#)\s*[:#]?\s*"
    r"(?P<ref>(?=[\w/\-]*\d{4})[A-Z0-9][\w/\-]{3,}(?:" + _DAY_REF + r")?)",
    re.IGNORECASE)
_BARE_KEYED_REF = re.compile(
    rf"\b{_KEYWORD}\s*[:#]?\s*(?P<ref>\d{{2,6}}{_DAY_REF}|\d{{1,4}}/\d{{5,}}(?:/\d{{2,4}})?[A-Z]?"
    r"|\d{1,4}/\d{3,4}/\d{2,4}|\d{6,})\b",
    re.IGNORECASE)
# Long digit runs with slashes, like force crime numbers "12/34567/24" or PNC ids "19/123456A". A
# date's middle part has one or two digits, so "01/02/1990", "24/7" and "2023/24" are left alone.
_SLASHED = re.compile(r"(?<![\w/])(?P<ref>\d{1,4}/\d{5,}(?:/\d{2,4})?[A-Z]?|\d{1,4}/\d{3,4}/\d{2,4})(?![\w/])")


def _names(text: str) -> Iterator[Flag]:
    for pattern, reason in ((_TITLE_NAME, "title-and-surname"), (_RANK_NAME, "rank-and-surname")):
        for m in pattern.finditer(text):
            name, second = m.group("name"), m.group("second")
            if name in NOT_SURNAMES:
                continue
            end = m.end("second") if second and second not in NOT_SURNAMES else m.end("name")
            yield Flag(m.start(), end, Kind.NAME, reason, text[m.start():end])
    for m in _RANK_COLLAR.finditer(text):
        yield Flag(m.start(), m.end(), Kind.NAME, "rank-and-collar-number", m.group())
    for m in _GIVEN_NAME.finditer(text):
        if m.group("first") in GIVEN_NAMES and m.group("name") not in NOT_SURNAMES:
            start, end = m.start("first"), m.end("name")
            yield Flag(start, end, Kind.NAME, "given-name-and-surname", text[start:end])


def _phones(text: str) -> Iterator[Flag]:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if m.group("intl"):
            national = digits[4:] if digits.startswith("0044") else digits[2:]
            if "(0)" in m.group():  # "+44 (0)20 …": the trunk zero is written but not dialled
                national = national[1:]
            reason = "international-uk"
        else:
            national = digits[1:]
            reason = "uk-mobile" if national.startswith("7") else "uk-landline"
        # UK numbers have ten digits after the 0 (a few 01 areas have nine); mobiles and 02/03 always ten.
        if len(national) == 10 or (len(national) == 9 and national.startswith("1")):
            yield Flag(m.start(), m.end(), Kind.PHONE, reason, m.group())


def _emails(text: str) -> Iterator[Flag]:
    for m in _EMAIL.finditer(text):
        yield Flag(m.start(), m.end(), Kind.EMAIL, "email-address", m.group())


def _postcodes(text: str) -> Iterator[Flag]:
    for m in _POSTCODE.finditer(text):
        group = "pc" if m.group("pc") else "lower"
        value = m.group(group)
        # Lower-case only counts with the usual space, and never when the "inward code" is an ordinal
        # ("a38 4th"): lower-case postcodes are rare, lower-case ordinals are everywhere.
        if group == "lower" and (" " not in value or value[-2:] in _ORDINALS):
            continue
        yield Flag(m.start(group), m.end(group), Kind.POSTCODE, "full-postcode", value)


def _plates(text: str) -> Iterator[Flag]:
    for pattern, reason in ((_PLATE, "current-format-plate"), (_OLD_PLATE, "older-format-plate")):
        for m in pattern.finditer(text):
            yield Flag(m.start("plate"), m.end("plate"), Kind.VEHICLE, reason, m.group("plate"))


def _ni_numbers(text: str) -> Iterator[Flag]:
    for pattern in (_NI, _NI_KEYWORD):
        for m in pattern.finditer(text):
            yield Flag(m.start("ni"), m.end("ni"), Kind.NI_NUMBER, "ni-number", m.group("ni"))


def _dates_of_birth(text: str) -> Iterator[Flag]:
    for m in _DOB.finditer(text):
        yield Flag(m.start("date"), m.end("date"), Kind.DATE_OF_BIRTH, "date-of-birth", m.group("date"))


def _references(text: str) -> Iterator[Flag]:
    for pattern, reason in ((_CAD, "incident-log"), (_URN, "unique-reference"), (_KEYED_REF, "crime-reference"),
                            (_BARE_KEYED_REF, "crime-reference"), (_SLASHED, "slashed-reference")):
        for m in pattern.finditer(text):
            group = next(g for g in ("ref", "logref", "logday") if g in pattern.groupindex and m.group(g))
            value = m.group(group).rstrip("/-")
            if sum(ch.isdigit() for ch in value) < 3:
                continue
            start = m.start(group)
            yield Flag(start, start + len(value), Kind.REFERENCE, reason, value)


# Order is priority when two flags overlap with the same length: the more specific detector first.
DETECTORS: tuple[Detector, ...] = (_emails, _ni_numbers, _dates_of_birth, _references, _phones, _postcodes,
                                   _plates, _addresses, _names)


# Detectors that can only match text holding a digit (or, for emails, an "@"): skipped when it has none,
# which is most titles and many descriptions. The whole catalogue is masked as it is read, so this counts.
_NEEDS_DIGIT = frozenset({_ni_numbers, _dates_of_birth, _references, _phones, _postcodes, _plates})
_DIGIT = re.compile(r"\d")


def _addresses_without_digits(text: str) -> Iterator[Flag]:
    for m in _KEYED_STREET.finditer(text):
        yield Flag(m.start("addr"), m.end("addr"), Kind.ADDRESS, "lives-on-street", m.group("addr"))


def check(text: str) -> tuple[Flag, ...]:
    """Every flag in ``text``, in order, without overlaps (the longer span wins; ties go to priority)."""
    candidates: list[tuple[int, int, Flag]] = []
    digits = _DIGIT.search(text) is not None
    for priority, detector in enumerate(DETECTORS):
        if (not digits and detector in _NEEDS_DIGIT) or (detector is _emails and "@" not in text):
            continue
        if not digits and detector is _addresses:
            detector = _addresses_without_digits  # a house number needs a digit; "lives on X Road" does not
        for flag in detector(text):
            candidates.append((-(flag.end - flag.start), priority, flag))
    chosen: list[Flag] = []
    for _, _, flag in sorted(candidates, key=lambda c: (c[0], c[1], c[2].start)):
        if all(flag.end <= kept.start or flag.start >= kept.end for kept in chosen):
            chosen.append(flag)
    return tuple(sorted(chosen))


def redact(text: str, flags: tuple[Flag, ...] | list[Flag] | None = None) -> str:
    """``text`` with each flagged span replaced by ``[kind removed]`` (flags default to ``check(text)``)."""
    spans = sorted(check(text) if flags is None else flags, key=lambda f: f.start, reverse=True)
    out = text
    last_start = len(text) + 1
    for flag in spans:
        if flag.end > last_start:  # overlapping flags from a caller: keep the first replacement
            continue
        out = out[:flag.start] + flag.placeholder + out[flag.end:]
        last_start = flag.start
    return out


def kinds(flags: tuple[Flag, ...]) -> tuple[Kind, ...]:
    """The distinct kinds among ``flags``, in first-seen order (for a short summary to show a person)."""
    return tuple(dict.fromkeys(f.kind for f in flags))
