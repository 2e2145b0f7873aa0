"""The one ASGI app: health check, playground, and (as they land) Slack and Teams endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from adapters.bootstrap import Container
from storage.db import ping

log = logging.getLogger(__name__)


def create_app(container: Container) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The outbox dispatcher lives as long as the web app, and only when a platform can be sent to.
        stop = asyncio.Event()
        task = asyncio.create_task(container.dispatcher.run_forever(stop)) if container.senders else None
        try:
            yield
        finally:
            stop.set()
            container.dispatcher.wake()
            if task is not None:
                await task

    app = FastAPI(title="Innovation Network Bot", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            ping(container.engine)
        except SQLAlchemyError as exc:
            # Say what is wrong without leaking the URL or credentials.
            reason = f"database unavailable: {type(exc.orig if hasattr(exc, 'orig') else exc).__name__}"
            log.warning("health check failed: %s", reason)
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "catalogue": len(container.matcher)})

    # Platform adapters: each mount function adds its routes and registers its outbox sender.
    # (slack: mount here)
    # (teams: mount here)

    if container.settings.playground_enabled:
        from adapters.local.playground import mount_playground

        mount_playground(app, container)
    return app
