"""Jobs the clock runs. Module-level functions taking plain, picklable arguments (which database, and a
few numbers, never the Container), so APScheduler's persistent job store can keep them. Each process
opens its own engine for a URL once and reuses it.

The job store is a table anyone with database access can read, so it holds no secret: a job names its
database by ``database_key`` (the URL with any password masked), which this process maps back to the
URL it was configured with. A job given a URL directly (tests, one-off calls) uses it as it is.

While a clock lease is registered for a database (``scheduler/lease.py``), the jobs run only in the
process that holds it: reminders, draft expiry and retention happen once, whatever number of clocks."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from adapters.delivery import OutboxDispatcher
from bot.codec import reply_to_json
from bot.conversation import Draft
from bot.i18n import Translator
from bot.ports import Address, ConcurrentUpdate
from bot.replies import Text
from bot.roundup import QuietMode, SimilarFinder
from scheduler.roundups import RoundupConfig, run_due
from storage.db import make_engine, session_factory
from storage.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from scheduler.lease import ClockLease

log = logging.getLogger(__name__)

MATCHER_MAX_AGE = 3600.0  # seconds a catalogue index built for similar-work highlights is reused

_lock = threading.Lock()
_sessions: dict[str, sessionmaker[Session]] = {}
_dispatchers: dict[str, tuple[OutboxDispatcher, asyncio.AbstractEventLoop]] = {}
_matchers: dict[str, tuple[float, SimilarFinder]] = {}
_databases: dict[str, str] = {}  # database_key → URL, in this process only
_leases: dict[str, ClockLease] = {}  # URL → this process's clock lease on it


def database_key(database_url: str) -> str:
    """What a stored job calls the database: the URL with its password masked (known to this process)."""
    key = make_url(database_url).render_as_string(hide_password=True)
    with _lock:
        _databases[key] = database_url
    return key


def _url(database: str) -> str:
    with _lock:
        return _databases.get(database, database)


def use_lease(database_url: str, lease: ClockLease | None) -> None:
    """Run this database's jobs only while ``lease`` is held (None: no lease, always run)."""
    with _lock:
        if lease is None:
            _leases.pop(database_url, None)
        else:
            _leases[database_url] = lease


def _leading(database_url: str, job: str) -> bool:
    with _lock:
        lease = _leases.get(database_url)
    if lease is None or lease.held:
        return True
    log.debug("%s skipped: another process is the clock", job)
    return False


def sessions_for(database_url: str) -> sessionmaker[Session]:
    with _lock:
        if database_url not in _sessions:
            _sessions[database_url] = session_factory(make_engine(database_url))
        return _sessions[database_url]


def use_dispatcher(database_url: str, dispatcher: OutboxDispatcher, loop: asyncio.AbstractEventLoop) -> None:
    """The clock registers the dispatcher (with the platform senders) that ``outbox_retry`` drives on ``loop``."""
    with _lock:
        _dispatchers[database_url] = (dispatcher, loop)


def forget(database_url: str) -> None:
    """Drop what this process holds for a database (the runner calls this when it stops)."""
    with _lock:
        _dispatchers.pop(database_url, None)
        _matchers.pop(database_url, None)
        _leases.pop(database_url, None)
        held = _sessions.pop(database_url, None)
    if held is not None and held.kw.get("bind") is not None:
        held.kw["bind"].dispose()


def _finder(database_url: str) -> SimilarFinder | None:
    """The catalogue's matcher, for "similar work across forces"; built at most once an hour."""
    with _lock:
        cached = _matchers.get(database_url)
    if cached is not None and time.monotonic() - cached[0] < MATCHER_MAX_AGE:
        return cached[1]
    from bot.matching import Matcher
    from storage.embeddings import load_into
    from storage.matching_data import load_synonym_table
    from storage.semantic_model import shared_embedder

    try:
        # The same hybrid matcher as chat and cards, fed the stored vectors (nothing recomputed).
        matcher = Matcher(load_synonym_table(), embedder=shared_embedder())
        with sessions_for(database_url)() as session:
            load_into(matcher, session)
            session.commit()
    except Exception:  # highlights are a nicety: a roundup without them beats no roundup
        log.exception("could not build the catalogue index; roundups go out without similar-work highlights")
        return None
    with _lock:
        _matchers[database_url] = (time.monotonic(), matcher)
    return matcher


def _wake(database_url: str) -> None:
    with _lock:
        registered = _dispatchers.get(database_url)
    if registered is not None:
        dispatcher, loop = registered
        loop.call_soon_threadsafe(dispatcher.wake)


