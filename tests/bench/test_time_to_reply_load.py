"""The load generator counts a turn the server never answered as an error, and carries on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bench.time_to_reply_load import paced


@pytest.fixture
async def servers() -> AsyncIterator[tuple[str, str]]:
    """A bot that drops every connection without answering, and a fake Slack that never saw a post."""

    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()  # as a server closing a kept-alive connection under a request does
        return web.Response()

    async def posts(_request: web.Request) -> web.Response:
        return web.Response(text=json.dumps([]), content_type="application/json")

    app = web.Application()
    app.router.add_post("/slack/events", drop)
    app.router.add_get("/bench/posts", posts)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/slack/events", f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_dropped_connection_is_an_error_not_the_end_of_the_run(servers: tuple[str, str]) -> None:
    url, fake = servers
    step = await asyncio.wait_for(paced(url, fake, rate=20, seconds=0.2, mode="first", tag="t", posts_per_turn=[1],
                                        timeout=2), timeout=30)
    assert step.officers == 4
    assert [turn.status for turn in step.turns] == [0, 0, 0, 0]  # every turn counted, none answered
    assert all(turn.reply is None for turn in step.turns)
