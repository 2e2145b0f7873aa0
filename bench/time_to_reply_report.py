"""Figures of the time-to-reply benchmark: one paced step of one server, and the Markdown tables."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.time_to_reply_load import Step, Turn


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile in ms; a turn that never got its reply counts as infinitely slow."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def replies(turns: list[Turn], kinds: tuple[str, ...] = ("first", "dm", "click")) -> list[float]:
    return [t.reply if t.reply is not None else float("inf") for t in turns if t.kind in kinds]


@dataclass
class Measured:
    target: str
    mode: str
    step: Step
    cpu: tuple[float, float]  # seconds: the web process, the workers
    calls: Counter[str]  # Web API calls the fake received during the step
    db: dict[str, int] = field(default_factory=dict)  # PostgreSQL counters during the step
    db_cpu: float = float("nan")
    seconds: float = 0.0  # from the step's first turn until its processes were quiet again
    idle: tuple[float, float, float] = (0.0, 0.0, 0.0)  # CPU s/s with nothing to do: web, workers, PostgreSQL
    window: tuple[float, float] = (0.0, 0.0)  # wall clock: the step's start, and when it was quiet again

    @property
    def turns(self) -> int:
        return len(self.step.turns)

    @property
    def missing(self) -> int:
        return sum(1 for t in self.step.turns if t.reply is None)

    def holds(self, limit: float) -> bool:
        return self.missing == 0 and percentile(replies(self.step.turns), 99) < limit * 1000

    def per_turn(self, value: float) -> float:
        return value / self.turns if self.turns else float("nan")

    def net(self, which: int, used: float) -> float:
        """CPU ms per turn, less what the process would have spent idle over the step (timers, polling)."""
        return self.per_turn((used - self.idle[which] * self.seconds) * 1000)

    def as_dict(self) -> dict[str, Any]:
        kinds = Counter(t.kind for t in self.step.turns)
        return {"target": self.target, "mode": self.mode, "rate": self.step.rate, "turns": self.turns,
                "kinds": dict(kinds), "officers": self.step.officers, "missing": self.missing,
                "reply_p50_ms": percentile(replies(self.step.turns), 50),
                "reply_p99_ms": percentile(replies(self.step.turns), 99),
                "first_p99_ms": percentile(replies(self.step.turns, ("first",)), 99),
                "later_p99_ms": percentile(replies(self.step.turns, ("dm", "click")), 99),
                "ack_p99_ms": percentile([t.ack for t in self.step.turns], 99),
                "errors": sum(1 for t in self.step.turns if t.status != 200),
                "cpu_web_ms_per_turn": self.net(0, self.cpu[0]),
                "cpu_workers_ms_per_turn": self.net(1, self.cpu[1]),
                "cpu_postgres_ms_per_turn": self.net(2, self.db_cpu),
                "cpu_gross_ms_per_turn": [self.per_turn(v * 1000) for v in (*self.cpu, self.db_cpu)],
                "seconds": self.seconds, "window": list(self.window),
                "idle_cpu_ms_per_s": [v * 1000 for v in self.idle],
                "db_per_turn": {k: self.per_turn(v) for k, v in self.db.items()},
                "calls_per_turn": {k: self.per_turn(v) for k, v in self.calls.items()},
                "extra_posts": self.step.extra_posts}


def _ms(value: float) -> str:
    if value != value:  # nan
        return "—"
    if value == float("inf"):
        return "no reply"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def summarise(m: Measured) -> str:
    d = m.as_dict()
    return (f"  {m.target} {m.mode} {m.step.rate:g}/s: {m.turns} turns {d['kinds']}, reply p50 "
            f"{_ms(d['reply_p50_ms'])} p99 {_ms(d['reply_p99_ms'])}, no reply {m.missing}, CPU/turn web "
            f"{d['cpu_web_ms_per_turn']:.2f} ms workers {d['cpu_workers_ms_per_turn']:.2f} ms"
            + (f" postgres {d['cpu_postgres_ms_per_turn']:.2f} ms, commits/turn {d['db_per_turn']['commits']:.1f}"
               if m.db else ""))


def report(results: list[Measured], opts: argparse.Namespace, idle: dict[str, tuple[float, float, float]]) -> None:
    print(f"cpus={os.cpu_count()} seconds per step={opts.seconds:g} think={opts.think:g}s limit={opts.limit:g}s "
          f"python={sys.version.split()[0]}")
    print("| server | mode | rate/s | turns (first / DM / press) | reply p50 | p99 | first DMs p99 | later turns p99 "
          "| no reply | ack p99 | bare Bolt reply p50 / p99 | CPU ms/turn, less idle: web / workers / PostgreSQL "
          "| commits/turn | users.info per first DM |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    bare: dict[tuple[str, float], Measured] = {}
    for m in results:
        if m.target == "bare":
            bare[(m.mode, m.step.rate)] = m
            continue
        d = m.as_dict()
        floor = bare.get((m.mode, m.step.rate))
        kinds = d["kinds"]
        firsts = kinds.get("first", 0)
        users_info = f"{m.calls.get('users.info', 0) / firsts:.2f}" if firsts else "—"
        cpu = (f"{d['cpu_web_ms_per_turn']:.2f} / {d['cpu_workers_ms_per_turn']:.2f} / "
               f"{d['cpu_postgres_ms_per_turn']:.2f}" if m.db else
               f"{d['cpu_web_ms_per_turn']:.2f} / {d['cpu_workers_ms_per_turn']:.2f} / —")
        commits = f"{d['db_per_turn'].get('commits', float('nan')):.1f}" if m.db else "—"
        floor_replies = replies(floor.step.turns) if floor else []
        floor_text = f"{_ms(percentile(floor_replies, 50))} / {_ms(percentile(floor_replies, 99))}" if floor else "—"
        print(f"| {m.target} | {m.mode} | {m.step.rate:g} | {m.turns} ({firsts} / {kinds.get('dm', 0)} / "
              f"{kinds.get('click', 0)}) | {_ms(d['reply_p50_ms'])} | {_ms(d['reply_p99_ms'])} | "
              f"{_ms(d['first_p99_ms'])} | {_ms(d['later_p99_ms'])} | {m.missing} | {_ms(d['ack_p99_ms'] or 0)} | "
              f"{floor_text} | {cpu} | {commits} | {users_info} |")
    for name, rates in idle.items():
        print(f"{name} idle: " + ", ".join(f"{part} {rate * 1000:.1f} ms of CPU a second" for part, rate in
                                           zip(("web", "workers", "PostgreSQL"), rates, strict=True) if rate == rate))
    for target in dict.fromkeys(m.target for m in results if m.target != "bare"):
        for mode in dict.fromkeys(m.mode for m in results if m.target == target):
            held = [m.step.rate for m in results if (m.target, m.mode) == (target, mode) and m.holds(opts.limit)]
            failed = [m.step.rate for m in results if (m.target, m.mode) == (target, mode)
                      and not m.holds(opts.limit)]
            print(f"{target} {mode}: capacity (reply p99 < {opts.limit:g} s, every turn answered) "
                  f"{max(held) if held else 0:g} turns/s" + (f", not at {min(failed):g}/s" if failed else
                                                             " (the highest rate tried)"))
