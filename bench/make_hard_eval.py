"""Builds ``bench/data/matching_eval_hard.json`` from the hand-written text files in ``bench/data/hard``.

    .venv/bin/python -m bench.make_hard_eval

The catalogue is the demo catalogue plus the made-up entries of ``catalogue_*.txt`` (one entry a line,
``title | description | problem``, grouped by ``## topic`` so that near neighbours sit together). Forces
and stages are assigned round-robin so the file is reproducible. ``queries.txt`` holds the labelled
queries (``kind | query | expected;;expected``). The queries were written before the semantic matcher
ran on them and are never reworded to suit it: a miss is reported, not hidden.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from storage.matching_data import load_demo_catalogue

HERE = Path(__file__).parent / "data"
SOURCE = HERE / "hard"
OUTPUT = HERE / "matching_eval_hard.json"
KINDS = ("paraphrase", "rambling", "abbreviation", "typo", "unrelated")
STAGES = ("idea", "being-tried", "evaluated-locally", "independently-evaluated")
FORCES = ("avon-and-somerset", "cheshire", "cumbria", "dyfed-powys", "essex", "gwent", "kent",
          "lancashire", "merseyside", "north-wales", "northumbria", "south-wales", "surrey",
          "thames-valley", "west-mercia", "west-yorkshire", "police-scotland", "psni")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def build() -> dict[str, list[dict[str, object]]]:
    catalogue: list[dict[str, object]] = [
        {"title": e["title"], "description": e["description"], "problem": e["problem"],
         "force": e["force"], "stage": e["stage"], "topic": "demo"} for e in load_demo_catalogue()]
    topic = ""
    for path in sorted(SOURCE.glob("catalogue_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                topic = line[3:].strip()
                continue
            if not line.strip() or line.startswith("#"):
                continue
            title, description, problem = (part.strip() for part in line.split("|"))
            n = len(catalogue)
            catalogue.append({"title": title, "description": description, "problem": problem,
                              "force": FORCES[n % len(FORCES)], "stage": STAGES[n % len(STAGES)],
                              "topic": topic})
    titles = [str(e["title"]) for e in catalogue]
    if len(set(titles)) != len(titles):
        raise SystemExit("duplicate titles in the catalogue")
    queries: list[dict[str, object]] = []
    for line in _lines(SOURCE / "queries.txt"):
        kind, query, expected = (part.strip() for part in line.split("|"))
        wanted = [t.strip() for t in expected.split(";;") if t.strip()]
        if kind not in KINDS:
            raise SystemExit(f"unknown kind {kind!r}")
        missing = [t for t in wanted if t not in titles]
        if missing or (kind == "unrelated") != (not wanted):
            raise SystemExit(f"bad expectation in {line!r}: {missing}")
        queries.append({"query": query, "expected": wanted, "kind": kind})
    return {"catalogue": catalogue, "queries": queries}


def main() -> int:
    data = build()
    OUTPUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(data['catalogue'])} entries, {len(data['queries'])} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
