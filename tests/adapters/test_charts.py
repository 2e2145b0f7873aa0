"""Chart images: a valid, deterministic, small PNG drawn without a display; the bitmap font; signed
links; and ``GET /charts/{token}.png``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.charts import charts_router, font, mount_charts
from adapters.charts.links import MAX_TOKEN_CHARS, ChartLinks, chart_links, derive_key
from adapters.charts.png import (
    BACKGROUND,
    FIRST_SERIES,
    INK,
    LINE,
    MARGIN,
    PALETTE,
    PATTERNS,
    PLOT_HEIGHT,
    SERIES_COLOURS,
    WIDTH,
    _style,
    chart_data_uri,
    nice_top,
    render_png,
)
from adapters.settings import Settings
from adapters.teams.roundup_card import CHART_IMAGE_BYTES
from bot.replies import Chart, Series
from tests.support.png import decode

WEEKS = ("19 Oct", "26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov")
CHART = Chart("Ideas shared each week, by theme", WEEKS,
              (Series("Violence against women and girls", (2, 4, 2, 1, 1, 5)),
               Series("Neighbourhood crime", (3, 2, 0, 4, 2, 3)), Series("Cybercrime", (3, 2, 4, 1, 0, 2)),
               Series("Serious violence", (0, 2, 2, 3, 3, 1)), Series("Other ideas", (5, 5, 2, 7, 2, 5))),
              "Bar chart: …", kind="roundup-chart")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    render_png.cache_clear()


def test_a_chart_is_a_valid_small_palette_png() -> None:
    png = render_png(CHART)
    image = decode(png)
    assert image.width == WIDTH and 250 < image.height < 400
    assert image.palette == PALETTE
    assert len(png) < 4_000 and len(chart_data_uri(CHART)) <= CHART_IMAGE_BYTES


def test_the_same_chart_gives_the_same_bytes() -> None:
    first = render_png(CHART)
    render_png.cache_clear()
    again = render_png(Chart(CHART.title, CHART.weeks, CHART.series, "other words"))
    assert first == again  # the title and words are not drawn; nothing else varies


@pytest.mark.parametrize("chart", [
    Chart("none", WEEKS, (), ""),
    Chart("one", ("1 Jan",), (Series("Cybercrime", (3,)),), ""),
    Chart("zeros", WEEKS, (Series("Cybercrime", (0,) * 6),), ""),
    Chart("most", tuple(f"{n} Jan" for n in range(1, 27)),
          tuple(Series(f"Series {n} with a name far too long to fit in the legend " * 3,
                       tuple((n * 7 + w * 3) % 11 for w in range(26))) for n in range(12)), ""),
    Chart("big numbers", WEEKS, (Series("A", (1_000_000, 0, 5, 2_500_000, 1, 0)),), ""),
    Chart("unicode", WEEKS, (Series("Heddlu Gogledd Cymru — Ŵyr ŷd 👮‍♀️🚓 警察 Ünïcødé ﬁ", (1, 2, 3, 4, 5, 6)),
                             Series("", (1,) * 6), Series("\u200d\ufe0f", (2,) * 6)), ""),
], ids=lambda c: c.title)
def test_any_chart_draws(chart: Chart) -> None:
    image = decode(render_png(chart))
    assert image.width == WIDTH
    assert INK in image.colours_in(0, 0, image.width, image.height)  # at least the axes


def test_bars_stand_where_their_counts_say() -> None:
    image = decode(render_png(Chart("", ("a", "b"), (Series("only", (0, 4)),), "")))
    plot_top = MARGIN + LINE
    plot_bottom = plot_top + PLOT_HEIGHT
    bar = [(x, y) for y in range(plot_bottom) for x in range(image.width) if image.pixels[y][x] == FIRST_SERIES]
    assert min(x for x, _ in bar) > image.width // 2  # only the second week has a bar
    assert (min(y for _, y in bar), max(y for _, y in bar)) == (plot_top + 1, plot_bottom - 1)  # 4 of 4: full height


def test_colour_is_never_the_only_difference_between_series() -> None:
    styles = [_style(n) for n in range(Chart.MAX_SERIES)]
    assert len(set(styles)) == Chart.MAX_SERIES
    first_round = styles[:SERIES_COLOURS]
    assert len({pattern for _, pattern in first_round}) == SERIES_COLOURS  # each colour has its own pattern too
    assert len(PATTERNS) >= SERIES_COLOURS
    # The legend's swatches show the pattern: the patterned ones hold background pixels inside the outline.
    image = decode(render_png(CHART))
    legend = [y for y in range(image.height) if image.pixels[y][14] == FIRST_SERIES + 1]
    assert legend and BACKGROUND in image.colours_in(14, legend[0], 38, legend[-1])


def test_the_font_draws_letters_digits_and_a_box_for_the_rest() -> None:
    for ch, rows in font.GLYPHS.items():
        assert len(rows) == font.HEIGHT and all(0 <= r < 32 for r in rows), ch
    printable = "".join(chr(c) for c in range(32, 127))
    assert font.drawable(printable) == printable
    assert font.drawable("Ŵyr ŷd, café, Øresund, straße, garçon, Ñ") == "Ŵyr ŷd, café, Oresund, strasse, garcon, N"
    assert font.drawable("👮‍♀️") == font.BOX * 2  # the officer and the sign; the joiner and selector take no room
    assert font.drawable("警察") == font.BOX * 2
    assert font.drawable("“quoted” – 5…") == '"quoted" - 5…'
    assert font.text_width("ab", 2) == (2 * font.ADVANCE - 1) * 2


WELSH_MARKED = "âêîôûŵŷäëïöüẅÿ"


def test_every_welsh_letter_has_its_own_glyph_in_both_cases() -> None:
    letters = WELSH_MARKED + WELSH_MARKED.upper()
    assert len(letters) == 28
    assert font.drawable(letters) == letters  # none falls back to its base letter
    assert font.drawable("w\u0302y\u0308") == "ŵÿ"  # decomposed input is composed first
    shapes = {font.glyph(ch) for ch in letters}
    assert len(shapes) == len(letters), "two Welsh letters look the same"
    for ch in letters:
        bare = unicodedata.normalize("NFKD", ch)[0]
        assert font.glyph(ch) != font.glyph(bare), ch


@pytest.mark.parametrize(("peak", "top", "step"), [(0, 1, 1), (1, 1, 1), (4, 4, 1), (7, 8, 2), (16, 20, 5),
                                                   (99, 100, 20), (2000, 2000, 500), (2_500_000, 2_500_000, 500_000)])
def test_the_count_axis_ends_on_a_round_number(peak: int, top: int, step: int) -> None:
    assert nice_top(peak) == (top, step)


# --- links and the route ---------------------------------------------------------------------------

KEY = derive_key("8f742231b10e8888abcd99yyyzzz85a5")


def test_a_link_carries_the_chart_signed() -> None:
    links = ChartLinks(KEY, "https://bot.example.police.uk/")
    url = links.url(CHART)
    assert url is not None and url.startswith("https://bot.example.police.uk/charts/") and url.endswith(".png")
    token = url.removeprefix("https://bot.example.police.uk/charts/").removesuffix(".png")
    assert len(token) < 600
    back = links.chart(token)
    assert back is not None and (back.weeks, back.series) == (CHART.weeks, CHART.series)
    assert render_png(back) == render_png(CHART)
    payload, signature = token.split(".")
    assert ChartLinks(derive_key("another secret")).chart(token) is None
    assert links.chart(payload + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")) is None
    assert links.chart(payload[:-4] + "." + signature) is None
    for junk in ("", ".", "x", "a.b.c", "é." + signature, "A" * (MAX_TOKEN_CHARS + 1)):
        assert links.chart(junk) is None
    assert ChartLinks(KEY).url(CHART) is None  # no public URL: no link


def test_the_key_comes_from_the_slack_signing_secret_never_the_secret_itself() -> None:
    assert chart_links(Settings(database_url="sqlite://")) is None
    links = chart_links(Settings(database_url="sqlite://", slack_signing_secret="s3cret", public_url="https://x.uk"))
    assert links is not None and b"s3cret" not in KEY and derive_key("s3cret") != b"s3cret"
    assert links.url(CHART) == ChartLinks(derive_key("s3cret"), "https://x.uk").url(CHART)


def test_the_route_draws_signed_charts_and_nothing_else() -> None:
    links = ChartLinks(KEY, "http://testserver")
    app = FastAPI()
    app.include_router(charts_router(links))
    client = TestClient(app)
    url = links.url(CHART)
    assert url is not None
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == render_png(CHART)
    forged = ChartLinks(derive_key("guess"), "http://testserver").url(CHART)
    assert forged is not None
    for bad in (forged, "/charts/nonsense.png", url.replace(".png", "x.png")):
        answer = client.get(bad)
        assert answer.status_code == 404 and answer.headers["cache-control"] == "no-store", bad
    assert client.get(url.removesuffix(".png") + ".gif").status_code == 404
    unconfigured = FastAPI()
    unconfigured.include_router(charts_router(None))
    assert TestClient(unconfigured).get(url).status_code == 404


def test_mount_charts_hands_the_slack_sender_its_links_only_with_a_public_url() -> None:
    from adapters.slack.sender import SlackSender, StaticToken

    @dataclass
    class Settled:
        settings: Settings
        senders: dict[str, object]

    for public_url, linked in ((None, False), ("https://bot.example.police.uk", True)):
        sender = SlackSender(StaticToken("xoxb-test"))
        container = Settled(Settings(database_url="sqlite://", slack_signing_secret="s3cret", public_url=public_url),
                            {"slack": sender})
        mount_charts(FastAPI(), container)  # type: ignore[arg-type]
        assert (sender.chart_url is not None) is linked
        if sender.chart_url is not None:
            assert str(sender.chart_url(CHART)).startswith("https://bot.example.police.uk/charts/")
