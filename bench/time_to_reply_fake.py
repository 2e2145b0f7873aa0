"""The fake Slack Web API of the time-to-reply benchmark: ``tests/support/fake_slack.py`` plus a feed.

Slack's servers are where an officer sees a reply, so a reply's time is when the fake receives its
``chat.postMessage`` (``Call.at``, the machine's wall clock, the same clock the load generator reads
before it sends a message). The load generator runs in another process and reads the posts as they
arrive from ``GET /bench/posts?after=N`` (every post from the Nth on, oldest first: channel, time,
ts and blocks, so a simulated officer can press a button in it), and the number of calls per Web API
method from ``GET /bench/counts``. ``--latency`` makes every Web API call take that long to answer,
as Slack's servers do across the internet (the post still counts from its arrival).

    python -m bench.time_to_reply_fake --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.fake_slack import Call, FakeSlack


@dataclass
class FeedingFakeSlack(FakeSlack):
    posts: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    latency: float = 0.0  # seconds each Web API answer takes, as Slack's servers across the internet do

    async def _api(self, request: Request) -> Response:
        answer = await super()._api(request)  # recorded (a post's time) on arrival, as Slack shows it then
        if self.latency:
            await asyncio.sleep(self.latency)
        return answer

    def _record(self, call: Call) -> None:
        # Only what the benchmark reads is kept: a long run must not hold every raw request body.
        with self._lock:
            self.counts[call.method if call.ok else f"{call.method} (failed)"] += 1
            if call.method == "chat.postMessage" and call.ok:
                self.posts.append({"channel": str(call.body.get("channel", "")), "at": call.at,
                                   "ts": str(call.answer.get("ts", "")), "text": str(call.body.get("text", "")),
                                   "blocks": call.body.get("blocks") or []})

    async def _posts(self, request: Request) -> Response:
        after = int(request.query_params.get("after", "0"))
        with self._lock:
            return JSONResponse(self.posts[after:])

    async def _counts(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse(dict(self.counts))

    def asgi(self) -> Starlette:
        app = super().asgi()
        app.router.routes.extend([Route("/bench/posts", self._posts, methods=["GET"]),
                                  Route("/bench/counts", self._counts, methods=["GET"])])
        return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Run the fake Slack Web API with the benchmark's feed")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each Web API call takes to answer")
    args = parser.parse_args()
    fake = FeedingFakeSlack(latency=args.latency)
    fake.base_url = f"http://127.0.0.1:{args.port}"
    uvicorn.run(fake.asgi(), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