def roundups(database: str, timezone: str = "Europe/London", grace_hours: float = 6.0,
             quiet: str = "note", now: datetime | None = None) -> int:
    """Every minute: post the roundups that are due (and catch up ones missed within the grace window)."""
    database_url = _url(database)
    if not _leading(database_url, "roundups"):
        return 0
    config = RoundupConfig(timezone=timezone, grace=timedelta(hours=grace_hours), quiet=QuietMode(quiet))
    finder: Callable[[], SimilarFinder | None] = lambda: _finder(database_url)  # noqa: E731
    report = run_due(sessions_for(database_url), now or datetime.now(UTC), config, finder)
    if report.queued:
        log.info("queued %d roundup(s)", len(report.queued))
        _wake(database_url)
    if report.already:
        log.debug("%d roundup(s) already claimed or posted", len(report.already))
    return len(report.queued)


def expire_drafts(database: str, ttl_hours: float, now: datetime | None = None,
                  reminder_hours: float = 24.0) -> int:
    """Every few minutes: remind people of drafts about to expire, then expire the ones past their time."""
    database_url = _url(database)
    if not _leading(database_url, "draft expiry"):
        return 0
    sessions = sessions_for(database_url)
    now = now or datetime.now(UTC)
    ttl = timedelta(hours=ttl_hours)
    if remind_idle_drafts(lambda: SqlUnitOfWork(sessions), now, ttl, timedelta(hours=reminder_hours)):
        _wake(database_url)
    return expire_idle_drafts(lambda: SqlUnitOfWork(sessions), now, ttl)


def broker_reminders(database: str, working_days: int, now: datetime | None = None) -> int:
    """Hourly: remind brokers of ideas waiting too long; the national team hears of the oldest."""
    from scheduler.reminders import send_reminders

    database_url = _url(database)
    if not _leading(database_url, "broker reminders"):
        return 0

    sessions = sessions_for(database_url)
    counts = send_reminders(lambda: SqlUnitOfWork(sessions), now or datetime.now(UTC), working_days)
    if counts.messages:
        log.info("reminded brokers of %d idea(s), sent %d to the national team (%d message(s))", counts.reminded,
                 counts.escalated, counts.messages)
        _wake(database_url)
    if counts.untold:
        log.warning("nobody could be told about %d waiting idea(s): no broker, reviewer or admin", len(counts.untold))
    return counts.messages


def retention(database: str, declined_days: int, now: datetime | None = None, sent_days: int = 30) -> int:
    """Daily: delete declined ideas older than the retention period, and sent messages older than theirs."""
    from scheduler.retention import enforce_retention

    database_url = _url(database)
    if not _leading(database_url, "retention"):
        return 0
    return enforce_retention(sessions_for(database_url), now or datetime.now(UTC), declined_days,
                             sent_days=sent_days)


def outbox_retry(database: str) -> int:
    """Send what the outbox holds (the clock process's dispatcher; the web app runs its own). Not held
    to the lease: every message is claimed once, so two senders never send it twice."""
    database_url = _url(database)
    with _lock:
        registered = _dispatchers.get(database_url)
    if registered is None:
        log.debug("no outbox dispatcher registered in this process")
        return 0
    dispatcher, loop = registered
    # Senders keep HTTP clients bound to one event loop, so every run goes to the loop they live on.
    return asyncio.run_coroutine_threadsafe(dispatcher.run_once(), loop).result(timeout=300)


def expire_idle_drafts(uow_factory: Callable[[], SqlUnitOfWork], now: datetime, ttl: timedelta) -> int:
    """Drop drafts idle for longer than ``ttl``; returns how many were expired.

    The conversation engine also expires a stale draft lazily when its owner next writes; this sweep
    makes sure abandoned drafts do not sit in the database for ever.
    """
    expired = 0
    try:
        with uow_factory() as uow:
            for ref, record in uow.conversations.idle_since(now - ttl):
                uow.conversations.save(ref, "idle", None, expected_version=record.version, at=now)
                expired += 1
            uow.commit()
    except ConcurrentUpdate:  # someone wrote at that moment: their draft is alive; the next sweep decides
        log.info("a draft changed during the expiry sweep; trying again next time")
        return 0
    if expired:
        log.info("expired %d idle drafts", expired)
    return expired


def remind_idle_drafts(uow_factory: Callable[[], SqlUnitOfWork], now: datetime, ttl: timedelta,
                       before: timedelta) -> int:
    """Tell people their unfinished idea will expire soon (once per idle spell); returns how many were told."""
    if before >= ttl:
        before = ttl / 2
    told = 0
    with uow_factory() as uow:
        for ref, record in uow.conversations.idle_since(now - (ttl - before)):
            if record.updated_at <= now - ttl or not record.draft:
                continue  # already due to expire: the sweep takes it
            draft = Draft.from_json(record.draft)
            t = Translator(uow.people.ensure(ref, at=now).locale)
            text = t("draft.reminder", title=draft.title or t("draft.untitled"))
            queued = uow.outbox.enqueue_replies(
                Address(ref.platform, ref.tenant, ref.user_id), [reply_to_json(Text(text))],
                dedupe_key=f"draft-reminder:{ref}:{record.version}", at=now, kind="dm")
            told += queued is not None
        uow.commit()
    if told:
        log.info("reminded %d people of unfinished ideas", told)
    return told
