"""Reads the matcher's data files shipped in ``storage/data``: the only file I/O the matcher needs.

``bot.matching`` stays pure; this module turns the shipped files into the values it takes.
"""

from __future__ import annotations

import json
from importlib.resources import files

from bot.matching import SynonymTable, parse_synonyms

ABBREVIATIONS_FILE = "abbreviations.csv"
# The same concepts in Welsh: an idea written in Welsh meets the English catalogue on these.
WELSH_ABBREVIATIONS_FILE = "abbreviations_cy.csv"
DEMO_CATALOGUE_FILE = "demo_catalogue.json"
_DEMO_FIELDS = ("title", "description", "problem", "force", "stage", "theme", "contact", "url")


def _read(name: str) -> str:
    return (files("storage") / "data" / name).read_text(encoding="utf-8")


def load_synonym_table() -> SynonymTable:
    """The policing abbreviations and synonyms table, English and Welsh (the Welsh file's header is dropped)."""
    welsh = _read(WELSH_ABBREVIATIONS_FILE).split("\n", 1)[1]
    return parse_synonyms(_read(ABBREVIATIONS_FILE).rstrip("\n") + "\n" + welsh)


def load_demo_catalogue() -> list[dict[str, str]]:
    """The demo catalogue: dicts with title, description, problem, force, stage, theme, contact, url."""
    raw = json.loads(_read(DEMO_CATALOGUE_FILE))
    if not isinstance(raw, list):
        raise ValueError(f"{DEMO_CATALOGUE_FILE} must hold a JSON list")
    return [{key: str(item.get(key, "")) for key in _DEMO_FIELDS} for item in raw]
