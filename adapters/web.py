"""The one ASGI app: health check, playground, and (as they land) Slack and Teams endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from adapters.bootstrap import Container
from adapters.request_id import RequestIdMiddleware

log = logging.getLogger(__name__)


async def _refresh_catalogue(container: Container, stop: asyncio.Event) -> None:
    """Pick up catalogue changes made by other processes (approvals, imports) every few seconds."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=container.settings.catalogue_refresh_seconds)
        if stop.is_set():
            return
        try:
            await asyncio.to_thread(container.catalogue.refresh)
        except Exception:
            log.exception("catalogue refresh failed; trying again shortly")


def create_app(container: Container) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The outbox dispatcher lives as long as the web app, and only when a platform can be sent to.
        # With WORKER=external the worker looks for queued messages; this process sends at once what
        # it queues itself (it is woken) and otherwise leaves its CPU to answering the platforms.
        stop = asyncio.Event()
        poll = None if container.settings.worker == "external" else 1.0
        task = asyncio.create_task(container.dispatcher.run_forever(stop, idle=poll)) if container.senders else None
        # Stored platform events are processed here, unless WORKER=external leaves them to
        # `innovation-bot worker` (then this process only stores and acknowledges).
        inbound = asyncio.create_task(container.inbound.run_forever(stop, idle=container.inbound_poll)) \
            if container.processors and container.settings.worker == "in-process" else None
        refresher = asyncio.create_task(_refresh_catalogue(container, stop))
        # Roundups: the in-process clock, unless SCHEDULER=external leaves it to `innovation-bot scheduler`.
        # One clock per deployment: serve with one worker (docs/roundups.md).
        clock = None
        if container.settings.scheduler == "in-process":
            from scheduler.runner import start_in_process

            clock = start_in_process(container)
        try:
            yield
        finally:
            if clock is not None:
                clock.stop()
            try:  # events answered but not yet written are written before anything stops
                await asyncio.wait_for(container.inbox.close(), timeout=10)
            except TimeoutError:
                log.error("shutting down with platform events not yet stored: the database did not answer")
            stop.set()
            container.inbound.wake()
            if inbound is not None:
                await inbound  # what was started finishes, and its replies are queued before the outbox stops
            container.dispatcher.wake()
            if task is not None:
                await task
            await refresher

    app = FastAPI(title="Innovation Network Bot", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.add_middleware(RequestIdMiddleware)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # A request the routes' declared types refuse (a number too large for any database, a missing
        # field, JSON that is not JSON) is the client's mistake: 400 with where and what, no echo of it.
        problems = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:200]} for e in exc.errors()[:5]]
        return JSONResponse({"detail": problems}, status_code=400)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        reason = container.health()  # says what is wrong without the URL or credentials
        if reason is not None:
            log.warning("health check failed: %s", reason)
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "catalogue": len(container.matcher)})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for it on every page (playground and dashboard alike): a small icon, cached a day.
        icon = (resources.files("adapters.local") / "static" / "favicon.ico").read_bytes()
        return Response(icon, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})

    # Platform adapters: each mount function adds its routes and registers its outbox sender.
    if (s := container.settings).slack_signing_secret or s.slack_bot_token or s.slack_client_id:
        from adapters.slack import mount_slack
        mount_slack(app, container)
    if container.settings.teams_enabled:
        from adapters.teams import mount_teams

        mount_teams(app, container)

    if container.settings.playground_enabled:
        from adapters.local.playground import mount_playground

        if container.settings.has_platform_credentials:  # only with PLAYGROUND_ALLOW_WITH_PLATFORMS=true
            log.warning("PLAYGROUND_ALLOW_WITH_PLATFORMS is on: the playground at / lets anyone who reaches this "
                        "app act as any person, admins included, beside the real Slack/Teams credentials. "
                        "Use this only on a development machine.")

        mount_playground(app, container)

    from adapters.dashboard import dashboard_router
    app.include_router(dashboard_router(container))

    from adapters.charts import mount_charts  # after the platforms: it gives the Slack sender chart links
    mount_charts(app, container)
    return app
