"""The Teams app listing in Welsh: ``localizationInfo`` in the manifest and a ``cy.json`` file beside it,
built from the message catalogues (``manifest.*`` keys), so the listing's words live with every other word.

Teams reads the additional language file's keys as paths into the manifest ("name.short",
"bots[0].commandLists[0].commands[0].title"); the English manifest stays the default language.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator

DEFAULT_LANGUAGE = "en-gb"
# Teams language tag -> (catalogue language, file in the package)
ADDITIONAL = {"cy-gb": ("cy", "cy.json")}
SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.Localization.schema.json"


def _strings(manifest: dict[str, Any]) -> dict[str, str]:
    """Manifest path -> catalogue key, for every field the listing shows a person."""
    keys = {"name.short": "manifest.name.short", "name.full": "manifest.name.full",
            "description.short": "manifest.description.short", "description.full": "manifest.description.full"}
    for b, bot in enumerate(manifest.get("bots", [])):
        for c, command_list in enumerate(bot.get("commandLists", [])):
            for n, command in enumerate(command_list.get("commands", [])):
                for part in ("title", "description"):
                    keys[f"bots[{b}].commandLists[{c}].commands[{n}].{part}"] = \
                        f"manifest.command.{command['title']}.{part}"
    for a, activity in enumerate(manifest.get("activities", {}).get("activityTypes", [])):
        for part in ("description", "templateText"):
            keys[f"activities.activityTypes[{a}].{part}"] = f"manifest.activity.{activity['type']}.{part}"
    return keys


def localization(manifest: dict[str, Any], language: str) -> dict[str, str]:
    """The localisation file for ``language`` ("cy"): every listed field the catalogue translates."""
    t = Translator(language)
    found = {path: t(key) for path, key in _strings(manifest).items() if t.has(key)}
    return {"$schema": SCHEMA.format(version=manifest.get("manifestVersion", "1.19")), **found}


def localize(manifest: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Add ``localizationInfo`` to ``manifest``; returns the files to put beside it ({name: content})."""
    manifest["localizationInfo"] = {
        "defaultLanguageTag": DEFAULT_LANGUAGE,
        "additionalLanguages": [{"languageTag": tag, "file": file} for tag, (_, file) in ADDITIONAL.items()],
    }
    return {file: localization(manifest, language) for language, file in ADDITIONAL.values()}
