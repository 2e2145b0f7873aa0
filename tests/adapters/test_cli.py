"""The command line as an operator uses it: real processes, real databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))}
    environment.update({"DATABASE_URL": db, "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=environment, cwd=ROOT)


@pytest.mark.parametrize("url", ["nonsense", "mysql://user@localhost/db", "postgresql+psycopg://u@h:notaport/db"])
def test_invalid_database_url_stops_with_one_clear_line(url: str, tmp_path: Path) -> None:
    result = run("migrate", db=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innovation-bot: configuration error: DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_a_short_admin_token_refuses_to_start(tmp_path: Path) -> None:
    result = run("serve", db=f"sqlite:///{tmp_path}/x.sqlite3", ADMIN_TOKEN="a" * 31)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innovation-bot: configuration error: ADMIN_TOKEN")
    assert "32 characters" in lines[0] and "a" * 31 not in lines[0]


def test_the_playground_beside_platform_credentials_needs_the_development_flag(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.sqlite3"
    platform = {"PLAYGROUND": "true", "SLACK_SIGNING_SECRET": "s" * 32, "SLACK_BOT_TOKEN": "xoxb-1"}
    result = run("serve", db=db, **platform)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innovation-bot: configuration error: PLAYGROUND")
    assert "admin" in lines[0] and "PLAYGROUND_ALLOW_WITH_PLATFORMS=true" in lines[0]
    # With the flag the settings load (checked through `migrate`, which starts nothing that listens).
    allowed = run("migrate", db=db, PLAYGROUND_ALLOW_WITH_PLATFORMS="true", **platform)
    assert allowed.returncode == 0, allowed.stderr


def test_invalid_port_stops_with_one_clear_line(tmp_path: Path) -> None:
    result = run("serve", db=f"sqlite:///{tmp_path}/x.sqlite3", PORT="seventy")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("innovation-bot: configuration error: PORT")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_before_migrate_says_what_to_do(tmp_path: Path) -> None:
    result = run("search", "drones", db=f"sqlite:///{tmp_path}/fresh.sqlite3")
    assert result.returncode == 2
    assert "run `innovation-bot migrate` first" in result.stderr and "Traceback" not in result.stderr


def test_migrate_demo_then_search_and_chat(database_url: str) -> None:
    assert run("migrate", "--demo", db=database_url).returncode == 0
    found = run("search", "drones", "to", "find", "missing", "people", "--json", db=database_url)
    assert found.returncode == 0, found.stderr
    matches = json.loads(found.stdout)
    assert matches and all({"idea_id", "title", "force", "score", "kind", "shared"} <= set(m) for m in matches)

    script = "\n".join([
        "I've got an idea",
        "We print QR codes on crime prevention leaflets so residents can report suspicious vehicles.",
        "Reports used to come in days late by phone, if at all.",
        "1",           # pick the first stage option
        "submit",
        "status",
        "exit",
    ]) + "\n"
    chat = run("chat", "--as", "PC Console", "--force", "dorset", db=database_url, stdin=script)
    assert chat.returncode == 0, chat.stderr
    assert "What's your idea?" in chat.stdout
    assert "[1] An idea" in chat.stdout
    assert "Submitted — thank you!" in chat.stdout
    assert "Your ideas (1)" in chat.stdout and "Dorset Police" in chat.stdout


def test_chat_with_an_unknown_force_is_refused(sqlite_url: str) -> None:
    result = run("chat", "--force", "atlantis", db=sqlite_url, stdin="exit\n")
    assert result.returncode == 2 and "unknown force 'atlantis'" in result.stderr


def test_unknown_subcommand_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_admin_commands_from_the_command_line(sqlite_url: str) -> None:
    ok = run("admin", "add-broker", "kent", "slack:T123:U456", db=sqlite_url)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "slack:T123:U456 is now broker for kent"
    assert run("admin", "map-workspace", "slack:T123", "kent", db=sqlite_url).returncode == 0
    assert run("admin", "add-reviewer", "teams:tenant-1:aad-9", db=sqlite_url).returncode == 0
    listing = run("admin", "list", db=sqlite_url).stdout
    assert "broker (kent): slack:T123:U456" in listing and "reviewer: teams:tenant-1:aad-9" in listing
    assert "mapping: slack:T123 → kent" in listing
    removed = run("admin", "remove-role", "broker", "slack:T123:U456", db=sqlite_url)
    assert removed.stdout.strip() == "removed 1 broker role(s) from slack:T123:U456"


@pytest.mark.parametrize(("words", "message"), [
    (["add-broker", "atlantis", "slack:T1:U1"], "unknown force 'atlantis'"),
    (["add-broker", "kent", "slack:U1"], "is not a person"),
    (["map-tenant", "slack:T1", "kent"], "is not a teams reference"),
    (["remove-role", "superuser", "local:Sam"], "unknown role 'superuser'"),
    (["promote", "local:Sam"], "unknown admin command 'promote'"),
    (["add-admin"], "usage: add-admin PERSON"),
])
def test_bad_admin_commands_exit_non_zero_with_one_line(sqlite_url: str, words: list[str], message: str) -> None:
    result = run("admin", *words, db=sqlite_url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_import_from_the_command_line(sqlite_url: str, tmp_path: Path) -> None:
    good = tmp_path / "practice.csv"
    good.write_text("title,description,force,theme\nStreet triage car,Mental health nurse rides with officers,"
                    "dyfed-powys,mental-health\n", encoding="utf-8")
    result = run("import", str(good), db=sqlite_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 1 new, updated 0, unchanged 0"
    assert run("import", str(good), db=sqlite_url).stdout.strip() == "imported 0 new, updated 0, unchanged 1"
    bad = tmp_path / "bad.csv"
    bad.write_text("title,description,force\nA,B,atlantis\nC,D,kent\n", encoding="utf-8")
    refused = run("import", str(bad), db=sqlite_url)
    assert refused.returncode == 1
    assert "bad.csv: line 2: unknown force 'atlantis'" in refused.stderr
    assert "nothing imported: 1 bad row(s)" in refused.stderr
    skipped = run("import", str(bad), "--skip-bad", db=sqlite_url)
    assert skipped.returncode == 0 and skipped.stdout.strip().endswith("skipped 1 bad row(s)")
    missing = run("import", str(tmp_path / "nope.csv"), db=sqlite_url)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_unknown_timezone_stops_with_one_clear_line(tmp_path: Path) -> None:
    result = run("scheduler", db=f"sqlite:///{tmp_path}/x.sqlite3", TIMEZONE="Mars/Olympus_Mons")
    assert result.returncode == 2
    assert result.stderr.strip() == ("innovation-bot: configuration error: TIMEZONE: unknown time zone "
                                     "'Mars/Olympus_Mons' (use a name such as Europe/London)")


def test_export_person_of_someone_erased_or_unknown_exits_not_found(database_url: str) -> None:
    assert run("admin", "add-reviewer", "local:olly", db=database_url).returncode == 0
    exported = run("admin", "export-person", "local:olly", db=database_url)
    assert exported.returncode == 0 and json.loads(exported.stdout)
    assert run("admin", "delete-person", "local:olly", db=database_url).returncode == 0
    erased = run("admin", "export-person", "local:olly", db=database_url)
    assert erased.returncode == 3 and erased.stderr.strip().startswith("innovation-bot: no one known as local:")
    assert run("admin", "delete-person", "local:nobody", db=database_url).returncode == 3
    malformed = run("admin", "export-person", "olly", db=database_url)
    assert malformed.returncode == 2 and "Traceback" not in malformed.stderr  # a usage error keeps its code


def test_reminders_say_what_was_sent_and_refuse_negative_days(database_url: str) -> None:
    done = run("reminders", "--days", "0", db=database_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0 idea(s) reminded to brokers, 0 sent to the national team (0 message(s) queued)"
    negative = run("reminders", "--days", "-1", db=database_url)
    assert negative.returncode == 2 and "--days must be 0 or more" in negative.stderr
