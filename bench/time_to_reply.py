"""Time to reply: from an officer's message to the bot's answer in their DM, at a paced rate (issue 20).

    .venv/bin/python -m bench.time_to_reply [--configs sqlite:app,postgresql:web+1,postgresql:web+2]
        [--modes first,mixed] [--start 50] [--max-rate 400] [--bisect 2] [--seconds 10]
        [--mixed-seconds 20] [--think 1] [--api-latency 0]
        [--limit 1.0] [--nice 0] [--profile DIR --profile-rate 40] [--repeat N]

Each part is its own process on loopback: the fake Slack Web API (``bench/time_to_reply_fake.py``,
at niceness 10: it stands in for Slack's servers, which are not on this machine), the bot as
``bench/slack_events.py`` starts it, a bare Bolt ``AsyncApp`` that replies to the same messages (the
floor), and this load generator. A *config* is ``DATABASE:SERVER``: the database ``sqlite`` (a fresh
file) or ``postgresql`` (a throwaway PostgreSQL 15 from ``tests/support/postgres.py``, a fresh
database per config), and the server ``app`` (one process, ``WORKER=in-process``) or ``web+N`` (the
web process with ``WORKER=external`` and N ``innovation-bot worker`` processes).

For each config and *mode* (``first``: every turn a new officer's first DM; ``mixed``: officers go
through the whole conversation of ``bench/time_to_reply_load.SCRIPT``, three DMs, three presses and
``status``, new officers arriving for ``--mixed-seconds``) a capacity search runs paced steps
(``--seconds`` each): ``--start`` turns/s, doubled
while the reply p99 stays under ``--limit`` seconds and every turn got its reply, then ``--bisect``
halvings between the last rate that held and the first that did not. Bare Bolt gets the same step
just before the bot's. Per step: reply p50/p99 (all turns, first DMs, later turns), acknowledgement
p99, CPU per turn of the web process and the workers (and of the PostgreSQL server), transactions
and Web API calls per turn. ``--repeat N`` runs no search: N steps at ``--start`` on the same bot and
database, to see whether a turn grows dearer as the database fills (every step adds its officers,
ideas and sent messages, as a search's steps do).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from bench.slack_events import free_port
from bench.time_to_reply_load import calibrate, paced
from bench.time_to_reply_report import Measured, report, summarise
from bench.time_to_reply_servers import Target, launch, postgres_counters, postgres_cpu, serve_bare, stop, wait_healthy


def counts(fake_url: str) -> Counter[str]:
    with urlopen(f"{fake_url}/bench/counts", timeout=10) as response:
        return Counter(json.loads(response.read()))


def idle(target: Target, limit: float = 60) -> None:
    """Wait until the target's processes have stopped working (under 4 % of a CPU for half a second)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = sum(target.cpu())
        time.sleep(0.5)
        if sum(target.cpu()) - before < 0.02:
            return


def idle_rate(target: Target, pg_port: int | None, seconds: float = 5) -> tuple[float, float, float]:
    """CPU seconds a second the target spends with nothing to do (polling, timers), once it has settled:
    the web process, the workers, and the PostgreSQL server (the workers' polls reach it)."""
    idle(target)
    cpu, pg = target.cpu(), postgres_cpu(pg_port) if pg_port else float("nan")
    time.sleep(seconds)
    after, pg_after = target.cpu(), postgres_cpu(pg_port) if pg_port else float("nan")
    return (after[0] - cpu[0]) / seconds, (after[1] - cpu[1]) / seconds, (pg_after - pg) / seconds


