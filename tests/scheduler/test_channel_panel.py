"""The playground's "Network channel" panel reads roundups posted to the local channel."""

from __future__ import annotations

import base64
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.bootstrap import Container
from adapters.local.channel import channel_router
from tests.scheduler.conftest import CONFIG, SLOT, add_idea
from tests.support.png import decode


def test_the_panel_shows_roundups_for_the_local_channel(container: Container) -> None:
    app = FastAPI()
    app.include_router(channel_router(container))
    channel_router(container)  # mounting twice keeps the one subscription
    client = TestClient(app)
    assert client.get("/playground/api/channel").json() == {"channel": "local:local:network", "roundups": []}
    [sub] = container.roundup_channels.subscriptions()
    assert (sub.ref.key, str(sub.scope), sub.schedule.when) == ("local:local:network", "network", "mon 09:00")
    sub_created = sub.created_at
    idea_id = add_idea(container.sessions, "Drones for missing person searches", sub_created + timedelta(seconds=1))
    now = sub_created + timedelta(minutes=5)
    [queued] = container.roundups.post_now(now, CONFIG, "local:local:network").queued

    body = client.get("/playground/api/channel").json()
    [roundup] = body["roundups"]
    assert queued == f"local:local:network {roundup['period']}"
    kinds = [r.get("kind") for r in roundup["replies"]]
    assert kinds[0] == "roundup" and "roundup-idea" in kinds
    # The chart comes with its picture, drawn on the server, and every figure in words.
    [chart] = [r for r in roundup["replies"] if r["type"] == "chart"]
    assert chart["title"] == "Ideas shared each week, by theme"
    assert [s["label"] for s in chart["series"]] == ["Cybercrime"] and chart["series"][0]["counts"][-1] == 1
    assert chart["alt"].startswith("Bar chart: Ideas shared each week, by theme")
    png = base64.b64decode(chart["image"].removeprefix("data:image/png;base64,"))
    assert decode(png).width == chart["width"] and decode(png).height == chart["height"]
    [card] = [r for r in roundup["replies"] if r.get("kind") == "roundup-idea"]
    assert card["title"] == "Drones for missing person searches"
    assert card["buttons"] == [{"action_id": "connect.ask", "value": str(idea_id), "label": "Connect me",
                                "style": "default"}]
    # Reading it is its delivery: the roundup then counts as posted, and polling after it finds nothing new.
    assert client.get("/playground/api/channel", params={"after": roundup["id"]}).json()["roundups"] == []
    assert container.roundups.run_due(now + timedelta(minutes=1), CONFIG).posted == 1
    assert client.get("/playground/api/channel", params={"limit": 0}).status_code == 422


def test_an_admins_choice_for_the_local_channel_is_kept(container: Container) -> None:
    container.roundup_channels.subscribe("local:local:network", "theme:cybercrime", "fri 16:00", now=SLOT)
    channel_router(container)
    [sub] = container.roundup_channels.subscriptions()
    assert (str(sub.scope), sub.schedule.weekday, sub.schedule.when) == ("theme:cybercrime", 4, "fri 16:00")
