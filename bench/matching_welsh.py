"""How ideas written in Welsh fare with the hybrid matcher, beside words alone (a probe, not a labelled set).

    .venv/bin/python -m bench.matching_welsh

The model (all-MiniLM-L6-v2) is English-only: a Welsh text's vector is near nothing in an English
catalogue, so meaning adds nothing and Welsh ideas are matched through words alone: shared names and
abbreviations, and the Welsh terms of ``storage/data/abbreviations_cy.csv`` mapped to the English
concepts. For each query this prints what the hybrid matcher and the words-only matcher show over the
demo catalogue, the expected entry (or none for an unrelated idea), and the query's highest cosine with
any entry, against the 0.45 below which meaning adds nothing (``semantic.COS_FLOOR``).
"""

from __future__ import annotations

import sys

from bench.matching_eval import build_demo_matcher
from bot.matching.semantic import COS_FLOOR

# (Welsh query, a word of the expected entry's title, or "" when nothing should be shown)
QUERIES = [
    ("Rydym yn defnyddio dronau gyda chamerâu thermol i chwilio am bobl ar goll yn y nos", "Thermal drones"),
    ("llinellau cyffuriau a phobl ifanc yn cael eu hecsbloetio", "county lines"),
    ("Mae gen i syniad am gamerâu corff i swyddogion sy'n delio â cham-drin domestig", "body-worn camera"),
    ("Hoffwn weld mwy o hyfforddiant iechyd meddwl i swyddogion yn ystafell reoli'r heddlu", "Mental health"),
    ("syniad: ffonio dioddefwyr twyll rhamant yn gynnar", "romance fraud"),
    ("tîm plismona bro yn cynnal sesiynau mewn ysgolion am droseddau cyllyll", "Knife"),
    ("Bore da, beth am gael cŵn lles i ymweld â'r gorsafoedd?", "Wellbeing dogs"),
    ("dwi isio paentio'r orsaf yn las", ""),
    ("rhoi mwy o seddi yn y ffreutur", ""),
    ("cyngerdd côr meibion yr heddlu i godi arian", ""),
]


def main() -> int:
    hybrid, words_only = build_demo_matcher(), build_demo_matcher(lexical_only=True)
    assert hybrid.embedder is not None
    found = {"hybrid": 0, "words only": 0}
    quiet = {"hybrid": 0, "words only": 0}
    answerable = sum(1 for _, want in QUERIES if want)
    for text, want in QUERIES:
        vector = hybrid.embedder.embed([text])[0]
        nearest = hybrid._vectors.nearest(vector, 1) if hybrid._vectors is not None else []
        print(f"{text}\n  expected: {want or '(nothing)'}; highest cosine {nearest[0][1] if nearest else 0:.2f} "
              f"(meaning adds nothing below {COS_FLOOR})")
        for name, matcher in (("hybrid", hybrid), ("words only", words_only)):
            shown = matcher.match(text, 3)
            hit = bool(want) and any(want.lower() in m.entry.title.lower() for m in shown)
            found[name] += hit
            quiet[name] += not want and not shown
            print(f"  {name:10} " + ("; ".join(f"{m.score:.0f} {m.kind.value} {m.entry.title!r} [{', '.join(m.shared)}]"
                                                for m in shown) or "(nothing)"))
    for name in found:
        print(f"{name}: expected entry in the top 3 for {found[name]}/{answerable}; "
              f"unrelated ideas shown nothing {quiet[name]}/{len(QUERIES) - answerable}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
