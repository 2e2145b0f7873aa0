"""What the conversation service's own transaction costs: ``ConversationService.handle`` on its own.

    .venv/bin/python -m bench.service_turn [--officers 300] [--mode first|mixed|both] [--postgresql]
                                           [--profile N]

``bench.time_to_reply`` measures a whole process (Bolt, the queues, the sender); this measures only the
turn the worker hands to the service, as the Slack adapter calls it (``handle(event, reply_to)``: the
replies queued in the outbox in the same transaction), in one thread on a migrated database: a fresh
SQLite file, or with ``--postgresql`` a throwaway PostgreSQL 15 (``tests/support/postgres.py``; its
server's CPU is not counted). CPU by ``time.process_time``, per turn, after a warm-up of 20 officers.
``first``: each officer's first DM ("I've got an idea"); ``mixed``: ``bench.time_to_reply_load``'s
whole script per officer (the idea, the problem, stage, force, Submit, "status": seven turns).
``--profile N`` prints cProfile's N most expensive functions instead (cumulative)."""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import itertools
import pstats
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.bootstrap import bootstrap, prepare_database
from adapters.settings import Settings
from bench.time_to_reply_load import SCRIPT
from bot.domain import PersonRef
from bot.events import Action, Actor, Event, Message
from bot.ports import Address
from bot.replies import Card, Choices, Reply
from bot.service import ConversationService
from storage.db import make_engine

_START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def _buttons(replies: tuple[Reply, ...]) -> list[tuple[str, str, str]]:
    """(action id, value, label) of every button and menu option in ``replies``, newest message last."""
    found: list[tuple[str, str, str]] = []
    for reply in replies:
        if isinstance(reply, Card):
            found += [(b.action_id, b.value, b.label) for b in reply.buttons]
        elif isinstance(reply, Choices):
            found += [(reply.action_id, o.value, o.label) for o in reply.options]
    return found


def officer(service: ConversationService, n: int, turns: int) -> None:
    """One officer's first ``turns`` turns of the script, each a separate event as the worker would hand it."""
    actor = Actor(PersonRef("slack", "TBENCH", f"U{n}"), display_name=f"Officer {n}", locale="en-GB")
    address = Address("slack", "TBENCH", f"D{n}")
    last: tuple[Reply, ...] = ()
    for kind, what in SCRIPT[:turns]:
        i = next(_ids)
        at = _START + timedelta(seconds=i)
        event: Event
        if kind == "click":
            action_id, value, _label = next(b for b in reversed(_buttons(last)) if b[2] == what)
            event = Action(f"bench-{i}", actor, action_id, value, at)
        else:
            event = Message(f"bench-{i}", actor, what, at)
        last = service.handle(event, address).replies


def measure(service: ConversationService, officers: int, turns: int, profile: int) -> float:
    """CPU ms per turn over ``officers`` officers of ``turns`` turns each (with ``profile``, the profile)."""
    for n in range(20):  # warm-up: caches, compiled statements, the matcher's first use
        officer(service, -1 - n, turns)

    def run() -> None:
        for n in range(officers):
            officer(service, n, turns)

    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
        return 0.0
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000 / (officers * turns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=300)
    parser.add_argument("--mode", choices=("first", "mixed", "both"), default="both")
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    opts = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if opts.postgresql:
            from tests.support.postgres import postgres_server

            url = stack.enter_context(postgres_server())
        else:
            url = f"sqlite:///{Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'bench.sqlite3'}"
        engine = make_engine(url)
        prepare_database(engine)
        engine.dispose()
        container = bootstrap(Settings(database_url=url))
        try:
            for mode in ("first", "mixed") if opts.mode == "both" else (opts.mode,):
                turns = 1 if mode == "first" else len(SCRIPT)
                cpu = measure(container.service, opts.officers, turns, opts.profile)
                if not opts.profile:
                    print(f"{mode}: {opts.officers * turns} turns, CPU {cpu:.3f} ms per turn "
                          f"({container.engine.dialect.name})")
        finally:
            container.engine.dispose()

if __name__ == "__main__":
    main()
