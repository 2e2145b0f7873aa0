"""Logging set-up: readable text locally, one JSON object per line in production.

Every record passes a redacting filter before it is written: Slack tokens, JWTs, ``Bearer`` credentials
and the configured secrets (admin token, signing secret, client secrets, passwords) never reach a log,
whoever logs them and however (in the message, in its arguments, or in an exception's text). JSON lines
carry the id of the HTTP request they belong to (see ``adapters.request_id``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from adapters.request_id import current_request_id

if TYPE_CHECKING:
    from adapters.settings import Settings

REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]+"),  # Slack bot, user, app-level, refresh tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),
    re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),  # a JWT: base64url header.payload.sig
    re.compile(r"(?i)(?<=\bBearer )[A-Za-z0-9._~+/=-]+"),
)
# Secrets shorter than this are not searched for: replacing every "a" in a log would hide everything
# and protect nothing (a secret that short is no secret anyway).
_MIN_SECRET = 6


class RedactingFilter(logging.Filter):
    """Rewrites each record with credentials replaced by ``[redacted]``. Attach it to handlers."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        known = set(self._secrets) | {s for s in secrets if s and len(s) >= _MIN_SECRET}
        self._secrets = tuple(sorted(known, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: log what we can rather than lose it
            message = f"{record.msg!s} {record.args!r}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        request_id = current_request_id()
        if request_id:
            data["request_id"] = request_id
        if record.exc_info or record.exc_text:
            data["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(data, ensure_ascii=False)


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret, as plain text, for the redacting filter."""
    from adapters.database_url import password as database_password

    values = [s.get_secret_value() for s in (settings.admin_token, settings.slack_signing_secret,
                                             settings.slack_bot_token, settings.slack_client_secret,
                                             settings.teams_app_password) if s is not None]
    password = database_password(settings.database_url)
    if password:
        values.append(password)
    from contextlib import suppress

    from adapters.settings import ConfigurationError
    from adapters.teams.registrations import load_registrations

    with suppress(ConfigurationError):  # a bad list is reported when the Teams endpoint is built
        values += [r.client_secret for r in load_registrations(settings) if r.client_secret]
    return values


def configure_logging(level: str = "INFO", fmt: str = "text", *, secrets: Iterable[str] = ()) -> RedactingFilter:
    """Send logs to stderr through the redacting filter; returns the filter so more secrets can be added."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    redacting = RedactingFilter(secrets)
    handler.addFilter(redacting)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return redacting
