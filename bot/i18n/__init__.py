"""The message catalogue: every word the bot says, keyed.

Adding a language means adding a catalogue module (a dict of the same keys) and registering it in
``CATALOGUES``; missing keys fall back to English so a partial translation still works. The Welsh
Language Standards apply to the four Welsh forces, which is why no user-facing text lives in logic.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n.en import MESSAGES as ENGLISH

CATALOGUES: dict[str, Mapping[str, str]] = {"en": ENGLISH}


class _SafeParams(dict[str, object]):
    """Leaves an unknown ``{placeholder}`` visible instead of raising mid-conversation."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    def __init__(self, locale: str = "en", catalogues: Mapping[str, Mapping[str, str]] | None = None) -> None:
        catalogues = CATALOGUES if catalogues is None else catalogues
        base = locale.split("-")[0].lower()
        self.locale = base if base in catalogues else "en"
        self._primary = catalogues.get(self.locale, ENGLISH)
        self._fallback = catalogues.get("en", ENGLISH)

    def __call__(self, key: str, **params: object) -> str:
        template = self._primary.get(key) or self._fallback.get(key)
        if template is None:
            raise KeyError(f"message key {key!r} is not in the catalogue")
        # Values (which may be user text) are substituted once; braces inside them are never re-read.
        return template.format_map(_SafeParams(params))

    def has(self, key: str) -> bool:
        return key in self._primary or key in self._fallback
