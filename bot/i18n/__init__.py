"""The message catalogue: every word the bot says, keyed, in English and Welsh.

Adding a language means adding a catalogue module (a dict of the same keys) and registering it in
``CATALOGUES``; missing keys fall back to English so a partial translation still works (the parity test
keeps the shipped catalogues complete). The Welsh Language Standards apply to the four Welsh forces,
which is why no user-facing text lives in logic.

Count-aware messages are stored once per CLDR plural category, ``"key#one"``, ``"key#other"`` (Welsh
also has ``#zero``, ``#two``, ``#few`` and ``#many``), and called with ``count=``: ``t("review.reminder", count=n)``.
The category comes from Babel (``bot/i18n/plurals.py``), so "1 days" cannot happen in either language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.i18n import plurals
from bot.i18n.cy import MESSAGES as WELSH
from bot.i18n.en import MESSAGES as ENGLISH

CATALOGUES: dict[str, Mapping[str, str]] = {"en": ENGLISH, "cy": WELSH}
LANGUAGES = ("cy", "en")


def language_of(locale: str | None) -> str:
    """The catalogue language for a platform locale ("cy-GB" → "cy", "en-US" → "en", unknown → "en")."""
    base = (locale or "en").replace("_", "-").split("-")[0].lower()
    return base if base in CATALOGUES else "en"


class _SafeParams(dict[str, object]):
    """Leaves an unknown ``{placeholder}`` visible instead of raising mid-conversation."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    def __init__(self, locale: str = "en", catalogues: Mapping[str, Mapping[str, str]] | None = None) -> None:
        catalogues = CATALOGUES if catalogues is None else catalogues
        base = (locale or "en").replace("_", "-").split("-")[0].lower()
        self.locale = base if base in catalogues else "en"
        self._primary = catalogues.get(self.locale, ENGLISH)
        self._fallback = catalogues.get("en", ENGLISH)

    def _template(self, key: str, params: Mapping[str, object]) -> str | None:
        template = self._primary.get(key)
        if template:
            return template
        count = params.get("count")
        if isinstance(count, int) and (f"{key}#other" in self._primary or f"{key}#other" in self._fallback):
            for catalogue, language in ((self._primary, self.locale), (self._fallback, "en")):
                category = plurals.plural_category(language, count)
                template = catalogue.get(f"{key}#{category}") or catalogue.get(f"{key}#other")
                if template:
                    return template
        return self._fallback.get(key)

    def __call__(self, key: str, **params: object) -> str:
        template = self._template(key, params)
        if template is None:
            raise KeyError(f"message key {key!r} is not in the catalogue")
        count = params.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            params["count"] = plurals.format_number(self.locale, count)
        # Values (which may be user text) are substituted once; braces inside them are never re-read.
        return template.format_map(_SafeParams(params))

    def has(self, key: str) -> bool:
        return any(k in c for c in (self._primary, self._fallback) for k in (key, f"{key}#other"))

    def date(self, day: date) -> str:
        """A day in this language, through CLDR: "4 December 2026" / "4 Rhagfyr 2026"."""
        return plurals.format_date(self.locale, day)


def messages_with_prefix(locale: str, prefix: str) -> dict[str, str]:
    """Every message under ``prefix`` in one language (English where a key is missing), for a page that
    renders its own words (the playground asks for ``playground.``)."""
    language = language_of(locale)
    merged = {k: v for k, v in ENGLISH.items() if k.startswith(prefix)}
    merged.update({k: v for k, v in CATALOGUES[language].items() if k.startswith(prefix)})
    return merged
