"""Draws a ``Chart`` as a small PNG: a stacked bar per week, the week's total above it, a count axis
with light grid lines, the weeks underneath, and a legend with each series' total. Pure Python (zlib
and struct), no plotting library and no display; the same chart always gives the same bytes.

Colour is never the only carrier: each series has its own colour (the Okabe–Ito palette, told apart
with every common colour-vision deficiency) *and* its own pattern, repeated in the legend's swatch,
and every bar segment is outlined in dark ink, which also gives the light colours their 3:1 contrast
against the background. The chart's title is not drawn: every platform shows it as text beside the
image, with ``Chart.alt`` saying every figure in words.

The image is a 4-bit palette PNG, which keeps a six-week chart at 2–3 KB.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections.abc import Callable
from functools import lru_cache

from adapters.charts import font
from bot.replies import Chart

WIDTH = 600
MARGIN = 12
SCALE = 2  # font pixels per bitmap pixel: 10 by 14 letters
LINE = font.HEIGHT * SCALE + 4
PLOT_HEIGHT = 150
LEGEND_ROW = 24
SWATCH = (28, 16)

# Palette indices. Colours: white, ink, grid grey, then the series (Okabe & Ito, "Color Universal Design").
BACKGROUND, INK, GRID = 0, 1, 2
# The fifth is grey: the composer puts "everything else" there.
PALETTE = [(0xFF, 0xFF, 0xFF), (0x1B, 0x1B, 0x1B), (0xD4, 0xD4, 0xD4),
           (0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00), (0x00, 0x9E, 0x73), (0xCC, 0x79, 0xA7),
           (0x80, 0x80, 0x80), (0x56, 0xB4, 0xE9), (0xD5, 0x5E, 0x00)]
FIRST_SERIES = 3
SERIES_COLOURS = len(PALETTE) - FIRST_SERIES


def _solid(x: int, y: int) -> bool:
    return False


# Where a series' fill shows the background instead of its colour: stripes one way, dots, bands, the
# other way, a lattice, crosses, columns. Measured from the image's corner, so patterns line up.
PATTERNS: list[Callable[[int, int], bool]] = [
    _solid,
    lambda x, y: (x + y) % 8 < 3,
    lambda x, y: x % 6 < 2 and y % 6 < 2,
    lambda x, y: y % 6 < 2,
    lambda x, y: (x - y) % 8 < 3,
    lambda x, y: x % 7 == 0 or y % 7 == 0,
    lambda x, y: (x + y) % 9 == 0 or (x - y) % 9 == 0,
    lambda x, y: x % 6 < 2,
]


class Canvas:
    """Palette indices, one byte a pixel, row by row."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(width * height)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: int,
             pattern: Callable[[int, int], bool] = _solid) -> None:
        """Fill [x0, x1) × [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, x0), min(self.width, x1)
        for y in range(max(0, y0), min(self.height, y1)):
            row = y * self.width
            if pattern is _solid:
                self.pixels[row + x0:row + x1] = bytes([colour]) * max(0, x1 - x0)
            else:
                for x in range(x0, x1):
                    self.pixels[row + x] = BACKGROUND if pattern(x, y) else colour

    def outline(self, x0: int, y0: int, x1: int, y1: int, colour: int) -> None:
        self.rect(x0, y0, x1, y0 + 1, colour)
        self.rect(x0, y1 - 1, x1, y1, colour)
        self.rect(x0, y0, x0 + 1, y1, colour)
        self.rect(x1 - 1, y0, x1, y1, colour)

    def text(self, x: int, y: int, drawn: str, colour: int = INK, scale: int = SCALE) -> None:
        """Draw characters already made ``font.drawable``; (x, y) is the top left of the first letter."""
        for n, ch in enumerate(drawn):
            left = x + n * font.ADVANCE * scale
            for r, bits in enumerate(font.glyph(ch)):
                for c in range(font.WIDTH):
                    if bits & (0x10 >> c):
                        self.rect(left + c * scale, y + r * scale, left + (c + 1) * scale, y + (r + 1) * scale,
                                  colour)

    def png(self) -> bytes:
        """A 4-bit palette PNG (two pixels a byte, filter "none" on every row)."""
        raw = bytearray()
        for y in range(self.height):
            raw.append(0)
            row = self.pixels[y * self.width:(y + 1) * self.width]
            if len(row) % 2:
                row = row + b"\x00"
            raw += bytes((row[i] << 4) | row[i + 1] for i in range(0, len(row), 2))
        header = struct.pack(">IIBBBBB", self.width, self.height, 4, 3, 0, 0, 0)
        palette = b"".join(bytes(rgb) for rgb in PALETTE)
        return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette)
                + _chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + _chunk(b"IEND", b""))


def _width(drawn: str, scale: int = SCALE) -> int:
    return font.text_width(drawn, scale)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def fit(text: str, max_width: int, scale: int = SCALE) -> str:
    """``text`` made drawable and cut with "…" to fit ``max_width`` pixels."""
    drawn = font.drawable(" ".join(text.split()))
    if _width(drawn, scale) <= max_width:
        return drawn
    keep = max(0, (max_width // scale + 1) // font.ADVANCE - 1)
    return drawn[:keep].rstrip() + "…" if keep else ""


def nice_top(peak: int) -> tuple[int, int]:
    """(axis top, tick step): the top a round number at or above ``peak``, in at most five steps."""
    if peak <= 0:
        return 1, 1
    magnitude = 10 ** max(0, math.floor(math.log10(peak)) - 1)
    for step in (m * magnitude * k for k in (1, 10, 100) for m in (1, 2, 5)):
        if math.ceil(peak / step) <= 5:
            return math.ceil(peak / step) * step, step
    raise AssertionError("unreachable: the steps above grow past any peak")  # pragma: no cover


def _centred(canvas: Canvas, middle: float, y: int, text: str, max_width: int) -> None:
    """``text`` centred on ``middle`` (kept inside the image), smaller when it would not fit at all."""
    scale = SCALE
    drawn = fit(text, max_width)
    if not drawn:
        scale = 1
        drawn = fit(text, max_width, scale=1)
        y += SCALE * 2
    width = _width(drawn, scale)
    x = min(max(round(middle - width / 2), MARGIN), canvas.width - MARGIN - width)
    canvas.text(x, y, drawn, scale=scale)


@lru_cache(maxsize=64)
def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes (``chart.title`` and ``chart.alt`` are shown as text by the platform).

    Cached: a roundup's chart is drawn for every channel and every fetch of its link."""
    weeks, series = chart.weeks, chart.series
    totals = chart.totals
    top, step = nice_top(max(totals, default=0))
    digits = len(f"{top:,}")
    left = MARGIN + _width("0" * digits) + 10
    right = WIDTH - MARGIN
    plot_top = MARGIN + LINE  # room for the totals above the tallest bar
    plot_bottom = plot_top + PLOT_HEIGHT
    legend_top = plot_bottom + 8 + LINE + 8
    height = legend_top + LEGEND_ROW * len(series) + MARGIN - 6
    canvas = Canvas(WIDTH, height)

    def y_of(value: int) -> int:
        return plot_bottom - round(value * PLOT_HEIGHT / top)

    widest = max(_width(fit(w, 10_000)) for w in weeks)
    # Room on the right for the last week's label, centred under a narrow bar.
    right -= max(0, round(widest / 2 - (right - left) / len(weeks) / 2))
    slot = (right - left) / len(weeks)
    bar = max(3, min(64, round(slot * 0.62)))
    for tick in range(0, top + 1, step):  # grid lines and the count axis
        y = y_of(tick)
        if tick:
            canvas.rect(left + 1, y, right, y + 1, GRID)
        label = font.drawable(f"{tick:,}")
        canvas.text(left - 8 - _width(label), y - 7 * SCALE // 2, label)
    canvas.rect(left, plot_top - 6, left + 1, plot_bottom + 1, INK)

    label_every = 1
    while widest > slot * label_every - 6 and label_every < len(weeks):
        label_every += 1
    for i, week in enumerate(weeks):
        middle = left + slot * (i + 0.5)
        x0 = round(middle - bar / 2)
        below = 0
        for n, s in enumerate(series):
            if not s.counts[i]:
                continue
            y0, y1 = y_of(below + s.counts[i]), y_of(below)
            colour, pattern = _style(n)
            canvas.rect(x0, y0, x0 + bar, y1 + 1, colour, pattern)
            canvas.outline(x0, y0, x0 + bar, y1 + 1, INK)
            below += s.counts[i]
        if totals[i]:
            _centred(canvas, middle, y_of(totals[i]) - LINE + 2, f"{totals[i]:,}", round(slot) - 2)
        if (len(weeks) - 1 - i) % label_every == 0:  # the latest week always has its label
            _centred(canvas, middle, plot_bottom + 8, week, round(slot * label_every) - 6)
    canvas.rect(left, plot_bottom, right, plot_bottom + 1, INK)  # the baseline, over the bars' feet

    for n, s in enumerate(series):
        y = legend_top + n * LEGEND_ROW
        colour, pattern = _style(n)
        canvas.rect(MARGIN, y, MARGIN + SWATCH[0], y + SWATCH[1], colour, pattern)
        canvas.outline(MARGIN, y, MARGIN + SWATCH[0], y + SWATCH[1], INK)
        total = f" ({sum(s.counts):,})"
        text_left = MARGIN + SWATCH[0] + 10
        label = fit(s.label, WIDTH - MARGIN - text_left - _width(font.drawable(total)) - 2 * SCALE)
        canvas.text(text_left, y + 1, label + font.drawable(total))
    return canvas.png()


def _style(n: int) -> tuple[int, Callable[[int, int], bool]]:
    """Series ``n``'s colour and pattern: both change from one series to the next, and once the colours
    come round again the patterns are shifted, so no two of ``Chart.MAX_SERIES`` series look alike."""
    return FIRST_SERIES + n % SERIES_COLOURS, PATTERNS[(n + 3 * (n // SERIES_COLOURS)) % len(PATTERNS)]


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def chart_data_uri(chart: Chart) -> str:
    return data_uri(render_png(chart))


def size(png: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)
