"""Server-rendered HTML for the dashboard, with the bar chart drawn here as inline SVG.

No JavaScript and nothing from a CDN. Accessibility (WCAG 2.2 AA): one h1 and ordered headings, a skip
link, every table captioned with ``<th scope>``, the chart an ``img`` with a title and a description and
its figures repeated in a table, each bar labelled with its number (colour carries no information),
text and bar colours well above the contrast minimums, and a visible focus outline on every link,
field and button. Every value from the database passes through ``html.escape``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from urllib.parse import urlencode

from bot.i18n import Translator
from bot.metrics import Counts, Metrics

INK = "#0b0c0c"  # 19.6:1 on white
BAR = "#1d4f91"  # 8.6:1 on white: well above the 3:1 non-text minimum
MUTED = "#505a5f"  # 7:1 on white

CSS = f"""
body{{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:{INK};background:#fff;margin:0;
line-height:1.5}}
main,header{{max-width:64rem;margin:0 auto;padding:0 1rem}}
a{{color:{BAR}}} a:hover{{color:#003078}}
a:focus,button:focus,input:focus{{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px {INK}}}
.skip{{position:absolute;left:-999px}} .skip:focus{{left:1rem;top:1rem;background:#ffdd00;color:{INK};padding:.5rem}}
table{{border-collapse:collapse;margin:0 0 2rem;min-width:50%}}
.table-scroll{{overflow-x:auto;max-width:100%;margin:0 0 2rem}} .table-scroll table{{margin:0}}
.table-scroll:focus{{outline:3px solid #fd0;box-shadow:0 0 0 6px #0b0c0c}}
caption{{text-align:left;font-weight:700;font-size:1.1rem;padding:.5rem 0}}
th,td{{border-bottom:1px solid #b1b4b6;padding:.4rem .75rem;text-align:left}}
td.n,th.n{{text-align:right;font-variant-numeric:tabular-nums}}
.lang{{text-align:right;margin:.5rem 0}}
.note{{color:{MUTED}}} .error{{color:#a4211b;font-weight:700}}
label{{display:block;font-weight:700;margin-top:.75rem}}
input{{font-size:1rem;padding:.4rem;border:2px solid {INK}}}
button{{font-size:1rem;padding:.5rem 1rem;margin-top:1rem;background:{BAR};color:#fff;border:0;cursor:pointer}}
.period{{display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap}} .period label{{margin:0}}
ul.downloads li{{margin:.25rem 0}}
svg text{{font-family:inherit}}
"""
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; img-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

_t = Translator("en")
LANG_TAGS = {"en": "en-GB", "cy": "cy"}


def page(title: str, body: str, t: Translator = _t) -> str:
    """A page in ``t``'s language (its ``lang``), with a link to the same page in the other language."""
    other = t("dashboard.switch_lang")
    switch = (f'<p class="lang"><a href="?lang={escape(other)}" lang="{LANG_TAGS[other]}" '
              f'hreflang="{LANG_TAGS[other]}">{escape(t("dashboard.switch"))}</a></p>')
    return (f'<!doctype html>\n<html lang="{LANG_TAGS.get(t.locale, "en-GB")}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – {escape(t('dashboard.site'))}</title>\n<style>{CSS}</style>\n</head>\n"
            f'<body>\n<a class="skip" href="#main">{escape(t("dashboard.skip"))}</a>\n{switch}\n{body}\n</body>\n'
            "</html>\n")


def login_page(*, error: str = "", token_login: bool = True, t: Translator = _t) -> str:
    if not token_login:
        link = f'<a href="/dashboard">{escape(t("dashboard.sign_in.sso_link"))}</a>'
        form = f"<p>{escape(t('dashboard.sign_in.sso')).replace(escape(t('dashboard.sign_in.sso_link')), link, 1)}</p>"
    else:
        described = ' aria-describedby="token-error" aria-invalid="true"' if error else ""
        message = f'<p id="token-error" class="error" role="alert">{escape(error)}</p>' if error else ""
        form = ('<form method="post" action="/dashboard/login">'
                f'{message}<label for="token">{escape(t("dashboard.sign_in.token"))}</label>'
                f'<input id="token" name="token" type="password" autocomplete="current-password" required{described}>'
                f'<div><button type="submit">{escape(t("dashboard.sign_in.button"))}</button></div></form>')
    return page(t("dashboard.sign_in.title"),
                f'<main id="main"><h1>{escape(t("dashboard.sign_in.heading"))}</h1>'
                f"<p>{escape(t('dashboard.sign_in.for_whom'))}</p>{form}</main>", t)


def _with_code(text: str, *literals: str) -> str:
    """Escaped ``text`` with each of ``literals`` (a setting, a file name) marked up as code."""
    html = escape(text)
    for literal in literals:
        html = html.replace(escape(literal), f"<code>{escape(literal)}</code>", 1)
    return html


def denied_page(message: str, *, show_login: bool, not_configured: bool = False, t: Translator = _t) -> str:
    link = f'<p><a href="/dashboard/login">{escape(t("dashboard.sign_in.button"))}</a></p>' if show_login else ""
    how = t("dashboard.not_configured_help", env="ADMIN_TOKEN", doc="docs/evidence.md")
    help_html = f"<p>{_with_code(how, 'ADMIN_TOKEN', 'docs/evidence.md')}</p>" if not_configured else ""
    return page(t("dashboard.denied.title"), f'<main id="main"><h1>{escape(message)}</h1>{help_html}{link}</main>', t)


def signed_in(who: str, t: Translator = _t) -> str:
    """The header line: a person by their address, the shared admin token as what it is."""
    if who == "admin token":
        return escape(t("dashboard.signed_in_token"))
    return escape(t("dashboard.signed_in_as", who=who))


def _n(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text + unit


def _counts_table(caption: str, first: str, rows: Sequence[Counts], *, labels: dict[str, str] | None = None,
                  t: Translator = _t) -> str:
    head = (f'<tr><th scope="col">{escape(first)}</th>'
            + "".join(f'<th scope="col" class="n">{escape(t(f"dashboard.col.{c}"))}</th>'
                      for c in ("submitted", "approved_local", "approved_network", "declined")) + "</tr>")
    body = "".join(
        f'<tr><th scope="row">{escape((labels or {}).get(c.key, c.label))}</th><td class="n">{c.submitted:,}</td>'
        f'<td class="n">{c.approved_local:,}</td><td class="n">{c.approved_network:,}</td>'
        f'<td class="n">{c.declined:,}</td></tr>' for c in rows)
    if not rows:
        body = f'<tr><td colspan="5">{escape(t("dashboard.no_ideas"))}</td></tr>'
    return scrolling(caption, f"<table><caption>{escape(caption)}</caption><thead>{head}</thead><tbody>{body}</tbody>"
                              "</table>")


def scrolling(label: str, table: str) -> str:
    """A table in a labelled region that scrolls sideways on its own and takes keyboard focus, so a
    narrow screen (320 px) scrolls the table, not the page (WCAG 1.4.10 Reflow, 2.1.1 Keyboard)."""
    return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">{table}</div>'


def week_series(by_week: Sequence[Counts], limit: int = 26) -> list[tuple[str, int]]:
    """Submissions per ISO week, weeks without any filled with 0, the latest ``limit`` weeks."""
    known = {c.key: c.submitted for c in by_week}
    if not known:
        return []
    def monday(key: str) -> date:
        year, week = key.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    first, last = monday(min(known)), monday(max(known))
    series = []
    day = max(first, last - timedelta(weeks=limit - 1))
    while day <= last:
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
        series.append((key, known.get(key, 0)))
        day += timedelta(weeks=1)
    return series


def bar_chart(series: Sequence[tuple[str, int]], *, title: str, t: Translator = _t) -> str:
    """A vertical bar chart as inline SVG, each bar labelled with its value and its week."""
    if not series:
        return f'<p class="note">{escape(t("dashboard.chart.none"))}</p>'
    width, height, left, bottom, top = 720, 280, 44, 56, 24
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(v for _, v in series) or 1
    slot = plot_w / len(series)
    bar_w = max(4.0, slot * 0.7)
    best_key, best_value = max(series, key=lambda kv: kv[1])
    desc = t("dashboard.chart.desc", first=series[0][0], last=series[-1][0], total=f"{sum(v for _, v in series):,}",
             busiest=best_key, most=f"{best_value:,}")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-labelledby="chart-title chart-desc" focusable="false">',
             f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 12}" y2="{top + plot_h}" stroke="{INK}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{INK}"/>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="12" fill="{INK}">0</text>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="12" fill="{INK}">{peak:,}</text>']
    label_every = 1 if len(series) <= 13 else 2
    for i, (key, value) in enumerate(series):
        h = plot_h * value / peak
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        cx = x + bar_w / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR}">'
                     f"<title>{escape(key)}: {value:,}</title></rect>")
        parts.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" '
                     f'fill="{INK}">{value:,}</text>')
        if i % label_every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                         f'fill="{INK}">{escape(key.split("-")[1])}</text>')
    years = series[0][0][:4] if series[0][0][:4] == series[-1][0][:4] else f"{series[0][0][:4]}–{series[-1][0][:4]}"
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 10}" text-anchor="middle" font-size="12" '
                 f'fill="{INK}">{escape(t("dashboard.chart.axis", years=years))}</text>')
    parts.append("</svg>")
    return "<figure>" + "".join(parts) + "</figure>"


def dashboard_page(m: Metrics, *, who: str, can_sign_out: bool, start: date | None, end: date | None,
                   error: str = "", t: Translator = _t) -> str:
    query = urlencode({k: v.isoformat() for k, v in (("from", start), ("to", end)) if v is not None})
    suffix = f"?{query}" if query else ""
    period = (t("dashboard.period.all_time") if start is None and end is None else
              t("dashboard.period.range", start=start.isoformat() if start else t("dashboard.period.the_start"),
                end=end.isoformat() if end else t("dashboard.period.today")))
    sign_out = (f'<form method="post" action="/dashboard/logout"><button type="submit">'
                f'{escape(t("dashboard.sign_out"))}</button></form>' if can_sign_out else "")
    header = f"<header><p>{signed_in(who, t)}</p>{sign_out}</header>"
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    form = (f'<form method="get" action="/dashboard" class="period" aria-label="{escape(t("dashboard.period.label"))}">'
            f'<div><label for="from">{escape(t("dashboard.period.from"))}</label><input id="from" name="from" '
            f'type="date" value="{escape(start.isoformat() if start else "")}"></div>'
            f'<div><label for="to">{escape(t("dashboard.period.to"))}</label><input id="to" name="to" type="date" '
            f'value="{escape(end.isoformat() if end else "")}"></div>'
            f'<div><button type="submit">{escape(t("dashboard.period.show"))}</button></div></form>')
    notes = m.notes

    def hours(value: float | None) -> str:
        return "–" if value is None else t("dashboard.hours", value=f"{value:,.1f}")

    headline = [
        ("submitted", _n(m.totals.submitted), ""),
        ("approved_local", _n(m.totals.approved_local), ""),
        ("approved_network", _n(m.totals.approved_network), ""),
        ("declined", _n(m.totals.declined), ""),
        ("median", hours(m.median_hours_to_decision),
         t("dashboard.m.median_note", decided=f"{m.decided:,}", waiting=f"{m.awaiting_decision:,}")),
        ("p90", hours(m.p90_hours_to_decision), ""),
        ("needs_info", _n(m.needs_info_loops), ""),
        ("escalations", _n(m.national_escalations), t("dashboard.m.escalations_note")),
        ("submitters", _n(m.active_submitters), t("dashboard.m.submitters_note")),
        ("connections_asked", _n(m.connections_asked), notes.get("connections_asked", "")),
        ("connections_made", _n(m.connections_made), notes.get("connections_made", "")),
        ("duplicates", _n(m.duplicates_flagged), notes.get("duplicates_flagged", "")),
    ]
    summary_rows = "".join(f'<tr><th scope="row">{escape(t(f"dashboard.m.{name}"))}</th><td class="n">'
                           f'{escape(value)}</td><td class="note">{escape(note)}</td></tr>'
                           for name, value, note in headline)
    caption = t("dashboard.headline")
    summary = scrolling(caption, f"<table><caption>{escape(caption)}</caption><thead><tr>"
                        f'<th scope="col">{escape(t("dashboard.measure"))}</th><th scope="col" class="n">'
                        f'{escape(t("dashboard.value"))}</th><th scope="col">{escape(t("dashboard.note"))}</th>'
                        f"</tr></thead><tbody>{summary_rows}</tbody></table>")
    stage_labels = {c.key: t(f"stage.{c.key}") if t.has(f"stage.{c.key}") else c.label for c in m.by_stage}
    downloads = "".join(f'<li><a href="/dashboard/{escape(href)}">{escape(t(f"dashboard.dl.{key}"))}</a></li>'
                        for href, key in (("ideas.csv", "ideas"), ("decisions.csv", "decisions"),
                                          (f"metrics.csv{suffix}", "metrics"), ("practice-bank.csv", "practice_csv"),
                                          ("practice-bank.json", "practice_json")))
    when = m.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    figures = _with_code(t("dashboard.figures_for", period=period, when=when), "docs/evidence.md")

    def table(key: str, first: str, rows: Sequence[Counts], labels: dict[str, str] | None = None) -> str:
        return _counts_table(t(key), t(first), rows, labels=labels, t=t)

    weekly = t("dashboard.weekly")
    main = (f'<main id="main"><h1>{escape(t("dashboard.heading"))}</h1><p>{figures}</p>{error_html}{form}'
            f"<h2>{escape(t('dashboard.summary'))}</h2>{summary}"
            f"<h2>{escape(weekly)}</h2>{bar_chart(week_series(m.by_week), title=weekly, t=t)}"
            f"{table('dashboard.by_week', 'dashboard.week', m.by_week)}"
            f"<h2>{escape(t('dashboard.by_force.heading'))}</h2>"
            f"{table('dashboard.by_force', 'dashboard.force', m.by_force)}"
            f"<h2>{escape(t('dashboard.by_theme.heading'))}</h2>"
            f"{table('dashboard.by_theme', 'dashboard.theme', m.by_theme)}"
            f"<h2>{escape(t('dashboard.by_stage.heading'))}</h2>"
            f"{table('dashboard.by_stage', 'dashboard.stage', m.by_stage, stage_labels)}"
            f'<h2>{escape(t("dashboard.downloads"))}</h2><ul class="downloads">{downloads}</ul></main>')
    return page(t("dashboard.title"), header + main, t)
