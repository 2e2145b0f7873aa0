"""DATABASE_URL read without a database library: settings check it, logs redact its password, the clock's
job store names the database by a key that carries no password."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from adapters.database_url import check_database_url, database_key, password


@pytest.mark.parametrize("url", ["postgresql+psycopg://bot:p%40ss%3Aw0rd@db.internal:5432/innovation",
                                 "postgresql+psycopg://bot@db.internal/innovation", "sqlite:///./var/bot.sqlite3"])
def test_the_same_reading_as_the_engine(url: str) -> None:
    assert check_database_url(url) == url
    assert password(url) == make_url(url).password
    assert database_key(url) == make_url(url).render_as_string(hide_password=True)


def test_hosting_spellings_are_normalised_to_psycopg() -> None:
    assert check_database_url("postgres://u:pw@h/db") == "postgresql+psycopg://u:pw@h/db"
    assert check_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(("url", "said"), [
    ("nonsense", "is not a database URL"),
    ("mysql://user@localhost/db", "uses 'mysql'; only sqlite and postgresql are supported"),
    ("postgresql+psycopg://u@h:notaport/db", "is not a database URL"),
    ("postgresql+psycopg://u@[::1/db", "is not a database URL"),
])
def test_a_bad_url_is_one_line(url: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        check_database_url(url)
