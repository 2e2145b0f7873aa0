"""Roundups told the same way on every store: the roundup service (``bot/roundups``) runs weeks of a small
network's history in memory, on SQLite and on PostgreSQL, and what it queued, reported and recorded is
compared whole — so the roundup tests of what the bot does may run on the memory store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.domain import PersonRef, Role
from bot.installs.ports import CHANNEL, ConversationRef
from bot.roundups.channels_service import RoundupChannels
from bot.roundups.planning import RoundupConfig
from scheduler.roundups import roundup_service
from storage.memory import MemoryUnitOfWork
from storage.models import OutboxRow
from tests.storage.test_contract import NOW
from tests.storage.test_contract_queries import DAY, Factory, history, stores

__all__ = ["stores"]

SLACK, BROKERS = "slack:T1:C1", "slack:T1:C2"
TEAMS = "teams:19:team@thread.tacv2:19:chan@thread.tacv2"
LOST = "teams:19:other@thread.tacv2:19:gone@thread.tacv2"  # the app was never installed there
CHANNELS = (SLACK, BROKERS, TEAMS, LOST)


def queued(factory: Factory) -> list[tuple[Any, ...]]:
    """Every message in the outbox, in order (read from the table: the port only hands out what is due)."""
    with factory() as uow:
        if isinstance(uow, MemoryUnitOfWork):
            rows: list[Any] = uow.outbox.rows()
        else:
            rows = list(uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id)))  # type: ignore[attr-defined]
        return [(r.platform, r.tenant, r.target, r.kind, r.dedupe_key, r.status, r.attempts, r.payload) for r in rows]


def story(factory: Factory) -> list[Any]:
    history(factory)
    with factory() as uow:
        uow.admin.grant(PersonRef("slack", "T1", "ADMIN"), Role.ADMIN, None, NOW)
        uow.installations.save(ConversationRef(CHANNEL, "tenant-1", "19:chan@thread.tacv2;messageid=1",
                                               "https://smba.example/uk/", team_id="19:team@thread.tacv2",
                                               channel_id="19:chan@thread.tacv2", name="Innovation"), NOW)
        uow.commit()
    channels = RoundupChannels(factory)
    channels.subscribe(SLACK, "network", "mon 09:00", now=NOW - DAY)
    channels.subscribe(BROKERS, "force:kent", "mon 09:00", include_waiting=True, lang="both", now=NOW - DAY)
    channels.subscribe(TEAMS, "theme:digital-technology", "mon 09:00", lang="cy", now=NOW - DAY)
    channels.subscribe(LOST, "network", "mon 09:00", now=NOW - DAY)
    roundups, config = roundup_service(factory), RoundupConfig()
    said: list[Any] = []
    for week in (1, 2):  # Monday 9 and 16 November, just after the 09:00 slot
        at = NOW + week * 7 * DAY
        report = roundups.run_due(at, config)
        said.append(("run", week, sorted(report.queued), sorted(report.quiet), sorted(report.already),
                     sorted(report.failed), report.posted, report.undelivered))
        said.append(("again", roundups.run_due(at + timedelta(minutes=1), config).queued))
        with factory() as uow:  # the dispatcher: the Slack channel's roundup arrives, the Teams one never does
            for item in uow.outbox.claim_due(at + timedelta(minutes=2), limit=50):
                if item.message.platform == "slack" and item.message.target == "C1":
                    uow.outbox.mark_sent(item.id, at + timedelta(minutes=2), {"ts": f"{week}.1"})
                elif item.message.platform == "teams":
                    uow.outbox.mark_dead(item.id, "ConversationNotFound")
                else:
                    uow.outbox.release(item.id, at)
            uow.commit()
        settled = roundups.settle_deliveries(at + timedelta(minutes=3), config)
        said.append(("settled", settled.posted, settled.undelivered))
    with factory() as uow:
        claims = uow.roundups.existing([(c, p) for c in CHANNELS for p in ("2026-W46", "2026-W47")])
        ends = uow.roundups.last_window_ends(CHANNELS)
        failures = [(s.ref.key, s.active, s.failed_reason) for s in uow.subscriptions.every(active_only=False)]
    said += [("claims", sorted((k, v.status, v.window_start, v.window_end) for k, v in claims.items())),
             ("ends", sorted(ends.items())), ("subscriptions", failures), ("outbox", queued(factory))]
    return said


def test_roundups_run_alike_on_every_store(stores: dict[str, Factory]) -> None:
    told = {name: story(factory) for name, factory in stores.items()}
    memory = told["memory"]
    for name in ("sqlite", "postgresql"):
        assert len(told[name]) == len(memory)
        for mine, theirs in zip(memory, told[name], strict=True):
            assert theirs == mine, f"{mine[0]} differs on {name}"
    # By hand: what the story holds.
    runs = [line for line in memory if line[0] == "run"]
    assert [r[2] for r in runs] == [[f"{SLACK} 2026-W46", f"{BROKERS} 2026-W46", f"{TEAMS} 2026-W46"],
                                    [f"{SLACK} 2026-W47", f"{BROKERS} 2026-W47"]]
    assert runs[0][5] == [f"{LOST} 2026-W46"]
    assert [line for line in memory if line[0] == "again"] == [("again", []), ("again", [])]
    assert [line for line in memory if line[0] == "settled"] == [("settled", 1, 1), ("settled", 1, 0)]
    subscriptions = dict((key, (active, reason)) for key, active, reason in
                         next(line for line in memory if line[0] == "subscriptions")[1])
    assert subscriptions[SLACK] == (True, "")
    assert subscriptions[LOST][0] is False and subscriptions[LOST][1].startswith("2026-W46: ")
    assert subscriptions[TEAMS][1].startswith("2026-W46: ConversationNotFound")
    outbox = next(line for line in memory if line[0] == "outbox")[1]
    assert [row[4] for row in outbox if row[2] == "C1"] == [f"roundup:{SLACK}:2026-W46", f"roundup:{SLACK}:2026-W47"]
    assert any(row[3] == "dm" and row[2] == "ADMIN" for row in outbox)  # the admin is told of each failure
