"""How long masking takes: ``bot.sharing.beyond_force`` (the sensitivity check plus the replacement) per
text, on the demo catalogue's titles, descriptions and problems.

    .venv/bin/python -m bench.sensitivity_speed [--rounds 5]

The catalogue is masked as it is read (start-up, and each idea approved), three fields an idea, so the
figure times three is the cost per idea; it prints that for 10,000 and 100,000 ideas. Best of
``--rounds`` (the fastest round is the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import time

from bot.sharing import beyond_force
from storage.matching_data import load_demo_catalogue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds to run; the fastest is reported")
    args = parser.parse_args(argv)
    texts = [item[key] for item in load_demo_catalogue() for key in ("title", "description", "problem")]
    repeat = max(1, 3000 // len(texts))
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                beyond_force(text, None)
        best = min(best, (time.perf_counter() - start) / (repeat * len(texts)))
    chars = sum(map(len, texts)) / len(texts)
    print(f"masking: {best * 1e6:.0f} µs per text ({len(texts)} texts of {chars:.0f} characters on average, "
          f"best of {args.rounds} rounds)")
    for ideas in (10_000, 100_000):
        print(f"  catalogue of {ideas:,} ideas: {best * 3 * ideas:.1f} s to mask at start-up")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
