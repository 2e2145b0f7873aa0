"""The evidence dashboard at ``/dashboard``: figures, a chart and downloads, for admins and reviewers only.

Routes: ``GET /dashboard`` (HTML), ``GET/POST /dashboard/login``, ``POST /dashboard/logout``, and the
downloads ``ideas.csv``, ``decisions.csv``, ``metrics.csv``, ``practice-bank.csv``, ``practice-bank.json``.
Who gets in is decided in ``auth.py``; what each export holds in ``storage/exports.py``.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.bootstrap import Container
from adapters.dashboard.auth import SESSION_COOKIE, SESSION_TTL, DashboardAuth, Denied, Viewer, too_many
from adapters.dashboard.render import CONTENT_SECURITY_POLICY, dashboard_page, denied_page, login_page
from storage import exports
from storage.metrics import Period, compute_metrics

log = logging.getLogger(__name__)

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Vary": "Authorization, Cookie",
}
_MAX_LOGIN_BODY = 4096


def _secure(response: Response, *, html: bool = False) -> Response:
    response.headers.update(_SECURITY_HEADERS)
    if html:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _timezone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def dashboard_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/dashboard", include_in_schema=False)
    auth = DashboardAuth(container.settings, container.sessions)
    tz = _timezone(container.settings.timezone)

    def guard(request: Request, *, html: bool) -> Viewer | Response:
        outcome = auth.viewer(request, datetime.now(UTC))
        if isinstance(outcome, Viewer):
            return outcome
        return _denied(outcome, html=html)

    def _denied(denied: Denied, *, html: bool) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if denied.status == 401 else {}
        if denied.retry_after:
            headers["Retry-After"] = str(denied.retry_after)
        if html:
            body = denied_page(denied.reason, show_login=denied.status == 401 and auth.token_login,
                               not_configured=denied.status == 503)
            return _secure(HTMLResponse(body, status_code=denied.status, headers=headers), html=True)
        return _secure(Response(denied.reason + "\n", status_code=denied.status, media_type="text/plain",
                                headers=headers))

    def period_of(request: Request) -> tuple[date | None, date | None, Period]:
        start = _parse_day(request.query_params.get("from"))
        end = _parse_day(request.query_params.get("to"))
        return start, end, Period(
            datetime.combine(start, time(), tz).astimezone(UTC) if start else None,
            datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC) if end else None)

    @router.get("")
    def dashboard(request: Request) -> Response:
        viewer = guard(request, html=True)
        if isinstance(viewer, Response):
            return viewer
        error = ""
        try:
            start, end, period = period_of(request)
        except ValueError:
            start, end, period, error = None, None, Period(), "Dates must be written as YYYY-MM-DD; showing all time."
        if start and end and end < start:
            start, end, period, error = None, None, Period(), "The end date is before the start; showing all time."
        with container.sessions() as session:
            metrics = compute_metrics(session, period, tz=tz)
        body = dashboard_page(metrics, who=viewer.who, can_sign_out=viewer.via == "cookie", start=start, end=end,
                              error=error)
        return _secure(HTMLResponse(body), html=True)

    @router.get("/login")
    def login_form() -> Response:
        if not auth.configured:
            return _denied(Denied(503, "The dashboard is not configured."), html=True)
        return _secure(HTMLResponse(login_page(token_login=auth.token_login)), html=True)

    @router.post("/login")
    async def login(request: Request) -> Response:
        if not auth.configured:
            return _denied(Denied(503, "The dashboard is not configured."), html=True)
        if not auth.token_login:
            return _secure(HTMLResponse(login_page(token_login=False), status_code=401), html=True)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _MAX_LOGIN_BODY:
                return _secure(Response("Request too large.\n", status_code=413, media_type="text/plain"))
        token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0]
        now = datetime.now(UTC)
        if wait := auth.wait(request, now):  # decided before the token is looked at: guessing is held back
            refused = too_many(wait)
            return _secure(HTMLResponse(login_page(error=refused.reason), status_code=429,
                                        headers={"Retry-After": str(wait)}), html=True)
        if not auth.token_matches(token):
            auth.failed(request, now)
            return _secure(HTMLResponse(login_page(error="That token is not right. Check it and try again."),
                                        status_code=401), html=True)
        response = RedirectResponse("/dashboard", status_code=303)
        response.set_cookie(SESSION_COOKIE, auth.issue_cookie(now),
                            max_age=int(SESSION_TTL.total_seconds()), path="/dashboard", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
        log.info("dashboard sign-in with the admin token")
        return _secure(response)

    @router.post("/logout")
    def logout(request: Request) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            auth.revoke(cookie)  # the session ends here, not only in this browser
        response = RedirectResponse("/dashboard/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/dashboard", httponly=True, samesite="strict")
        return _secure(response)

    def download(request: Request, what: str, fmt: str) -> Response:
        viewer = guard(request, html=False)
        if isinstance(viewer, Response):
            return viewer
        metrics = None
        with container.sessions() as session:
            if what == "metrics":
                try:
                    _, _, period = period_of(request)
                except ValueError:
                    return _secure(Response("Dates must be written as YYYY-MM-DD.\n", status_code=400,
                                            media_type="text/plain"))
                metrics = compute_metrics(session, period, tz=tz)
            text = exports.export(session, what, fmt, level=viewer.level, metrics=metrics)
        log.info("dashboard export %s.%s by %s", what, fmt, viewer.via)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        name = f"innovation-{what}-{datetime.now(UTC):%Y%m%d}.{fmt}"
        return _secure(Response(text, media_type=media,
                                headers={"Content-Disposition": f'attachment; filename="{name}"'}))

    @router.get("/ideas.csv")
    def ideas_csv(request: Request) -> Response:
        return download(request, "ideas", "csv")

    @router.get("/decisions.csv")
    def decisions_csv(request: Request) -> Response:
        return download(request, "decisions", "csv")

    @router.get("/metrics.csv")
    def metrics_csv(request: Request) -> Response:
        return download(request, "metrics", "csv")

    @router.get("/practice-bank.csv")
    def practice_bank_csv(request: Request) -> Response:
        return download(request, "practice-bank", "csv")

    @router.get("/practice-bank.json")
    def practice_bank_json(request: Request) -> Response:
        return download(request, "practice-bank", "json")

    return router


__all__ = ["dashboard_router"]
