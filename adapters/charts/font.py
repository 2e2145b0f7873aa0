"""A tiny bitmap font for chart labels: 5 by 7 pixels (two more below the line for g, j, p, q, y),
drawn for this project.

Each glyph is written as its rows from the top, in hex: bit 4 (0x10) is the leftmost pixel, bit 0
the rightmost. So ``"0E 11 11 1F 11 11 11"`` is an A:

    .###.
    #...#
    #...#
    #####
    #...#
    #...#
    #...#

Welsh vowels with their marks are drawn as themselves — circumflex (â ê î ô û ŵ ŷ), diaeresis
(ä ë ï ö ü ẅ ÿ), acute and grave, in both cases: a mark sits in the two rows above a small letter, and a
capital is drawn five rows tall under its mark so the whole letter stays in the cell (a place name or
force name must not change letters in a Welsh chart). Other accented letters are drawn as their base
letter (French ç, Polish ł); combining marks and joiners take no room; anything else the font does not
hold (emoji, other scripts) is a box, so a label never loses a character silently. Charts repeat every
figure in words, so a box costs no information.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

WIDTH = 5
HEIGHT = 9  # 7 above the line, 2 below
ADVANCE = WIDTH + 1  # one blank column between letters

_ROWS: dict[str, str] = {
    " ": "00 00 00 00 00 00 00",
    "!": "04 04 04 04 04 00 04",
    '"': "0A 0A 00 00 00 00 00",
    "#": "0A 0A 1F 0A 1F 0A 0A",
    "$": "04 0F 14 0E 05 1E 04",
    "%": "18 19 02 04 08 13 03",
    "&": "0C 12 14 08 15 12 0D",
    "'": "04 04 00 00 00 00 00",
    "(": "02 04 08 08 08 04 02",
    ")": "08 04 02 02 02 04 08",
    "*": "00 04 15 0E 15 04 00",
    "+": "00 04 04 1F 04 04 00",
    ",": "00 00 00 00 0C 04 08",
    "-": "00 00 00 1F 00 00 00",
    ".": "00 00 00 00 00 0C 0C",
    "/": "00 01 02 04 08 10 00",
    "0": "0E 11 13 15 19 11 0E",
    "1": "04 0C 04 04 04 04 0E",
    "2": "0E 11 01 02 04 08 1F",
    "3": "1F 02 04 02 01 11 0E",
    "4": "02 06 0A 12 1F 02 02",
    "5": "1F 10 1E 01 01 11 0E",
    "6": "06 08 10 1E 11 11 0E",
    "7": "1F 01 02 04 08 08 08",
    "8": "0E 11 11 0E 11 11 0E",
    "9": "0E 11 11 0F 01 02 0C",
    ":": "00 0C 0C 00 0C 0C 00",
    ";": "00 0C 0C 00 0C 04 08",
    "<": "02 04 08 10 08 04 02",
    "=": "00 00 1F 00 1F 00 00",
    ">": "08 04 02 01 02 04 08",
    "?": "0E 11 01 02 04 00 04",
    "@": "0E 11 01 0D 15 15 0E",
    "A": "0E 11 11 1F 11 11 11",
    "B": "1E 11 11 1E 11 11 1E",
    "C": "0E 11 10 10 10 11 0E",
    "D": "1C 12 11 11 11 12 1C",
    "E": "1F 10 10 1E 10 10 1F",
    "F": "1F 10 10 1E 10 10 10",
    "G": "0E 11 10 17 11 11 0F",
    "H": "11 11 11 1F 11 11 11",
    "I": "0E 04 04 04 04 04 0E",
    "J": "07 02 02 02 02 12 0C",
    "K": "11 12 14 18 14 12 11",
    "L": "10 10 10 10 10 10 1F",
    "M": "11 1B 15 15 11 11 11",
    "N": "11 11 19 15 13 11 11",
    "O": "0E 11 11 11 11 11 0E",
    "P": "1E 11 11 1E 10 10 10",
    "Q": "0E 11 11 11 15 12 0D",
    "R": "1E 11 11 1E 14 12 11",
    "S": "0F 10 10 0E 01 01 1E",
    "T": "1F 04 04 04 04 04 04",
    "U": "11 11 11 11 11 11 0E",
    "V": "11 11 11 0A 0A 04 04",
    "W": "11 11 11 15 15 15 0A",
    "X": "11 11 0A 04 0A 11 11",
    "Y": "11 11 11 0A 04 04 04",
    "Z": "1F 01 02 04 08 10 1F",
    "[": "0E 08 08 08 08 08 0E",
    "\\": "00 10 08 04 02 01 00",
    "]": "0E 02 02 02 02 02 0E",
    "^": "04 0A 11 00 00 00 00",
    "_": "00 00 00 00 00 00 1F",
    "`": "08 04 00 00 00 00 00",
    "a": "00 00 0E 01 0F 11 0F",
    "b": "10 10 16 19 11 11 1E",
    "c": "00 00 0E 10 10 11 0E",
    "d": "01 01 0D 13 11 11 0F",
    "e": "00 00 0E 11 1F 10 0E",
    "f": "06 09 08 1C 08 08 08",
    "g": "00 00 0F 11 11 11 0F 01 0E",
    "h": "10 10 16 19 11 11 11",
    "i": "04 00 0C 04 04 04 0E",
    "j": "02 00 06 02 02 02 02 12 0C",
    "k": "10 10 12 14 18 14 12",
    "l": "0C 04 04 04 04 04 0E",
    "m": "00 00 1A 15 15 11 11",
    "n": "00 00 16 19 11 11 11",
    "o": "00 00 0E 11 11 11 0E",
    "p": "00 00 1E 11 11 11 1E 10 10",
    "q": "00 00 0F 11 11 11 0F 01 01",
    "r": "00 00 16 19 10 10 10",
    "s": "00 00 0F 10 0E 01 1E",
    "t": "08 08 1C 08 08 09 06",
    "u": "00 00 11 11 11 13 0D",
    "v": "00 00 11 11 11 0A 04",
    "w": "00 00 11 11 15 15 0A",
    "x": "00 00 11 0A 04 0A 11",
    "y": "00 00 11 11 11 11 0F 01 0E",
    "z": "00 00 1F 02 04 08 1F",
    "{": "02 04 04 08 04 04 02",
    "|": "04 04 04 04 04 04 04",
    "}": "08 04 04 02 04 04 08",
    "~": "00 00 08 15 02 00 00",
    "£": "06 09 08 1C 08 08 1F",
    "€": "07 08 1E 08 1E 08 07",
    "…": "00 00 00 00 00 00 15",
    "·": "00 00 00 0C 0C 00 00",
    "°": "0C 12 12 0C 00 00 00",
    "\ufffd": "1F 11 11 11 11 11 1F",  # the box: a character the font does not hold
}
# Typographic marks drawn as their plain cousins.
_ALIASES = {"‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‐": "-",
            "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "×": "x", "•": "·",
            # Letters without a decomposition to a base letter.
            "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l", "Ł": "L",
            "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"}

# Marks over vowels (two rows) and the capital vowels drawn five rows tall, to make room for a mark.
_MARKS = {"\u0302": "04 0A", "\u0308": "0A 00", "\u0301": "02 04", "\u0300": "08 04"}
# O and W are squarer than o and w, which they would otherwise match at this height.
_SHORT_CAPITALS = {"A": "0E 11 1F 11 11", "E": "1F 10 1E 10 1F", "I": "0E 04 04 04 0E", "O": "1F 11 11 11 1F",
                   "U": "11 11 11 11 0E", "W": "11 11 15 1B 11", "Y": "11 11 0A 04 04"}


def _marked_vowels() -> dict[str, str]:
    marked: dict[str, str] = {}
    for mark, mark_rows in _MARKS.items():
        for small in "aeiouwy":
            letter = unicodedata.normalize("NFC", small + mark)
            if len(letter) == 1:  # small letters leave their top two rows blank (i's dot gives way)
                marked[letter] = " ".join([*mark_rows.split(), *_ROWS[small].split()[2:]])
        for capital, rows in _SHORT_CAPITALS.items():
            letter = unicodedata.normalize("NFC", capital + mark)
            if len(letter) == 1:
                marked[letter] = f"{mark_rows} {rows}"
    return marked


_ROWS.update(_marked_vowels())

BOX = "\ufffd"
Glyph = tuple[int, ...]  # HEIGHT rows, bit 4 leftmost


def _glyph(rows: str) -> Glyph:
    values = tuple(int(v, 16) for v in rows.split())
    return values + (0,) * (HEIGHT - len(values))


GLYPHS: dict[str, Glyph] = {ch: _glyph(rows) for ch, rows in _ROWS.items()}


@lru_cache(maxsize=4096)
def _drawn(ch: str) -> str:
    if ch in GLYPHS:
        return ch
    if ch in _ALIASES:
        return _ALIASES[ch]
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):  # accents on their own, joiners, variation selectors
        return ""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and all(c in GLYPHS for c in base):
        return base  # é → e, ŵ → w, ﬁ → fi
    return BOX


def drawable(text: str) -> str:
    """``text`` as the characters the font draws: marks the font lacks dropped, unknown characters as a box.

    Composed first, so "w" followed by a combining circumflex is drawn as the one letter ŵ."""
    return "".join(_drawn(ch) for ch in unicodedata.normalize("NFC", text))


def glyph(ch: str) -> Glyph:
    """The rows of one drawable character (see ``drawable``)."""
    return GLYPHS.get(ch, GLYPHS[BOX])


def text_width(drawn: str, scale: int = 1) -> int:
    """Pixels a drawable string takes, without the blank column after its last letter."""
    return max(0, len(drawn) * ADVANCE - 1) * scale
