"""What the composition root hands the clock for one database (``adapters/bootstrap.clock_parts``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from apscheduler.jobstores.base import BaseJobStore

from bot.ports import UnitOfWork
from bot.roundups.similar import CatalogueLookup
from scheduler.lease import LeaseStore


@dataclass(frozen=True)
class ClockParts:
    database: str  # what stored jobs call the database: its URL with any password masked
    uow_factory: Callable[[], UnitOfWork]
    build_finder: Callable[[], CatalogueLookup]  # the catalogue's matcher, for similar-work highlights
    leases: LeaseStore
    job_store: Callable[[], BaseJobStore]  # a fresh APScheduler job store on the app's database
    drop_jobs_except: Callable[[Sequence[str]], None]  # forget stored jobs this process does not run
