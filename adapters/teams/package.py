"""The Teams app package: ``manifest.json`` with the configured app id, and the two icons, zipped flat
as Teams admin centre and "Upload a custom app" expect (``innovation-bot teams-package``).

Everything comes from ``manifest/``: the manifest (Microsoft's schema v1.30, which the tests validate
the built zip against) and the two committed icons, ``color.png`` (192×192) and ``outline.png``
(32×32, white on transparent).
"""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
from importlib import metadata, resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adapters.teams.localization import localize

MANIFEST = resources.files("adapters.teams") / "manifest"
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+")  # Teams wants MAJOR.MINOR.PATCH, nothing after it
FILES = ("manifest.json", "color.png", "outline.png")


class PackageError(ValueError):
    """Said to the admin in one line."""


def manifest_for(app_id: str, *, website: str | None = None) -> dict[str, Any]:
    if not _GUID.match(app_id.strip()):
        raise PackageError(f"TEAMS_APP_ID {app_id!r} is not a Microsoft App ID (a GUID such as "
                           "1b2c3d4e-0000-4000-8000-123456789abc)")
    app_id = app_id.strip().lower()
    text = (MANIFEST / "manifest.json").read_text(encoding="utf-8").replace(PLACEHOLDER, app_id)
    manifest: dict[str, Any] = json.loads(text)
    with contextlib.suppress(metadata.PackageNotFoundError):  # run from a checkout: the manifest's own
        # Teams installs an upload only when its version is higher than the installed one's, so the
        # package follows the project's version ("1.2.0.dev3" or "1.2.0+local" become "1.2.0").
        if found := _SEMVER.match(metadata.version("innovation-bot")):
            manifest["version"] = found.group()
    if website:
        parts = urlsplit(website)
        if parts.scheme != "https" or not parts.netloc:
            raise PackageError(f"--website must be an https:// address, not {website!r}")
        base = website.rstrip("/")
        manifest["developer"].update(websiteUrl=base + "/", privacyUrl=f"{base}/privacy",
                                     termsOfUseUrl=f"{base}/terms")
    return manifest


def build_package(app_id: str, out: Path, *, website: str | None = None) -> Path:
    """Write the zip; returns its path."""
    manifest = manifest_for(app_id, website=website)
    languages = localize(manifest)  # the listing in Welsh too (Welsh Language Standards)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name, strings in languages.items():
            zf.writestr(name, json.dumps(strings, indent=2, ensure_ascii=False) + "\n")
        for name in FILES[1:]:
            zf.writestr(name, (MANIFEST / name).read_bytes())
    return out
