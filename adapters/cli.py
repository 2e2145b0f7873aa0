"""`innovation-bot` command line (the names are part of the public interface in DESIGN.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from adapters.cli_parser import parser
from adapters.settings import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from adapters.bootstrap import Container

log = logging.getLogger("innovation_bot")

# Exit codes: 0 done, 1 the work failed (e.g. bad import rows), 2 a usage or configuration error,
# 3 a well-formed admin command about a person nobody holds (unknown, or erased) — see README
# (``adapters/cli_admin.py``). The commands and their options: ``adapters/cli_parser.py``.

def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    from adapters.logs import configure_logging, secret_values

    configure_logging(settings.log_level, settings.log_format, secrets=secret_values(settings))
    # Alembic announces its plugins at INFO on import; operators need none of that on every command.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return _COMMANDS[args.command](settings, args)
    except ConfigurationError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.bootstrap import migrate_database

    migrate_database(settings, demo=args.demo)
    print("database is up to date")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from adapters.heap import freeze_start_up
    from adapters.web import create_app

    container = _ready_container(settings)
    app = create_app(container)
    freeze_start_up()
    host = args.host or settings.host
    port = args.port or settings.port
    if settings.playground_enabled:
        log.info("playground on http://%s:%d/", "127.0.0.1" if host in ("0.0.0.0", "::") else host, port)
    # log_config=None: uvicorn's own lines go through our handlers (JSON, secrets redacted) like the rest.
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), log_config=None)
    return 0


def _ready_container(settings: Settings) -> Container:
    from adapters.bootstrap import ready_container

    return ready_container(settings)


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.local.console import run_console
    from adapters.local.identity import Persona

    container = _ready_container(settings)
    known = {f.slug for f in container.service.forces}
    if args.force and args.force not in known:
        raise ConfigurationError(f"unknown force {args.force!r}; use a slug from the forces list, e.g. kent")
    run_console(container, Persona(args.name, args.force), sys.stdin, sys.stdout)
    return 0


def _search(settings: Settings, args: argparse.Namespace) -> int:
    container = _ready_container(settings)
    matches = container.matcher.search(" ".join(args.text), max(1, min(args.limit, 50)))
    if args.json:
        print(json.dumps([{"idea_id": m.entry.idea_id, "title": m.entry.title, "force": m.entry.force_slug,
                           "score": round(m.score, 1), "kind": m.kind.value, "shared": list(m.shared),
                           "closest": m.closest, "lexical": m.lexical, "meaning": m.meaning}
                          for m in matches], ensure_ascii=False, indent=2))
        return 0
    if not matches:
        print("no matches")
    for m in matches:
        print(f"{m.score:5.1f}  {m.kind.value:<16} #{m.entry.idea_id} {m.entry.title} ({m.entry.force_name})")
        print(f"       shared: {', '.join(m.shared) or '-'}")
        if m.closest:
            print(f"       closest in meaning: {m.closest}")
    return 0


def _scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.web import create_app
    from scheduler.runner import run_clock

    container = _ready_container(settings)
    # Building the app (never served) mounts the platform adapters, which register their outbox senders:
    # the clock then delivers what it queues even when no web process runs.
    create_app(container)
    run_clock(container)
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.worker import run_worker

    return run_worker(_ready_container(settings), nice=args.nice)


def _roundup(settings: Settings, args: argparse.Namespace) -> int:
    from scheduler.commands import roundup_command

    return roundup_command(_ready_container(settings), dry_run=args.dry_run, channel=args.channel, period=args.period,
                           out=sys.stdout, err=sys.stderr)


def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.cli_admin import admin_command

    return admin_command(_ready_container(settings), args.words)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from bot.practice_import.files import ImportFileError

    container = _ready_container(settings)
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        print(f"innovation-bot: {path}: no such file", file=sys.stderr)
        return 2
    except OSError as exc:  # a directory, no permission
        print(f"innovation-bot: {path}: cannot be read ({exc.strerror or type(exc).__name__})", file=sys.stderr)
        return 2
    large = len(raw) > 1_000_000

    def progress(rows: int) -> None:
        if large:
            print(f"\rchecked {rows:,} rows…", end="", file=sys.stderr, flush=True)

    try:
        report = container.practice_import.run(str(path), raw, datetime.now(UTC), skip_bad=args.skip_bad,
                                               progress=progress)
    except ImportFileError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    if large:
        print(file=sys.stderr)
    for error in report.errors[:200]:
        print(f"{path.name}: {error}", file=sys.stderr)
    if len(report.errors) > 200:
        print(f"{path.name}: … and {len(report.errors) - 200} more bad rows", file=sys.stderr)
    if report.errors and not args.skip_bad:
        print(f"nothing imported: {len(report.errors)} bad row(s); fix them or use --skip-bad", file=sys.stderr)
        return 1
    skipped = f", skipped {len(report.errors)} bad row(s)" if report.errors else ""
    # Embed what was imported now, once, and store it: servers then read the vectors instead.
    container.catalogue.refresh()
    print(f"imported {report.added} new, updated {report.updated}, unchanged {report.unchanged}{skipped}")
    return 0


def _reembed(settings: Settings, args: argparse.Namespace) -> int:
    from functools import partial

    from adapters.bootstrap import reembed_catalogue
    from adapters.reembed import run_reembed

    return run_reembed(partial(reembed_catalogue, settings), everything=args.all, quiet=args.quiet)


def _reminders(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from scheduler.jobs import ClockJobs

    container = _ready_container(settings)
    days = args.days if args.days is not None else settings.reminder_working_days
    if days < 0:
        print("--days must be 0 or more (0 reminds now of everything waiting)", file=sys.stderr)
        return 2
    sent = ClockJobs(container.clock).remind_brokers(datetime.now(UTC), days)
    container.dispatcher.wake()
    print(f"{sent.reminded} idea(s) reminded to brokers, {sent.escalated} sent to the national team "
          f"({sent.messages} message(s) queued)")
    if sent.untold:
        refs = ", ".join(f"#{i}" for i in sent.untold[:20]) + (" …" if len(sent.untold) > 20 else "")
        print(f"nobody could be told about {len(sent.untold)} waiting idea(s) ({refs}): their force has no broker "
              "and there is no reviewer or admin — add one with `innovation-bot admin add-reviewer PERSON`")
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from adapters.bootstrap import evidence_only
    from bot.evidence.tables import Level

    with evidence_only(settings) as evidence:
        # Whoever can run this command can read the database itself: the export is admin-level.
        text = evidence.export(args.what, args.fmt, level=Level.ADMIN)
    if args.out:
        Path(args.out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="")
        print(f"wrote {args.what} ({args.fmt}) to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _teams_package(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from adapters.teams.package import PackageError, build_package
    from adapters.teams.registrations import load_registrations

    app_ids = [r.app_id for r in load_registrations(settings) if r.app_id]
    if args.app_id:
        app_id = next((a for a in app_ids if a.lower() == args.app_id.lower()), args.app_id)
    elif len(app_ids) == 1:
        app_id = app_ids[0]
    elif not app_ids:
        print("innovation-bot: TEAMS_APP_ID is not set (nor TEAMS_REGISTRATIONS); set it to your bot's Microsoft "
              "App ID and run this again", file=sys.stderr)
        return 2
    else:
        print(f"innovation-bot: {len(app_ids)} Teams registrations are configured; say which with --app-id "
              f"({', '.join(app_ids)})", file=sys.stderr)
        return 2
    try:
        path = build_package(app_id, Path(args.out), website=args.website)
    except PackageError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin centre")
    return 0


_COMMANDS = {"serve": _serve, "migrate": _migrate, "chat": _chat, "search": _search, "scheduler": _scheduler,
             "roundup": _roundup, "worker": _worker,
             "admin": _admin, "reminders": _reminders, "import": _import, "reembed": _reembed,
             "export": _export, "teams-package": _teams_package}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
