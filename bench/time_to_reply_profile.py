"""Where a turn's CPU goes: a summary of the py-spy profiles ``bench.time_to_reply --profile DIR`` writes.

    .venv/bin/python -m bench.time_to_reply_profile DIR/sqlite-app/web.txt --turns 207 [--top 25]

py-spy (``pip install py-spy`` into the venv by hand: not a project dependency) samples each thread's
Python stack 100 times a second and writes one line per distinct stack (``frame;frame;… count``).
Start-up (imports, migrations, loading the language model) is left out, and so are the samples of a
thread that was waiting (a pool thread with no work, the event loop in epoll, psycopg waiting for
PostgreSQL, SQLite's ``BEGIN IMMEDIATE`` waiting for the write lock, a commit waiting for the disk:
in ``--nonblocking`` mode py-spy cannot always tell), so what remains is the turns, the calibration's seven and the idle
timers. Printed, per turn (samples × 10 ms / ``--turns``, or shares of ``--cpu-ms``, the CPU per turn
measured from ``/proc``): by the library the sampled code was in (the innermost frame), by the
innermost frame of the project's own code (what asked for that work), and the heaviest project
functions counted inclusively.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

START_UP = ("_find_and_load", "prepare_database", "bootstrap (adapters/bootstrap.py", "run_migrations",
            "semantic_model.py", "InferenceSession._create_inference_session")
# Innermost frames of a thread that is waiting, not working: py-spy in --nonblocking mode cannot always
# tell (a pool thread waiting for work, the event loop in epoll, a lock).
WAITING = ("_worker (concurrent/futures/thread.py:81)", "Runner.run (asyncio/runners.py", "select (selectors.py",
           "EpollSelector.select (selectors.py", "wait (threading.py", "_wait_for_tstate_lock (threading.py",
           "Connection.wait (psycopg/")  # psycopg waiting for PostgreSQL's answer
OWN = ("bot/", "adapters/", "storage/", "scheduler/")
SAMPLE_MS = 10.0  # py-spy --rate 100


def blocked_in_database(stack: list[str]) -> bool:
    """SQLite's ``BEGIN IMMEDIATE`` waiting for the write lock, or a commit waiting for the disk."""
    return stack[-1].startswith("DefaultDialect.do_commit") or (
        stack[-1].startswith("DefaultDialect.do_execute") and len(stack) > 1 and "storage/db.py:55)" in stack[-2])


def frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rstrip("\n").rpartition(" ")
    return stack.split(";"), int(count)


def where(frame: str) -> str:
    """``function (path:line)`` → path."""
    return frame.rpartition(" (")[2].rpartition(":")[0]


def library(frame: str) -> str:
    path = where(frame)
    if path.startswith(OWN):
        return path.split("/")[0] + "/ (project)"
    if path.startswith("<frozen") or "/" not in path:
        return path if path.startswith("<") else "python: " + path
    top = path.split("/")[0]
    standard = ("asyncio", "json", "logging", "concurrent", "http", "email", "urllib")
    return "python: " + top if top in standard else top


def summarise(path: Path, turns: int, top: int, cpu_ms: float | None) -> None:
    by_library: Counter[str] = Counter()
    by_caller: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = start_up = waiting = 0
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        stack, count = frames(line)
        if any(marker in frame for frame in stack for marker in START_UP):
            start_up += count
            continue
        if stack[-1].startswith(WAITING) or blocked_in_database(stack):
            waiting += count
            continue
        total += count
        by_library[library(stack[-1])] += count
        own = [f for f in stack if where(f).startswith(OWN)]
        by_caller[own[-1] if own else "(no project frame: " + library(stack[-1]) + ")"] += count
        for frame in set(own):
            inclusive[frame.split(" (")[0] + " (" + where(frame) + ")"] += count

    # Scaled to the CPU the process was measured to use per turn (/proc), when given: the samples' shares
    # are what the profile is good for.
    scale = cpu_ms / total if cpu_ms else SAMPLE_MS / turns

    def ms(samples: int) -> str:
        return f"{samples * scale:6.2f} ms"

    print(f"{path}: {total} samples at work after start-up ({start_up} in start-up, {waiting} waiting) = "
          f"{total * SAMPLE_MS / turns:.2f} ms per turn over {turns} turns"
          + (f"; shown scaled to the measured {cpu_ms:.2f} ms of CPU per turn" if cpu_ms else ""))
    for title, counter in (("by library (innermost frame)", by_library),
                           ("by the innermost project frame", by_caller),
                           ("project functions, inclusive", inclusive)):
        print(f"\n{title}:")
        for name, samples in counter.most_common(top):
            print(f"  {ms(samples)}  {samples / total:6.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, nargs="+")
    parser.add_argument("--turns", type=int, required=True, help="turns the process served (the step's and "
                                                                 "the calibration's seven)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu-ms", type=float, help="the CPU per turn measured for this process: shares scaled to it")
    opts = parser.parse_args()
    for path in opts.profile:
        summarise(path, opts.turns, opts.top, opts.cpu_ms)
        print()


if __name__ == "__main__":
    main()
