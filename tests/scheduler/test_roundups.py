"""Roundups end to end on SQLite and PostgreSQL: subscriptions, what is due, exactly once, catch-up,
and what happens when a channel cannot be posted to. The clock is always injected."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from adapters.delivery import OutboxDispatcher
from adapters.send_failures import PermanentFailure, RetryLater
from bot.codec import reply_from_json
from bot.i18n import Translator
from bot.replies import Card, Chart
from bot.roundups import channels as refs
from bot.roundups import service as runner
from bot.roundups.content import QuietMode
from bot.roundups.delivery import Report
from bot.roundups.planning import RoundupConfig
from bot.roundups.ports import Claim, SubscriptionRecord
from storage.db import make_engine, session_factory
from storage.models import DecisionRow, OutboxRow
from storage.outbox_store import SqlOutboxStore
from storage.roundup_models import Roundup, Subscription
from tests.scheduler.conftest import (
    CONFIG,
    PREVIOUS_SLOT,
    SLOT,
    RecordingSender,
    add_idea,
    channels,
    count,
    make_admin,
    outbox_rows,
    post_now,
    preview,
    run_due,
    stored_roundup,
    subscribe,
    uow,
)

CHANNEL = "slack:T1:C1"


def subscription(sessions: sessionmaker[Session], channel: str) -> SubscriptionRecord | None:
    with uow(sessions)() as u:
        return u.subscriptions.find(refs.parse_channel_ref(channel))


def idea_titles(row: OutboxRow) -> list[str]:
    replies = [reply_from_json(r) for r in row.payload["replies"]]
    return [r.title for r in replies if isinstance(r, Card) and r.kind == "roundup-idea"]


# --- subscriptions --------------------------------------------------------------------------------


@pytest.mark.parametrize(("channel", "scope", "when", "frequency", "error", "words"), [
    ("slack:T1", "network", "mon 09:00", "weekly", refs.BadChannelRef, "slack:TEAM_ID:CHANNEL_ID"),
    ("C123", "network", "mon 09:00", "weekly", refs.BadChannelRef, "malformed channel"),
    ("irc:T1:C1", "network", "mon 09:00", "weekly", refs.BadChannelRef, "malformed channel"),
    (CHANNEL, "force:atlantis", "mon 09:00", "weekly", refs.UnknownScope, "unknown force 'atlantis'"),
    (CHANNEL, "theme:knitting", "mon 09:00", "weekly", refs.UnknownScope, "unknown theme 'knitting'"),
    (CHANNEL, "everything", "mon 09:00", "weekly", refs.UnknownScope, "network, force:SLUG or theme:SLUG"),
    (CHANNEL, "network", "someday 09:00", "weekly", refs.BadWhen, "not a day of the week"),
    (CHANNEL, "network", "mon 25:00", "weekly", refs.BadWhen, "not a time"),
    (CHANNEL, "network", "mon 09:00", "hourly", refs.BadWhen, "weekly, fortnightly or monthly"),
])
def test_bad_subscriptions_are_refused_with_one_clear_line(
        sessions: sessionmaker[Session], channel: str, scope: str, when: str, frequency: str,
        error: type[Exception], words: str) -> None:
    with pytest.raises(error) as caught:
        channels(sessions).subscribe(channel, scope, when, frequency)
    assert isinstance(caught.value, ValueError) and words in str(caught.value)
    assert "\n" not in str(caught.value)
    assert count(sessions, Subscription) == 0


def test_a_refusal_can_be_said_in_welsh(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(refs.UnknownScope) as caught:
        channels(sessions).subscribe(CHANNEL, "force:atlantis")
    assert caught.value.say(Translator("cy")).startswith("Heddlu anhysbys 'atlantis'")
    with pytest.raises(refs.BadWhen) as when:
        channels(sessions).subscribe(CHANNEL, "network", "mon 25:00")
    assert when.value.say(Translator("cy")) == ("Nid yw 'mon 25:00' yn amser: rhowch ddiwrnod ac amser 24 awr, "
                                                 'e.e. "mon 09:00"')
    assert count(sessions, Subscription) == 0


def test_subscribing_again_changes_the_subscription(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, "slack:t1:c1", "theme:cybercrime")  # Slack ids are read in any case
    subscribe(sessions, CHANNEL, "force:kent", "Friday 4pm", frequency="fortnightly")
    subscribe(sessions, "teams:19:team@thread.tacv2:19:chan@thread.tacv2", "network")
    views = channels(sessions).subscriptions()
    assert [(v.ref.key, str(v.scope), v.schedule.when, v.schedule.frequency.value) for v in views] == [
        (CHANNEL, "force:kent", "fri 16:00", "fortnightly"),
        ("teams:19:team@thread.tacv2:19:chan@thread.tacv2", "network", "mon 09:00", "weekly")]


# --- what is due ----------------------------------------------------------------------------------


def test_a_due_roundup_is_queued_once_with_the_periods_ideas(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    subscribe(sessions, "slack:T1:C2", "theme:serious-violence")
    add_idea(sessions, "In the period", PREVIOUS_SLOT + timedelta(hours=1))
    add_idea(sessions, "Also in the period", SLOT - timedelta(minutes=1), theme="serious-violence", force="essex")
    add_idea(sessions, "Approved before", PREVIOUS_SLOT - timedelta(minutes=1))
    add_idea(sessions, "Approved after", SLOT)
    add_idea(sessions, "Approved then withdrawn", SLOT - timedelta(days=2), status="withdrawn")
    add_idea(sessions, "Only local", None, status="approved-local")
    assert run_due(sessions, SLOT - timedelta(seconds=1), CONFIG).queued == []  # not yet
    report = run_due(sessions, SLOT + timedelta(seconds=20), CONFIG)
    assert sorted(report.queued) == ["slack:T1:C1 2026-W49", "slack:T1:C2 2026-W49"]
    rows = outbox_rows(sessions)
    assert [(r.platform, r.tenant, r.target, r.kind, r.dedupe_key) for r in rows] == [
        ("slack", "T1", "C1", "post", "roundup:slack:T1:C1:2026-W49"),
        ("slack", "T1", "C2", "post", "roundup:slack:T1:C2:2026-W49")]
    assert sorted(idea_titles(rows[0])) == ["Also in the period", "In the period"]
    assert idea_titles(rows[1]) == ["Also in the period"]
    # Every minute after that, nothing more.
    for minute in range(1, 4):
        again = run_due(sessions, SLOT + timedelta(minutes=minute), CONFIG)
        assert again.queued == [] and len(again.already) == 2
    assert len(outbox_rows(sessions)) == 2
    with sessions() as s:
        stored = s.scalars(select(Roundup).order_by(Roundup.channel_key)).all()
        assert [(r.status, r.period_key, r.idea_count, r.window_start, r.window_end) for r in stored] == [
            ("queued", "2026-W49", 2, PREVIOUS_SLOT, SLOT), ("queued", "2026-W49", 1, PREVIOUS_SLOT, SLOT)]


def test_anonymous_submitters_are_not_named_in_the_post(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    add_idea(sessions, "Named idea", SLOT - timedelta(days=1), submitter="PC Named Person")
    add_idea(sessions, "Anonymous idea", SLOT - timedelta(days=1), submitter="PC Hidden Person", anonymous=True)
    run_due(sessions, SLOT, CONFIG)
    [row] = outbox_rows(sessions)
    text = str(row.payload)
    assert "PC Named Person" in text and "PC Hidden Person" not in text and "Anonymous idea" in text


def test_a_quiet_week_posts_a_note_or_nothing(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    run_due(sessions, SLOT, RoundupConfig())
    [note] = outbox_rows(sessions)
    assert "a quiet week" in note.payload["replies"][0]["text"]
    skip = RoundupConfig(quiet=QuietMode.SKIP)
    report = run_due(sessions, SLOT + timedelta(days=7), skip)
    assert report.quiet == ["slack:T1:C1 2026-W50"] and len(outbox_rows(sessions)) == 1
    assert run_due(sessions, SLOT + timedelta(days=7, minutes=1), skip).quiet == []  # decided once


def test_a_run_missed_within_the_grace_window_is_caught_up_once(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    add_idea(sessions, "Shared last week", SLOT - timedelta(days=2))
    # The process was down at 09:00 and starts again at 14:00: within the 6-hour grace window.
    assert run_due(sessions, SLOT + timedelta(hours=5), CONFIG).queued == ["slack:T1:C1 2026-W49"]
    assert run_due(sessions, SLOT + timedelta(hours=5, minutes=1), CONFIG).queued == []
    assert run_due(sessions, SLOT + timedelta(hours=7), CONFIG).queued == []
    assert len(outbox_rows(sessions)) == 1


def test_a_run_missed_beyond_the_grace_window_is_not_posted_late(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    add_idea(sessions, "Shared in week 49's period", SLOT - timedelta(days=2))
    add_idea(sessions, "Shared in week 50's period", SLOT + timedelta(days=2))
    for hours in (7, 30, 24 * 6):
        assert run_due(sessions, SLOT + timedelta(hours=hours), CONFIG).queued == []
    # The next roundup reaches back to where the last one stopped, so the missed week's ideas still appear.
    assert run_due(sessions, SLOT + timedelta(days=7), CONFIG).queued == ["slack:T1:C1 2026-W50"]
    [row] = outbox_rows(sessions)
    assert sorted(idea_titles(row)) == ["Shared in week 49's period", "Shared in week 50's period"]
    assert stored_roundup(sessions, CHANNEL, "2026-W49") is None


def test_the_next_roundup_starts_where_the_last_stopped(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    assert run_due(sessions, SLOT, CONFIG).queued  # week 49 posted (quiet)
    add_idea(sessions, "Shared while the clock was down", SLOT + timedelta(days=3))
    add_idea(sessions, "Shared in week 51's period", SLOT + timedelta(days=8))
    assert run_due(sessions, SLOT + timedelta(days=7, hours=8), CONFIG).queued == []  # week 50 missed
    assert run_due(sessions, SLOT + timedelta(days=14), CONFIG).queued == ["slack:T1:C1 2026-W51"]
    last = outbox_rows(sessions)[-1]
    assert sorted(idea_titles(last)) == ["Shared in week 51's period", "Shared while the clock was down"]


def test_a_subscription_made_after_the_slot_waits_for_the_next_one(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL, "network", now=SLOT + timedelta(hours=1))
    add_idea(sessions, "Shared before the channel subscribed", SLOT - timedelta(days=1))
    add_idea(sessions, "Shared after", SLOT + timedelta(days=1))
    assert run_due(sessions, SLOT + timedelta(hours=2), CONFIG).queued == []
    assert run_due(sessions, SLOT + timedelta(days=7), CONFIG).queued == ["slack:T1:C1 2026-W50"]
    [row] = outbox_rows(sessions)
    assert idea_titles(row) == ["Shared after"]  # its first roundup covers its first whole period


# --- exactly once ---------------------------------------------------------------------------------


def test_two_schedulers_at_once_post_once_per_channel(database_url: str) -> None:
    channels = [f"slack:T1:C{n:03d}" for n in range(25)]
    setup = session_factory(make_engine(database_url))
    for channel in channels:
        subscribe(setup, channel)
    add_idea(setup, "Something to share", SLOT - timedelta(days=1))
    start = threading.Barrier(2)
    reports: list[Report] = []
    errors: list[BaseException] = []

    def scheduler_process(minute: int) -> None:
        engine = make_engine(database_url)  # each "process" has its own engine and connections
        try:
            start.wait()
            reports.append(run_due(session_factory(engine), SLOT + timedelta(seconds=minute), CONFIG))
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=scheduler_process, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    queued = [label for report in reports for label in report.queued]
    assert sorted(queued) == sorted(f"{c} 2026-W49" for c in channels)  # each once, whoever won it
    rows = outbox_rows(setup)
    assert sorted(r.dedupe_key or "" for r in rows) == sorted(f"roundup:{c}:2026-W49" for c in channels)
    setup.kw["bind"].dispose()


def test_killed_between_claim_and_post_it_is_delivered_once_after_restart(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    add_idea(sessions, "Something to share", SLOT - timedelta(days=1))
    # The first process claims the roundup, then dies before queueing it.
    with uow(sessions)() as u:
        assert u.roundups.claim_all([Claim(CHANNEL, "2026-W49", 1, (PREVIOUS_SLOT, SLOT))], now=SLOT,
                                    lease=CONFIG.lease) == [True]
        u.commit()
    # Restarted a minute later: the claim may still be live, so nobody posts yet.
    assert run_due(sessions, SLOT + timedelta(minutes=1), CONFIG).queued == []
    # Once the claim's lease has run out, the restarted scheduler takes it over.
    assert run_due(sessions, SLOT + CONFIG.lease + timedelta(minutes=1), CONFIG).queued == ["slack:T1:C1 2026-W49"]
    assert run_due(sessions, SLOT + CONFIG.lease + timedelta(minutes=2), CONFIG).queued == []
    [row] = outbox_rows(sessions)
    assert idea_titles(row) == ["Something to share"]


async def test_a_failure_after_the_claim_releases_it_and_the_retry_posts_once(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    subscribe(sessions, CHANNEL)
    calls = {"n": 0}
    real = runner.RoundupService._enqueue

    def crash_once(*args: object, **kwargs: object) -> int | None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("killed between claim and post")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner.RoundupService, "_enqueue", crash_once)
    first = run_due(sessions, SLOT, CONFIG)
    assert first.queued == [] and first.failed == ["slack:T1:C1 2026-W49"]
    assert outbox_rows(sessions) == [] and count(sessions, Roundup) == 0
    assert run_due(sessions, SLOT + timedelta(minutes=1), CONFIG).queued == ["slack:T1:C1 2026-W49"]
    # Delivered exactly once, even when the sender is asked to wait and the scheduler keeps running.
    clock = {"now": SLOT + timedelta(minutes=1)}
    sender = RecordingSender([RetryLater("ratelimited", after=30)])
    dispatcher = OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, lambda: clock["now"])
    assert await dispatcher.run_once() == 0
    clock["now"] += timedelta(seconds=30)
    assert run_due(sessions, clock["now"], CONFIG).queued == []
    assert await dispatcher.run_once() == 1 and await dispatcher.run_once() == 0
    assert len(sender.sent) == 2 and {i.message.dedupe_key for i in sender.sent} == {"roundup:slack:T1:C1:2026-W49"}
    report = run_due(sessions, clock["now"] + timedelta(minutes=1), CONFIG)
    assert report.posted == 1
    stored = stored_roundup(sessions, CHANNEL, "2026-W49")
    assert stored is not None and stored.status == "posted"


# --- roundup --now and dry runs -------------------------------------------------------------------


def test_post_now_posts_the_period_so_far_and_the_slot_then_skips_it(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    wednesday = SLOT + timedelta(days=2)
    add_idea(sessions, "Before now", wednesday - timedelta(hours=1))
    add_idea(sessions, "After now", wednesday + timedelta(hours=1))
    assert post_now(sessions, wednesday, CONFIG).queued == ["slack:T1:C1 2026-W50"]
    assert post_now(sessions, wednesday + timedelta(minutes=5), CONFIG).already == ["slack:T1:C1 2026-W50"]
    assert run_due(sessions, SLOT + timedelta(days=7), CONFIG).queued == []  # week 50 was posted early
    assert run_due(sessions, SLOT + timedelta(days=14), CONFIG).queued == ["slack:T1:C1 2026-W51"]
    first, second = outbox_rows(sessions)
    assert idea_titles(first) == ["Before now"] and idea_titles(second) == ["After now"]  # no gap, no repeat


def test_unknown_or_paused_channels_are_refused_by_post_now(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(refs.NotSubscribed, match="is not subscribed"):
        post_now(sessions, SLOT, CONFIG, "slack:T1:C9")
    with pytest.raises(refs.BadChannelRef):
        post_now(sessions, SLOT, CONFIG, "slack:nope")


def test_preview_changes_nothing(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)
    add_idea(sessions, "Shared last week", SLOT - timedelta(days=1))
    [before] = preview(sessions, SLOT - timedelta(hours=1), CONFIG)
    assert before.plan.period_key == "2026-W49" and before.status is None
    assert outbox_rows(sessions) == [] and count(sessions, Roundup) == 0
    run_due(sessions, SLOT, CONFIG)
    add_idea(sessions, "Shared this week", SLOT + timedelta(days=1))
    [upcoming] = preview(sessions, SLOT + timedelta(days=2), CONFIG)
    assert upcoming.plan.period_key == "2026-W50" and upcoming.status is None
    assert [c.title for c in upcoming.replies if isinstance(c, Card) and c.kind == "roundup-idea"] == [
        "Shared this week"]
    [past] = preview(sessions, SLOT + timedelta(days=2), CONFIG, CHANNEL, "2026-W49")
    assert past.status == "queued"
    assert [c.title for c in past.replies if isinstance(c, Card) and c.kind == "roundup-idea"] == ["Shared last week"]
    assert len(outbox_rows(sessions)) == 1 and count(sessions, Roundup) == 1


# --- channels that cannot be posted to ------------------------------------------------------------


async def test_a_channel_the_bot_is_not_in_pauses_the_subscription_and_tells_admins(
        sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture) -> None:
    subscribe(sessions, CHANNEL)
    slack_admin = make_admin(sessions, "Ada Admin", user_id="UADMIN")
    make_admin(sessions, "Local Admin", platform="local", tenant="local")
    run_due(sessions, SLOT, CONFIG)
    sender = RecordingSender([PermanentFailure("channel_not_found")])
    await OutboxDispatcher(SqlOutboxStore(sessions), {"slack": sender}, lambda: SLOT).run_once()
    report = run_due(sessions, SLOT + timedelta(minutes=1), CONFIG)
    assert report.undelivered == 1
    sub = subscription(sessions, CHANNEL)
    with sessions() as s:
        stored = s.scalars(select(Roundup).where(Roundup.channel_key == CHANNEL)).one_or_none()
        assert sub is not None and not sub.active and sub.failed_reason == "2026-W49: channel_not_found"
        assert stored is not None and (stored.status, stored.error) == ("failed", "channel_not_found")
    [told] = outbox_rows(sessions, "roundup-failed:")
    assert (told.platform, told.tenant, told.target, told.kind) == ("slack", "T1", "UADMIN", "dm")
    assert told.dedupe_key == f"roundup-failed:{CHANNEL}:2026-W49:{slack_admin}"
    assert "channel_not_found" in told.payload["replies"][0]["text"]
    # Paused: no more posts, no crash; subscribing again resumes it.
    assert run_due(sessions, SLOT + timedelta(days=7), CONFIG).queued == []
    subscribe(sessions, CHANNEL)
    assert run_due(sessions, SLOT + timedelta(days=7), CONFIG).queued == ["slack:T1:C1 2026-W50"]


async def test_with_no_admin_to_tell_the_failure_is_logged_and_recorded(
        sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture) -> None:
    subscribe(sessions, CHANNEL)
    run_due(sessions, SLOT, CONFIG)
    await OutboxDispatcher(SqlOutboxStore(sessions), {"slack": RecordingSender([PermanentFailure("not_in_channel")])},
                           lambda: SLOT).run_once()
    with caplog.at_level("WARNING"):
        run_due(sessions, SLOT + timedelta(minutes=1), CONFIG)
    assert "no admin with a chat platform identity can be told" in caplog.text
    assert outbox_rows(sessions, "roundup-failed:") == []
    sub = subscription(sessions, CHANNEL)
    assert sub is not None and sub.failed_reason == "2026-W49: not_in_channel"


def test_a_teams_channel_the_app_was_never_added_to_fails_without_crashing(sessions: sessionmaker[Session]) -> None:
    teams = "teams:19:team@thread.tacv2:19:general@thread.tacv2"
    subscribe(sessions, teams)
    subscribe(sessions, CHANNEL)
    report = run_due(sessions, SLOT, CONFIG)
    assert report.queued == [f"{CHANNEL} 2026-W49"] and report.failed == [f"{teams} 2026-W49"]
    sub = subscription(sessions, teams)
    assert sub is not None and not sub.active and "not installed" in sub.failed_reason


def test_period_queries_read_decisions_in_the_window(sessions: sessionmaker[Session]) -> None:
    inside = add_idea(sessions, "Inside", PREVIOUS_SLOT)
    add_idea(sessions, "Outside", SLOT)
    with uow(sessions)() as u:
        found = u.roundups.approved(PREVIOUS_SLOT, SLOT)
    assert [(a.idea_id, a.approved_at) for a in found] == [(inside, PREVIOUS_SLOT)]
    assert found[0].force_name == "Kent Police" and found[0].theme_name == "Cybercrime"


def chart_of(row: OutboxRow) -> Chart | None:
    charts = [r for r in (reply_from_json(r) for r in row.payload["replies"]) if isinstance(r, Chart)]
    return charts[0] if charts else None


def test_the_roundup_charts_its_scopes_ideas_over_six_weeks(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL)  # the network: by theme
    subscribe(sessions, "slack:T1:C2", "theme:cybercrime")  # one theme: by force
    subscribe(sessions, "slack:T1:C3", "force:essex")  # one force, quiet this week
    week = timedelta(days=7)
    add_idea(sessions, "This week", SLOT - timedelta(days=1))
    add_idea(sessions, "Last week in Essex", SLOT - week - timedelta(days=1), force="essex")
    add_idea(sessions, "Last week, violence", SLOT - week - timedelta(days=2), theme="serious-violence")
    add_idea(sessions, "Five weeks ago", SLOT - 5 * week - timedelta(days=1), theme=None)
    add_idea(sessions, "Seven weeks ago in Essex", SLOT - 7 * week, force="essex")  # before the chart's weeks
    add_idea(sessions, "Declined after approval", SLOT - timedelta(days=2), status="declined")
    add_idea(sessions, "Only submitted", None)
    assert len(run_due(sessions, SLOT, CONFIG).queued) == 3
    network, by_theme, essex = outbox_rows(sessions)
    chart = chart_of(network)
    assert chart is not None and chart.title == "Ideas shared each week, by theme"
    assert chart.weeks == ("19 Oct", "26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov")
    assert [(s.label, s.counts) for s in chart.series] == [
        ("Cybercrime", (0, 0, 0, 0, 1, 1)), ("Serious violence", (0, 0, 0, 0, 1, 0)),
        ("Other ideas", (1, 0, 0, 0, 0, 0))]
    assert "; ideas in all: 4." in chart.alt
    chart = chart_of(by_theme)
    assert chart is not None and chart.title == "Ideas shared each week, by force"
    assert [(s.label, s.counts) for s in chart.series] == [
        ("Essex Police", (0, 0, 0, 0, 1, 0)), ("Kent Police", (0, 0, 0, 0, 0, 1))]  # the same total: by name
    # A quiet week is a one-line note, without a chart of the weeks before it.
    assert chart_of(essex) is None and [r["type"] for r in essex.payload["replies"]] == ["text"]


def test_a_channel_with_no_ideas_in_six_weeks_gets_no_chart(sessions: sessionmaker[Session]) -> None:
    subscribe(sessions, CHANNEL, "force:essex", include_waiting=True)
    add_idea(sessions, "Waiting in Essex", None, force="essex", status="submitted")
    add_idea(sessions, "Approved in Kent", SLOT - timedelta(days=1))
    run_due(sessions, SLOT, CONFIG)
    [row] = outbox_rows(sessions)
    assert chart_of(row) is None and any(r["kind"] == "roundup-waiting" for r in row.payload["replies"])


def test_approvals_are_every_approved_network_decision_in_the_window(sessions: sessionmaker[Session]) -> None:
    first = add_idea(sessions, "Approved twice", PREVIOUS_SLOT + timedelta(hours=1), theme=None)
    second = add_idea(sessions, "Approved once", PREVIOUS_SLOT + timedelta(hours=2), force="essex")
    add_idea(sessions, "Withdrawn", PREVIOUS_SLOT + timedelta(hours=3), status="withdrawn")
    add_idea(sessions, "Too late", SLOT)
    with sessions.begin() as s:
        s.add(DecisionRow(idea_id=first, actor_id=None, from_status="needs-info", to_status="approved-network",
                          reason="", created_at=PREVIOUS_SLOT + timedelta(hours=4)))
    with uow(sessions)() as u:
        found = u.roundups.approvals(PREVIOUS_SLOT, SLOT)
    assert [(a.idea_id, a.approved_at, a.force_name, a.theme_slug, a.theme_name) for a in found] == [
        (first, PREVIOUS_SLOT + timedelta(hours=1), "Kent Police", None, None),
        (second, PREVIOUS_SLOT + timedelta(hours=2), "Essex Police", "cybercrime", "Cybercrime"),
        (first, PREVIOUS_SLOT + timedelta(hours=4), "Kent Police", None, None)]


def test_a_subscription_corrupted_by_hand_is_skipped_not_fatal(sessions: sessionmaker[Session],
                                                              caplog: pytest.LogCaptureFixture) -> None:
    subscribe(sessions, CHANNEL)
    subscribe(sessions, "slack:T1:C2")
    with sessions.begin() as s:
        broken = s.scalars(select(Subscription).where(Subscription.channel == "C2")).one()
        broken.time_of_day = "nine"
    assert run_due(sessions, SLOT, CONFIG).queued == [f"{CHANNEL} 2026-W49"]
    assert "cannot be read; skipped" in caplog.text


def test_an_early_post_charts_weeks_that_follow_the_subscriptions_slots(sessions: sessionmaker[Session]) -> None:
    # A "mon 09:00" roundup posted on Friday afternoon: its header covers Monday 09:00 to Friday; so do its
    # chart's last bar, and the bars before it run Monday 09:00 to Monday 09:00 (not Friday to Friday).
    subscribe(sessions, CHANNEL)
    friday = SLOT + timedelta(days=4, hours=6)
    add_idea(sessions, "Since Monday", SLOT + timedelta(days=1))
    add_idea(sessions, "Last Friday", SLOT - timedelta(days=3) + timedelta(hours=7))  # after Friday 09:00+6h
    assert run_due(sessions, SLOT, CONFIG).queued == ["slack:T1:C1 2026-W49"]  # Monday's roundup went out
    assert post_now(sessions, friday, CONFIG).queued == ["slack:T1:C1 2026-W50"]
    row = outbox_rows(sessions)[-1]
    chart = chart_of(row)
    assert chart is not None
    assert chart.weeks == ("26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov", "30 Nov")  # all Mondays
    assert chart.totals == (0, 0, 0, 0, 1, 1)  # last Friday is in last week's bar, not this one's
    header = str(row.payload["replies"][0])
    assert "30 November" in header and "4 December" in header
