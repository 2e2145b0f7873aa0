"""The contract suite, continued: roundup subscriptions, the (channel, period) claims, the roundup messages in
the outbox, and the stored conversation references (installations), on every store (``store`` fixture)."""

from __future__ import annotations

from datetime import timedelta

from bot.installs.ports import CHANNEL, PERSONAL, ConversationRef
from bot.queues import OutboxMessage
from bot.roundups.channels import ChannelRef
from bot.roundups.ports import CLAIMED, FAILED, POSTED, QUEUED, SKIPPED, Claim, Queued, SubscriptionChange
from tests.storage.test_contract import NOW, UOW, uow

__all__ = ["uow"]

SLACK = ChannelRef("slack", "T1", "C1")
TEAMS = ChannelRef("teams", "team-1", "19:general@thread.tacv2")
WEEKLY = SubscriptionChange("network", 0, "09:00", "weekly", False, "en")
WINDOW = (NOW - timedelta(days=7), NOW)
LEASE = timedelta(minutes=10)


def test_a_channel_has_one_subscription_changed_in_place(uow: UOW) -> None:
    with uow:
        first = uow.subscriptions.save(SLACK, WEEKLY, NOW)
        uow.subscriptions.save(ChannelRef("local", "local", "brokers"),
                               SubscriptionChange("force:kent", 3, "16:30", "monthly", True, "both"), NOW)
        uow.subscriptions.record_failure(first.id, "channel_not_found", pause=True, at=NOW + timedelta(hours=1))
        uow.commit()
    with uow:
        paused = uow.subscriptions.find(SLACK)
        assert paused is not None and (paused.active, paused.failed_reason) == (False, "channel_not_found")
        assert [s.ref for s in uow.subscriptions.every()] == [ChannelRef("local", "local", "brokers")]
        assert [s.ref.platform for s in uow.subscriptions.every(active_only=False)] == ["local", "slack"]
        uow.subscriptions.record_failure(first.id, "rate limited", pause=False, at=NOW)
        assert uow.subscriptions.find(SLACK).active is False  # type: ignore[union-attr]
        again = uow.subscriptions.save(SLACK, SubscriptionChange("theme:homicide", 4, "08:15", "fortnightly",
                                                                 False, "cy"), NOW + timedelta(days=1))
        uow.commit()
    assert (again.id, again.created_at, again.active, again.failed_reason) == (first.id, NOW, True, "")
    assert (again.scope, again.weekday, again.time_of_day, again.frequency, again.lang) == (
        "theme:homicide", 4, "08:15", "fortnightly", "cy")
    with uow:
        assert uow.subscriptions.remove(SLACK) is True and uow.subscriptions.remove(SLACK) is False
        assert uow.subscriptions.find(SLACK) is None
        uow.subscriptions.record_failure(first.id, "gone", pause=True, at=NOW)  # a removed one: nothing happens


