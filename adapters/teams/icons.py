"""The app package's two icons, drawn in pure Python (no image library): a light bulb.

``color.png`` is 192×192, the bulb in white on the network's blue; ``outline.png`` is 32×32, white on
transparent, as Teams requires. ``python -m adapters.teams.icons`` writes both into ``manifest/``;
a test checks the committed files are what this code draws.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

BLUE = (0x1D, 0x3A, 0x8A)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # 4×4 samples per pixel for smooth edges

Shape = Callable[[float, float], bool]


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """A minimal RGBA PNG: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def bulb(x: float, y: float) -> bool:
    """The symbol in unit coordinates (0..1, y down): a round glass, a neck, and a two-ring base."""
    if (x - 0.5) ** 2 + (y - 0.40) ** 2 <= 0.25 ** 2:
        return True
    if 0.39 <= x <= 0.61 and 0.56 <= y <= 0.70:  # the neck, under the glass
        return True
    return 0.40 <= x <= 0.60 and (0.725 <= y <= 0.775 or 0.80 <= y <= 0.85)


def coverage(shape: Shape, px: int, py: int, size: int, inset: float) -> float:
    """How much of pixel (px, py) the shape covers, with the symbol drawn inside a margin of ``inset``."""
    hits = 0
    scale = 1 - 2 * inset
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = ((px + (sx + 0.5) / SAMPLES) / size - inset) / scale
            y = ((py + (sy + 0.5) / SAMPLES) / size - inset) / scale
            hits += 0 <= x <= 1 and 0 <= y <= 1 and shape(x, y)
    return hits / (SAMPLES * SAMPLES)


def color_icon(size: int = 192) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            c = coverage(bulb, px, py, size, inset=0.18)  # Teams crops colour icons: keep the symbol central
            row += bytes(round(b + (w - b) * c) for b, w in zip(BLUE, WHITE, strict=True)) + b"\xff"
        rows.append(bytes(row))
    return png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            row += bytes(WHITE) + bytes([round(255 * coverage(bulb, px, py, size, inset=0.0))])
        rows.append(bytes(row))
    return png(size, size, rows)


def write_icons(directory: Path) -> None:
    (directory / "color.png").write_bytes(color_icon())
    (directory / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":  # pragma: no cover
    write_icons(Path(__file__).with_name("manifest"))
