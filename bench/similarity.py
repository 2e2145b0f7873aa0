"""Speed and memory of the similarity matcher on synthetic catalogues, against a brute-force baseline.

    .venv/bin/python -m bench.similarity [--sizes 1000,10000,100000,1000000] [--queries 200]
        [--baseline-max 100000] [--baseline-queries 20] [--seed 7]

For each size it generates a catalogue deterministically from ``--seed`` (words of the demo catalogue
and the synonym table mixed with made-up words, drawn with a Zipf-like skew so that some words are
very common, as in real text), then reports:

* index build time and the growth in resident memory while building (RSS, so it includes Python's
  own overheads; the generated entries themselves are excluded);
* ``Matcher.match`` latency p50/p99 over ``--queries`` queries (wall clock, and the thread's CPU
  time, which other work on the machine disturbs less): half are paraphrases of existing entries
  with a typo, half are random words from the vocabulary; and how often the paraphrased entry came
  back in the top 3;
* the baseline: ``rapidfuzz.process.extract`` of each query over every entry's analysed text with
  ``fuzz.token_set_ratio`` (the scorer the matcher uses when re-ranking). It is run only up to
  ``--baseline-max`` entries (default 100k: it takes about a second per query there) and on the first
  ``--baseline-queries`` queries, since its cost grows with the catalogue and not with the query.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator

from rapidfuzz import fuzz, process

from bot.matching import CatalogueEntry, Matcher, analyse, words
from storage.matching_data import load_demo_catalogue, load_synonym_table

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ber", "dan", "gel", "hox", "jun", "pel",
              "qua", "ros", "sty", "tor", "uld", "wex", "yan", "zer", "bri", "cla", "dro", "fen")
_FILLER = ("the", "and", "for", "to", "of", "a", "in", "with", "on", "by")


def _rss_bytes() -> int:
    """Resident set size of this process (Linux), or 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class Generator:
    """Deterministic synthetic entries and queries."""

    def __init__(self, seed: int, made_up_words: int = 30_000) -> None:
        self.rng = random.Random(seed)
        real: dict[str, None] = {}
        for item in load_demo_catalogue():
            for w in words(f"{item['title']} {item['description']} {item['problem']}"):
                if len(w) > 2:
                    real[w] = None
        for abbreviation in ("UAV", "DA", "ASB", "ANPR", "BWV", "MisPer", "RTC", "OCG", "PCSO", "CCTV"):
            real[abbreviation] = None
        made_up: dict[str, None] = {}
        while len(made_up) < made_up_words:
            made_up["".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 4)))] = None
        vocabulary = list(real) + list(made_up)
        self.rng.shuffle(vocabulary)
        self.vocabulary = vocabulary
        # Zipf-like: the word of rank r is drawn with weight 1 / (r + 10).
        total = 0.0
        self.cum_weights: list[float] = []
        for rank in range(len(vocabulary)):
            total += 1.0 / (rank + 10)
            self.cum_weights.append(total)

    def _phrase(self, count: int) -> str:
        picked = self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count)
        for i in range(2, count, 4):  # some stop words, as real sentences have
            picked[i] = self.rng.choice(_FILLER)
        return " ".join(picked)

    def entries(self, count: int) -> Iterator[CatalogueEntry]:
        for idea_id in range(1, count + 1):
            yield CatalogueEntry(
                idea_id=idea_id,
                title=self._phrase(self.rng.randint(4, 8)).capitalize(),
                description=self._phrase(self.rng.randint(25, 50)) + ".",
                problem=self._phrase(self.rng.randint(8, 16)) + ".",
                force_slug="synthetic",
            )

    def queries(self, entries: list[CatalogueEntry], count: int) -> list[tuple[str, int | None]]:
        """``(query, idea_id it paraphrases or None)``."""
        out: list[tuple[str, int | None]] = []
        for i in range(count):
            if i % 2 == 0:  # a paraphrase: some title and description words, reordered, one typo
                entry = self.rng.choice(entries)
                pool = [w for w in f"{entry.title} {entry.description}".split() if len(w) > 3]
                picked = self.rng.sample(pool, min(len(pool), self.rng.randint(6, 14)))
                if picked:
                    j = self.rng.randrange(len(picked))
                    w = picked[j]
                    if len(w) > 4:
                        k = self.rng.randrange(1, len(w) - 1)
                        picked[j] = w[:k] + w[k + 1:]
                out.append((" ".join(picked), entry.idea_id))
            else:  # random words: mostly matches nothing well
                out.append((self._phrase(self.rng.randint(5, 25)), None))
        return out


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_size(size: int, args: argparse.Namespace) -> dict[str, float]:
    gen = Generator(args.seed)
    started = time.perf_counter()
    entries = list(gen.entries(size))
    generated = time.perf_counter() - started
    queries = gen.queries(entries, args.queries)
    gc.collect()
    rss_before = _rss_bytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    matcher = Matcher(load_synonym_table())
    for entry in entries:
        matcher.add(entry)
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    gc.collect()
    rss_delta = _rss_bytes() - rss_before
    matcher.match(queries[0][0])  # warm-up
    latencies: list[float] = []
    cpu: list[float] = []
    found = 0
    recalled = 0
    for query, source in queries:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        matches = matcher.match(query, 3)
        latencies.append(1000.0 * (time.perf_counter() - t0))
        cpu.append(1000.0 * (time.thread_time() - c0))
        found += bool(matches)
        recalled += source is not None and any(m.entry.idea_id == source for m in matches)
    paraphrases = sum(1 for _, source in queries if source is not None)
    result = {
        "size": float(size), "generate_s": generated, "build_s": build, "build_cpu_s": build_cpu,
        "rss_mb": rss_delta / 2**20,
        "p50_ms": _percentile(latencies, 0.5), "p99_ms": _percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies), "with_match": found / len(queries),
        "recall_at_3": recalled / paraphrases if paraphrases else 0.0,
        "cpu_p50_ms": _percentile(cpu, 0.5), "cpu_p99_ms": _percentile(cpu, 0.99),
    }
    print(f"{size:>9,} entries: generated in {generated:.1f} s; build {build:.2f} s "
          f"({1e6 * build / size:.0f} us/entry; CPU {build_cpu:.2f} s), index memory +{result['rss_mb']:.0f} MB RSS; "
          f"match p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, mean {result['mean_ms']:.2f} ms "
          f"(CPU time p50 {result['cpu_p50_ms']:.2f} ms, p99 {result['cpu_p99_ms']:.2f} ms) "
          f"over {len(queries)} queries ({100 * result['with_match']:.0f}% had a match; the paraphrased entry "
          f"was in the top 3 for {100 * result['recall_at_3']:.0f}% of paraphrases)", flush=True)
    if size <= args.baseline_max:
        table = load_synonym_table()
        texts = [analyse(f"{e.title} {e.description}\n{e.problem}", table).text for e in entries]
        base_queries = queries[: args.baseline_queries]
        base: list[float] = []
        for query, _ in base_queries:
            t0 = time.perf_counter()
            process.extract(analyse(query, table).text, texts, scorer=fuzz.token_set_ratio, limit=3)
            base.append(1000.0 * (time.perf_counter() - t0))
        result["baseline_p50_ms"] = _percentile(base, 0.5)
        result["baseline_p99_ms"] = _percentile(base, 0.99)
        result["speedup_p50"] = result["baseline_p50_ms"] / max(result["p50_ms"], 1e-9)
        print(f"{'':19}baseline process.extract(token_set_ratio) over all {size:,}: "
              f"p50 {result['baseline_p50_ms']:.1f} ms, p99 {result['baseline_p99_ms']:.1f} ms over "
              f"{len(base_queries)} queries -> matcher is {result['speedup_p50']:.0f}x faster at p50",
              flush=True)
    else:
        print(f"{'':19}baseline skipped above {args.baseline_max:,} entries (--baseline-max)", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000",
                        help="comma-separated catalogue sizes (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=200, help="queries per size (default: %(default)s)")
    parser.add_argument("--baseline-max", type=int, default=100_000,
                        help="largest size to run the brute-force baseline on (default: %(default)s)")
    parser.add_argument("--baseline-queries", type=int, default=20,
                        help="queries for the baseline (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; seed {args.seed}")
    for size in sizes:
        print(f"load average before {size:,}: {os.getloadavg()[0]:.2f}", flush=True)
        run_size(size, args)
        gc.collect()
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine inflates wall times; "
          "CPU times are less affected)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
