"""Text helpers the roundup's cards and chart share: clipping at a word, a one-line summary, a local date."""

from __future__ import annotations

import re
from datetime import date

from bot.i18n import Translator

MAX_SUMMARY_CHARS = 200

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
