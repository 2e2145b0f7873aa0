"""DATABASE_URL read as text: which database, its key for the job store, and its password to redact.

Parsed here with the standard library, so settings and logging need no database library; the engine
(``storage/db.py``) checks the URL again when it connects.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

BACKENDS = ("sqlite", "postgresql")
_SCHEME = re.compile(r"^(?P<backend>[A-Za-z][A-Za-z0-9]*)(?:\+[A-Za-z0-9_]+)?://")


def normalise(url: str) -> str:
    """Accept the spellings hosting platforms hand out and pick the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _readable(url: str) -> bool:
    try:
        urlsplit(url).port  # noqa: B018 - reading it is the check
    except ValueError:  # a port that is not a number, an unclosed [IPv6 address]
        return False
    return True


def check_database_url(url: str) -> str:
    """The normalised URL, or ValueError with one line saying what is wrong."""
    url = normalise(url)
    found = _SCHEME.match(url)
    if found is None or not _readable(url):
        raise ValueError(f"DATABASE_URL {url!r} is not a database URL (expected sqlite:///… or "
                         "postgresql+psycopg://…)")
    if found["backend"] not in BACKENDS:
        raise ValueError(f"DATABASE_URL uses {found['backend']!r}; only sqlite and postgresql are supported")
    return url


def password(url: str) -> str | None:
    """The URL's password as the database reads it (percent-decoded), if it has one."""
    if url.startswith("sqlite"):
        return None
    secret = urlsplit(url).password
    return unquote(secret) if secret else None


def database_key(url: str) -> str:
    """What a stored job calls the database: the URL with any password masked."""
    if password(url) is None:
        return url
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))
