"""Every SQL statement of a turn, counted: PostgreSQL's own statement log during one paced step.

    .venv/bin/python -m bench.time_to_reply_statements [--mode first|mixed] [--rate 10] [--seconds 10]

Starts a throwaway PostgreSQL 15 (``tests/support/postgres.py``) that logs every statement with its
time and backend (``log_statement = all``), runs ``bench.time_to_reply`` against it once (a web
process and one worker, one step at ``--rate``, no search), and counts the statements logged between
the step's start and the moment its processes were quiet again, per turn: transactions (``COMMIT``),
and each statement kind on each table. What ran while nothing happened (the worker's polls) is
counted apart, from bare Bolt's step just before (the bot idle meanwhile), and taken off.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+) \[(\d+)\] LOG:  (?:statement|execute [^:]*): (.*)$")
TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def kind(sql: str) -> str:
    """``INSERT inbound_events``, ``SELECT outbox``…: the statement's verb and its first table."""
    verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
    if verb in ("BEGIN", "COMMIT", "ROLLBACK", "SET", "SAVEPOINT", "RELEASE"):
        return verb
    if verb == ";":
        return "; (the connection pool's liveness check)"
    table = TABLE.search(sql)
    return f"{verb} {table.group(1) if table else ''}".strip()


def statements(log: Path, start: float, end: float) -> Counter[str]:
    found: Counter[str] = Counter()
    entry: tuple[float, str] | None = None  # a statement may go on over the next lines

    def count() -> None:
        if entry is not None and start <= entry[0] <= end:
            found[kind(entry[1])] += 1

    for line in log.read_text(errors="replace").splitlines():
        match = LINE.match(line)
        if match:
            count()
            at = datetime.strptime(match.group(1).rsplit(" ", 1)[0], "%Y-%m-%d %H:%M:%S.%f").timestamp()
            entry = (at, match.group(3))
        elif entry is not None and line[:1].isspace():
            entry = (entry[0], entry[1] + " " + line.strip())
        else:
            count()
            entry = None
    count()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("first", "mixed"), default="first")
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--top", type=int, default=30)
    opts = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    from tests.support.postgres import postgres_server

    with postgres_server() as admin, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("ALTER SYSTEM SET log_statement = 'all'"))
            conn.execute(text("ALTER SYSTEM SET log_line_prefix = '%m [%p] '"))
            conn.execute(text("ALTER SYSTEM SET log_timezone = 'UTC'"))
            conn.execute(text("SELECT pg_reload_conf()"))
            log = Path(str(conn.execute(text("SHOW data_directory")).scalar())).parent / "server.log"
        engine.dispose()
        out = Path(tmp) / "figures.json"
        subprocess.run([sys.executable, "-m", "bench.time_to_reply", "--configs", "postgresql:web+1",
                        "--modes", opts.mode, "--start", str(opts.rate), "--max-rate", str(opts.rate),
                        "--bisect", "0", "--seconds", str(opts.seconds), "--mixed-seconds", str(opts.seconds),
                        "--limit", "600", "--json", str(out)],
                       check=True, env={**os.environ, "TEST_POSTGRES_URL": admin}, stdout=subprocess.DEVNULL)
        steps = json.loads(out.read_text())["steps"]
        step = next(s for s in steps if s["target"] != "bare")
        start, end = step["window"]
        during = statements(log, start, end)
        # While bare Bolt's step ran just before, the bot had nothing to do: its polls, scaled to the step.
        bare_start, bare_end = next(s for s in steps if s["target"] == "bare")["window"]
        scale = (end - start) / (bare_end - bare_start)
        quiet = Counter({k: round(v * scale) for k, v in statements(log, bare_start, bare_end).items()})
    turns = step["turns"]
    print(f"PostgreSQL, web + 1 worker, {opts.mode} mode, {opts.rate:g} turns/s: {turns} turns "
          f"{step['kinds']}; per turn, statements logged during the step less the bot's idle polls:")
    net = Counter({k: during[k] - quiet.get(k, 0) for k in during})
    print(f"  {sum(net.values()) / turns:.1f} statements, {net['COMMIT'] / turns:.2f} transactions (COMMIT)"
          f" [idle over the same time: {sum(quiet.values())} statements, {quiet['COMMIT']} commits]")
    for name, count in net.most_common(opts.top):
        print(f"  {count / turns:6.2f}  {name}")


if __name__ == "__main__":
    main()