def test_a_period_is_claimed_once_and_a_dead_claim_taken_over(uow: UOW) -> None:
    claims = [Claim(SLACK.key, "2026-W45", 1, WINDOW), Claim(TEAMS.key, "2026-W45", None, WINDOW)]
    with uow:
        assert uow.roundups.claim_all(claims, now=NOW, lease=LEASE) == [True, True]
        uow.commit()
    with uow:
        later = NOW + timedelta(minutes=5)
        assert uow.roundups.claim_all(claims, now=later, lease=LEASE) == [False, False]  # held, still alive
        assert uow.roundups.claim_all([Claim(SLACK.key, "2026-W46", 1, WINDOW)], now=later, lease=LEASE) == [True]
        uow.roundups.mark_queued([Queued(SLACK.key, "2026-W45", None, 3)], later)
        moved = (NOW, NOW + timedelta(days=1))
        taken = uow.roundups.claim_all([Claim(SLACK.key, "2026-W45", 1, moved), Claim(TEAMS.key, "2026-W45", None,
                                                                                      moved)],
                                       now=NOW + timedelta(minutes=11), lease=LEASE)
        assert taken == [False, True]  # a queued claim is never taken over; a claim its process left behind is
        found = uow.roundups.existing([(SLACK.key, "2026-W45"), (TEAMS.key, "2026-W45"), (SLACK.key, "2026-W47")])
        uow.commit()
    assert set(found) == {(SLACK.key, "2026-W45"), (TEAMS.key, "2026-W45")}
    assert found[(SLACK.key, "2026-W45")].status == QUEUED
    assert (found[(TEAMS.key, "2026-W45")].claimed_at, found[(TEAMS.key, "2026-W45")].window_end) == (
        NOW + timedelta(minutes=11), moved[1])
    with uow:
        uow.roundups.release(TEAMS.key, "2026-W45", NOW)  # not the claim we hold now: stays
        assert uow.roundups.find(TEAMS.key, "2026-W45") is not None
        uow.roundups.release(TEAMS.key, "2026-W45", NOW + timedelta(minutes=11))
        assert uow.roundups.find(TEAMS.key, "2026-W45") is None
        uow.roundups.release(SLACK.key, "2026-W45", NOW)  # queued: a release changes nothing
        assert uow.roundups.find(SLACK.key, "2026-W45").status == QUEUED  # type: ignore[union-attr]
        uow.commit()


def test_queued_roundups_settle_as_the_outbox_finishes_them(uow: UOW) -> None:
    with uow:
        ids = [uow.outbox.enqueue(OutboxMessage("slack", "T1", f"C{n}", {"n": n}, dedupe_key=f"roundup:{n}"), NOW)
               for n in range(3)]
        assert None not in ids
        periods = [("slack:T1:C0", "2026-W44", (NOW - timedelta(days=14), NOW - timedelta(days=7))),
                   ("slack:T1:C0", "2026-W45", WINDOW), ("slack:T1:C1", "2026-W45", WINDOW),
                   ("slack:T1:C2", "2026-W45", WINDOW), ("slack:T1:C3", "2026-W45", WINDOW)]
        assert all(uow.roundups.claim_all([Claim(c, p, 7, w) for c, p, w in periods], now=NOW, lease=LEASE))
        uow.roundups.mark_queued([Queued("slack:T1:C0", "2026-W45", ids[0], 2),
                                  Queued("slack:T1:C1", "2026-W45", ids[1], 1),
                                  Queued("slack:T1:C2", "2026-W45", ids[2], 4)], NOW)
        uow.roundups.mark_skipped("slack:T1:C0", "2026-W44", NOW)
        uow.roundups.mark_failed("slack:T1:C3", "2026-W45", "no address", NOW)
        uow.outbox.mark_sent(ids[0], NOW, {"ts": "1.2"})  # type: ignore[arg-type]
        uow.outbox.mark_dead(ids[1], "channel_not_found")  # type: ignore[arg-type]
        uow.commit()
    with uow:
        posted, failed = uow.roundups.settle(NOW + timedelta(minutes=1))
        ends = uow.roundups.last_window_ends(["slack:T1:C0", "slack:T1:C1", "slack:T1:C3", "slack:T1:C9"])
        statuses = [uow.roundups.find(c, p).status for c, p, _ in periods]  # type: ignore[union-attr]
        uow.commit()
    assert posted == 1
    assert [(f.channel_key, f.period_key, f.subscription_id, f.error, f.attempts) for f in failed] == [
        ("slack:T1:C1", "2026-W45", 7, "channel_not_found", 0)]
    assert statuses == [SKIPPED, POSTED, FAILED, QUEUED, FAILED]
    assert ends == {"slack:T1:C0": NOW}  # a failed roundup does not count as where the channel got to
    with uow:
        assert uow.roundups.settle(NOW + timedelta(minutes=2)) == (0, [])  # settled once
    assert CLAIMED == "claimed"


