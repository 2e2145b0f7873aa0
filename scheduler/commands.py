"""`innovation-bot roundup --dry-run | --now`: what the command line does, kept out of adapters/cli.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from adapters.local.console import render
from bot.roundups.content import QuietMode
from bot.roundups.planning import RoundupConfig
from bot.roundups.schedule import WEEKDAYS
from bot.roundups.service import Preview

if TYPE_CHECKING:
    from adapters.bootstrap import Container


def _when(moment: datetime, config: RoundupConfig) -> str:
    return f"{moment.astimezone(config.tz):%a %d %b %Y %H:%M}"


def format_preview(previews: Sequence[Preview], config: RoundupConfig) -> str:
    """Readable text: one section per channel, replies as the console shows them, buttons in brackets."""
    if not previews:
        return "no channels are subscribed to roundups (innovation-bot admin subscribe CHANNEL --scope network)\n"
    out: list[str] = []
    for p in previews:
        schedule = p.plan.sub.schedule
        status = {None: "not posted yet", "claimed": "being posted", "queued": "queued",
                  "posted": "posted", "skipped": "skipped (quiet period)", "failed": "failed"}.get(p.status, p.status)
        out.append(f"### {p.plan.channel_key} · {p.plan.sub.scope} · {p.plan.period_key} ({status})")
        out.append(f"    {schedule.frequency.value} on {WEEKDAYS[schedule.weekday]} at {schedule.at:%H:%M} "
                   f"({config.timezone}); ideas approved from {_when(p.plan.start, config)} to "
                   f"{_when(p.plan.end, config)}")
        if not p.replies:
            out.append("    (nothing would be posted: a quiet period, and ROUNDUP_QUIET=skip)")
        for reply in p.replies:
            text, clickable = render(reply)
            out.append(text)
            if clickable:
                out.append("  " + "  ".join(f"[{label} → {action}:{value}]" for action, value, label in clickable))
        out.append("")
    return "\n".join(out) + "\n"


def roundup_command(container: Container, *, dry_run: bool, channel: str | None, period: str | None,
                    out: TextIO, err: TextIO, now: datetime | None = None) -> int:
    settings = container.settings
    config = RoundupConfig(timezone=settings.timezone, grace=timedelta(hours=settings.roundup_grace_hours),
                           quiet=QuietMode(settings.roundup_quiet))
    now = now or datetime.now(UTC)

    try:
        if dry_run:
            out.write(format_preview(container.roundups.preview(now, config, channel, period), config))
            return 0
        if period is not None:
            err.write("innovation-bot: --period goes with --dry-run; --now posts the period in progress\n")
            return 2
        report = container.roundups.post_now(now, config, channel)
    except ValueError as exc:  # a malformed channel, an unknown channel or period: one line, no traceback
        err.write(f"innovation-bot: {exc}\n")
        return 2
    for label in report.queued:
        out.write(f"queued {label}\n")
    for label in report.already:
        out.write(f"already posted {label} (one roundup per channel and period)\n")
    for label in report.quiet:
        out.write(f"nothing to post for {label} (a quiet period)\n")
    for label in report.failed:
        out.write(f"failed {label} (see the log)\n")
    if report.queued:
        out.write("the running app or clock delivers queued roundups through the outbox\n")
    return 1 if report.failed and not report.queued else 0
