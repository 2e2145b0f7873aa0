"""Work started after Slack's request was acknowledged (Slack wants an answer within three seconds)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from adapters.slack.payloads import BadPayload

log = logging.getLogger(__name__)


class Background:
    """Work started after an ack. Kept so shutdown can let it finish, and so a failure is logged."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(self._run(work, name), name=f"slack:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except BadPayload as exc:
            log.warning("slack %s ignored: %s", name, exc)
        except Exception:
            log.exception("slack %s failed after it was acknowledged", name)

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 10.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
