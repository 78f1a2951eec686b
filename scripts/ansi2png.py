#!/usr/bin/env python3
"""Turns a terminal capture (text with SGR sequences, as `tmux capture-pane -e -p` writes it) into a PNG.

The capture becomes an HTML page of fixed-size cells (whole, even pixel sizes), headless Chromium takes its
picture, and every cell that holds no letter is then checked pixel by pixel in that picture. Block elements
(the half-block U+2580 is most of a video picture) are not drawn with the font but painted as boxes: a glyph's
ink seldom spans its line box exactly, a box does, so half-block rows tile without a seam at any font size.

    scripts/ansi2png.py screen.ans docs/screenshot.png --cols 120 --rows 36
    scripts/ansi2png.py screen.ans page.html --cols 120 --rows 36      (the page only, no Chromium)

Python 3 standard library only. Colours: SGR 30-37/40-47/90-97/100-107 (16), 38/48;5;n (256),
38/48;2;r;g;b (truecolor, ';' or ':' separated), 39/49 (defaults). Attributes: bold, dim, italic,
underline, reverse, hidden. Other escape sequences are skipped.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

Rgb = tuple[int, int, int]

# The theme: a dark terminal. The 16 system colours are xterm's defaults.
DEFAULT_FG: Rgb = (0xD4, 0xD4, 0xD4)
DEFAULT_BG: Rgb = (0x1C, 0x1F, 0x24)
ANSI16: list[Rgb] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]
# How much of the foreground a dim (SGR 2) letter keeps; the rest is its background.
DIM_WEIGHT = 0.6
FONT_FAMILY = "'DejaVu Sans Mono', monospace"


def palette256(index: int) -> Rgb:
    """xterm's 256 colours: the 16 system colours, a 6x6x6 cube, then 24 greys."""
    if index < 16:
        return ANSI16[index]
    if index < 232:
        index -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return levels[index // 36], levels[index // 6 % 6], levels[index % 6]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


@dataclass(frozen=True)
class Style:
    """What SGR has set: colours (None: the terminal's default) and attributes."""

    fg: Rgb | None = None
    bg: Rgb | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    hidden: bool = False

    def colours(self) -> tuple[Rgb, Rgb]:
        """The (ink, paper) a terminal shows: defaults filled in, then reverse, then dim and hidden."""
        ink = self.fg or DEFAULT_FG
        paper = self.bg or DEFAULT_BG
        if self.reverse:
            ink, paper = paper, ink
        if self.dim:
            ink = mix(ink, paper, DIM_WEIGHT)
        if self.hidden:
            ink = paper
        return ink, paper


PLAIN = Style()


def mix(a: Rgb, b: Rgb, weight: float) -> Rgb:
    return (round(a[0] * weight + b[0] * (1 - weight)), round(a[1] * weight + b[1] * (1 - weight)),
            round(a[2] * weight + b[2] * (1 - weight)))


@dataclass(frozen=True)
class Cell:
    """One terminal cell: its character(s) and style. A wide character has width 2 and its right half is a
    cell of width 0."""

    text: str = " "
    style: Style = PLAIN
    width: int = 1


# ---------------------------------------------------------------------------------------------------------
# ANSI capture -> cells


def sgr(style: Style, parameters: str) -> Style:
    """Applies one SGR sequence's parameters ("1;38;2;10;20;30", "38:2::10:20:30", "" for reset)."""
    fields = parameters.split(";") if parameters else ["0"]
    i = 0
    while i < len(fields):
        sub = fields[i].split(":")
        code = _number(sub[0])
        i += 1
        if code in (38, 48, 58):
            if len(sub) > 1:
                colour = _colon_colour(sub[1:])
            else:
                colour, used = _semicolon_colour(fields[i:])
                i += used
            if code == 38:
                style = replace(style, fg=colour)
            elif code == 48:
                style = replace(style, bg=colour)
            # 58 (underline colour) is read past and not drawn.
            continue
        style = _simple_sgr(style, code)
    return style


_ATTRIBUTE_CODES: dict[int, dict[str, object]] = {
    1: {"bold": True}, 2: {"dim": True}, 3: {"italic": True}, 4: {"underline": True}, 7: {"reverse": True},
    8: {"hidden": True}, 21: {"underline": True}, 22: {"bold": False, "dim": False}, 23: {"italic": False},
    24: {"underline": False}, 27: {"reverse": False}, 28: {"hidden": False}, 39: {"fg": None}, 49: {"bg": None},
}


def _simple_sgr(style: Style, code: int) -> Style:
    if code == 0:
        return PLAIN
    if 30 <= code <= 37:
        return replace(style, fg=ANSI16[code - 30])
    if 90 <= code <= 97:
        return replace(style, fg=ANSI16[code - 90 + 8])
    if 40 <= code <= 47:
        return replace(style, bg=ANSI16[code - 40])
    if 100 <= code <= 107:
        return replace(style, bg=ANSI16[code - 100 + 8])
    changes = _ATTRIBUTE_CODES.get(code)
    # Blink, strike-through, overline and the rest are not drawn.
    return replace(style, **changes) if changes else style  # type: ignore[arg-type]


def _colon_colour(values: list[str]) -> Rgb | None:
    """ITU T.416 form: 5:n, 2:r:g:b, or 2:colour-space:r:g:b (the colour-space id, often empty, first)."""
    kind = _number(values[0])
    if kind == 5 and len(values) >= 2:
        return palette256(_number(values[1]) % 256)
    if kind == 2 and len(values) >= 4:
        rgb = values[2:5] if len(values) >= 5 else values[1:4]
        return _rgb(rgb)
    return None


def _semicolon_colour(rest: list[str]) -> tuple[Rgb | None, int]:
    """The fields after a 38/48 in the common form (5;n or 2;r;g;b): the colour and how many it took."""
    kind = _number(rest[0]) if rest else -1
    if kind == 5 and len(rest) >= 2:
        return palette256(_number(rest[1]) % 256), 2
    if kind == 2 and len(rest) >= 4:
        return _rgb(rest[1:4]), 4
    return None, len(rest)  # Malformed: the rest of the sequence cannot be read reliably.


def _rgb(values: list[str]) -> Rgb:
    return min(255, _number(values[0])), min(255, _number(values[1])), min(255, _number(values[2]))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def read_screen(capture: str, cols: int, rows: int) -> list[list[Cell]]:
    """The screen a capture shows, rows x cols cells. Style carries over from line to line (tmux writes only
    changes); lines start at column 0; what falls past the edges is dropped."""
    grid = [[Cell() for _ in range(cols)] for _ in range(rows)]
    style = PLAIN
    row = col = 0
    i, n = 0, len(capture)
    while i < n:
        ch = capture[i]
        i += 1
        if ch == "\x1b":
            i, style = _escape(capture, i, style)
        elif ch == "\n":
            row, col = row + 1, 0
        elif ch == "\r":
            col = 0
        elif ch == "\t":
            col = min(cols, (col // 8 + 1) * 8)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            continue
        elif unicodedata.combining(ch) or ch in "\u200d\ufe0e\ufe0f":
            if 0 < col <= cols and row < rows:
                owner = col - 1 if grid[row][col - 1].width else col - 2
                grid[row][owner] = replace(grid[row][owner], text=grid[row][owner].text + ch)
        else:
            width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
            if row < rows and col + width <= cols:
                grid[row][col] = Cell(ch, style, width)
                if width == 2:
                    grid[row][col + 1] = Cell("", style, 0)
            col += width
    return grid


def _escape(text: str, i: int, style: Style) -> tuple[int, Style]:
    """Reads the escape sequence whose ESC was just before text[i]: where the next character is, and the
    style after it (only SGR changes it)."""
    n = len(text)
    if i >= n:
        return i, style
    if text[i] == "[":
        # CSI: parameter and intermediate bytes, then a final byte in @..~.
        end = i + 1
        while end < n and not "@" <= text[end] <= "~":
            end += 1
        if end < n and text[end] == "m":
            style = sgr(style, text[i + 1:end])
        return end + 1, style
    if text[i] in "]PX^_":
        # OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \).
        end = i + 1
        while end < n and text[end] != "\x07" and not (text[end] == "\x1b" and text[end + 1:end + 2] == "\\"):
            end += 1
        return end + (1 if end < n and text[end] == "\x07" else 2), style
    return i + 1, style  # A two-character escape (ESC =, ESC 7, ...); ESC ( B and the like take one more.


# ---------------------------------------------------------------------------------------------------------
# cells -> paint: what each cell puts on its pixels

FILL, TOP_BOTTOM, LEFT_RIGHT, TEXT = "fill", "tb", "lr", "text"


@dataclass(frozen=True)
class Paint:
    """How a cell is drawn. FILL: one colour (a). TOP_BOTTOM / LEFT_RIGHT: two halves (a then b). TEXT: a
    glyph (ink a on paper b), the only kind drawn by the font and not checked pixel by pixel."""

    kind: str
    a: Rgb
    b: Rgb | None = None
    text: str = ""
    width: int = 1
    bold: bool = False
    italic: bool = False
    underline: bool = False


def paint_of(cell: Cell) -> Paint | None:
    """The paint of a cell; None for the right half of a wide character (its left half covers it)."""
    if cell.width == 0:
        return None
    ink, paper = cell.style.colours()
    ch = cell.text
    plain_text = not cell.style.underline
    if plain_text and ch in (" ", "\u2588"):
        return Paint(FILL, paper if ch == " " else ink)  # Hidden ink is already the paper.
    halves = {"\u2580": (TOP_BOTTOM, ink, paper), "\u2584": (TOP_BOTTOM, paper, ink),
              "\u258c": (LEFT_RIGHT, ink, paper), "\u2590": (LEFT_RIGHT, paper, ink)}.get(ch)
    if halves is not None and plain_text:
        kind, a, b = halves
        return Paint(FILL, a) if a == b else Paint(kind, a, b)
    return Paint(TEXT, ink, paper, ch, cell.width, cell.style.bold, cell.style.italic, cell.style.underline)


# ---------------------------------------------------------------------------------------------------------
# paint -> HTML


@dataclass(frozen=True)
class Geometry:
    cols: int
    rows: int
    cell_width: int
    cell_height: int
    padding: int
    font_size: float

    @property
    def width(self) -> int:
        return self.cols * self.cell_width + 2 * self.padding

    @property
    def height(self) -> int:
        return self.rows * self.cell_height + 2 * self.padding


def _hex(rgb: Rgb) -> str:
    return "#%02x%02x%02x" % rgb


def to_html(grid: list[list[Cell]], g: Geometry) -> str:
    """A page showing the grid at exactly g's pixel size. Neighbouring cells of the same FILL or TOP_BOTTOM
    paint share one box; each letter has a box of its own, so letters stay on the cell grid whatever the
    font's advance width."""
    w, h = g.cell_width, g.cell_height
    out = [
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>terminal</title><style>\n",
        f"html,body{{margin:0;padding:0;background:{_hex(DEFAULT_BG)};overflow:hidden}}\n",
        f".s{{padding:{g.padding}px;width:{g.cols * w}px;height:{g.rows * h}px}}\n",
        f".r{{display:flex;height:{h}px}}\n",
        f".r>i{{flex:none;display:block;box-sizing:border-box;height:{h}px;width:{w}px;overflow:hidden;font-style:normal}}\n",
        f".t{{font-family:{FONT_FAMILY};font-size:{g.font_size}px;line-height:{h}px;text-align:center;white-space:pre}}\n",
        f".tb{{border-top:{h // 2}px solid}}\n.lr{{border-left:{w // 2}px solid}}\n",
        ".b{font-weight:700}.it{font-style:italic!important}.u{text-decoration:underline}\n",
        "</style></head><body><div class=\"s\">\n",
    ]
    for cells in grid:
        out.append("<div class=\"r\">")
        paints = [p for p in (paint_of(c) for c in cells) if p is not None]
        i = 0
        while i < len(paints):
            p = paints[i]
            run = 1
            if p.kind in (FILL, TOP_BOTTOM):
                while i + run < len(paints) and paints[i + run] == p:
                    run += 1
            out.append(_box(p, run, w))
            i += run
        out.append("</div>\n")
    out.append("</div></body></html>\n")
    return "".join(out)


def _box(p: Paint, run: int, cell_width: int) -> str:
    width = f"width:{cell_width * run * p.width}px;" if run * p.width != 1 else ""
    if p.kind == FILL:
        return f"<i style=\"{width}background:{_hex(p.a)}\"></i>"
    if p.kind in (TOP_BOTTOM, LEFT_RIGHT):
        # The border (first half) takes its colour from `color`; the background shows in the second half.
        return f"<i class=\"{p.kind}\" style=\"{width}color:{_hex(p.a)};background:{_hex(p.b)}\"></i>"
    classes = "t" + (" b" if p.bold else "") + (" it" if p.italic else "") + (" u" if p.underline else "")
    return f"<i class=\"{classes}\" style=\"{width}color:{_hex(p.a)};background:{_hex(p.b)}\">{html.escape(p.text)}</i>"


# ---------------------------------------------------------------------------------------------------------
# HTML -> PNG (Chromium), and the check of the result


def find_chromium(given: str | None) -> str:
    for name in ([given] if given else []) + ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]:
        path = shutil.which(name) if name else None
        if path:
            return path
    raise SystemExit("ansi2png: no Chromium found (Debian: apt-get install chromium; or give --chromium PATH)")


def photograph(page: Path, png: Path, g: Geometry, chromium: str, timeout: float) -> None:
    """Headless Chromium's screenshot of the page at exactly g's size, from a private profile directory."""
    with tempfile.TemporaryDirectory(prefix="ansi2png-profile-") as profile:
        command = [
            chromium, "--headless", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            "--force-color-profile=srgb", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio", "--font-render-hinting=none",
            f"--user-data-dir={profile}", f"--window-size={g.width},{g.height}", f"--screenshot={png}",
            "--virtual-time-budget=2000", page.resolve().as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox.
        # Its own session, so a timeout stops Chromium's helper processes with it (by its process group).
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            log, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
            raise SystemExit(f"ansi2png: Chromium took more than {timeout:.0f} s")
        if process.returncode != 0 or not png.exists():
            raise SystemExit(f"ansi2png: Chromium failed ({process.returncode}):\n{log.decode(errors='replace')[-2000:]}")


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"PNG kind not read here: depth {depth}, colour type {colour_type}, interlace {interlace}")
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line) if channels == 3 else bytes(b for x in range(width) for b in line[x * 4:x * 4 + 3]))
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, up: bytearray, bpp: int) -> None:
    """Undoes one scanline's filter (PNG spec section 9.2) in place."""
    if kind == 0:
        return
    for x in range(len(line)):
        left = line[x - bpp] if x >= bpp else 0
        above = up[x]
        if kind == 1:
            line[x] = (line[x] + left) & 0xFF
        elif kind == 2:
            line[x] = (line[x] + above) & 0xFF
        elif kind == 3:
            line[x] = (line[x] + (left + above) // 2) & 0xFF
        elif kind == 4:
            corner = up[x - bpp] if x >= bpp else 0
            estimate = left + above - corner
            da, db, dc = abs(estimate - left), abs(estimate - above), abs(estimate - corner)
            line[x] = (line[x] + (left if da <= db and da <= dc else above if db <= dc else corner)) & 0xFF
        else:
            raise ValueError(f"PNG filter {kind}")


def write_png(path: Path, width: int, rows: list[bytes]) -> None:
    """An RGB PNG, each row filtered with None, Sub or Up (whichever looks smallest) and deflated at level 9:
    smaller than Chromium's own, and the same bytes for the same pixels."""
    filtered = bytearray()
    previous = bytes(len(rows[0])) if rows else b""
    for line in rows:
        sub = bytes((line[x] - (line[x - 3] if x >= 3 else 0)) & 0xFF for x in range(len(line)))
        up = bytes((a - b) & 0xFF for a, b in zip(line, previous))
        candidates = [(0, line), (1, sub), (2, up)]
        kind, best = min(candidates, key=lambda c: sum(b if b < 128 else 256 - b for b in c[1]))
        filtered.append(kind)
        filtered += best
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(filtered), 9))
                     + chunk(b"IEND", b""))


