"""The read-mostly repositories (metrics, exports, what a roundup period holds) answer alike on every store.

They are queries over many tables, so they are proved the way a user meets them: the same history is built
through the ports in memory, on SQLite and on PostgreSQL, then the figures, every export in both formats and
at both levels, and the roundup period's reads are compared whole. Some values are checked by hand as well,
so the three stores cannot agree on something wrong."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.domain import PersonRef, Role
from bot.evidence.formats import metrics_to_json
from bot.evidence.service import FORMATS, Evidence
from bot.evidence.tables import Level
from bot.metrics.rules import Period
from bot.ports import NewIdea, UnitOfWork
from bot.practice_import.ports import PracticeValues
from storage.db import make_engine, session_factory
from storage.memory import MemoryDatabase, memory_uow_factory
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.test_contract import NOW, SAM

Factory = Callable[[], UnitOfWork]
DAY = timedelta(days=1)


@pytest.fixture
def stores(sqlite_url: str, postgres_url: str) -> Iterator[dict[str, Factory]]:
    engines = {"sqlite": make_engine(sqlite_url), "postgresql": make_engine(postgres_url)}
    factories: dict[str, Factory] = {"memory": memory_uow_factory(MemoryDatabase())}
    for name, engine in engines.items():
        factories[name] = (lambda sessions: lambda: SqlUnitOfWork(sessions))(session_factory(engine))
    yield factories
    for engine in engines.values():
        engine.dispose()


def idea(submitter: int, title: str, force: str, theme: str | None, at_day: int, **extra: Any) -> NewIdea:
    values: dict[str, Any] = {"description": f"{title}: what we did", "problem": "Slow", "stage": "being-tried",
                              **extra}
    return NewIdea(title=title, theme_slug=theme, force_slug=force, submitter_id=submitter,
                   submitted_at=NOW + at_day * DAY, **values)


def history(uow_factory: Factory) -> dict[str, int]:
    """Four weeks of a small network: ideas shared, decided, asked about, flagged and imported."""
    with uow_factory() as uow:
        sam = uow.people.ensure(SAM, display_name="Sam", email="sam@kent.police.uk", at=NOW).person_id
        bea = uow.people.ensure(PersonRef("slack", "T1", "B1"), display_name="Bea", at=NOW).person_id
        dai = uow.people.ensure(PersonRef("teams", "tenant", "D1"), display_name="Dai", locale="cy", at=NOW).person_id
        uow.people.set_force(sam, "kent")
        uow.people.grant(bea, Role.BROKER, "kent")
        drones = uow.ideas.submit(idea(sam, "Drone searches", "kent", "digital-technology", 0,
                                       description="Ring sam@kent.police.uk about the drones"))
        triage = uow.ideas.submit(idea(dai, "Call triage", "gwent", "homicide", 1, visibility="anonymous-to-peers",
                                       contact_consent=False, stage="idea"))
        cameras = uow.ideas.submit(idea(sam, "Body cameras", "metropolitan", None, 2))
        waiting = uow.ideas.submit(idea(dai, "Knife bins", "kent", "serious-violence", 3))
        for idea_id, to, day, as_is in [(drones, "approved-network", 1, None), (triage, "declined", 2, None),
                                        (cameras, "approved-network", 9, "network")]:
            assert uow.reviews.decide(idea_id, expected_version=1, from_status="submitted", to_status=to,
                                      actor_id=bea, reason=f"decided {to}", at=NOW + day * DAY, shared_as_is=as_is)
        uow.ideas.flag_duplicates(waiting, [(drones, 0.91)], NOW + 3 * DAY)
        asked = uow.connections.create(dai, drones, sam, "asked", NOW + 2 * DAY)
        assert asked is not None and uow.connections.decide(asked, "accepted", NOW + 4 * DAY)
        uow.connections.create(dai, cameras, None, "asked", NOW + 10 * DAY)
        imported = uow.imported_practice.add("college:17", PracticeValues(
            title="Cold case review", description="A review team", problem="Old cases", stage="established",
            theme_slug="homicide", force_slug="police-scotland", contact="cases@example.org",
            url="https://example.org/17"), status="approved-network", at=NOW + 5 * DAY, reason="imported")
        uow.commit()
    return {"drones": drones, "triage": triage, "cameras": cameras, "waiting": waiting, "imported": imported}


def answers(uow_factory: Factory) -> dict[str, Any]:
    evidence = Evidence(uow_factory)
    said: dict[str, Any] = {}
    for what in ("ideas", "decisions", "practice-bank"):
        for fmt in FORMATS:
            for level in Level:
                said[f"{what} {fmt} {level}"] = evidence.export(what, fmt, level=level, language="en")
    for period in (Period(), Period(NOW, NOW + 7 * DAY), Period(NOW + 7 * DAY, None)):
        said[f"metrics {period}"] = metrics_to_json(evidence.metrics(period, now=NOW + 30 * DAY))
    with uow_factory() as uow:
        said["facts"] = (sorted(uow.metrics.ideas(excluding_sources=("demo",)), key=lambda f: f.idea_id),
                         list(uow.metrics.decisions(excluding_sources=("import",))))
        said["counts"] = [(uow.metrics.connections_asked(*window), uow.metrics.connections_made(*window),
                           uow.metrics.duplicates_flagged(*window))
                          for window in [(None, None), (NOW, NOW + 3 * DAY), (NOW + 3 * DAY, None)]]
        said["names"] = (dict(uow.metrics.force_names()), dict(uow.metrics.theme_names()))
        said["export records"] = (list(uow.exports.ideas(statuses=["approved-network"])),
                                  list(uow.exports.ideas(excluding=["declined"])), list(uow.exports.decisions()))
        said["approved"] = [uow.roundups.approved(NOW, NOW + 7 * DAY), uow.roundups.approved(NOW, NOW + 14 * DAY)]
        said["approvals"] = uow.roundups.approvals(NOW, NOW + 14 * DAY)
        said["waiting"] = [uow.roundups.waiting(kind, slug) for kind, slug in
                           [("network", ""), ("force", "kent"), ("theme", "serious-violence"), ("force", "gwent")]]
        said["made"] = [uow.roundups.connections_made(NOW, NOW + 7 * DAY),
                        uow.roundups.connections_made(NOW + 7 * DAY, NOW + 14 * DAY)]
    return said


def test_metrics_exports_and_roundup_reads_answer_alike_on_every_store(stores: dict[str, Factory]) -> None:
    ids = {name: history(factory) for name, factory in stores.items()}
    said = {name: answers(factory) for name, factory in stores.items()}
    assert ids["memory"] == ids["sqlite"] == ids["postgresql"]
    memory = said["memory"]
    for name in ("sqlite", "postgresql"):
        for key, value in memory.items():
            assert said[name][key] == value, f"{key} differs on {name}"

    # By hand: what the history holds.
    i = ids["memory"]
    assert memory["counts"] == [(2, 1, 1), (1, 0, 0), (1, 1, 1)]
    assert [[r.idea_id for r in week] for week in memory["approved"]] == [[i["drones"], i["imported"]],
                                                                          [i["drones"], i["imported"], i["cameras"]]]
    assert memory["approved"][0][0].submitter_name == "Sam" and memory["approved"][0][1].submitter_name is None
    assert [r.shared_as_is for r in memory["approved"][1]] == [None, None, "network"]
    assert [a.idea_id for a in memory["approvals"]] == [i["drones"], i["imported"], i["cameras"]]
    assert [[w.idea_id for w in scope] for scope in memory["waiting"]] == [[i["waiting"]], [i["waiting"]],
                                                                          [i["waiting"]], []]
    assert memory["made"] == [1, 0]
    ideas = json.loads(memory["ideas json admin"])
    assert [row["id"] for row in ideas] == sorted(i.values())
    assert "sam@kent.police.uk" in memory["ideas json admin"]
    assert "sam@kent.police.uk" not in memory["ideas json reviewer"]
    bank = json.loads(memory["practice-bank json admin"])
    assert len(bank) == 3  # approved for the network: two shared in chat, one imported
    figures = json.loads(memory[f"metrics {Period()}"])
    assert figures != json.loads(memory[f"metrics {Period(NOW + 7 * DAY, None)}"])
