"""Coverage and false flags of the sensitivity check on a labelled set.

    .venv/bin/python -m bench.sensitivity_eval [--eval bench/data/sensitivity_eval.json] [--verbose]
    .venv/bin/python -m bench.sensitivity_eval --eval bench/data/sensitivity_holdout.json --min-masked 0.75

The set (``bench/data/sensitivity_eval.json``) holds texts as officers type them, each with the spans a
data protection officer would want masked beyond the force, by kind; texts with no spans are ordinary
policing text. Per kind it prints:

* recall: labelled spans overlapped by a flag *of the same kind*;
* masked: labelled spans *covered* end to end by flags of any kind — what actually matters for
  redaction (a reference caught as a phone number is still masked);
* precision: flags of that kind that overlap a labelled span of that kind;

then the false flags: flags on ordinary texts (and on labelled texts, flags overlapping no span), with
the share of ordinary texts that get any flag. ``--verbose`` lists every miss and false flag.

Exits 1 when overall masking falls below ``MIN_MASKED`` or more than ``MAX_FALSE_TEXTS`` of ordinary texts
are flagged: the figures in docs/evidence.md are then out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.sensitivity import Flag, check

DEFAULT_EVAL = Path(__file__).parent / "data" / "sensitivity_eval.json"
KINDS = ("name", "address", "postcode", "phone", "vehicle-registration", "reference", "date-of-birth",
         "ni-number", "email")
MIN_MASKED = 0.85
MAX_FALSE_TEXTS = 0.05


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Case:
    text: str
    spans: tuple[Span, ...]


def load(path: Path) -> list[Case]:
    cases = []
    for raw in json.loads(path.read_text(encoding="utf-8"))["cases"]:
        text = raw["text"]
        spans = []
        for kind, value in raw["spans"]:
            if kind not in KINDS or value not in text:
                raise ValueError(f"bad span {kind!r} {value!r} in {text!r}")
            start = text.index(value)
            spans.append(Span(kind, start, start + len(value), value))
        cases.append(Case(text, tuple(spans)))
    return cases


def _overlaps(flag: Flag, span: Span) -> bool:
    return flag.start < span.end and span.start < flag.end


def _covered(flags: tuple[Flag, ...], span: Span) -> bool:
    """Every non-space character of the span lies inside some flag."""
    return all(span.text[i].isspace() or any(f.start <= span.start + i < f.end for f in flags)
               for i in range(len(span.text)))


@dataclass
class Tally:
    labelled: Counter[str]
    caught: Counter[str]
    masked: Counter[str]
    flagged: Counter[str]
    right: Counter[str]
    false_flags: list[tuple[str, Flag]]
    misses: list[tuple[str, Span, bool]]
    ordinary: int
    ordinary_flagged: int


def evaluate(cases: list[Case]) -> Tally:
    tally = Tally(Counter(), Counter(), Counter(), Counter(), Counter(), [], [], 0, 0)
    for case in cases:
        flags = check(case.text)
        if not case.spans:
            tally.ordinary += 1
            tally.ordinary_flagged += bool(flags)
        for span in case.spans:
            tally.labelled[span.kind] += 1
            same = any(f.kind.value == span.kind and _overlaps(f, span) for f in flags)
            covered = _covered(flags, span)
            tally.caught[span.kind] += same
            tally.masked[span.kind] += covered
            if not same or not covered:
                tally.misses.append((case.text, span, covered))
        for flag in flags:
            tally.flagged[flag.kind.value] += 1
            if any(flag.kind.value == s.kind and _overlaps(flag, s) for s in case.spans):
                tally.right[flag.kind.value] += 1
            elif not any(_overlaps(flag, s) for s in case.spans):
                tally.false_flags.append((case.text, flag))
    return tally


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    —"


def report(tally: Tally, verbose: bool) -> tuple[float, float]:
    print(f"{'kind':<22}{'spans':>6}{'recall':>9}{'masked':>9}{'flags':>7}{'precision':>11}")
    for kind in KINDS:
        print(f"{kind:<22}{tally.labelled[kind]:>6}{_pct(tally.caught[kind], tally.labelled[kind]):>9}"
              f"{_pct(tally.masked[kind], tally.labelled[kind]):>9}{tally.flagged[kind]:>7}"
              f"{_pct(tally.right[kind], tally.flagged[kind]):>11}")
    labelled, flagged = sum(tally.labelled.values()), sum(tally.flagged.values())
    caught, masked, right = (sum(c.values()) for c in (tally.caught, tally.masked, tally.right))
    print(f"{'all':<22}{labelled:>6}{_pct(caught, labelled):>9}{_pct(masked, labelled):>9}{flagged:>7}"
          f"{_pct(right, flagged):>11}")
    print(f"false flags: {len(tally.false_flags)} (flags overlapping no labelled span); ordinary texts flagged: "
          f"{tally.ordinary_flagged} of {tally.ordinary} ({_pct(tally.ordinary_flagged, tally.ordinary).strip()})")
    if verbose:
        for text, span, covered in tally.misses:
            how = "masked under another kind" if covered else "NOT MASKED"
            print(f"  miss {span.kind}: {span.text!r} ({how}) in {text!r}")
        for text, flag in tally.false_flags:
            print(f"  false flag {flag.kind.value} ({flag.reason}): {flag.text!r} in {text!r}")
    return masked / labelled if labelled else 1.0, tally.ordinary_flagged / tally.ordinary if tally.ordinary else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the labelled set (JSON)")
    parser.add_argument("--verbose", action="store_true", help="list every miss and false flag")
    parser.add_argument("--min-masked", type=float, default=MIN_MASKED, help="fail below this share masked")
    parser.add_argument("--max-false", type=float, default=MAX_FALSE_TEXTS,
                        help="fail above this share of ordinary texts flagged")
    args = parser.parse_args(argv)
    cases = load(args.eval)
    print(f"sensitivity check on {args.eval.name}: {len(cases)} texts")
    masked, false_texts = report(evaluate(cases), args.verbose)
    return 0 if masked >= args.min_masked and false_texts <= args.max_false else 1


if __name__ == "__main__":
    sys.exit(main())
