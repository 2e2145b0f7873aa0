"""Validating rows of existing practice for the catalogue (``innovation-bot import``). Pure.

Documented columns: title, description, problem, force, stage, contact, url, theme. Title, description
and force are required; force is a slug or a force's full name; stage defaults to "idea".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain import Force, Stage, Theme

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
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


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
                return RowError(line, f"{column} is empty")
        for column, limit in LIMITS.items():
            if len(values.get(column, "")) > limit:
                return RowError(line, f"{column} is longer than {limit} characters")
        force = self._forces.get(values["force"].lower())
        if force is None:
            return RowError(line, f"unknown force {values['force'][:60]!r} (use a slug such as kent, or the full name)")
        stage = self._stages.get((values.get("stage") or "idea").lower())
        if stage is None:
            return RowError(line, f"unknown stage {values['stage'][:40]!r} (idea, being-tried, evaluated-locally, "
                                  "independently-evaluated)")
        theme = None
        if values.get("theme"):
            theme = self._themes.get(values["theme"].lower())
            if theme is None:
                return RowError(line, f"unknown theme {values['theme'][:40]!r}")
        url = values.get("url", "")
        if url and not re.match(r"^https?://[^\s<>\"]+$", url):
            return RowError(line, "url must start with http:// or https://")
        row = ImportRow(line, values["title"], values["description"], values.get("problem", ""), force, stage,
                        values.get("contact", ""), url, theme)
        if row.key in self._seen:
            return RowError(line, f"duplicate of line {self._seen[row.key]} (same force and title)")
        self._seen[row.key] = line
        return row
