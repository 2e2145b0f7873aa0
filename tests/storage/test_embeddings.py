"""Stored catalogue embeddings on SQLite and PostgreSQL: computed once, read after a restart, redone on
edits and after a model change (``innovation-bot reembed``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import func, inspect, select

from adapters.cli import main
from bot.matching import Matcher
from storage.catalogue_sync import CatalogueSync
from storage.db import make_engine, session_factory
from storage.embeddings import CatalogueEmbeddingRow, reembed
from storage.matching_data import load_synonym_table
from storage.models import IdeaRow
from storage.seed import seed_demo_catalogue
from storage.semantic_model import MiniLmEmbedder, shared_embedder


class Counting:
    """The real model, counting the texts it is asked to embed; ``model_id`` can be changed."""

    def __init__(self, model: MiniLmEmbedder, model_id: str | None = None) -> None:
        self._model = model
        self.model_id = model_id or model.model_id
        self.dim = model.dim
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts.extend(texts)
        return self._model.embed(texts)


@pytest.fixture(scope="module")
def model() -> MiniLmEmbedder:
    found = shared_embedder()
    assert found is not None
    return found


def _demo(database_url: str) -> None:
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        seed_demo_catalogue(session, datetime(2026, 11, 2, tzinfo=UTC))
    engine.dispose()


def test_the_migration_adds_the_table(database_url: str) -> None:
    engine = make_engine(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("catalogue_embeddings")}
    engine.dispose()
    assert columns == {"idea_id", "model", "dim", "text_hash", "vector", "updated_at"}


def test_vectors_are_stored_once_and_survive_a_restart(database_url: str, model: MiniLmEmbedder) -> None:
    _demo(database_url)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    first = Counting(model)
    one = Matcher(load_synonym_table(), embedder=first)
    CatalogueSync(sessions, one).rebuild()
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(CatalogueEmbeddingRow))
    assert stored == len(one) > 0 and len(first.texts) == len(one)

    # A restart (or a second process): the catalogue is read, nothing is embedded again.
    second = Counting(model)
    two = Matcher(load_synonym_table(), embedder=second)
    CatalogueSync(sessions, two).rebuild()
    assert second.texts == [] and len(two) == len(one)
    query = "quadcopters with infrared to look for lost walkers on the moors"
    assert two.match(query, 1)[0].entry.title == one.match(query, 1)[0].entry.title

    # An edit changes the text: only that entry is embedded again, by whichever process sees it first.
    with sessions.begin() as session:
        idea = session.scalars(select(IdeaRow).order_by(IdeaRow.id)).first()
        assert idea is not None
        idea.title, idea.problem = "Officers carrying naloxone", "People died of overdoses before help came."
        idea.description, idea.updated_at = "Naloxone nasal spray carried by patrol officers.", datetime.now(UTC)
        edited = idea.id
    second.texts.clear()
    CatalogueSync(sessions, two).refresh_ids([edited])
    assert len(second.texts) == 1 and "Naloxone" in second.texts[0]
    assert two.match("patrols reversing heroin overdoses with a nasal spray", 1)[0].entry.idea_id == edited
    engine.dispose()


def test_a_model_change_is_redone_by_reembed(database_url: str, model: MiniLmEmbedder) -> None:
    _demo(database_url)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    CatalogueSync(sessions, Matcher(load_synonym_table(), embedder=model)).rebuild()
    newer = Counting(model, model_id="a-newer-model")
    seen: list[tuple[int, int]] = []
    count = reembed(sessions, newer, progress=lambda done, total: seen.append((done, total)))
    assert count == len(newer.texts) > 0
    assert seen[0] == (0, count) and seen[-1] == (count, count)
    with sessions() as session:
        assert set(session.scalars(select(CatalogueEmbeddingRow.model))) == {"a-newer-model"}
    assert reembed(sessions, newer) == 0  # nothing stale any more
    assert reembed(sessions, newer, everything=True) == count
    engine.dispose()


def test_reembed_from_the_command_line(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _demo(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["reembed"]) == 0
    out, err = capsys.readouterr()
    assert "embedded 50 catalogue entries" in out
    assert "embedding [" in err and "50/50 100%" in err
    assert main(["reembed", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "embedded 0 catalogue entries" in out and err == ""


def test_reembed_before_migrate_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.sqlite3")
    assert main(["reembed"]) == 2
    assert "run `innovation-bot migrate` first" in capsys.readouterr().err


def test_search_json_explains_a_match_by_meaning(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import json

    _demo(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["search", "quadcopters with infrared to look for lost walkers on the moors", "--json"]) == 0
    [top, *_] = json.loads(capsys.readouterr().out)
    assert top["title"] == "Thermal drones for missing person searches" and top["kind"] == "related"
    assert top["closest"] and top["meaning"] > 0.5 and top["lexical"] < top["score"]
