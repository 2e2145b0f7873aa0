"""A roundup posted to a Slack channel through the real app, its outbox and the fake Web API: with
``PUBLIC_URL`` its chart is an image block whose link the app itself serves; without, the chart's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from adapters.slack.roundup_blocks import MAX_BLOCKS as SLACK_MAX_BLOCKS
from bot.roundups.planning import RoundupConfig
from tests.adapters.slack.helpers import SlackEnv, wait_for
from tests.scheduler.conftest import add_idea
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.png import decode

PUBLIC_URL = "https://bot.example.police.uk"
CHANNEL = "C0ROUNDUP"
# Tuesday 4 March 2025, 12:00 UTC: in the past, so the outbox sends what is queued at once.
NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def post_roundup(env: SlackEnv) -> list[dict[str, Any]]:
    env.container.roundup_channels.subscribe(f"slack:{DEFAULT_TEAM}:{CHANNEL}", "network", now=NOW - timedelta(days=12))
    add_idea(env.container.sessions, "Drones for missing person searches", NOW - timedelta(hours=2))
    add_idea(env.container.sessions, "Knife bins outside schools", NOW - timedelta(days=12), theme="serious-violence")
    assert env.container.roundups.post_now(NOW, RoundupConfig()).queued == [
        f"slack:{DEFAULT_TEAM}:{CHANNEL} 2025-W11"]
    [post] = wait_for(lambda: env.posts_to(CHANNEL), what="the roundup")
    env.settle()
    blocks: list[dict[str, Any]] = post.body["blocks"]
    if isinstance(blocks, str):  # a form-encoded call carries its blocks as JSON text
        import json

        blocks = json.loads(blocks)
    assert len(blocks) <= SLACK_MAX_BLOCKS
    return blocks


def test_with_a_public_url_the_chart_is_an_image_the_app_serves(slack_on: Any, sqlite_url: str) -> None:
    with slack_on(sqlite_url, public_url=PUBLIC_URL) as env:
        blocks = post_roundup(env)
        [image] = [b for b in blocks if b["type"] == "image"]
        assert image["title"]["text"] == "Ideas shared each week, by theme"
        assert image["alt_text"].startswith("Bar chart: Ideas shared each week, by theme, for the 6 weeks")
        # Weeks run Monday 09:00 to Monday 09:00 (the subscription's slot), the last one from Monday 3 March
        # to the post: the knife bins (Friday 21 February) are two bars back.
        assert "Cybercrime: 0, 0, 0, 0, 0, 1 (1 in all); Serious violence: 0, 0, 0, 1, 0, 0 (1 in all)" \
            in image["alt_text"]
        url = image["image_url"]
        assert url.startswith(f"{PUBLIC_URL}/charts/") and url.endswith(".png")

        fetched = httpx.get(env.base_url + url.removeprefix(PUBLIC_URL), timeout=10)  # as Slack fetches it
        assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/png"
        assert "immutable" in fetched.headers["cache-control"]
        assert decode(fetched.content).width > 0
        token = url.removeprefix(f"{PUBLIC_URL}/charts/").removesuffix(".png")
        payload, signature = token.split(".")
        forged = httpx.get(f"{env.base_url}/charts/{payload}.{signature[::-1]}.png", timeout=10)
        assert forged.status_code == 404 and forged.content != fetched.content


def test_without_a_public_url_the_chart_is_said_in_words(slack: SlackEnv) -> None:
    blocks = post_roundup(slack)
    assert not [b for b in blocks if b["type"] == "image"]
    described = [b for b in blocks if b["type"] == "context"
                 and b["elements"][0]["text"].startswith("*Ideas shared each week, by theme*\n")]
    assert len(described) == 1
    assert "Bar chart: Ideas shared each week" in described[0]["elements"][0]["text"]
    assert httpx.get(f"{slack.base_url}/charts/anything.x.png", timeout=10).status_code == 404
