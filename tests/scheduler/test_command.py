"""`innovation-bot roundup --dry-run | --now` as an operator uses it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.bootstrap import Container
from scheduler.commands import roundup_command
from tests.conftest import make_container
from tests.scheduler.conftest import SLOT, add_idea, outbox_rows, subscribe

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_container(sqlite_url: str) -> Iterator[Container]:
    c = make_container(sqlite_url)
    yield c
    c.engine.dispose()


def run(container: Container, *, dry_run: bool = False, channel: str | None = None, period: str | None = None,
        now: datetime = SLOT + timedelta(days=2)) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = roundup_command(container, dry_run=dry_run, channel=channel, period=period, out=out, err=err, now=now)
    return code, out.getvalue(), err.getvalue()


def cli(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))}
    environment.update({"DATABASE_URL": db, "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], capture_output=True, text=True,
                          timeout=120, env=environment, cwd=ROOT)


def test_dry_run_through_the_command_line(sqlite_url: str) -> None:
    container = make_container(sqlite_url)
    container.roundup_channels.subscribe("slack:T1:C1", "network", now=datetime.now(UTC) - timedelta(days=1))
    idea_id = add_idea(container.sessions, "QR codes on crime prevention leaflets",
                       datetime.now(UTC) - timedelta(seconds=10))
    container.engine.dispose()
    result = cli("roundup", "--dry-run", db=sqlite_url)
    assert result.returncode == 0, result.stderr
    printed = result.stdout
    assert printed.startswith("### slack:T1:C1 · network · ") and "(not posted yet)" in printed
    assert "== Innovation network roundup: " in printed
    assert "== QR codes on crime prevention leaflets ==" in printed
    assert f"[Connect me → connect.ask:{idea_id}]" in printed
    assert "Ideas shared: 1" in printed
    # The chart, in words: a terminal shows no pictures.
    assert "-- Ideas shared each week, by theme --\nBar chart: Ideas shared each week, by theme" in printed
    assert "Cybercrime: 0, 0, 0, 0, 0, 1 (1 in all)" in printed
    bad = cli("roundup", "--dry-run", "--channel", "slack:T1", db=sqlite_url)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("innovation-bot: malformed channel 'slack:T1'")


def test_dry_run_of_a_past_period_shows_what_was_posted(cli_container: Container) -> None:
    subscribe(cli_container.sessions, "slack:T1:C1")
    add_idea(cli_container.sessions, "Shared in week 49", SLOT - timedelta(days=1))
    code, out, _ = run(cli_container, now=SLOT - timedelta(hours=1))  # --now, the day before the slot
    assert code == 0 and out.startswith("queued slack:T1:C1 2026-W49")
    code, out, _ = run(cli_container, dry_run=True, channel="slack:T1:C1", period="2026-W49")
    assert code == 0 and "2026-W49 (queued)" in out and "Shared in week 49" in out


def test_no_subscriptions_is_said_plainly(cli_container: Container) -> None:
    assert run(cli_container, dry_run=True)[:2] == (0, "no channels are subscribed to roundups "
                                                       "(innovation-bot admin subscribe CHANNEL --scope network)\n")


@pytest.mark.parametrize(("channel", "period", "message"), [
    ("slack:T1:C9", None, "slack:T1:C9 is not subscribed to roundups"),
    ("nonsense", None, "malformed channel 'nonsense'"),
    ("slack:T1:C1", "last week", "is not an ISO week"),
    ("slack:T1:C1", "2026-W99", "is not a week of 2026"),
])
def test_bad_input_is_one_line_and_exit_2(cli_container: Container, channel: str, period: str | None,
                                          message: str) -> None:
    subscribe(cli_container.sessions, "slack:T1:C1")
    code, out, err = run(cli_container, dry_run=True, channel=channel, period=period)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_now_posts_once_per_period(cli_container: Container) -> None:
    subscribe(cli_container.sessions, "slack:T1:C1")
    assert run(cli_container) == (0, "queued slack:T1:C1 2026-W50\nthe running app or clock delivers queued "
                                     "roundups through the outbox\n", "")
    code, out, _ = run(cli_container, now=SLOT + timedelta(days=3))
    assert code == 0 and out == "already posted slack:T1:C1 2026-W50 (one roundup per channel and period)\n"
    assert len(outbox_rows(cli_container.sessions)) == 1
    code, _, err = run(cli_container, period="2026-W50")
    assert code == 2 and "--period goes with --dry-run" in err
