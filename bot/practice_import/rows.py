"""Validating rows of existing practice for the catalogue (``innovation-bot import``). Pure.

Documented columns: title, description, problem, force, stage, contact, url, theme. Title, description
and force are required; force is a slug or a force's full name; stage defaults to "idea".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain import Force, Stage, Theme
from bot.i18n import Translator

COLUMNS = ("title", "description", "problem", "force", "stage", "contact", "url", "theme")
REQUIRED = ("title", "description", "force")
LIMITS = {"title": 300, "description": 20_000, "problem": 20_000, "contact": 300, "url": 500, "theme": 64,
          "force": 200, "stage": 64}


@dataclass(frozen=True)
class ImportRow:
    line: int
    title: str
    description: str
    problem: str
    force: str
    stage: str
    contact: str
    url: str
    theme: str | None

    @property
    def key(self) -> str:
        """Stable identity across imports: the same force and title update the same entry."""
        return f"{self.force}:{re.sub(r'[^a-z0-9]+', ' ', self.title.lower()).strip()}"[:400]


@dataclass(frozen=True)
class RowError:
    """A bad row: its line and what is wrong, as a catalogue key (``import.row.*``) and its values."""

    line: int
    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, t: Translator) -> str:
        return t("import.row.line", line=self.line, problem=t(self.key, **self.params))

    @property
    def message(self) -> str:
        return _ENGLISH(self.key, **self.params)

    def __str__(self) -> str:
        return self.render(_ENGLISH)


_ENGLISH = Translator("en")


def missing_columns(header: Sequence[str]) -> list[str]:
    present = {h.strip().lower() for h in header if h}
    return [c for c in REQUIRED if c not in present]


class RowValidator:
    def __init__(self, forces: Sequence[Force], themes: Sequence[Theme]) -> None:
        self._forces = {f.slug: f.slug for f in forces} | {f.name.lower(): f.slug for f in forces}
        self._themes = {t.slug: t.slug for t in themes} | {t.name.lower(): t.slug for t in themes}
        self._stages = {s.value: s.value for s in Stage} | {s.value.replace("-", " "): s.value for s in Stage}
        self._seen: dict[str, int] = {}

    def check(self, raw: Mapping[str, object], line: int) -> ImportRow | RowError:
        values = {k.strip().lower(): ("" if v is None else str(v)).strip() for k, v in raw.items() if k}
        for column in REQUIRED:
            if not values.get(column):
                return RowError(line, "import.row.empty", {"column": column})
        for column, limit in LIMITS.items():
            if len(values.get(column, "")) > limit:
                return RowError(line, "import.row.too_long", {"column": column, "limit": limit})
        force = self._forces.get(values["force"].lower())
        if force is None:
            return RowError(line, "import.row.unknown_force", {"force": repr(values["force"][:60]),
                                                              "example": "kent"})
        stage = self._stages.get((values.get("stage") or "idea").lower())
        if stage is None:
            return RowError(line, "import.row.unknown_stage", {"stage": repr(values["stage"][:40]),
                                                              "stages": ", ".join(s.value for s in Stage)})
        theme = None
        if values.get("theme"):
            theme = self._themes.get(values["theme"].lower())
            if theme is None:
                return RowError(line, "import.row.unknown_theme", {"theme": repr(values["theme"][:40])})
        url = values.get("url", "")
        if url and not re.match(r"^https?://[^\s<>\"]+$", url):
            return RowError(line, "import.row.bad_url", {"column": "url", "http": "http://", "https": "https://"})
        row = ImportRow(line, values["title"], values["description"], values.get("problem", ""), force, stage,
                        values.get("contact", ""), url, theme)
        if row.key in self._seen:
            return RowError(line, "import.row.duplicate", {"first": self._seen[row.key]})
        self._seen[row.key] = line
        return row
