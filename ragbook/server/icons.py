"""The add-in's ribbon icons, drawn here: one per button, in the colour of its group, with its initials.

A web add-in cannot use Office's own icons (the desktop ribbon's ``imageMso`` names): its manifest points at
PNG files the server serves, 16, 32 and 80 pixels square. They are drawn from the ribbon itself, so a new
button gets an icon without anyone drawing one. The PNG writer and the 5x7 letters need nothing but zlib.
"""

from __future__ import annotations

import struct
import zlib

SIZES = (16, 32, 80)
ADDIN_SIZES = (32, 64, 128)  # the add-in's own icon, in the admin centre and the add-in list

# Each group's colour (the rating colours' family), in the order the groups come; white letters on each.
COLOURS = ((0x1F, 0x4E, 0x79), (0xC5, 0x5A, 0x11), (0x38, 0x76, 0x1D), (0x59, 0x59, 0x59), (0x70, 0x30, 0xA0))

_GLYPHS = {  # 5 columns x 7 rows, one string per row
    "A": ("01110", "10001", "10001", "11111", "10001", "10001", "10001"),
    "B": ("11110", "10001", "10001", "11110", "10001", "10001", "11110"),
    "C": ("01110", "10001", "10000", "10000", "10000", "10001", "01110"),
    "D": ("11110", "10001", "10001", "10001", "10001", "10001", "11110"),
    "E": ("11111", "10000", "10000", "11110", "10000", "10000", "11111"),
    "F": ("11111", "10000", "10000", "11110", "10000", "10000", "10000"),
    "G": ("01110", "10001", "10000", "10111", "10001", "10001", "01111"),
    "H": ("10001", "10001", "10001", "11111", "10001", "10001", "10001"),
    "I": ("01110", "00100", "00100", "00100", "00100", "00100", "01110"),
    "J": ("00111", "00010", "00010", "00010", "00010", "10010", "01100"),
    "K": ("10001", "10010", "10100", "11000", "10100", "10010", "10001"),
    "L": ("10000", "10000", "10000", "10000", "10000", "10000", "11111"),
    "M": ("10001", "11011", "10101", "10101", "10001", "10001", "10001"),
    "N": ("10001", "10001", "11001", "10101", "10011", "10001", "10001"),
    "O": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "P": ("11110", "10001", "10001", "11110", "10000", "10000", "10000"),
    "Q": ("01110", "10001", "10001", "10001", "10101", "10010", "01101"),
    "R": ("11110", "10001", "10001", "11110", "10100", "10010", "10001"),
    "S": ("01111", "10000", "10000", "01110", "00001", "00001", "11110"),
    "T": ("11111", "00100", "00100", "00100", "00100", "00100", "00100"),
    "U": ("10001", "10001", "10001", "10001", "10001", "10001", "01110"),
    "V": ("10001", "10001", "10001", "10001", "10001", "01010", "00100"),
    "W": ("10001", "10001", "10001", "10101", "10101", "10101", "01010"),
    "X": ("10001", "10001", "01010", "00100", "01010", "10001", "10001"),
    "Y": ("10001", "10001", "01010", "00100", "00100", "00100", "00100"),
    "Z": ("11111", "00001", "00010", "00100", "01000", "10000", "11111"),
    "?": ("01110", "10001", "00001", "00010", "00100", "00000", "00100"),
}


def initials(label: str) -> str:
    """At most two letters for a label: "Import plan" -> "IP", "Validate" -> "V"."""
    letters = [word[0].upper() for word in label.split() if word and word[0].upper() in _GLYPHS]
    return "".join(letters[:2]) or "?"


def colour_of(position: int) -> tuple[int, int, int]:
    return COLOURS[position % len(COLOURS)]


def icon_png(text: str, colour: tuple[int, int, int], size: int) -> bytes:
    """A ``size``-pixel square PNG: a rounded square of ``colour`` with ``text`` (one or two letters) in white."""
    text = "".join(ch for ch in text.upper() if ch in _GLYPHS)[:2] or "?"
    width = len(text) * 5 + (len(text) - 1)
    scale = max(1, min((size * 3 // 4) // width, (size * 3 // 5) // 7))
    glyph_w, glyph_h = width * scale, 7 * scale
    left, top = (size - glyph_w) // 2, (size - glyph_h) // 2
    on = set()
    for n, ch in enumerate(text):
        for row, bits in enumerate(_GLYPHS[ch]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    for dy in range(scale):
                        for dx in range(scale):
                            on.add((left + (n * 6 + col) * scale + dx, top + row * scale + dy))
    radius = max(2, size // 6)
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            if (x, y) in on:
                row += bytes((255, 255, 255, 255))
            elif _inside(x, y, size, radius):
                row += bytes((*colour, 255))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _inside(x: int, y: int, size: int, radius: int) -> bool:
    """Whether pixel (x, y) is inside a square of ``size`` with corners rounded by ``radius``."""
    cx = radius if x < radius else size - 1 - radius if x > size - 1 - radius else x
    cy = radius if y < radius else size - 1 - radius if y > size - 1 - radius else y
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height a PNG's header gives (for checks)."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])
