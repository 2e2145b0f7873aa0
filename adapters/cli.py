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

log = logging.getLogger("innovation_bot")


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2
    from adapters.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    try:
        return _COMMANDS[args.command](settings, args)
    except ConfigurationError as exc:
        print(f"innovation-bot: {exc}", file=sys.stderr)
        return 2


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.bootstrap import prepare_database
    from storage.db import make_engine

    prepare_database(make_engine(settings.database_url), demo=args.demo)
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
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower())
    return 0


def _ready_container(settings: Settings) -> Container:
    from sqlalchemy.exc import OperationalError

    from adapters.bootstrap import bootstrap

    try:
        return bootstrap(settings)
    except OperationalError as exc:
        raise ConfigurationError(
            f"the database is not ready ({type(exc.orig).__name__}); run `innovation-bot migrate` first"
        ) from None


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
                           "score": round(m.score, 1), "kind": m.kind.value, "shared": list(m.shared)}
                          for m in matches], ensure_ascii=False, indent=2))
        return 0
    if not matches:
        print("no matches")
    for m in matches:
        print(f"{m.score:5.1f}  {m.kind.value:<16} #{m.entry.idea_id} {m.entry.title} ({m.entry.force_name})")
        print(f"       shared: {', '.join(m.shared) or '-'}")
    return 0


def _scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from scheduler.runner import run_clock

    run_clock(_ready_container(settings))
    return 0


_COMMANDS = {"serve": _serve, "migrate": _migrate, "chat": _chat, "search": _search, "scheduler": _scheduler}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
