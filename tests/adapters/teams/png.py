"""Read an 8-bit RGB or RGBA PNG into pixels, to check the Teams icons without an image library.

Only what the two committed icons use: non-interlaced, 8 bits per channel, colour type 2 (RGB) or 6
(RGBA), any of the five row filters (PNG spec, section 9). Anything else fails loudly.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    has_alpha: bool
    pixels: list[tuple[int, int, int, int]]  # RGBA, row by row; alpha 255 when the file has none


def read_png(data: bytes) -> Png:
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG")
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in {kind!r}")
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            row[i] = (row[i] + _predict(kind, left, up, up_left)) & 0xFF
        rows.append(row)
        previous = row
    pixels = [(r[i], r[i + 1], r[i + 2], r[i + 3] if channels == 4 else 255)
              for r in rows for i in range(0, stride, channels)]
    return Png(width, height, colour == 6, pixels)


def _predict(kind: int, left: int, up: int, up_left: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    if kind == 4:  # Paeth
        p = left + up - up_left
        pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
        return left if pa <= pb and pa <= pc else up if pb <= pc else up_left
    raise ValueError(f"unknown PNG row filter {kind}")
