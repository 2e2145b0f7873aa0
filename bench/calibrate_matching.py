"""Calibrates the fusion of the lexical and semantic scores on the labelled sets (docs/PERFORMANCE.md).

    .venv/bin/python -m bench.calibrate_matching

For every query of ``matching_eval.json`` (demo catalogue) and ``matching_eval_hard.json`` it collects the
candidates' lexical score and cosine, then tries a grid of fusion constants and related thresholds and
prints the best settings by: fewest answerable queries missed at 3, then fewest unrelated queries shown
anything. It only prints: the chosen constants are written into ``bot/matching/semantic.py`` by hand.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

from bench.matching_eval import build_demo_matcher

DATA = Path(__file__).parent / "data"


def collect() -> list[tuple[str, set[str], list[tuple[str, float, float]]]]:
    rows = []
    for name in ("matching_eval.json", "matching_eval_hard.json"):
        raw = json.loads((DATA / name).read_text(encoding="utf-8"))
        catalogue = raw["catalogue"] if isinstance(raw, dict) else None
        cases = raw["queries"] if isinstance(raw, dict) else raw
        matcher = build_demo_matcher(related_threshold=0.0, catalogue=catalogue)
        for case in cases:
            found = matcher.match(case["query"], 20)
            rows.append((case["kind"], set(case["expected"]),
                         [(m.entry.title, m.lexical, m.meaning or 0.0) for m in found]))
    return rows


def fused(lex: float, cos: float, floor: float, full: float, damp: float) -> float:
    b = min(1.0, max(0.0, (cos - floor) / (full - floor)))
    a = lex / 100.0 * (1.0 if cos >= floor else damp)
    return 100.0 * (1.0 - (1.0 - a) * (1.0 - b))


def main() -> int:
    rows = collect()
    results = []
    for floor, full, damp, threshold in itertools.product(
            (0.36, 0.40, 0.42, 0.45, 0.48), (0.70, 0.75, 0.80, 0.85), (1.0, 0.85, 0.7), (30, 33, 36, 40)):
        missed = empty = shown = unrelated = para_missed = 0
        for kind, expected, cands in rows:
            scored = sorted(((fused(lex, cos, floor, full, damp), t) for t, lex, cos in cands), reverse=True)
            top = [t for s, t in scored if s >= threshold][:3]
            if expected:
                hit = bool(expected & set(top))
                missed += not hit
                para_missed += (not hit) and kind == "paraphrase"
                empty += not top
            else:
                unrelated += 1
                shown += bool(top)
        results.append((missed, shown, empty, para_missed, floor, full, damp, threshold, unrelated))
    results.sort()
    for missed, shown, empty, para, floor, full, damp, threshold, unrelated in results[:15]:
        print(f"floor {floor:.2f} full {full:.2f} damp {damp:.2f} threshold {threshold}: missed {missed} "
              f"(paraphrases {para}), empty {empty}, unrelated shown {shown}/{unrelated}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
