"""The evidence dashboard at ``/dashboard``: figures, a chart and downloads, for admins and reviewers only.

Routes: ``GET /dashboard`` (HTML), ``GET/POST /dashboard/login``, ``POST /dashboard/logout``, and the
downloads ``ideas.csv``, ``decisions.csv``, ``metrics.csv``, ``practice-bank.csv``, ``practice-bank.json``.
Who gets in is decided in ``auth.py``; what each export holds in ``bot/evidence``. A download asked for
from the Welsh page (``?lang=cy``, its cookie, or ``Accept-Language: cy``) has its CSV headings in Welsh.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.bootstrap import Container
from adapters.dashboard.auth import SESSION_COOKIE, SESSION_TTL, DashboardAuth, Denied, Viewer
from adapters.dashboard.render import CONTENT_SECURITY_POLICY, dashboard_page, denied_page, login_page
from bot.i18n import Translator
from bot.metrics import Period

log = logging.getLogger(__name__)

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Vary": "Authorization, Cookie",
}
_MAX_LOGIN_BODY = 4096
# The page's language: ?lang=cy|en (the link at the top of every page) is kept in a cookie; else the browser's.
LANG_COOKIE = "dashboard_lang"
_DENIED = {"The dashboard is not configured.": "dashboard.denied.not_configured",
           "Sign in to see the dashboard.": "dashboard.denied.sign_in",
           "Your account does not have access to the dashboard.": "dashboard.denied.no_access"}


def _language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("cy", "en"):
        return asked
    kept = request.cookies.get(LANG_COOKIE)
    if kept in ("cy", "en"):
        return kept
    return "cy" if request.headers.get("accept-language", "").lower().startswith("cy") else "en"


def _page(request: Request, body: str, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = _secure(HTMLResponse(body, status_code=status_code, headers=headers), html=True)
    asked = request.query_params.get("lang")
    if asked in ("cy", "en"):
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, path="/dashboard", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
    return response


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
    auth = DashboardAuth(container.settings, container.sign_ins)
    tz = _timezone(container.settings.timezone)

    def guard(request: Request, *, html: bool) -> Viewer | Response:
        outcome = auth.viewer(request, datetime.now(UTC))
        if isinstance(outcome, Viewer):
            return outcome
        return _denied(outcome, html=html, request=request)

    def _denied(denied: Denied, *, html: bool, request: Request | None = None) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if denied.status == 401 else {}
        if denied.retry_after:
            headers["Retry-After"] = str(denied.retry_after)
        if html and request is not None:
            t = Translator(_language(request))
            if denied.status == 429:
                reason = t("dashboard.sign_in.too_many", wait=denied.retry_after)
            else:
                reason = t(_DENIED[denied.reason]) if denied.reason in _DENIED else denied.reason
            body = denied_page(reason, show_login=denied.status == 401 and auth.token_login,
                               not_configured=denied.status == 503, t=t)
            return _page(request, body, status_code=denied.status, headers=headers)
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
        t = Translator(_language(request))
        error = ""
        try:
            start, end, period = period_of(request)
        except ValueError:
            start, end, period, error = None, None, Period(), t("dashboard.period.bad_date")
        if start and end and end < start:
            start, end, period, error = None, None, Period(), t("dashboard.period.end_before_start")
        metrics = container.evidence.metrics(period, tz=tz)
        body = dashboard_page(metrics, who=viewer.who, can_sign_out=viewer.via == "cookie", start=start, end=end,
                              error=error, t=t)
        return _page(request, body)

    @router.get("/login")
    def login_form(request: Request) -> Response:
        if not auth.configured:
            return _denied(Denied(503, "The dashboard is not configured."), html=True, request=request)
        return _page(request, login_page(token_login=auth.token_login, t=Translator(_language(request))))

    @router.post("/login")
    async def login(request: Request) -> Response:
        t = Translator(_language(request))
        if not auth.configured:
            return _denied(Denied(503, "The dashboard is not configured."), html=True, request=request)
        if not auth.token_login:
            return _page(request, login_page(token_login=False, t=t), status_code=401)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _MAX_LOGIN_BODY:
                return _secure(Response("Request too large.\n", status_code=413, media_type="text/plain"))
        token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0]
        now = datetime.now(UTC)
        if wait := auth.wait(request, now):  # decided before the token is looked at: guessing is held back
            return _page(request, login_page(error=t("dashboard.sign_in.too_many", wait=wait), t=t),
                         status_code=429, headers={"Retry-After": str(wait)})
        if not auth.token_matches(token):
            auth.failed(request, now)
            log.info("dashboard sign-in refused")
            return _page(request, login_page(error=t("dashboard.sign_in.wrong"), t=t), status_code=401)
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
        period = Period()
        if what == "metrics":
            try:
                _, _, period = period_of(request)
            except ValueError:
                return _secure(Response("Dates must be written as YYYY-MM-DD.\n", status_code=400,
                                        media_type="text/plain"))
        # Welsh headings for the Welsh page; otherwise the column codes, as scripts expect.
        language = "cy" if _language(request) == "cy" else None
        text = container.evidence.export(what, fmt, level=viewer.level, period=period, tz=tz, language=language)
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
