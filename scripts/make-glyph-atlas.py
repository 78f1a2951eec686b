#!/usr/bin/python3
"""Writes src/MeshConf.Core/Video/GlyphAtlas.Data.cs: coverage bitmaps of the glyphs a terminal cell can show.

Each glyph becomes CELL_WIDTH x CELL_HEIGHT coverage values (0 = background, 255 = ink), rows top to bottom,
the way a terminal with DejaVu Sans Mono draws it: the font's advance fills the cell's width and its ascent plus
descent are centred in the cell's height. Glyphs are drawn SUPERSAMPLE times larger and box-filtered down, so
coverage is the share of each pixel the outline covers. Ink past the cell (a few glyphs overhang) is cut off, as
terminals clip to the cell.

Block elements (U+2580..U+259F: halves, full block, quadrants) are not taken from the font but drawn exactly as
the terminal paints them, as boxes that tile the cell: a font's version seldom fills its line box.

Debian's python3-pil only (use /usr/bin/python3, not a pyenv one); no pip. A developer tool: run it again after
changing the cell raster, the glyph list or the font, and commit the generated file.

    scripts/make-glyph-atlas.py                      (writes the C# file)
    scripts/make-glyph-atlas.py --preview atlas.png  (also a picture of every glyph, for checking by eye)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
CELL_WIDTH = 8
CELL_HEIGHT = 16
SUPERSAMPLE = 4

# Printable ASCII, then the block elements drawn geometrically. Each block element lists its filled boxes as
# (x0, y0, x1, y1) in cell fractions.
ASCII = [chr(c) for c in range(0x20, 0x7F)]
TOP, BOTTOM, LEFT, RIGHT = (0, 0, 1, 0.5), (0, 0.5, 1, 1), (0, 0, 0.5, 1), (0.5, 0, 1, 1)
UL, UR, LL, LR = (0, 0, 0.5, 0.5), (0.5, 0, 1, 0.5), (0, 0.5, 0.5, 1), (0.5, 0.5, 1, 1)
BLOCKS: dict[str, list[tuple[float, float, float, float]]] = {
    "\u2580": [TOP],             # ▀ upper half
    "\u2584": [BOTTOM],          # ▄ lower half
    "\u2588": [(0, 0, 1, 1)],    # █ full block
    "\u258C": [LEFT],            # ▌ left half
    "\u2590": [RIGHT],           # ▐ right half
    "\u2596": [LL],              # ▖
    "\u2597": [LR],              # ▗
    "\u2598": [UL],              # ▘
    "\u259D": [UR],              # ▝
    "\u259A": [UL, LR],          # ▚
    "\u259E": [UR, LL],          # ▞
    "\u2599": [UL, LL, LR],      # ▙
    "\u259B": [UL, UR, LL],      # ▛
    "\u259C": [UL, UR, LR],      # ▜
    "\u259F": [UR, LL, LR],      # ▟
}


def font_glyph(font: ImageFont.FreeTypeFont, baseline: int, ch: str) -> list[int]:
    """The glyph drawn at SUPERSAMPLE times the cell, box-filtered down to the cell raster."""
    big = Image.new("L", (CELL_WIDTH * SUPERSAMPLE, CELL_HEIGHT * SUPERSAMPLE), 0)
    ImageDraw.Draw(big).text((0, baseline), ch, fill=255, font=font, anchor="ls")
    return box_filter(big)


def block_glyph(boxes: list[tuple[float, float, float, float]]) -> list[int]:
    big = Image.new("L", (CELL_WIDTH * SUPERSAMPLE, CELL_HEIGHT * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    w, h = big.size
    for x0, y0, x1, y1 in boxes:
        # PIL's rectangle includes its far corner: the last pixel is x1 - 1.
        draw.rectangle((round(x0 * w), round(y0 * h), round(x1 * w) - 1, round(y1 * h) - 1), fill=255)
    return box_filter(big)


def box_filter(big: Image.Image) -> list[int]:
    pixels = big.load()
    n = SUPERSAMPLE * SUPERSAMPLE
    out = []
    for y in range(CELL_HEIGHT):
        for x in range(CELL_WIDTH):
            total = sum(pixels[x * SUPERSAMPLE + i, y * SUPERSAMPLE + j] for j in range(SUPERSAMPLE) for i in range(SUPERSAMPLE))
            out.append((total + n // 2) // n)
    return out


def cs_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\"\\":
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}")
    return '"' + "".join(out) + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = Path(__file__).resolve().parent.parent
    parser.add_argument("--out", type=Path, default=repo / "src/MeshConf.Core/Video/GlyphAtlas.Data.cs")
    parser.add_argument("--preview", type=Path, help="also write a PNG of every glyph, eight times enlarged")
    args = parser.parse_args()

    # The em size whose advance is the cell width (DejaVu Sans Mono: 1233/2048 em), at the supersampled scale.
    probe = ImageFont.truetype(str(FONT), 1000)
    advance_per_em = probe.getlength("M") / 1000
    size = round(CELL_WIDTH * SUPERSAMPLE / advance_per_em)
    font = ImageFont.truetype(str(FONT), size)
    ascent, descent = font.getmetrics()
    baseline = (CELL_HEIGHT * SUPERSAMPLE - (ascent + descent)) // 2 + ascent
    family, style = font.getname()

    glyphs = ASCII + list(BLOCKS)
    bitmaps = [block_glyph(BLOCKS[ch]) if ch in BLOCKS else font_glyph(font, baseline, ch) for ch in glyphs]

    lines = [
        "// <auto-generated>",
        f"// Written by scripts/make-glyph-atlas.py from {FONT.name} ({family} {style}, {size / SUPERSAMPLE:g} px em,",
        f"// {CELL_WIDTH}x{CELL_HEIGHT} cell, baseline {baseline / SUPERSAMPLE:g} px from the top). Do not edit: change the script and run it again.",
        "// </auto-generated>",
        "",
        "namespace MeshConf.Core.Video;",
        "",
        "internal static partial class GlyphAtlas",
        "{",
        "    /// <summary>Pixels across one cell of the atlas raster.</summary>",
        f"    public const int CellWidth = {CELL_WIDTH};",
        "",
        "    /// <summary>Pixels down one cell of the atlas raster.</summary>",
        f"    public const int CellHeight = {CELL_HEIGHT};",
        "",
        "    /// <summary>Every glyph in the atlas, in the order of their bitmaps.</summary>",
        f"    public const string Glyphs = {cs_string(''.join(glyphs))};",
        "",
        "    // Per glyph of Glyphs, CellWidth x CellHeight coverage bytes (0 background .. 255 ink), rows top to bottom.",
        "    private static ReadOnlySpan<byte> Coverage =>",
        "    [",
    ]
    for ch, bitmap in zip(glyphs, bitmaps):
        name = repr(ch) if ch.isascii() else f"U+{ord(ch):04X}"
        lines.append(f"        // {name}")
        for y in range(0, CELL_HEIGHT, 2):
            row = bitmap[y * CELL_WIDTH:(y + 2) * CELL_WIDTH]
            lines.append("        " + ", ".join(str(v) for v in row) + ",")
    lines += ["    ];", "}", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.out}: {len(glyphs)} glyphs of {CELL_WIDTH}x{CELL_HEIGHT}, em {size / SUPERSAMPLE:g} px")

    if args.preview:
        scale = 8
        per_row = 16
        sheet = Image.new("L", (per_row * (CELL_WIDTH + 1) * scale, ((len(glyphs) + per_row - 1) // per_row) * (CELL_HEIGHT + 1) * scale), 64)
        for i, bitmap in enumerate(bitmaps):
            cell = Image.new("L", (CELL_WIDTH, CELL_HEIGHT))
            cell.putdata(bitmap)
            cell = cell.resize((CELL_WIDTH * scale, CELL_HEIGHT * scale), Image.NEAREST)
            sheet.paste(cell, ((i % per_row) * (CELL_WIDTH + 1) * scale, (i // per_row) * (CELL_HEIGHT + 1) * scale))
        sheet.save(args.preview)
    return 0


if __name__ == "__main__":
    sys.exit(main())