def test_roundup_posts_are_found_by_channel_and_key(uow: UOW) -> None:
    with uow:
        ids = [uow.outbox.enqueue(OutboxMessage(SLACK.platform, SLACK.tenant, SLACK.channel, {"page": n},
                                                dedupe_key=f"roundup:{SLACK.key}:2026-W45:{n}"), NOW)
               for n in range(4)]
        uow.outbox.enqueue(OutboxMessage(SLACK.platform, SLACK.tenant, SLACK.channel, {"other": 1},
                                         dedupe_key="reply:1"), NOW)
        uow.outbox.enqueue(OutboxMessage(SLACK.platform, SLACK.tenant, "C2", {"page": 9},
                                         dedupe_key=f"roundup:{SLACK.key}:2026-W45:9"), NOW)
        uow.outbox.enqueue(OutboxMessage(SLACK.platform, SLACK.tenant, SLACK.channel, {"none": 1}), NOW)
        uow.roundups.mark_sent([ids[0], ids[1]], NOW)  # type: ignore[list-item]
        uow.commit()
    prefix = f"roundup:{SLACK.key}:"
    with uow:
        newest = uow.roundups.posts(SLACK, prefix, after=0, limit=2)
        after = uow.roundups.posts(SLACK, prefix, after=ids[0], limit=2)  # type: ignore[arg-type]
        assert uow.roundups.outbox_id(f"roundup:{SLACK.key}:2026-W45:2") == ids[2]
        assert uow.roundups.outbox_id("roundup:nothing") is None
        assert uow.roundups.posts(SLACK, "roundup:slack:T1:C1%", after=0, limit=5) == []  # a LIKE wildcard is text
        assert uow.outbox.sent(ids[0]) is None  # marked sent by the roundup, with no platform answer to show
    assert [(p.outbox_id, p.payload, p.sent) for p in newest] == [(ids[2], {"page": 2}, False),
                                                                   (ids[3], {"page": 3}, False)]
    assert [(p.outbox_id, p.dedupe_key, p.sent) for p in after] == [(ids[1], f"{prefix}2026-W45:1", True),
                                                                    (ids[2], f"{prefix}2026-W45:2", False)]


def test_installations_keep_one_reference_per_conversation(uow: UOW) -> None:
    personal = ConversationRef(PERSONAL, "tenant", "a:1", "https://smba.example/uk/", aad_object_id="aad-1",
                               user_id="29:1", bot_id="28:bot", name="")
    general = ConversationRef(CHANNEL, "tenant", "19:general@thread.tacv2", "https://smba.example/uk/",
                              team_id="team-1", channel_id="19:general@thread.tacv2", name="General")
    other = ConversationRef(CHANNEL, "tenant", "19:ops@thread.tacv2", "https://smba.example/uk/",
                            team_id="team-1", channel_id="19:ops@thread.tacv2", name="Ops")
    with uow:
        for ref in (personal, general, other):
            uow.installations.save(ref, NOW)
        # The platform moved the tenant; an update with empty values keeps what is stored.
        uow.installations.save(ConversationRef(PERSONAL, "tenant", "a:1", "https://smba.example/emea/"),
                               NOW + timedelta(hours=1))
        uow.commit()
    with uow:
        moved = uow.installations.by_conversation("a:1")
        assert moved == ConversationRef(PERSONAL, "tenant", "a:1", "https://smba.example/emea/", "aad-1", "29:1",
                                        bot_id="28:bot")
        assert uow.installations.person("tenant", "aad-1") == moved == uow.installations.person("tenant", "29:1")
        assert uow.installations.person("other-tenant", "aad-1") is None
        assert uow.installations.channel("team-1", "19:ops@thread.tacv2") == other
        assert uow.installations.channels("team-1") == [general, other]
        assert uow.roundups.address(TEAMS) == ("tenant", "19:general@thread.tacv2")
        assert uow.roundups.address(ChannelRef("teams", "team-2", "19:x")) is None
        assert uow.roundups.address(SLACK) == ("T1", "C1")
        assert uow.installations.remove_team("team-1") == 2
        assert uow.installations.remove_conversation("a:1") == 1
        assert uow.installations.remove_conversation("a:1") == 0
        assert uow.installations.channels("team-1") == [] and uow.installations.by_conversation("a:1") is None
        uow.commit()
