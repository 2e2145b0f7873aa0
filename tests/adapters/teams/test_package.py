"""``innovation-bot teams-package``: the zip Teams admins upload, checked against Microsoft's own
manifest schema (``schema/``, see its README) and Teams' rules for the two icons."""

from __future__ import annotations

import json
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from adapters.cli import main
from adapters.teams.package import MANIFEST
from bot.i18n import Translator
from tests.adapters.teams.conftest import APP_ID, TeamsBot, texts
from tests.adapters.teams.png import read_png

SCHEMA = Path(__file__).with_name("schema") / "MicrosoftTeams.schema.json"
README = Path(__file__).parents[3] / "README.md"
OTHER_APP_ID = "9f8e7d6c-0000-4000-8000-0123456789ab"
t = Translator()


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator
    # The schema is well formed. (Without the "regex" format check: one of its patterns uses ECMAScript's
    # \p{L}, which Python's re cannot compile; neither applies to anything this manifest contains.)
    assert list(jsonschema.Draft4Validator(jsonschema.Draft4Validator.META_SCHEMA).iter_errors(schema)) == []
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                  for e in validator().iter_errors(manifest))


def build(tmp_path: Path, *args: str) -> dict[str, bytes]:
    out = tmp_path / "teams.zip"
    assert main(["teams-package", "--out", str(out), *args]) == 0
    with zipfile.ZipFile(out) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_package_validates_against_microsofts_current_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    files = build(tmp_path, "--website", "https://innovation.example.org")
    assert str(tmp_path / "teams.zip") in capsys.readouterr().out
    # Flat, as Teams wants it: the manifest, the icons and the language files it names, nothing else.
    manifest = json.loads(files["manifest.json"])
    languages = [extra["file"] for extra in manifest["localizationInfo"]["additionalLanguages"]]
    assert sorted(files) == sorted(["manifest.json", manifest["icons"]["color"], manifest["icons"]["outline"],
                                    *languages])
    assert schema_errors(manifest) == []
    schema_version = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["manifestVersion"]["const"]
    assert manifest["manifestVersion"] == schema_version
    assert manifest["$schema"] == (f"https://developer.microsoft.com/json-schemas/teams/v{schema_version}"
                                   "/MicrosoftTeams.schema.json")

    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    # Graph's activity-feed notices are sent as this app: Teams needs its id here.
    assert manifest["webApplicationInfo"] == {"id": APP_ID}
    assert manifest["activities"]["activityTypes"][0]["type"] == "newIdea"
    assert manifest["developer"] | {"name": ""} == {
        "name": "", "websiteUrl": "https://innovation.example.org/",
        "privacyUrl": "https://innovation.example.org/privacy", "termsOfUseUrl": "https://innovation.example.org/terms"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert "00000000-0000" not in json.dumps(manifest)


def test_the_bot_is_declared_as_it_works(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    bot = json.loads(build(tmp_path)["manifest.json"])["bots"][0]
    # Personal chats hold the conversation; teams get roundups and notices in their channels. Group
    # chats are not a place the bot works in (it only points people to a personal chat), so not offered.
    assert bot["scopes"] == ["personal", "team"]
    assert not bot["isNotificationOnly"] and not bot["supportsFiles"]
    [commands] = bot["commandLists"]
    assert commands["scopes"] == ["personal"]
    titles = [c["title"] for c in commands["commands"]]
    assert titles == ["idea", "status", "search", "queue", "my data", "cancel", "help"]
    # Each is something the README tells people they can say (its first column, "what people can say").
    table = README.read_text(encoding="utf-8").split("### What people can say to the bot")[1].split("\n## ")[0]
    words = " ".join(row.split("|")[1] for row in table.splitlines() if row.startswith("| "))
    assert [t for t in titles if t not in words] == []


def test_the_icons_are_what_teams_asks_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    files = build(tmp_path)
    assert files["color.png"] == (MANIFEST / "color.png").read_bytes()
    assert files["outline.png"] == (MANIFEST / "outline.png").read_bytes()

    colour = read_png(files["color.png"])
    assert (colour.width, colour.height) == (192, 192)
    assert all(p[3] == 255 for p in colour.pixels), "the colour icon is opaque (Teams puts it on any background)"
    assert len({p[:3] for p in colour.pixels}) > 2, "and has a symbol on its background"

    outline = read_png(files["outline.png"])
    assert (outline.width, outline.height) == (32, 32) and outline.has_alpha
    assert all(p[:3] == (255, 255, 255) for p in outline.pixels if p[3]), "the outline icon is white only"
    alphas = {p[3] for p in outline.pixels}
    assert 0 in alphas and 255 in alphas, "on a transparent background"
    corners = [outline.pixels[i] for i in (0, 31, 32 * 31, 32 * 32 - 1)]
    assert all(p[3] == 0 for p in corners)


def test_a_field_microsoft_would_refuse_fails_the_check() -> None:
    """The schema check has teeth: the old 33-character developer name and a missing icon are caught."""
    manifest = json.loads((MANIFEST / "manifest.json").read_text(encoding="utf-8"))
    assert schema_errors(manifest) == []
    manifest["developer"]["name"] = "Police innovation sharing network"  # 33 characters, as it was
    del manifest["icons"]["outline"]
    assert schema_errors(manifest) == ["developer/name: 'Police innovation sharing network' is too long",
                                       "icons: 'outline' is a required property"]


def test_app_id_option_builds_the_package_of_another_registration(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    manifest = json.loads(build(tmp_path, "--app-id", OTHER_APP_ID.upper())["manifest.json"])
    assert manifest["id"] == manifest["bots"][0]["botId"] == manifest["webApplicationInfo"]["id"] == OTHER_APP_ID
    assert schema_errors(manifest) == []


def test_refuses_politely_without_an_app_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TEAMS_APP_ID is not set" in err
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("app_id", ["my-bot", "1b2c3d4e-0000-4000-8000-123456789ab"])
def test_refuses_an_app_id_that_is_not_a_guid(app_id: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", app_id)
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("website", ["http://innovation.example.org", "innovation.example.org"])
def test_refuses_a_website_that_is_not_https(website: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    assert main(["teams-package", "--out", str(tmp_path / "x.zip"), "--website", website]) == 2
    assert "--website must be an https:// address" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


COMMAND_ANSWERS = {  # what the bot answers each command of the manifest's menu with, sent as Teams sends it
    "idea": t("ask.description"),
    "status": t("status.none"),
    "search": t("search.usage"),
    "queue": t("review.queue.empty"),
    "my data": t("mydata.title"),
    "cancel": t("cancel.nothing"),
    "help": t("help.text").splitlines()[0],
}


async def test_every_command_in_the_menu_is_understood(teams: TeamsBot) -> None:
    """Teams' command menu sends the command's title as the message: each must be a command the bot
    knows (not taken for the description of a new idea)."""
    manifest = json.loads((MANIFEST / "manifest.json").read_text(encoding="utf-8"))
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert sorted(titles) == sorted(COMMAND_ANSWERS)
    for title in titles:
        before = len(teams.sent())
        await teams.say(title)
        answer = " ".join(text for activity in teams.sent()[before:] for text in texts(activity))
        assert COMMAND_ANSWERS[title] in answer, title
        if title != "idea":
            assert t("ask.problem") not in answer, f"{title!r} was taken for an idea"
        await teams.say("cancel")


def test_the_package_lists_the_app_in_welsh_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from adapters.teams.localization import _strings

    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    files = build(tmp_path)
    manifest, welsh = json.loads(files["manifest.json"]), json.loads(files["cy.json"])
    assert manifest["localizationInfo"] == {"defaultLanguageTag": "en-gb",
                                            "additionalLanguages": [{"languageTag": "cy-gb", "file": "cy.json"}]}
    paths = _strings(manifest)
    assert set(welsh) - {"$schema"} == set(paths), "every listed field has its Welsh"
    assert welsh["name.short"] == "Rhwydwaith Arloesi"
    assert welsh["bots[0].commandLists[0].commands[0].title"] == "syniad"
    assert welsh["activities.activityTypes[0].templateText"] == "Syniad newydd gan {force}: {title}"
    assert welsh["$schema"].endswith(f"/v{manifest['manifestVersion']}/MicrosoftTeams.Localization.schema.json")
    assert all(len(welsh[p]) <= 32 for p in welsh if p.endswith(".title"))  # Teams' limit for command titles
    # The English catalogue says what manifest.json says: the words are kept in one place.
    en = Translator("en")

    def at(path: str) -> object:
        node: object = manifest
        for part in path.replace("]", "").split("."):
            name, _, index = part.partition("[")
            node = node[name]  # type: ignore[index]
            if index:
                node = node[int(index)]  # type: ignore[index]
        return node

    for path, key in paths.items():
        assert at(path) == en(key), path