class Run:
    def __init__(self, opts: argparse.Namespace, fake_url: str, pg_admin: str | None) -> None:
        self.opts = opts
        self.fake_url = fake_url
        self.pg_admin = pg_admin
        self.pg_port = urlsplit(pg_admin).port if pg_admin else None
        self.steps = 0
        self.idle: dict[str, tuple[float, float, float]] = {}

    def settle(self, target: Target) -> None:
        pg = target.database_url.startswith("postgresql")
        self.idle[target.name] = idle_rate(target, self.pg_port if pg else None)

    def measure(self, target: Target, rate: float, mode: str, posts: list[int]) -> Measured:
        self.steps += 1
        tag = f"{self.steps:03d}{target.name.replace('+', '')[:4]}"
        pg = bool(target.database_url.startswith("postgresql"))
        before_calls, before_cpu = counts(self.fake_url), target.cpu()
        before_db = postgres_counters(target.database_url) if pg else {}
        before_pg = postgres_cpu(self.pg_port) if pg and self.pg_port else float("nan")
        began, wall = time.monotonic(), time.time()
        seconds = self.opts.seconds if mode == "first" else self.opts.mixed_seconds
        step = asyncio.run(paced(target.url, self.fake_url, rate, seconds, mode, tag, posts,
                                 think=self.opts.think, timeout=self.opts.timeout))
        idle(target)
        if pg:
            time.sleep(1.0)  # PostgreSQL publishes its counters within a second
        after_cpu = target.cpu()
        measured = Measured(target.name, mode, step, (after_cpu[0] - before_cpu[0], after_cpu[1] - before_cpu[1]),
                            counts(self.fake_url) - before_calls, seconds=time.monotonic() - began,
                            idle=self.idle.get(target.name, (0.0, 0.0, 0.0)), window=(wall, time.time()))
        if pg:
            after = postgres_counters(target.database_url)
            measured.db = {k: after[k] - before_db[k] for k in after}
            measured.db_cpu = postgres_cpu(self.pg_port) - before_pg if self.pg_port else float("nan")
        print(summarise(measured), file=sys.stderr, flush=True)
        return measured

    def search(self, bot: Target, bare: Target, mode: str, posts: list[int], floor: list[int]) -> list[Measured]:
        """Paced steps, bare Bolt then the bot at each rate: doubling, then halving the gap."""
        opts = self.opts
        found: list[Measured] = []

        def holds(rate: float) -> bool:
            found.append(self.measure(bare, rate, mode, floor))
            found.append(self.measure(bot, rate, mode, posts))
            return found[-1].holds(opts.limit)

        good, bad, rate = 0.0, 0.0, float(opts.start)
        if holds(rate):
            good, rate = rate, rate * 2
            while rate <= opts.max_rate:
                if not holds(rate):
                    bad = rate
                    break
                good, rate = rate, rate * 2
        else:  # a machine busier than the start assumed: halve until a rate holds
            bad = rate
            while rate / 2 >= opts.start / 16:
                rate /= 2
                if holds(rate):
                    good = rate
                    break
                bad = rate
        for _ in range(opts.bisect if bad else 0):
            middle = round((good + bad) / 2, 1)
            if not good < middle < bad:
                break
            if holds(middle):
                good = middle
            else:
                bad = middle
        return found