def check(grid: list[list[Cell]], g: Geometry, width: int, height: int, rows: list[bytes]) -> list[str]:
    """Where the picture differs from what the cells say: every pixel of the padding and of each non-letter
    cell (a half-block's two halves each in one flat colour, so no seam, gap or blur between rows)."""
    if (width, height) != (g.width, g.height):
        return [f"picture is {width}x{height}, expected {g.width}x{g.height}"]
    problems: list[str] = []
    w, h, pad = g.cell_width, g.cell_height, g.padding

    def expect(x0: int, y0: int, x1: int, y1: int, rgb: Rgb, where: str) -> None:
        want = bytes(rgb) * (x1 - x0)
        for y in range(y0, y1):
            if rows[y][x0 * 3:x1 * 3] != want:
                got = rows[y][x0 * 3:x1 * 3]
                bad = next(x for x in range(x1 - x0) if got[x * 3:x * 3 + 3] != bytes(rgb))
                problems.append(f"{where}: pixel ({x0 + bad},{y}) is {tuple(got[bad * 3:bad * 3 + 3])}, expected {rgb}")
                return

    expect(0, 0, g.width, pad, DEFAULT_BG, "top padding")
    expect(0, g.height - pad, g.width, g.height, DEFAULT_BG, "bottom padding")
    expect(0, pad, pad, g.height - pad, DEFAULT_BG, "left padding")
    expect(g.width - pad, pad, g.width, g.height - pad, DEFAULT_BG, "right padding")
    for r, cells in enumerate(grid):
        for c, cell in enumerate(cells):
            p = paint_of(cell)
            if p is None or p.kind == TEXT:
                continue
            x, y, where = pad + c * w, pad + r * h, f"cell row {r} col {c} {cell.text!r}"
            if p.kind == FILL:
                expect(x, y, x + w, y + h, p.a, where)
            elif p.kind == TOP_BOTTOM:
                expect(x, y, x + w, y + h // 2, p.a, where + " top")
                expect(x, y + h // 2, x + w, y + h, p.b, where + " bottom")  # type: ignore[arg-type]
            else:
                expect(x, y, x + w // 2, y + h, p.a, where + " left")
                expect(x + w // 2, y, x + w, y + h, p.b, where + " right")  # type: ignore[arg-type]
    return problems


# ---------------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("capture", type=Path, help="the ANSI capture ('-': standard input)")
    parser.add_argument("output", type=Path, help="the PNG to write (or an .html file: the page only)")
    parser.add_argument("--cols", type=int, required=True, help="the terminal's width in cells")
    parser.add_argument("--rows", type=int, required=True, help="the terminal's height in cells")
    parser.add_argument("--cell", default="10x20", help="cell size in pixels, WxH, both even (default 10x20)")
    parser.add_argument("--font-size", type=float, default=16.0, help="font size in pixels (default 16)")
    parser.add_argument("--padding", type=int, default=8, help="margin around the screen in pixels (default 8)")
    parser.add_argument("--html", type=Path, help="also keep the HTML page here")
    parser.add_argument("--chromium", help="the Chromium (or Chrome) program (default: found on PATH)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds Chromium may take (default 120)")
    args = parser.parse_args(argv)

    try:
        cell_width, cell_height = (int(v) for v in args.cell.lower().split("x"))
    except ValueError:
        parser.error(f"--cell wants WxH, not '{args.cell}'")
    if cell_width < 2 or cell_height < 2 or cell_width % 2 or cell_height % 2:
        parser.error("--cell sizes must be even (a half-block's halves are whole pixels)")
    if args.cols < 1 or args.rows < 1 or args.padding < 0:
        parser.error("--cols and --rows must be positive, --padding not negative")
    g = Geometry(args.cols, args.rows, cell_width, cell_height, args.padding, args.font_size)

    capture = sys.stdin.read() if str(args.capture) == "-" else args.capture.read_text(encoding="utf-8", errors="replace")
    grid = read_screen(capture, g.cols, g.rows)
    page = to_html(grid, g)
    if args.html:
        args.html.write_text(page, encoding="utf-8")
    if args.output.suffix.lower() in (".html", ".htm"):
        args.output.write_text(page, encoding="utf-8")
        return 0

    chromium = find_chromium(args.chromium)
    with tempfile.TemporaryDirectory(prefix="ansi2png-") as work:
        page_path = Path(work) / "screen.html"
        page_path.write_text(page, encoding="utf-8")
        shot = Path(work) / "shot.png"
        photograph(page_path, shot, g, chromium, args.timeout)
        width, height, rows = read_png(shot.read_bytes())
    problems = check(grid, g, width, height, rows)
    if problems:
        print(f"ansi2png: the picture does not match the capture in {len(problems)} place(s):", file=sys.stderr)
        for problem in problems[:10]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    write_png(args.output, width, rows)
    drawn = sum(1 for cells in grid for cell in cells if (p := paint_of(cell)) is not None and p.kind != TEXT)
    print(f"ansi2png: {args.output} {width}x{height}, {args.output.stat().st_size // 1024} KB; "
          f"{drawn} of {g.cols * g.rows} cells checked pixel by pixel")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
