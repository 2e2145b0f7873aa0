"""Compose and enqueue roundups for 500 channels over 10,000 ideas approved in one period.

    .venv/bin/python -m bench.roundups [--channels 500] [--ideas 10000] [--database-url URL] [--seed 7]

Builds a fresh database (a temporary SQLite file unless ``--database-url`` names an empty PostgreSQL
database), loads the ideas (each with its submitted and approved-for-the-network decisions, spread
over the week), subscribes the channels (a fifth to the whole network, half to one force, the rest to
one theme; one in ten a broker channel that also lists ideas waiting for a decision), then times one
scheduler run at the slot, ``scheduler.roundups.run_due``: claim every channel's roundup, read the
period, find similar work across forces (building the catalogue's matcher, as the clock does), compose
each channel's replies (with its chart of the last six weeks) and queue them in the outbox. Target:
under 5 s. It then checks that a second run queues nothing, that every payload is within the Block Kit
and Adaptive Card limits, and that the largest ones, drawn as Teams cards with the chart's image, are
too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from adapters.bootstrap import prepare_database
from adapters.slack.roundup_blocks import BUDGET as BLOCKS
from adapters.slack.roundup_blocks import MAX_BLOCKS as SLACK_MAX_BLOCKS
from adapters.teams.cards import render_activity
from adapters.teams.roundup_card import MAX_CARD_BYTES as TEAMS_MAX_CARD_BYTES
from bot.codec import reply_from_json
from bot.matching import Matcher
from bot.roundups.planning import RoundupConfig
from bot.roundups.similar import CatalogueLookup
from bot.roundups.subscriptions import subscribe
from scheduler.roundups import run_due
from storage.catalogue import catalogue_entries
from storage.db import make_engine, session_factory
from storage.matching_data import load_demo_catalogue, load_synonym_table
from storage.models import DecisionRow, ForceRow, IdeaRow, OutboxRow, ThemeRow
from storage.repositories import SqlReference
from storage.roundups import SqlSubscriptions
from storage.unit_of_work import SqlUnitOfWork

SLOT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 in London
TARGET_SECONDS = 5.0


def load(url: str, channels: int, ideas: int, seed: int) -> None:
    rng = random.Random(seed)
    engine = make_engine(url)
    prepare_database(engine)
    sessions = session_factory(engine)
    demo = load_demo_catalogue()
    stages = ("idea", "being-tried", "evaluated-locally", "independently-evaluated")
    with sessions.begin() as s:
        forces = list(s.scalars(select(ForceRow.slug)).all())
        themes = list(s.scalars(select(ThemeRow.slug)).all())
        start = SLOT - timedelta(days=7)
        rows = []
        for n in range(ideas):
            entry = demo[n % len(demo)]
            submitted = start + timedelta(seconds=rng.randrange(7 * 24 * 3600 - 7200))
            rows.append({"title": f"{entry['title']} ({n})", "description": entry["description"],
                         "problem": entry.get("problem", ""), "evidence": "", "stage": rng.choice(stages),
                         "theme_slug": rng.choice(themes), "force_slug": rng.choice(forces), "submitter_id": None,
                         "contact_consent": True, "visibility": "named", "status": "approved-network",
                         "source": "import", "contact": "", "url": "", "version": 1, "created_at": submitted,
                         "submitted_at": submitted, "updated_at": submitted})
        for n in range(300):  # waiting for a broker's decision
            rows.append({**rows[n], "title": f"Waiting {n}", "status": "submitted"})
        s.execute(insert(IdeaRow), rows)
        ids = list(s.scalars(select(IdeaRow.id).order_by(IdeaRow.id)).all())
        decisions = []
        for idea_id, row in zip(ids, rows, strict=True):
            decisions.append({"idea_id": idea_id, "actor_id": None, "from_status": "draft", "to_status": "submitted",
                              "reason": "", "created_at": row["submitted_at"]})
            if row["status"] == "approved-network":
                decisions.append({"idea_id": idea_id, "actor_id": None, "from_status": "submitted",
                                  "to_status": "approved-network", "reason": "",
                                  "created_at": row["submitted_at"] + timedelta(hours=1)})
        s.execute(insert(DecisionRow), decisions)
        for n in range(channels):
            if n % 5 == 0:
                scope = "network"
            elif n % 2:
                scope = f"force:{forces[n % len(forces)]}"
            else:
                scope = f"theme:{themes[n % len(themes)]}"
            subscribe(SqlSubscriptions(s), SqlReference(s), f"slack:T{n // 100:03d}:C{n:05d}", scope,
                      include_waiting=n % 10 == 3, at=start - timedelta(days=30))
    engine.dispose()


def measure(url: str) -> dict[str, float | int]:
    engine = make_engine(url)
    sessions = session_factory(engine)
    timings: dict[str, float] = {}

    def finder() -> CatalogueLookup | None:
        began = time.perf_counter()
        matcher = Matcher(load_synonym_table())
        with sessions() as s:
            matcher.add_many(catalogue_entries(s))
        timings["matcher"] = time.perf_counter() - began
        return matcher

    began = time.perf_counter()
    report = run_due(lambda: SqlUnitOfWork(sessions), SLOT, RoundupConfig(), finder)
    total = time.perf_counter() - began
    again = run_due(lambda: SqlUnitOfWork(sessions), SLOT + timedelta(minutes=1), RoundupConfig())
    with sessions() as s:
        payloads = [row.payload for row in s.scalars(select(OutboxRow)).all()]
    sizes = [len(json.dumps(p["replies"], ensure_ascii=False).encode("utf-8")) for p in payloads]
    blocks = [BLOCKS.total([reply_from_json(r) for r in p["replies"]]) for p in payloads]
    # The largest payloads as Teams would get them: one Adaptive Card, the chart's PNG inline.
    largest = sorted(range(len(payloads)), key=lambda n: -sizes[n])[:10]
    cards = [len(json.dumps(render_activity([reply_from_json(r) for r in payloads[n]["replies"]], outbox_id=1),
                            ensure_ascii=False).encode("utf-8")) for n in largest]
    engine.dispose()
    return {"seconds": total, "matcher_seconds": timings.get("matcher", 0.0), "queued": len(report.queued),
            "second_run_queued": len(again.queued), "max_bytes": max(sizes), "mean_bytes": sum(sizes) / len(sizes),
            "max_blocks": max(blocks), "max_card_bytes": max(cards)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        began = time.perf_counter()
        load(url, args.channels, args.ideas, args.seed)
        print(f"loaded {args.ideas} ideas and {args.channels} subscriptions in {time.perf_counter() - began:.1f} s "
              f"({url.split(':', 1)[0]})")
        result = measure(url)
    print(f"run_due: {result['queued']} roundups queued in {result['seconds']:.2f} s "
          f"(of which building the catalogue matcher: {result['matcher_seconds']:.2f} s); "
          f"a second run queued {result['second_run_queued']}")
    print(f"payloads: largest {result['max_bytes']} bytes of reply JSON (limit {TEAMS_MAX_CARD_BYTES}), "
          f"mean {result['mean_bytes']:.0f}; most blocks {result['max_blocks']} (limit {SLACK_MAX_BLOCKS}); "
          f"largest Teams activity, chart image included, {result['max_card_bytes']} bytes")
    ok = (result["seconds"] < TARGET_SECONDS and result["queued"] == args.channels
          and result["second_run_queued"] == 0 and result["max_bytes"] < TEAMS_MAX_CARD_BYTES
          and result["max_card_bytes"] < TEAMS_MAX_CARD_BYTES
          and result["max_blocks"] <= SLACK_MAX_BLOCKS)
    print("OK" if ok else f"FAILED (target: under {TARGET_SECONDS:.0f} s, every channel once, within limits)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
