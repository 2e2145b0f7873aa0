"""The time-to-reply benchmark's harness works end to end at a tiny size (no timing is asserted: the
figures themselves are in docs/PERFORMANCE.md).

It runs the real thing: the bot in one process on SQLite, and a web process with a worker on
PostgreSQL (this session's server, handed over as TEST_POSTGRES_URL), bare Bolt beside them, the fake
Slack, signed requests over HTTP, and simulated officers going through the whole scripted
conversation, presses included: one alone for each server (calibration), then two in a paced step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.time_to_reply_load import SCRIPT

ROOT = Path(__file__).resolve().parents[2]


def test_harness_measures_every_turn_on_both_databases(pg_admin_url: str, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    command = [sys.executable, "-m", "bench.time_to_reply", "--configs", "sqlite:app,postgresql:web+1",
               "--modes", "mixed", "--start", "4", "--max-rate", "4", "--bisect", "0", "--mixed-seconds", "3.5",
               "--think", "0.1", "--limit", "60", "--settle", "0.5", "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "TEST_POSTGRES_URL": pg_admin_url},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text())

    # Calibration: every turn of the script, the three presses included, got an answer from each server.
    calibration = figures["posts_per_turn"]
    assert set(calibration) == {"bare", "sqlite:app", "postgresql:web+1"}
    assert all(len(posts) == len(SCRIPT) and min(posts) >= 1 for posts in calibration.values())
    assert calibration["bare"] == [1] * len(SCRIPT)

    steps = {step["target"]: step for step in figures["steps"]}
    assert [s["target"] for s in figures["steps"]] == ["bare", "sqlite:app", "bare", "postgresql:web+1"]
    for target, step in steps.items():
        # two officers (one every 7/4 s for 3.5 s), each through the whole script: DMs and presses
        assert step["officers"] == 2 and step["rate"] == 4, target
        assert step["kinds"] == {"first": 2, "dm": 6, "click": 6}, target
        assert step["missing"] == 0 and step["errors"] == 0 and step["extra_posts"] == 0, target
        assert step["reply_p99_ms"] > 0 and step["ack_p99_ms"] > 0, target
    # The bot asked Slack who each new officer is, posted each answer, and (PostgreSQL) committed its work.
    for target in ("sqlite:app", "postgresql:web+1"):
        calls = steps[target]["calls_per_turn"]
        assert calls["chat.postMessage"] >= 1 and calls["users.info"] > 0, target
        assert steps[target]["cpu_web_ms_per_turn"] > 0
    assert steps["postgresql:web+1"]["cpu_workers_ms_per_turn"] > 0
    assert steps["postgresql:web+1"]["db_per_turn"]["commits"] >= 1
    assert steps["sqlite:app"]["cpu_workers_ms_per_turn"] == 0  # one process: no worker apart
    assert "capacity (reply p99 < 60 s, every turn answered) 4 turns/s" in done.stdout


def test_repeat_runs_the_same_step_again_on_the_same_database(tmp_path: Path) -> None:
    """``--repeat``: no search, the same paced step again on one bot (a turn that grows dearer as the
    database fills shows as its CPU rising step by step), bare Bolt measured before each."""
    out = tmp_path / "figures.json"
    command = [sys.executable, "-m", "bench.time_to_reply", "--configs", "sqlite:app", "--modes", "first",
               "--start", "5", "--repeat", "2", "--seconds", "0.8", "--limit", "60", "--settle", "0.5",
               "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    steps = json.loads(out.read_text())["steps"]
    assert [(s["target"], s["rate"]) for s in steps] == [("bare", 5), ("sqlite:app", 5)] * 2
    for step in steps:
        assert step["kinds"] == {"first": 4} and step["missing"] == 0 and step["errors"] == 0
    # The second step's officers are new people, answered on the database the first one filled.
    assert all(step["calls_per_turn"]["users.info"] == 1 for step in steps if step["target"] == "sqlite:app")
