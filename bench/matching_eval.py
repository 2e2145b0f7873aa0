"""Quality of the similarity matcher on a labelled evaluation set over the demo catalogue.

    .venv/bin/python -m bench.matching_eval [--eval bench/data/matching_eval.json] [--verbose]

Prints:
* recall@3: over queries with expected titles, the share where one of them is among the (at most 3)
  matches shown;
* false likely-duplicate rate: the share of all queries that wrongly yield a likely duplicate, i.e.
  must-match-nothing queries with any likely duplicate, plus queries with expectations whose top
  likely duplicate is not expected (both parts are also shown on their own);
* related false-positive rate: the share of must-match-nothing queries that show any match at all;
* for information, how often the expected entry was flagged as a likely duplicate.

* answerable queries that got nothing at all.

Exits 1 when recall@3 < 0.95, recall@3 on paraphrases < 0.90, the false likely-duplicate rate > 5 % or
unrelated queries are shown anything more than 25 % of the time (issue 17's targets).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bot.matching import CatalogueEntry, Match, Matcher, MatchKind
from storage.matching_data import load_demo_catalogue, load_synonym_table
from storage.semantic_model import shared_embedder

DEFAULT_EVAL = Path(__file__).parent / "data" / "matching_eval.json"
MIN_RECALL = 0.95
MIN_PARAPHRASE_RECALL = 0.90
MAX_FALSE_DUPLICATE = 0.05
MAX_UNRELATED_SHOWN = 0.25


def build_demo_matcher(related_threshold: float | None = None,
                       catalogue: list[dict[str, str]] | None = None, *, lexical_only: bool = False) -> Matcher:
    embedder = None if lexical_only else shared_embedder()
    if not lexical_only and embedder is None:
        raise SystemExit("the semantic model could not be loaded (see the warning above)")
    matcher = Matcher(load_synonym_table(), embedder=embedder) if related_threshold is None else \
        Matcher(load_synonym_table(), related_threshold=related_threshold, embedder=embedder)
    items = load_demo_catalogue() if catalogue is None else catalogue
    matcher.add_many(CatalogueEntry(idea_id, item["title"], item["description"], item["problem"],
                                    force_slug=item["force"], stage=item["stage"])
                     for idea_id, item in enumerate(items, start=1))
    return matcher


def _describe(matches: list[Match]) -> str:
    return "; ".join(f"{m.score:.0f} {m.kind.value} {m.entry.title!r} [{', '.join(m.shared)}]"
                     for m in matches) or "(no match)"


def evaluate(cases: list[dict[str, Any]], matcher: Matcher, probe: Matcher | None = None,
             verbose: bool = False) -> dict[str, float]:
    """``probe``, a matcher with no related threshold, shows how close the misses came."""
    matcher.match("warm up the caches", 3)  # so the timing below is of steady-state queries
    found = 0
    with_expected = 0
    unrelated = 0
    unrelated_dup = 0
    unrelated_any = 0
    wrong_dup = 0
    flagged = 0
    empty = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unrelated_top: list[float] = []
    started = time.perf_counter()
    for case in cases:
        matches = matcher.match(case["query"], 3)
        expected = set(case["expected"])
        dups = [m for m in matches if m.kind is MatchKind.LIKELY_DUPLICATE]
        problem = ""
        if expected:
            with_expected += 1
            hit = any(m.entry.title in expected for m in matches)
            empty += not matches
            found += hit
            per_kind[case["kind"]][0] += hit
            per_kind[case["kind"]][1] += 1
            if not hit:
                problem = "MISSED"
            flagged += bool(dups) and dups[0].entry.title in expected
            if dups and dups[0].entry.title not in expected:
                wrong_dup += 1
                problem = (problem + " WRONG-DUPLICATE").strip()
        else:
            unrelated += 1
            unrelated_any += bool(matches)
            unrelated_dup += bool(dups)
            if probe is not None:
                below = probe.match(case["query"], 1)
                unrelated_top.append(below[0].score if below else 0.0)
            if dups:
                problem = "FALSE-DUPLICATE"
            elif matches:
                problem = "related-shown"
        if problem or verbose:
            print(f"{problem or 'ok':16} {case['kind']:12} {case['query'][:70]!r}\n{'':17}-> {_describe(matches)}")
            if probe is not None and problem == "MISSED":
                near = [m for m in probe.match(case["query"], len(probe)) if m.entry.title in expected]
                print(f"{'':17}   expected scored {near[0].score:.1f}" if near else f"{'':17}   expected: no overlap")
    elapsed = time.perf_counter() - started
    total = len(cases)
    recall = found / with_expected if with_expected else 1.0
    false_dup = (unrelated_dup + wrong_dup) / total if total else 0.0
    results = {
        "queries": float(total),
        "recall_at_3": recall,
        "false_likely_duplicate_rate": false_dup,
        "false_duplicate_unrelated": unrelated_dup / unrelated if unrelated else 0.0,
        "false_duplicate_wrong_top": wrong_dup / with_expected if with_expected else 0.0,
        "related_false_positive_rate": unrelated_any / unrelated if unrelated else 0.0,
        "expected_flagged_duplicate": flagged / with_expected if with_expected else 0.0,
        "mean_ms_per_query": 1000.0 * elapsed / total if total else 0.0,
        "answerable_with_nothing": float(empty),
        "paraphrase_recall": (per_kind["paraphrase"][0] / per_kind["paraphrase"][1]
                              if per_kind["paraphrase"][1] else 1.0),
    }
    print()
    print(f"catalogue entries: {len(matcher)}; queries: {total} ({with_expected} with expectations, "
          f"{unrelated} must match nothing)")
    for kind, (hits, count) in sorted(per_kind.items()):
        print(f"  recall@3 {kind:13} {hits}/{count} = {hits / count:.3f}")
    print(f"recall@3:                        {recall:.3f}  (target >= {MIN_RECALL:.2f})")
    print(f"false likely-duplicate rate:     {false_dup:.3f}  (target <= {MAX_FALSE_DUPLICATE:.2f}; "
          f"{unrelated_dup}/{unrelated} must-match-nothing, {wrong_dup}/{with_expected} wrong top duplicate)")
    print(f"related false-positive rate:     {results['related_false_positive_rate']:.3f}  "
          f"({unrelated_any}/{unrelated} must-match-nothing queries showed a related match)")
    print(f"answerable queries shown nothing at all: {empty}/{with_expected}")
    print(f"expected entry flagged as likely duplicate: {results['expected_flagged_duplicate']:.3f}  "
          f"({flagged}/{with_expected}; not a target: some expectations are merely related)")
    if unrelated_top:
        print(f"highest score on a must-match-nothing query, shown or not: {max(unrelated_top):.1f} "
              f"(related threshold {matcher.related_threshold:.0f}, "
              f"likely-duplicate threshold {matcher.duplicate_threshold:.0f})")
    print(f"mean time per query: {results['mean_ms_per_query']:.2f} ms")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="labelled queries (JSON)")
    parser.add_argument("--verbose", "-v", action="store_true", help="show every query, not only misses")
    parser.add_argument("--lexical-only", action="store_true",
                        help="words alone: the fallback when the semantic model cannot be loaded")
    args = parser.parse_args(argv)
    raw = json.loads(args.eval.read_text(encoding="utf-8"))
    # Two formats: a list of queries over the demo catalogue, or {"catalogue": [...], "queries": [...]}.
    catalogue = raw["catalogue"] if isinstance(raw, dict) else None
    cases = raw["queries"] if isinstance(raw, dict) else raw
    matcher = build_demo_matcher(catalogue=catalogue, lexical_only=args.lexical_only)
    known = {item["title"] for item in (catalogue or load_demo_catalogue())}
    unknown = sorted({t for c in cases for t in c["expected"] if t not in known})
    if unknown:
        print(f"expected titles not in the demo catalogue: {unknown}", file=sys.stderr)
        return 2
    results = evaluate(cases, matcher, build_demo_matcher(related_threshold=0.0, catalogue=catalogue,
                                                          lexical_only=args.lexical_only),
                       verbose=args.verbose)
    ok = (results["recall_at_3"] >= MIN_RECALL and results["paraphrase_recall"] >= MIN_PARAPHRASE_RECALL
          and results["false_likely_duplicate_rate"] <= MAX_FALSE_DUPLICATE
          and results["related_false_positive_rate"] <= MAX_UNRELATED_SHOWN)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
