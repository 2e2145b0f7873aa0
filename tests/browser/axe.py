"""axe-core in the browser tests: the rules engine (installed by ``make axe`` from tools/axe's lock) is
injected into the page and run against WCAG 2.x A and AA; serious and critical violations fail the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it stands."""
    if not AXE.exists():
        # A missing rules engine is a failure, never a skip: `make test` installs it (make axe).
        pytest.fail(f"axe-core not found at {AXE}; run `make axe` (npm ci in tools/axe)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS)
    return [v for v in result["violations"] if v.get("impact") in FAILING]


def describe(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                     for v in found)


def assert_accessible(page: Page, state: str) -> None:
    found = violations(page)
    assert found == [], f"{state}: {describe(found)}"
