"""The sensitivity bench's scoring: a caught span, a span masked under another kind, a miss, a false flag."""

from __future__ import annotations

from bench.sensitivity_eval import Case, Span, evaluate


def span(text: str, kind: str, value: str) -> Span:
    return Span(kind, text.index(value), text.index(value) + len(value), value)


def test_the_bench_counts_recall_masking_precision_and_false_flags() -> None:
    caught = "Call 07700 900123 now"
    other_kind = "Ring PC 1234 today"  # labelled a reference, flagged as a name: masked all the same
    missed = "It was Nobody Knows who"
    ordinary = "Mr Men books"
    tally = evaluate([Case(caught, (span(caught, "phone", "07700 900123"),)),
                      Case(other_kind, (span(other_kind, "reference", "1234"),)),
                      Case(missed, (span(missed, "name", "Nobody Knows"),)),
                      Case(ordinary, ())])
    assert (tally.labelled["phone"], tally.caught["phone"], tally.masked["phone"]) == (1, 1, 1)
    assert (tally.caught["reference"], tally.masked["reference"]) == (0, 1)
    assert (tally.caught["name"], tally.masked["name"]) == (0, 0)
    assert [f.text for _, f in tally.false_flags] == ["Mr Men"] and (tally.ordinary, tally.ordinary_flagged) == (1, 1)
    assert tally.flagged["name"] == 2 and tally.right["name"] == 0
