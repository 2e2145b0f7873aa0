"""What one claim costs: the worker's inbound claim and the dispatcher's outbox claim (issue 20's plan, item 1).

    .venv/bin/python -m bench.time_to_reply_claim [--claims 300] [--pending 5] [--sent N] [--database-url URL]

The profiles of ``bench.time_to_reply`` put 24–40 % of a turn's CPU in ``SqlInbound.claim_due``, most
of it building the statement (a new ``aliased(InboundEventRow)`` per call) and the ORM lease. This
measures the CPU (``time.process_time``) of a claim transaction as the worker makes it — ``claim_due``
in its own transaction, with ``--pending`` rows due, which are then put back — for both queues, and,
for comparison, the inbound claim's ``SELECT`` alone written with the ORM, with a new alias per call
and with one made once, on a migrated database (a fresh SQLite file by default). ``--sent N`` first fills
the outbox with N messages already sent, to 500 conversations: retention keeps sent messages 30 days,
and a claim must not grow dearer with them."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Select, exists, insert, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from adapters.bootstrap import prepare_database
from bot.queues import InboundEvent, OutboxMessage
from storage.db import make_engine, session_factory
from storage.inbound_store import PENDING, WORKING, SqlInbound
from storage.models import InboundEventRow, OutboxRow
from storage.outbox_store import SqlOutbox

_EARLIER = aliased(InboundEventRow)


def claim_select(now: datetime, platforms: list[str], limit: int, earlier: type[InboundEventRow] = _EARLIER
                 ) -> Select[int]:
    """The claim's SELECT, as ``claim_due`` writes it, with the alias given (by default one made once)."""
    due = or_((InboundEventRow.status == PENDING) & (InboundEventRow.available_at <= now),
              (InboundEventRow.status == WORKING) & (InboundEventRow.lease_until < now))
    blocked = exists().where(earlier.queue_key == InboundEventRow.queue_key, earlier.id < InboundEventRow.id,
                             earlier.status.in_((PENDING, WORKING)))
    return (select(InboundEventRow.id).where(due, ~blocked, InboundEventRow.platform.in_(platforms))
            .order_by(InboundEventRow.id).limit(limit))


def cpu_ms(claims: int, one: Callable[[], int]) -> tuple[float, int]:
    """Median CPU ms of a claim over ``claims`` runs, and how many rows the last one found."""
    costs, found = [], 0
    for _ in range(claims):
        start = time.process_time()
        found = one()
        costs.append((time.process_time() - start) * 1000)
    return statistics.median(costs), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--pending", type=int, default=5)
    parser.add_argument("--sent", type=int, default=0, help="messages already sent, kept in the outbox")
    parser.add_argument("--database-url")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = opts.database_url or f"sqlite:///{Path(tmp) / 'claim.sqlite3'}"
        engine = make_engine(url)
        prepare_database(engine)
        sessions: sessionmaker[Session] = session_factory(engine)
        now = datetime.now(UTC)
        with sessions.begin() as session:
            if opts.sent:
                session.execute(insert(OutboxRow), [
                    {"platform": "slack", "tenant": "T", "target": f"D{n % 500}", "thread": "", "kind": "post",
                     "payload": {"text": "sent"}, "status": "sent", "attempts": 1, "next_attempt_at": now,
                     "last_error": "", "created_at": now, "sent_at": now} for n in range(opts.sent)])
            SqlInbound(session).add([InboundEvent("slack", f"EvClaim{n}", "event", f"slack:T:U{n}", {"n": n}, {})
                                     for n in range(opts.pending)], now)
            for n in range(opts.pending):
                SqlOutbox(session).enqueue(OutboxMessage("slack", "T", f"D{n}", {"text": "hi"}), now)

        def put_back(session: Session) -> None:
            session.execute(update(InboundEventRow).values(status=PENDING, lease_until=None, attempts=0))

        def today() -> int:
            with sessions.begin() as session:
                found = len(SqlInbound(session).claim_due(datetime.now(UTC), platforms=["slack"], limit=50))
                put_back(session)
            return found

        def outbox() -> int:
            with sessions.begin() as session:
                found = len(SqlOutbox(session).claim_due(datetime.now(UTC), platform="slack"))
                session.execute(update(OutboxRow).where(OutboxRow.status == "sending")
                                .values(status="pending", lease_until=None, attempts=0))
            return found

        def once() -> int:
            with sessions.begin() as session:
                found = len(session.scalars(claim_select(datetime.now(UTC), ["slack"], 50)).all())
            return found

        def select_today() -> int:  # today's SELECT alone, as claim_due builds it (new alias each call)
            with sessions.begin() as session:
                fresh = aliased(InboundEventRow)
                found = len(session.scalars(claim_select(datetime.now(UTC), ["slack"], 50, fresh)).all())
            return found

        for name, one in (("SqlInbound.claim_due (the worker's claim, in its own transaction)", today),
                          ("SqlOutbox.claim_due (the dispatcher's claim, in its own transaction)", outbox),
                          ("its SELECT alone, a new aliased() per call (as today)", select_today),
                          ("its SELECT alone, the alias made once", once)):
            cpu_ms(20, one)  # warm the caches
            ms, found = cpu_ms(opts.claims, one)
            print(f"{ms:6.2f} ms CPU per claim transaction, median of {opts.claims} ({found} due): {name}")
        engine.dispose()


if __name__ == "__main__":
    main()
