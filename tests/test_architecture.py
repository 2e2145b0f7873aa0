"""The layers hold (docs/architecture.md): read from the source, so a change that breaks them fails here.

* ``bot/`` is the application: no I/O library, no other layer, no platform in its names.
* ``adapters/`` and ``scheduler/`` are entry points and renderers: no ``storage`` or SQLAlchemy import
  outside the one composition root, which builds everything and hands it over.
* no import circles between project modules, and no module far over 300 lines.

``KNOWN_*`` list what is still to be moved (issue #15); each entry is a debt, and the lists only shrink:
a test fails when an entry is no longer needed, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "scheduler", "storage")
COMPOSITION_ROOT = "adapters.bootstrap"
IO_LIBRARIES = ("sqlalchemy", "slack_bolt", "slack_sdk", "microsoft_teams", "msgraph", "fastapi", "starlette",
                "apscheduler", "httpx", "uvicorn", "alembic", "requests")
MAX_LINES = 320  # "about 300"

KNOWN_STORAGE_IMPORTS: set[str] = set()
KNOWN_PLATFORM_NAMES: set[str] = set()
KNOWN_LONG_MODULES: set[str] = set()
KNOWN_CIRCLES: set[frozenset[str]] = set()


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(name: str, path: Path) -> set[str]:
    """Every module this one imports, at the top or inside a function (a lazy import is still a dependency)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def layer(module: str) -> str:
    return module.split(".")[0]


def project_graph() -> dict[str, set[str]]:
    names = dict(modules())
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        graph[name] = {m for m in imports(name, path) if m in names and m != name}
    return graph


def test_bot_imports_no_io_library_and_no_other_layer() -> None:
    offenders = sorted(f"{name} imports {m}" for name, path in modules() if layer(name) == "bot"
                       for m in imports(name, path)
                       if m.split(".")[0] in IO_LIBRARIES or layer(m) in ("adapters", "scheduler", "storage"))
    assert offenders == []


def storage_imports() -> set[str]:
    found = set()
    for name, path in modules():
        if layer(name) in ("adapters", "scheduler") and name != COMPOSITION_ROOT:
            for m in imports(name, path):
                if layer(m) in ("storage", "sqlalchemy"):
                    found.add(f"{name} -> {m.split('.')[0]}")
    return found


def test_entry_points_import_no_storage_outside_the_composition_root() -> None:
    found = storage_imports()
    assert found - KNOWN_STORAGE_IMPORTS == set(), "adapters and the clock call the core, never storage"
    assert KNOWN_STORAGE_IMPORTS - found == set(), "moved: take it off KNOWN_STORAGE_IMPORTS"


PLATFORM = re.compile(r"slack|teams", re.IGNORECASE)


def platform_names() -> set[str]:
    """Identifiers and catalogue keys in bot/ that name a platform (docstrings and comments may)."""
    found = set()
    for name, path in modules():
        if layer(name) != "bot":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            ident = None
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                ident = node.name
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ident = node.id
            elif isinstance(node, ast.Attribute):
                ident = node.attr
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"(slack|teams)\.[\w.-]+", node.value):
                ident = node.value  # a catalogue key such as "slack.modal.title"
            if ident and PLATFORM.search(ident):
                found.add(f"{name}: {ident}")
    # The platforms themselves are data the core routes by (PersonRef.platform), named once in the domain.
    return {f for f in found if f not in ("bot.domain: SLACK", "bot.domain: TEAMS")}


def test_the_core_names_no_platform() -> None:
    found = platform_names()
    assert found - KNOWN_PLATFORM_NAMES == set(), "platform details belong in the adapter's renderer"
    assert KNOWN_PLATFORM_NAMES - found == set(), "moved: take it off KNOWN_PLATFORM_NAMES"


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    graph = project_graph()
    # A package importing its own submodules (re-exports) is not a circle of dependencies.
    for name in graph:
        graph[name] = {m for m in graph[name] if not m.startswith(name + ".")}
    found = circles(graph)
    assert found - KNOWN_CIRCLES == set(), sorted(sorted(c) for c in found - KNOWN_CIRCLES)
    assert KNOWN_CIRCLES - found == set(), "untangled: take it off KNOWN_CIRCLES"


def test_no_module_far_over_300_lines() -> None:
    long = {name for name, path in modules() if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES}
    assert long - KNOWN_LONG_MODULES == set(), "split it by what its parts are about"
    assert KNOWN_LONG_MODULES - long == set(), "shortened: take it off KNOWN_LONG_MODULES"


def test_the_checks_see_what_they_look_for() -> None:
    """The rules above would pass on nothing: prove they find a circle and a storage import when there is one."""
    assert circles({"a": {"b"}, "b": {"a"}, "c": set()}) == {frozenset({"a", "b"})}
    assert any(name == "storage.db" for name, _ in modules())
    assert "sqlalchemy" in {m.split(".")[0] for m in imports("storage.db", ROOT / "storage" / "db.py")}
