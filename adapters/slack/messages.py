"""The Slack adapter's translator: the words it says (App Home, pointers, modals) are in the one message
catalogue, ``bot/i18n``, under neutral keys (``home.*``, ``modal.*``, ``pointer.*``: see
``bot/i18n/surfaces_en.py``), so a translation of the bot covers Slack too."""

from __future__ import annotations

from bot.i18n import Translator


def translator(locale: str = "en") -> Translator:
    """The catalogue for a Slack locale such as ``en-GB``."""
    return Translator(locale)
