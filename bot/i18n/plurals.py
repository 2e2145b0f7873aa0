"""CLDR plural categories, numbers and dates for a language, through Babel.

Why Babel here rather than behind a port: choosing "one" / "two" / "few" for a count is a pure function of
the language and the number, and CLDR is the authority (Welsh has six categories: zero 0, one 1, two 2,
few 3, many 6, other). Babel reads its bundled CLDR data from its own package files on first use of a
language, never at import time and never from the environment, so this module stays deterministic and
side-effect free at import (the lookup is cached per language).
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import Any

# The bot's languages as CLDR locales: English is British English (dates as "4 December 2026").
_CLDR_LOCALE = {"en": "en_GB", "cy": "cy_GB"}

CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def cldr_locale(language: str) -> str:
    return _CLDR_LOCALE.get(language, "en_GB")


@cache
def _locale(language: str) -> Any:
    from babel.core import Locale  # imported on first use: loading CLDR data is file I/O

    return Locale.parse(cldr_locale(language))


def plural_category(language: str, n: int) -> str:
    """The CLDR plural category of ``n`` in ``language``: one of :data:`CATEGORIES`."""
    return str(_locale(language).plural_form(abs(n)))


@lru_cache(maxsize=4096)  # Babel parses the number pattern on every call; the counts people see are few
def format_number(language: str, n: int) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=_locale(language)))


def format_date(language: str, day: date) -> str:
    """A day as people write it in the language: "4 December 2026", "4 Rhagfyr 2026"."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(day, format="d MMMM y", locale=_locale(language)))
