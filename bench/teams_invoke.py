"""How long a Teams ``Action.Execute`` click (an ``adaptiveCard/action`` invoke) takes to be answered.

    .venv/bin/python -m bench.teams_invoke [--clicks 300] [--database sqlite|postgresql|both]

The bot (``create_app`` with the real Teams SDK, a fresh SQLite file or a throwaway PostgreSQL 15 from
``tests/support/postgres.py``) and the fake Microsoft side (``tests/support/fake_teams.py``) run on
loopback in this process's threads, and this process posts signed invokes one after another, each a
new activity: "Start" on the welcome card, whose answer is the card with its buttons removed, so each
click is one decision (a unit of work) and the card looked up and rendered. What one click costs since
it goes the one way in (stored leased to its request, decided, finished, answered): two more commits
than deciding alone. Reported: p50, p90, p99 and the mean of the answer time, in milliseconds; and,
less noisy on a shared machine, what those two commits cost alone: ``take`` then ``finish`` of an
invoke-sized event on the same database (``--clicks`` pairs, p50 and p90).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from adapters.bootstrap import prepare_database
from adapters.web import create_app
from bot.i18n import Translator
from bot.queues import InboundEvent
from storage.db import make_engine, session_factory
from storage.inbound_store import SqlInboundStore
from tests.adapters.teams.conftest import TeamsBot, find_button, teams_settings
from tests.conftest import make_container
from tests.support.fake_teams import FakeTeams, new_key
from tests.support.postgres import postgres_server
from tests.support.server import serve


def measure(url: str, clicks: int) -> list[float]:
    fake = FakeTeams(key=new_key())
    with serve(fake.app()) as fake_url:
        fake.base_url = fake_url
        container = make_container(url, **teams_settings(fake))
        with serve(create_app(container)) as bot_url:
            bot = TeamsBot(container, bot_url, fake)
            assert bot.install_personal().status_code == 200
            _settle(bot)
            verb, data = find_button(bot.last_card(), Translator()("button.start"))
            value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
            times = []
            for _ in range(clicks):
                invoke = bot.activity("invoke", name="adaptiveCard/action", value=value)
                start = time.perf_counter()
                response = bot.post(invoke)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200 and "card" in response.json()["type"], response.text
            bot.http.close()
        container.engine.dispose()
    return times


def store_cost(url: str, pairs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each ``take`` and each ``finish`` on the worker's store (the ordinary sessions)."""
    engine = make_engine(url)
    store = SqlInboundStore(session_factory(engine))
    takes, finishes = [], []
    for n in range(pairs):
        event = InboundEvent("teams", f"a:chat|bench-{n}", "invoke", "teams:t:sam", {"value": "x" * 2000}, {})
        start = time.perf_counter()
        with store.transaction() as inbound:
            held = inbound.take(event, datetime.now(UTC))
        taken = time.perf_counter()
        assert held is not None
        with store.transaction() as inbound:
            inbound.finish([held.id])
        takes.append((taken - start) * 1000)
        finishes.append((time.perf_counter() - taken) * 1000)
    engine.dispose()
    return sorted(takes), sorted(finishes)


def _settle(bot: TeamsBot) -> None:
    deadline = time.monotonic() + 30
    while not bot.fake.posts():
        assert time.monotonic() < deadline, "the welcome card never arrived"
        time.sleep(0.05)


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "postgresql":
        with postgres_server() as url:
            engine = make_engine(url)
            prepare_database(engine)
            engine.dispose()
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = make_engine(url)
        prepare_database(engine)
        engine.dispose()
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=300)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for kind in (["sqlite", "postgresql"] if args.database == "both" else [args.database]):
        with database(kind) as url:
            times = sorted(measure(url, args.clicks))
            takes, finishes = store_cost(url, args.clicks)
        q = statistics.quantiles(times, n=100)
        print(f"{kind:10} {args.clicks} clicks: p50 {q[49]:.1f} ms, p90 {q[89]:.1f} ms, p99 {q[98]:.1f} ms, "
              f"mean {statistics.fmean(times):.1f} ms")
        t, f = statistics.quantiles(takes, n=10), statistics.quantiles(finishes, n=10)
        print(f"{kind:10} take p50 {t[4]:.2f} ms, p90 {t[8]:.2f} ms; finish p50 {f[4]:.2f} ms, p90 {f[8]:.2f} ms")


if __name__ == "__main__":
    main()
