"""``users.info`` per turn for officers the bot already knows, across workers and a restart (issue 20, item 8).

    .venv/bin/python -m bench.profiles_after_restart [--database sqlite|postgresql] [--workers 0]
        [--officers 40] [--concurrency 8]

The fake Slack and the bot (``bench/slack_events.py``: one process, or with ``--workers N`` the web process
and N workers) run in their own processes, as in ``bench.time_to_reply``. ``--officers`` officers each
send their first DM; then each sends their second turn to the same processes; then the bot is stopped
and started again on the same database, and each sends their third. Printed per phase: ``users.info``
calls per turn (Slack's Tier 4 limit is about 100 a minute per workspace) and CPU ms per turn of the web
process and of the workers.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import aiohttp

from bench.slack_events import free_port
from bench.time_to_reply import counts, database_for, idle
from bench.time_to_reply_load import Feed, Officer, calibrate, talk
from bench.time_to_reply_servers import Target, launch, stop, wait_healthy


async def turns(target: Target, fake_url: str, officers: list[Officer], posts: list[int],
                concurrency: int) -> int:
    """Each officer's next turn, ``concurrency`` at a time, every answer awaited; the turns answered."""
    slots = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as session:
        feed = Feed(fake_url)
        poller = asyncio.create_task(feed.run(session))

        async def one(officer: Officer) -> bool:
            async with slots:
                return (await talk(session, target.url, feed, officer, posts, timeout=60)).reply is not None

        answered = sum(await asyncio.gather(*(one(o) for o in officers)))
        poller.cancel()
    return answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=0, help="0: one process (WORKER=in-process)")
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    opts = parser.parse_args()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pg_admin = None
        if opts.database == "postgresql":
            from tests.support.postgres import postgres_server

            pg_admin = stack.enter_context(postgres_server())
        fake_port = free_port()
        fake = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "bench.time_to_reply_fake",
                                 "--port", str(fake_port), "--latency", "0"])
        stack.callback(stop, fake)
        fake_url = f"http://127.0.0.1:{fake_port}"
        wait_healthy(f"{fake_url}/bench/counts", fake, "the fake Slack")
        api_url = f"{fake_url}/api/"
        database_url = database_for(opts.database, 0, tmp, pg_admin)
        name = f"{opts.database}:{'app' if not opts.workers else f'web+{opts.workers}'}"
        officers = [Officer(f"Urst{n:06d}") for n in range(opts.officers)]
        rows: list[tuple[str, int, float, float, float]] = []
        target = launch(name, api_url, database_url, opts.workers)
        try:
            posts = asyncio.run(calibrate(target.url, fake_url, "crst"))
            for phase in ("first DMs", "second turns, same processes"):
                rows.append(_phase(phase, target, fake_url, officers, posts, opts.concurrency))
        finally:
            target.stop()
        target = launch(name, api_url, database_url, opts.workers)
        try:
            rows.append(_phase("third turns, after a restart", target, fake_url, officers, posts,
                               opts.concurrency))
        finally:
            target.stop()
    print(f"\n{name}, {opts.officers} officers\n")
    print("| phase | turns answered | users.info per turn | CPU ms per turn (web / workers) |")
    print("| --- | ---: | ---: | ---: |")
    for phase, answered, per_turn, web, workers in rows:
        print(f"| {phase} | {answered} | {per_turn:.2f} | {web:.1f} / {workers:.1f} |")


def _phase(phase: str, target: Target, fake_url: str, officers: list[Officer], posts: list[int],
           concurrency: int) -> tuple[str, int, float, float, float]:
    idle(target)
    calls, cpu = counts(fake_url), target.cpu()
    answered = asyncio.run(turns(target, fake_url, officers, posts, concurrency))
    idle(target)
    after, spent = counts(fake_url), target.cpu()
    n = max(1, len(officers))
    print(f"{phase}: {answered}/{len(officers)} answered", file=sys.stderr, flush=True)
    return (phase, answered, (after["users.info"] - calls["users.info"]) / n,
            1000 * (spent[0] - cpu[0]) / n, 1000 * (spent[1] - cpu[1]) / n)


if __name__ == "__main__":
    main()
