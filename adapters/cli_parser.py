"""The `innovation-bot` commands and their options (the names are part of the public interface: README)."""

from __future__ import annotations

import argparse

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


def parser() -> argparse.ArgumentParser:
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
