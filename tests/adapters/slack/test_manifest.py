"""The shipped manifest asks for exactly what the bot uses, and names what the code listens for."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.app import EDIT_CALLBACK, SHARE_CALLBACK
from adapters.slack.oauth import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH

MANIFEST = Path(__file__).parents[3] / "adapters" / "slack" / "manifest.yaml"


def test_manifest_scopes_events_commands_and_features() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES) == sorted([
        "im:history", "im:read", "im:write", "chat:write", "users:read", "users:read.email", "commands",
        "app_mentions:read"])
    assert "user" not in manifest["oauth_config"]["scopes"]
    settings = manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == sorted(
        ["message.im", "app_home_opened", "app_mention", "tokens_revoked", "app_uninstalled"])
    assert settings["interactivity"]["is_enabled"] is True
    urls = {settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            *(c["url"] for c in manifest["features"]["slash_commands"])}
    assert urls == {"https://YOUR-HOST/slack/events"}
    assert manifest["oauth_config"]["redirect_urls"] == [f"https://YOUR-HOST{REDIRECT_PATH}"]
    assert INSTALL_PATH == "/slack/install"
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/idea", "/innovation"]
    assert [(s["type"], s["callback_id"], s["name"]) for s in manifest["features"]["shortcuts"]] == [
        ("message", SHARE_CALLBACK, "Share as innovation idea")]
    home = manifest["features"]["app_home"]
    assert home == {"home_tab_enabled": True, "messages_tab_enabled": True, "messages_tab_read_only_enabled": False}
    assert EDIT_CALLBACK  # modals are opened by the app itself; they need no manifest entry
