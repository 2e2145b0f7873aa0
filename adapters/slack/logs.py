"""Loggers for Bolt and slack_sdk that never write a secret, whatever the log level.

At DEBUG, slack_sdk logs whole Web API responses (an ``oauth.v2.access`` answer holds a new bot token)
and Bolt logs request bodies. Every record through these loggers has Slack tokens and the configured
secrets masked before any handler sees it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Tokens, and response URLs (whoever holds one can post as the app for half an hour).
_TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+|https://hooks\.slack\.com/[^\s'\"]+")
# Library loggers that log requests or responses at DEBUG. A filter only sees records logged on its
# own logger (not those propagated from children), so each is named; Bolt copies the filters of the
# logger it is given onto its own loggers.
_LIBRARY_LOGGERS = ("slack_sdk.web.async_base_client", "slack_sdk.web.base_client", "slack_sdk.webhook.async_client",
                    "slack_sdk.oauth.installation_store.sqlalchemy", "slack_sdk.oauth.state_store.sqlalchemy",
                    "slack_bolt.oauth.async_oauth_flow")
MASK = "[redacted]"


class RedactSecrets(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secrets: Iterable[str | None]) -> None:
        self._secrets |= {s for s in secrets if s and len(s) >= 6}

    def redact(self, text: str) -> str:
        text = _TOKEN.sub(MASK, text)
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg, record.args = self.redact(message), None
        return True


REDACT = RedactSecrets()


def slack_logger(part: str) -> logging.Logger:
    """``adapters.slack.<part>``, filtered. Give it to Bolt and slack_sdk clients as their logger."""
    logger = logging.getLogger(f"adapters.slack.{part}")
    if REDACT not in logger.filters:
        logger.addFilter(REDACT)
    return logger


def protect(*secrets: str | None) -> None:
    """Mask these values (signing secret, client secret, bot token) in every Slack log record."""
    REDACT.add(secrets)
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if REDACT not in logger.filters:
            logger.addFilter(REDACT)
