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
from storage.metrics import Counts, Metrics

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


def page(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – Innovation network</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<a class="skip" href="#main">Skip to main content</a>\n{body}\n</body>\n</html>\n')


def login_page(*, error: str = "", token_login: bool = True) -> str:
    if not token_login:
        form = ('<p>Sign in through your organisation\'s single sign-on, then open '
                '<a href="/dashboard">the dashboard</a> again.</p>')
    else:
        described = ' aria-describedby="token-error" aria-invalid="true"' if error else ""
        message = f'<p id="token-error" class="error" role="alert">{escape(error)}</p>' if error else ""
        form = ('<form method="post" action="/dashboard/login">'
                f'{message}<label for="token">Admin token</label>'
                f'<input id="token" name="token" type="password" autocomplete="current-password" required{described}>'
                '<div><button type="submit">Sign in</button></div></form>')
    return page("Sign in", f'<main id="main"><h1>Sign in to the dashboard</h1>'
                           f"<p>The dashboard is for the national team and administrators.</p>{form}</main>")


NOT_CONFIGURED_HELP = (
    "<p>To open it, set the <code>ADMIN_TOKEN</code> environment variable to a long random secret and restart "
    "the bot, then sign in here with that token. Single sign-on through a proxy header is the other way in. "
    "Both are described in <code>docs/evidence.md</code> (section \u201cAccess to the dashboard\u201d) and in the "
    "README\u2019s settings table.</p>")


def denied_page(message: str, *, show_login: bool, not_configured: bool = False) -> str:
    link = '<p><a href="/dashboard/login">Sign in</a></p>' if show_login else ""
    help_html = NOT_CONFIGURED_HELP if not_configured else ""
    return page("No access", f'<main id="main"><h1>{escape(message)}</h1>{help_html}{link}</main>')


def signed_in(who: str) -> str:
    """The header line: a person by their address, the shared admin token as what it is."""
    if who == "admin token":
        return "Signed in with the admin token (full access)."
    return f"Signed in as {escape(who)}."


def _n(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text + unit


def _counts_table(caption: str, first: str, rows: Sequence[Counts], *, labels: dict[str, str] | None = None) -> str:
    head = (f'<tr><th scope="col">{escape(first)}</th><th scope="col" class="n">Submitted</th>'
            '<th scope="col" class="n">Approved locally</th><th scope="col" class="n">Approved for the network</th>'
            '<th scope="col" class="n">Declined</th></tr>')
    body = "".join(
        f'<tr><th scope="row">{escape((labels or {}).get(c.key, c.label))}</th><td class="n">{c.submitted:,}</td>'
        f'<td class="n">{c.approved_local:,}</td><td class="n">{c.approved_network:,}</td>'
        f'<td class="n">{c.declined:,}</td></tr>' for c in rows)
    if not rows:
        body = '<tr><td colspan="5">No ideas in this period.</td></tr>'
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


def bar_chart(series: Sequence[tuple[str, int]], *, title: str) -> str:
    """A vertical bar chart as inline SVG, each bar labelled with its value and its week."""
    if not series:
        return '<p class="note">No ideas were submitted in this period, so there is no chart to show.</p>'
    width, height, left, bottom, top = 720, 280, 44, 56, 24
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(v for _, v in series) or 1
    slot = plot_w / len(series)
    bar_w = max(4.0, slot * 0.7)
    best_key, best_value = max(series, key=lambda kv: kv[1])
    desc = (f"Bar chart of ideas submitted each week, {series[0][0]} to {series[-1][0]}: "
            f"{sum(v for _, v in series):,} in total; the busiest week was {best_key} with {best_value:,}. "
            "The table below the chart lists every week's figures.")
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
                 f'fill="{INK}">ISO week, {escape(years)}</text>')
    parts.append("</svg>")
    return "<figure>" + "".join(parts) + "</figure>"


def dashboard_page(m: Metrics, *, who: str, can_sign_out: bool, start: date | None, end: date | None,
                   error: str = "") -> str:
    query = urlencode({k: v.isoformat() for k, v in (("from", start), ("to", end)) if v is not None})
    suffix = f"?{query}" if query else ""
    period = ("all time" if start is None and end is None else
              f"{start.isoformat() if start else 'the start'} to {end.isoformat() if end else 'today'}")
    sign_out = ('<form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form>'
                if can_sign_out else "")
    header = (f'<header><p>{signed_in(who)}</p>{sign_out}</header>')
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    form = ('<form method="get" action="/dashboard" class="period" aria-label="Period">'
            f'<div><label for="from">From</label><input id="from" name="from" type="date" '
            f'value="{escape(start.isoformat() if start else "")}"></div>'
            f'<div><label for="to">To (inclusive)</label><input id="to" name="to" type="date" '
            f'value="{escape(end.isoformat() if end else "")}"></div>'
            '<div><button type="submit">Show period</button></div></form>')
    notes = m.notes
    headline = [
        ("Ideas submitted", _n(m.totals.submitted), ""),
        ("Approved for local sharing", _n(m.totals.approved_local), ""),
        ("Approved for the network", _n(m.totals.approved_network), ""),
        ("Declined", _n(m.totals.declined), ""),
        ("Median time to a broker's first decision", _n(m.median_hours_to_decision, " hours"),
         f"{m.decided:,} decided, {m.awaiting_decision:,} waiting"),
        ("90th percentile time to first decision", _n(m.p90_hours_to_decision, " hours"), ""),
        ("Requests for more information", _n(m.needs_info_loops), ""),
        ("National escalations", _n(m.national_escalations), "to national review or testing"),
        ("Active submitters", _n(m.active_submitters), "different people who submitted"),
        ("Connections asked for", _n(m.connections_asked), notes.get("connections_asked", "")),
        ("Connections made", _n(m.connections_made), notes.get("connections_made", "")),
        ("Likely duplicates flagged", _n(m.duplicates_flagged), notes.get("duplicates_flagged", "")),
    ]
    summary_rows = "".join(f'<tr><th scope="row">{escape(name)}</th><td class="n">{escape(value)}</td>'
                           f'<td class="note">{escape(note)}</td></tr>' for name, value, note in headline)
    summary = scrolling("Headline figures", '<table><caption>Headline figures</caption><thead><tr>'
                        '<th scope="col">Measure</th><th scope="col" class="n">Value</th><th scope="col">Note</th>'
                        f"</tr></thead><tbody>{summary_rows}</tbody></table>")
    stage_labels = {c.key: _t(f"stage.{c.key}") if _t.has(f"stage.{c.key}") else c.label for c in m.by_stage}
    downloads = "".join(f'<li><a href="/dashboard/{escape(href)}">{escape(text)}</a></li>' for href, text in (
        ("ideas.csv", "All ideas (CSV)"), ("decisions.csv", "All decisions (CSV)"),
        (f"metrics.csv{suffix}", "These figures (CSV)"),
        ("practice-bank.csv", "Practice Bank export of approved ideas (CSV)"),
        ("practice-bank.json", "Practice Bank export of approved ideas (JSON)")))
    main = (f'<main id="main"><h1>Innovation network dashboard</h1>'
            f"<p>Figures for {escape(period)}, computed {escape(m.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}."
            f' How each is computed: see <code>docs/evidence.md</code>.</p>{error_html}{form}'
            f"<h2>Summary</h2>{summary}"
            f"<h2>Ideas submitted each week</h2>{bar_chart(week_series(m.by_week), title='Ideas submitted each week')}"
            f"{_counts_table('Ideas by week', 'Week', m.by_week)}"
            f"<h2>By force</h2>{_counts_table('Ideas by force', 'Force', m.by_force)}"
            f"<h2>By theme</h2>{_counts_table('Ideas by theme', 'Theme', m.by_theme)}"
            f"<h2>By stage of practice</h2>{_counts_table('Ideas by stage', 'Stage', m.by_stage, labels=stage_labels)}"
            f'<h2>Downloads</h2><ul class="downloads">{downloads}</ul></main>')
    return page("Dashboard", header + main)
