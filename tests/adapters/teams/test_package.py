"""``innovation-bot teams-package``: the zip Teams admins upload, with the configured app id."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.teams import icons
from adapters.teams.package import MANIFEST
from tests.adapters.teams.conftest import APP_ID


def _png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of a PNG as ``icons.png`` writes it (one IDAT, filter 0)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4:idat])[0]
    raw = zlib.decompress(data[idat + 4:idat + 4 + length])
    stride = 1 + width * 4
    return width, height, [raw[r * stride + 1:(r + 1) * stride] for r in range(height)]


def test_writes_the_package_with_the_configured_app_id(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    out = tmp_path / "teams.zip"
    assert main(["teams-package", "--out", str(out), "--website", "https://innovation.example.org"]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        colour, outline = zf.read("color.png"), zf.read("outline.png")
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://botid-{APP_ID}"}
    assert manifest["bots"][0]["scopes"] == ["personal", "team"]
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == ["idea", "status", "search", "help"]
    assert manifest["developer"]["privacyUrl"] == "https://innovation.example.org/privacy"
    assert manifest["activities"]["activityTypes"][0]["type"] == "newIdea"
    assert "00000000-0000" not in json.dumps(manifest)

    width, height, rows = _png(colour)
    assert (width, height) == (192, 192) and all(row[3::4] == b"\xff" * 192 for row in rows)
    width, height, rows = _png(outline)
    assert (width, height) == (32, 32)
    pixels = [row[i:i + 4] for row in rows for i in range(0, len(row), 4)]
    assert all(p[:3] == b"\xff\xff\xff" for p in pixels), "the outline icon is white only"
    assert {p[3] for p in pixels} >= {0, 255}, "on a transparent background"


def test_refuses_politely_without_an_app_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TEAMS_APP_ID is not set" in err
    assert not (tmp_path / "x.zip").exists()


def test_refuses_an_app_id_that_is_not_a_guid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "my-bot")
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_committed_icons_are_what_the_generator_draws() -> None:
    assert (MANIFEST / "color.png").read_bytes() == icons.color_icon()
    assert (MANIFEST / "outline.png").read_bytes() == icons.outline_icon()