def database_for(kind: str, n: int, tmp: Path, pg_admin: str | None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'reply{n}.sqlite3'}"
    from sqlalchemy import create_engine, text

    assert pg_admin is not None
    name = f"reply_{os.getpid()}_{n}"  # a server shared with other runs (TEST_POSTGRES_URL) has older ones
    engine = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return pg_admin.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="sqlite:app,postgresql:web+1,postgresql:web+2")
    parser.add_argument("--modes", default="first,mixed")
    parser.add_argument("--start", type=float, default=50, help="first paced rate, turns/s")
    parser.add_argument("--max-rate", type=float, default=400)
    parser.add_argument("--bisect", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="length of each paced step")
    parser.add_argument("--mixed-seconds", type=float, default=20,
                        help="how long new officers keep arriving in a mixed step (each talks for several seconds)")
    parser.add_argument("--think", type=float, default=1.0, help="an officer's pause after an answer (mixed)")
    parser.add_argument("--limit", type=float, default=1.0, help="reply p99 a rate must stay under, seconds")
    parser.add_argument("--timeout", type=float, default=60, help="longest wait for one reply, seconds")
    parser.add_argument("--nice", type=int, default=0, help="niceness of the worker processes")
    parser.add_argument("--api-latency", type=float, default=0, help="ms each Web API call of the fake Slack "
                                                                    "takes to answer (Slack's own: about 100)")
    parser.add_argument("--profile", type=Path, help="run every bot process under py-spy (one step per mode at "
                                                     "--profile-rate, no search); collapsed stacks in this folder")
    parser.add_argument("--profile-rate", type=float, default=40)
    parser.add_argument("--settle", type=float, default=1.5, help="calibration: quiet time that ends a turn's answer")
    parser.add_argument("--repeat", type=int, default=0, metavar="N",
                        help="no search: N steps per mode at --start, one after another on the same bot and "
                             "database (does a turn grow dearer as the database fills?)")
    parser.add_argument("--json", type=Path, help="also write every step's figures here")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.serve_bare:
        return serve_bare(opts.port, opts.api_url)
    configs = [c.split(":", 1) for c in opts.configs.split(",") if c]
    if any(len(c) != 2 or c[0] not in ("sqlite", "postgresql") or not (c[1] == "app" or c[1].startswith("web+"))
           for c in configs):
        parser.error("--configs: DATABASE:SERVER, DATABASE sqlite or postgresql, SERVER app or web+N")
    modes = [m for m in opts.modes.split(",") if m]
    if any(m not in ("first", "mixed") for m in modes):
        parser.error("--modes: first and/or mixed")
    results: list[Measured] = []
    calibration: dict[str, list[int]] = {}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pg_admin = None
        if any(kind == "postgresql" for kind, _ in configs):
            from tests.support.postgres import postgres_server

            pg_admin = stack.enter_context(postgres_server())
        fake_port = free_port()
        fake = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "bench.time_to_reply_fake",
                                 "--port", str(fake_port), "--latency", str(opts.api_latency / 1000)])
        stack.callback(stop, fake)
        fake_url = f"http://127.0.0.1:{fake_port}"
        wait_healthy(f"{fake_url}/bench/counts", fake, "the fake Slack")
        api_url = f"{fake_url}/api/"
        bare = launch("bare", api_url)
        stack.callback(bare.stop)
        run = Run(opts, fake_url, pg_admin)
        floor = asyncio.run(calibrate(bare.url, fake_url, "cbare", opts.settle))
        calibration["bare"] = floor
        run.settle(bare)
        for n, (kind, server) in enumerate(configs):
            workers = 0 if server == "app" else int(server.removeprefix("web+"))
            database_url = database_for(kind, n, tmp, pg_admin)
            folder = None
            if opts.profile:
                folder = opts.profile / f"{kind}-{server.replace('+', '')}"
                folder.mkdir(parents=True, exist_ok=True)
            bot = launch(f"{kind}:{server}", api_url, database_url, workers, opts.nice, folder)
            try:
                posts = asyncio.run(calibrate(bot.url, fake_url, f"c{n}", opts.settle))
                calibration[bot.name] = posts
                run.settle(bot)
                print(f"{bot.name}: messages posted per turn {posts} (bare Bolt {floor})", file=sys.stderr)
                if opts.profile:  # one step per mode at a rate the machine keeps up with; no search
                    results += [run.measure(bot, opts.profile_rate, mode, posts) for mode in modes]
                    continue
                if opts.repeat:  # bare Bolt before each step still: the machine's own speed, step by step
                    for _ in range(opts.repeat):
                        for mode in modes:
                            results += [run.measure(bare, opts.start, mode, floor),
                                        run.measure(bot, opts.start, mode, posts)]
                    continue
                for mode in modes:
                    results += run.search(bot, bare, mode, posts, floor)
            finally:
                bot.stop()
    report(results, opts, run.idle)
    if opts.json:
        opts.json.write_text(json.dumps({"posts_per_turn": calibration, "steps": [m.as_dict() for m in results]},
                                        indent=1))


if __name__ == "__main__":
    main()
