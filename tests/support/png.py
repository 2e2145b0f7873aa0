"""A strict PNG reader for what the chart renderer writes (4-bit palette, no interlace), for tests."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


@dataclass
class Decoded:
    width: int
    height: int
    palette: list[tuple[int, int, int]]
    pixels: list[list[int]]  # palette indices, row by row

    def colours_in(self, x0: int, y0: int, x1: int, y1: int) -> set[int]:
        return {self.pixels[y][x] for y in range(y0, y1) for x in range(x0, x1)}


def decode(png: bytes) -> Decoded:
    """A strict reader for what the renderer writes: signature, chunk CRCs, IHDR, PLTE, IDAT, IEND."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        chunks.append((kind, data))
        at += 12 + length
    assert at == len(png)
    assert [k for k, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    width, height, depth, colour_type, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour_type, compression, filtering, interlace) == (4, 3, 0, 0, 0)
    plte = chunks[1][1]
    palette = [(plte[i], plte[i + 1], plte[i + 2]) for i in range(0, len(plte), 3)]
    raw = zlib.decompress(chunks[2][1])
    stride = (width + 1) // 2
    assert len(raw) == height * (1 + stride)
    pixels = []
    for y in range(height):
        row = raw[y * (1 + stride):(y + 1) * (1 + stride)]
        assert row[0] == 0  # filter: none
        values = [v for byte in row[1:] for v in (byte >> 4, byte & 0x0F)][:width]
        assert max(values) < len(palette)
        pixels.append(values)
    return Decoded(width, height, palette, pixels)
