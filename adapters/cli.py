"""`innovation-bot` command line (the names are part of the public interface in DESIGN.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from adapters.settings import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from adapters.bootstrap import Container
    from bot.domain import PersonRef

log = logging.getLogger("innovation_bot")

# Exit codes: 0 done, 1 the work failed (e.g. bad import rows), 2 a usage or configuration error,
# 3 a well-formed admin command about a person nobody holds (unknown, or erased) — see README.
EXIT_NOT_FOUND = 3

ADMIN_USAGE = """innovation-bot admin COMMAND
  add-broker FORCE PERSON         make PERSON an innovation broker for FORCE (a slug, e.g. kent)
  add-reviewer PERSON             make PERSON a national reviewer
  add-admin PERSON                make PERSON an admin
  remove-role ROLE PERSON         remove broker, reviewer or admin from PERSON
  map-workspace slack:TEAM_ID FORCE    everyone in this Slack workspace belongs to FORCE
  map-tenant teams:TENANT_ID FORCE     everyone in this Teams tenant belongs to FORCE
  subscribe CHANNEL --scope network|force:SLUG|theme:SLUG [--when "mon 09:00"] [--lang en|cy|both]
  list                            roles and mappings
  export-person PERSON            everything held about PERSON, as JSON (a subject access request)
  delete-person PERSON            erase PERSON (their ideas stay as force practice, without their name)
PERSON: slack:TEAM_ID:USER_ID, teams:TENANT_ID:AAD_OBJECT_ID or local:NAME
CHANNEL: slack:TEAM_ID:CHANNEL_ID or teams:TEAM_ID:CHANNEL_ID"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="innovation-bot",
                                     description="Chat bot for the UK police innovation sharing network.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the web app (Slack, Teams, playground, health check)")
    serve.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 3000)")

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema and load reference data")
    migrate.add_argument("--demo", action="store_true", help="also load the demo catalogue (once)")

    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--as", dest="name", default="Console Officer", help="your name")
    chat.add_argument("--force", help="your force's slug (omit and the bot will ask)")

    search = sub.add_parser("search", help="top catalogue matches for a text, with scores and reasons")
    search.add_argument("text", nargs="+")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.add_argument("--limit", type=int, default=5)

    sub.add_parser("scheduler", help="run the clock process (draft expiry and other scheduled jobs)")

    worker = sub.add_parser("worker", help="process stored platform events and send the outbox (with WORKER=external)")
    worker.add_argument("--nice", type=int, default=0, choices=range(20), metavar="0-19",
                        help="on a machine shared with the web process: lower this process's CPU priority, "
                             "and during a burst of incoming events start them one at a time")

    roundup = sub.add_parser("roundup", help="preview (--dry-run) or post (--now) roundups to subscribed channels")
    mode = roundup.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print what would be posted; change nothing")
    mode.add_argument("--now", action="store_true", help="post the period in progress now (still once per period)")
    roundup.add_argument("--channel", help="one channel: slack:TEAM_ID:CHANNEL_ID or teams:TEAM_ID:CHANNEL_ID")
    roundup.add_argument("--period", help="with --dry-run: a period such as 2026-W48 (2026-12 if monthly)")

    importing = sub.add_parser("import", help="import existing practice into the catalogue from CSV or JSON")
    importing.add_argument("file", help="CSV or JSON with columns title, description, problem, force, stage, "
                                        "contact, url, theme")
    importing.add_argument("--skip-bad", action="store_true",
                           help="import the good rows and report the bad ones (default: all or nothing)")

    reembed = sub.add_parser("reembed", help="compute the stored catalogue embeddings again (after a model change)")
    reembed.add_argument("--all", action="store_true",
                         help="every entry, not only those whose text or model changed")
    reembed.add_argument("--quiet", action="store_true", help="no progress bar")

    admin = sub.add_parser("admin", help="manage roles, force mappings and channels (see `admin help`)",
                           description=ADMIN_USAGE)
    admin.add_argument("words", nargs=argparse.REMAINDER, help="e.g. add-broker kent slack:T123:U456")

    reminders = sub.add_parser("reminders", help="remind brokers of ideas waiting too long (the clock runs this)")
    reminders.add_argument("--days", type=int, default=None,
                           help="working days before a reminder (default 5); 0 reminds each broker now of everything "
                                "waiting, once a day")

    export = sub.add_parser("export", help="ideas, decisions, metrics or the Practice Bank export, as CSV or JSON")
    export.add_argument("--what", choices=("ideas", "decisions", "metrics", "practice-bank"), default="ideas")
    export.add_argument("--format", dest="fmt", choices=("csv", "json"), default="csv")
    export.add_argument("--out", help="write to this file (default: standard output)")

    package = sub.add_parser("teams-package", help="write the Microsoft Teams app package (zip) for a bot registration")
    package.add_argument("--out", default="innovation-bot-teams.zip", help="zip file to write")
    package.add_argument("--app-id", help="which registration's package, when several are configured "
                                          "(each force tenant uploads the package with its own app id)")
    package.add_argument("--website", help="https address for the manifest's developer, privacy and terms links")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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

    from adapters.web import create_app

    container = _ready_container(settings)
    app = create_app(container)
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
    from datetime import UTC, datetime

    from bot.admin import AdminError, GrantRole, PersonNotFound

    container = _ready_container(settings)
    if not args.words or args.words[0] in ("help", "-h", "--help"):
        print(ADMIN_USAGE)
        return 0 if args.words else 2
    try:
        op = container.admin.parse(args.words)
        print(container.admin.run(op, datetime.now(UTC)))
    except PersonNotFound as exc:  # a well-formed command about nobody we hold: not a usage error
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except AdminError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    if isinstance(op, GrantRole):
        _name_from_platform(container, op.person)
    return 0


def _name_from_platform(container: Container, ref: PersonRef) -> None:
    """A person named by id gets their name and email from their platform, so nobody is shown an id."""
    import asyncio
    from datetime import UTC, datetime

    from adapters.person_lookup import look_up

    if container.admin.display_name(ref, datetime.now(UTC)):
        return
    found = asyncio.run(look_up(container, ref))
    if found is None:
        print("(no name on record yet: until they first message the bot, it speaks of them by their role, "
              "never by this id)", file=sys.stderr)
        return
    container.admin.name(ref, found.name, found.email, datetime.now(UTC))
    print(f"(found on {ref.platform}: {found.name})", file=sys.stderr)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from storage.importer import ImportFileError, import_file

    container = _ready_container(settings)
    path = Path(args.file)
    large = path.exists() and path.stat().st_size > 1_000_000

    def progress(rows: int) -> None:
        if large:
            print(f"\rchecked {rows:,} rows…", end="", file=sys.stderr, flush=True)

    try:
        with container.sessions.begin() as session:
            report = import_file(session, path, datetime.now(UTC), skip_bad=args.skip_bad, progress=progress)
            if report.errors and not args.skip_bad:
                session.rollback()
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

    from sqlalchemy.exc import OperationalError, ProgrammingError

    from storage.db import make_engine, session_factory
    from storage.exports import Level, export

    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            # Whoever can run this command can read the database itself: the export is admin-level.
            text = export(session, args.what, args.fmt, level=Level.ADMIN)
    except (OperationalError, ProgrammingError) as exc:
        raise ConfigurationError(
            f"the database is not ready ({type(exc.orig).__name__}); run `innovation-bot migrate` first") from None
    finally:
        engine.dispose()
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
