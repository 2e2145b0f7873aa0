"""The processes the time-to-reply benchmark measures, and what it reads about them from the outside.

The bot's processes are started exactly as ``bench/slack_events.py`` starts them (``--serve app``,
``web`` and ``worker`` there: uvicorn over ``create_app``, ``innovation-bot worker``'s ``run_worker``).
The floor is a bare Bolt ``AsyncApp`` that *replies*: every DM and every button press gets one
``chat.postMessage`` in the same DM, through the same ``AsyncWebClient`` to the same fake Slack.
CPU is read from ``/proc`` (user + system time of each process: other load on the machine does not
change it), and on PostgreSQL the server's own CPU (the postmaster, its finished and live backends)
and its transaction counters.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.slack_events import SECRET, TOKEN, cpu_seconds, free_port

REPLY_BLOCKS: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": "Thanks, noted."}},
                {"type": "actions", "elements": [{"type": "button", "action_id": "bench_next", "value": "next",
                                                  "text": {"type": "plain_text", "text": "Next"}}]}]


def serve_bare(port: int, api_url: str) -> None:
    """A Bolt app with no work of its own: the reply an officer could get at best from this stack."""
    import re

    import uvicorn
    from fastapi import FastAPI
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp, AsyncSay
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.requests import Request
    from starlette.responses import Response

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @bolt.event("message")
    async def answer(event: dict[str, Any], say: AsyncSay) -> None:
        await say(text="Thanks, noted.", blocks=REPLY_BLOCKS, channel=event["channel"])

    @bolt.action(re.compile(".*"))
    async def pressed(ack: AsyncAck, body: dict[str, Any], say: AsyncSay) -> None:
        await ack()
        await say(text="Thanks, noted.", blocks=REPLY_BLOCKS, channel=body["channel"]["id"])

    handler = AsyncSlackRequestHandler(bolt)
    app = FastAPI()

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(request: Request) -> Response:
        return Response("ok")

    app.add_route("/slack/events", events, methods=["POST"])
    app.add_route("/healthz", healthz, methods=["GET"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def wait_healthy(url: str, process: subprocess.Popen[bytes], what: str, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{what} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Target:
    """One measured server: its web process, its worker processes (if any), where it stores things."""
    name: str
    url: str
    web: subprocess.Popen[bytes]
    database_url: str = ""
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    profiled: bool = False  # each process is py-spy, which runs the server as its child

    def pid(self, process: subprocess.Popen[bytes]) -> int:
        """The server's own process id (under py-spy: py-spy's child)."""
        if not self.profiled:
            return process.pid
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        return int(children[0]) if children else process.pid

    def cpu(self) -> tuple[float, float]:
        """CPU seconds so far: the web process, and all its workers together."""
        return cpu_seconds(self.pid(self.web)), sum(cpu_seconds(self.pid(w)) for w in self.workers)

    def stop(self) -> None:
        for process in (self.web, *self.workers):
            if self.profiled and process.poll() is None:
                # py-spy writes its profile once the server it runs has ended.
                os.kill(self.pid(process), signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=60)
            stop(process)


def launch(name: str, api_url: str, database_url: str = "", workers: int = 0, nice: int = 0,
           profile: Path | None = None) -> Target:
    """``bare``; ``app`` (one process, WORKER=in-process); ``web+N`` (WORKER=external and N workers).
    With ``profile``, each process runs under py-spy (installed by hand into the venv, not a project
    dependency), which samples every thread's Python stack 100 times a second while it is on a CPU and
    writes ``<folder>/<role>.txt`` (collapsed stacks) when the process ends."""
    port = free_port()

    def spied(role: str, command: list[str]) -> list[str]:
        if profile is None:
            return command
        spy = Path(sys.executable).with_name("py-spy")
        return [str(spy), "record", "--nonblocking", "--format", "raw", "--rate", "100",
                "--output", str(profile / f"{role}.txt"), "--", *command]

    if name == "bare":
        command = [sys.executable, "-m", "bench.time_to_reply", "--serve-bare", "--port", str(port),
                   "--api-url", api_url]
    else:
        serve = "app" if workers == 0 else "web"
        command = [sys.executable, "-m", "bench.slack_events", "--serve", serve, "--port", str(port),
                   "--api-url", api_url, "--database-url", database_url]
    web = subprocess.Popen(spied("web", command))
    wait_healthy(f"http://127.0.0.1:{port}/healthz", web, name)
    target = Target(name, f"http://127.0.0.1:{port}/slack/events", web, database_url, profiled=profile is not None)
    for n in range(workers):
        target.workers.append(subprocess.Popen(spied(f"worker{n + 1}", [
            sys.executable, "-m", "bench.slack_events", "--serve", "worker", "--api-url", api_url,
            "--database-url", database_url, "--nice", str(nice)])))
    return target


# --- PostgreSQL, seen from outside --------------------------------------------------------------------

def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu(port: int) -> float:
    """CPU seconds of the PostgreSQL server listening on ``port``: the postmaster, the backends that have
    ended (their time is added to the postmaster's children's time) and the ones still running."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = None
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"port={port}\0".encode() in (entry / "cmdline").read_bytes():
                    postmaster = int(entry.name)
                    break
            except OSError:
                continue
    if postmaster is None:
        return float("nan")
    fields = _stat(postmaster)
    total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                child = _stat(int(entry.name))
            except OSError:
                continue
            if int(child[1]) == postmaster:  # field 4: the parent
                total += int(child[11]) + int(child[12])
    return total / tick


def postgres_counters(database_url: str) -> dict[str, int]:
    """Transactions committed and rolled back, and rows written, in the bot's database so far."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
                "FROM pg_stat_database WHERE datname = current_database()")).one()
    finally:
        engine.dispose()
    return dict(zip(("commits", "rollbacks", "inserted", "updated", "deleted"), (int(v) for v in row), strict=True))
