"""A character canvas with braille pixels, axes and labels, turned straight into Rich ``Text``.

Why not plotext: plotext 5 needs 13–20 ms to build a 120×36 figure with three series (its matrix is
Python lists of lists, then an ANSI string that ``Text.from_ansi`` must parse again), which alone is
over the 16 ms redraw budget; it also has no contour plot. This canvas does the same job with numpy
in about a millisecond: each cell holds 2×4 braille pixels, or a glyph (marker, arrow, letter) that
covers them. ``benchmarks/bench_charts.py`` prints both figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from . import fmt
from .glyphs import BRAILLE_BITS as _BRAILLE_BITS
from .glyphs import ascii_cells, glyph, marker, pixel_chars
_PATTERNS = {"solid": None, "dashed": (4, 3), "dotted": (1, 2), "sparse": (1, 4)}  # pixels on, pixels off


@dataclass(frozen=True)
class Scale:
    """Maps data values to [0, 1]; ``log`` for a logarithmic axis (values ≤ 0 become nan)."""

    lo: float
    hi: float
    log: bool = False

    def unit(self, values) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        with np.errstate(all="ignore"):
            if self.log:
                v = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
                lo, hi = math.log10(self.lo), math.log10(self.hi)
            else:
                lo, hi = self.lo, self.hi
            return (v - lo) / (hi - lo)

    def ticks(self, max_ticks: int) -> list[tuple[float, str]]:
        max_ticks = max(2, max_ticks)
        if self.log:
            return self._log_ticks(max_ticks)
        step = tick_step(self.hi / max_ticks - self.lo / max_ticks)  # no overflow on a range near ±1e308
        ends = [(self.lo, fmt.num(self.lo, 3)), (self.hi, fmt.num(self.hi, 3))]
        if not (math.isfinite(step) and step > 0):
            return ends
        first = math.ceil(self.lo / step - 1e-9)
        last = math.floor(self.hi / step + 1e-9)
        if last - first > 4 * max_ticks:  # rounding at the ends of float64: never a list of millions
            return ends
        values = [k * step for k in range(first, last + 1)]
        return [(v, fmt.tick(v, step)) for v in values]

    def _log_ticks(self, max_ticks: int) -> list[tuple[float, str]]:
        e_lo = math.ceil(math.log10(self.lo) - 1e-9)
        e_hi = math.floor(math.log10(self.hi) + 1e-9)
        if e_hi < e_lo:  # less than a decade: label the ends
            return [(self.lo, fmt.num(self.lo, 2)), (self.hi, fmt.num(self.hi, 2))]
        stride = next((s for s in (1, 2, 3, 4, 5, 8, 10, 20, 50) if (e_hi - e_lo) // s + 1 <= max_ticks), 100)
        return [(10.0**e, fmt.power_of_ten(e)) for e in range(e_lo, e_hi + 1) if e % stride == 0]


def tick_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ᵏ that is at least ``raw``."""
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10 * power


WIDE_TAIL = "\x00"  # the second cell of a wide character (Chinese takes two cells): nothing is drawn there


def _cells(text: str) -> list[str]:
    """One entry per terminal cell: a wide character, then WIDE_TAIL; zero-width characters dropped."""
    out: list[str] = []
    for ch in text:
        width = cell_len(ch)
        if width:
            out.append(ch)
            out.extend(WIDE_TAIL * (width - 1))
    return out


class Canvas:
    """A width×height grid of cells, each with a character and a style id; ``to_text`` makes Rich Text.

    ``mode`` (braille, block or ascii: see ``glyphs``) decides how pixels look; in ascii mode every text
    put on the canvas is written with ASCII stand-ins. A wide character (Chinese) takes two cells, the
    second holding WIDE_TAIL; text is placed and cropped by cells, and a wide character that would be
    cut by the crop is left out whole.
    """

    def __init__(self, width: int, height: int, mode: str = "braille"):
        self.width, self.height, self.mode = width, height, mode
        self.chars = np.full((height, width), " ", dtype="<U1")
        self.sids = np.zeros((height, width), dtype=np.int16)
        self._styles: list[Style] = [Style()]
        self._ids: dict[Style, int] = {Style(): 0}

    def sid(self, style: Style) -> int:
        sid = self._ids.get(style)
        if sid is None:
            sid = self._ids[style] = len(self._styles)
            self._styles.append(style)
        return sid

    def put(self, row: int, col: int, text: str, style: Style = Style(), limit: int | None = None) -> int:
        """Write ``text`` at (row, col), cropped at ``limit`` or the right edge; returns columns used."""
        if not 0 <= row < self.height or col >= self.width:
            return 0
        text = glyph(self.mode, text)
        cells = list(text) if text.isascii() else _cells(text)
        end = min(self.width, col + len(cells), col + limit if limit is not None else self.width)
        start = max(col, 0)
        if end <= start:
            return 0
        piece = cells[start - col:end - col]
        if piece[0] == WIDE_TAIL:  # cropped on the left inside a wide character
            piece[0] = " "
        if end - col < len(cells) and cells[end - col] == WIDE_TAIL:  # the crop would halve the last one
            piece[-1] = " "
        if start > 0 and self.chars[row, start] == WIDE_TAIL:  # writing over the right half of one
            self.chars[row, start - 1] = " "
        if end < self.width and self.chars[row, end] == WIDE_TAIL:  # over the left half of one
            self.chars[row, end] = " "
        self.chars[row, start:end] = piece
        self.sids[row, start:end] = self.sid(style)
        return end - start

    def to_text(self) -> Text:
        # each row's cells viewed as one fixed-width string (only trailing NULs would be dropped)
        lines = np.ascontiguousarray(self.chars).view(f"<U{self.width}").ravel().tolist()
        if self.mode == "ascii":  # a last net: whatever a layer wrote, one ASCII character a cell
            lines = [ascii_cells(line) for line in lines]
        wide = any(WIDE_TAIL in line or len(line) < self.width for line in lines)
        if wide:  # WIDE_TAIL is NUL: numpy drops it at a row's end; put it back, then leave it out below
            lines = [line.ljust(self.width, WIDE_TAIL) for line in lines]
        # runs of one style over the whole text at once; the newline column has style 0 (none)
        flat = np.concatenate([self.sids, np.zeros((self.height, 1), np.int16)], axis=1).ravel()
        cuts = np.flatnonzero(flat[1:] != flat[:-1]) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [flat.size - 1]))
        ids = flat[starts]
        keep = ids != 0
        styles = self._styles
        text = "\n".join(lines)
        if wide:  # offsets past each left-out WIDE_TAIL move left by one
            shift = np.concatenate(([0], np.cumsum(np.frombuffer(text.encode("utf-32-le"), "<u4") != 0)))
            starts, ends, text = shift[starts], shift[ends], text.replace(WIDE_TAIL, "")
        spans = [Span(s, e, styles[i])
                 for s, e, i in zip(starts[keep].tolist(), ends[keep].tolist(), ids[keep].tolist())]
        return Text(text, spans=spans, no_wrap=True, overflow="crop", end="")


class PlotArea:
    """The inside of a panel: braille pixels plus a glyph layer, in data coordinates."""

    def __init__(self, canvas: Canvas, row: int, col: int, rows: int, cols: int, xs: Scale, ys: Scale):
        self.canvas, self.row, self.col, self.rows, self.cols = canvas, row, col, rows, cols
        self.xs, self.ys = xs, ys
        self.pw, self.ph = 2 * cols, 4 * rows
        self.bits = np.zeros((rows, cols), dtype=np.uint8)
        self.bsid = np.zeros((rows, cols), dtype=np.int16)
        self.glyph = np.full((rows, cols), "", dtype="<U1")
        self.gsid = np.zeros((rows, cols), dtype=np.int16)
        self.protected = np.zeros((rows, cols), dtype=bool)  # cells a sparse layer (arrows) keeps off

    # -- coordinates -----------------------------------------------------------------------------
    def to_pixels(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Fractional pixel coordinates (column from the left, row from the top)."""
        with np.errstate(all="ignore"):
            px = self.xs.unit(x) * (self.pw - 1)
            py = (1.0 - self.ys.unit(y)) * (self.ph - 1)
        return px, py

    def to_cells(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, col, inside) of the cell holding each point."""
        px, py = self.to_pixels(x, y)
        ok = np.isfinite(px) & np.isfinite(py)
        ok &= (px > -0.5) & (px < self.pw - 0.5) & (py > -0.5) & (py < self.ph - 0.5)
        ix = np.where(ok, np.rint(np.where(ok, px, 0)), 0).astype(int)
        iy = np.where(ok, np.rint(np.where(ok, py, 0)), 0).astype(int)
        return iy // 4, ix // 2, ok

    # -- drawing ---------------------------------------------------------------------------------
    def set_pixels(self, ix: np.ndarray, iy: np.ndarray, style: Style, protect: bool = False) -> None:
        ok = (ix >= 0) & (ix < self.pw) & (iy >= 0) & (iy < self.ph)
        ix, iy = ix[ok], iy[ok]
        if ix.size == 0:
            return
        r, c = iy // 4, ix // 2
        np.bitwise_or.at(self.bits, (r, c), _BRAILLE_BITS[iy % 4, ix % 2])
        self.bsid[r, c] = self.canvas.sid(style)
        if protect:
            self.protected[r, c] = True

    def add_cells(self, bits: np.ndarray, sids: np.ndarray) -> None:
        """Add braille bits per cell (from ``braille_cells``) with a style id per cell."""
        self.bits |= bits
        lit = bits > 0
        self.bsid[lit] = sids[lit]

    def line(self, x, y, style: Style, pattern: str = "solid", break_jumps: bool = False,
             protect: bool = False) -> None:
        """A polyline through the points; non-finite points leave gaps.

        ``break_jumps`` (for sampled functions) also leaves a gap where consecutive samples leave the
        area on opposite sides, as at a pole of 1/x or tan x, instead of drawing a vertical wall.
        """
        px, py = self.to_pixels(x, y)
        if px.size < 2:
            if px.size == 1 and np.isfinite(px[0]) and np.isfinite(py[0]):
                ix = np.rint(np.clip(px, -1, self.pw)).astype(int)  # clip first: 1e300 is no int
                iy = np.rint(np.clip(py, -1, self.ph)).astype(int)
                self.set_pixels(ix, iy, style, protect)
            return
        x0, y0, x1, y1 = px[:-1], py[:-1], px[1:], py[1:]
        keep = np.isfinite(x0) & np.isfinite(y0) & np.isfinite(x1) & np.isfinite(y1)
        if break_jumps:
            top, bottom = -0.5, self.ph - 0.5
            keep &= ~(((y0 < top) & (y1 > bottom)) | ((y1 < top) & (y0 > bottom)))
        x0, y0, x1, y1 = x0[keep], y0[keep], x1[keep], y1[keep]
        x0, y0, x1, y1 = _clip(x0, y0, x1, y1, -0.49, self.pw - 0.51, -0.49, self.ph - 0.51)
        if x0.size == 0:
            return
        dx, dy = x1 - x0, y1 - y0
        n = np.ceil(np.maximum(np.abs(dx), np.abs(dy))).astype(int) + 1
        seg = np.repeat(np.arange(n.size), n)
        j = np.arange(seg.size) - np.repeat(np.cumsum(n) - n, n)
        t = j / np.maximum(n[seg] - 1, 1)
        ix = np.rint(x0[seg] + dx[seg] * t).astype(int)
        iy = np.rint(y0[seg] + dy[seg] * t).astype(int)
        dash = _PATTERNS.get(pattern)
        if dash is not None:
            on, off = dash
            keep = (np.arange(ix.size) % (on + off)) < on
            ix, iy = ix[keep], iy[keep]
        self.set_pixels(ix, iy, style, protect)

    def hline(self, y: float, style: Style, pattern: str = "sparse") -> None:
        self.line([self.xs.lo, self.xs.hi], [y, y], style, pattern)

    def markers(self, x, y, glyph: str, style: Style, overwrite: bool = True) -> np.ndarray:
        """Put ``glyph`` in the cell of each point inside the area; returns the inside mask.

        With ``overwrite=False`` a cell that already holds a glyph keeps it (first come, first served),
        so in a race every optimizer keeps the cells it reached first.
        """
        r, c, ok = self.to_cells(np.atleast_1d(x), np.atleast_1d(y))
        if not overwrite:
            ok &= self.glyph[r, c] == ""
        self.glyph[r[ok], c[ok]] = marker(self.canvas.mode, glyph)
        self.gsid[r[ok], c[ok]] = self.canvas.sid(style)
        return ok

    def cell_text(self, r: int, c: int, text: str, style: Style, overwrite: bool = False) -> bool:
        """Write text into cells from (r, c) if it fits and (unless overwrite) covers no glyph."""
        text = glyph(self.canvas.mode, text)
        if not (0 <= r < self.rows and 0 <= c and c + len(text) <= self.cols):
            return False
        if not overwrite and (self.glyph[r, c:c + len(text)] != "").any():
            return False
        self.glyph[r, c:c + len(text)] = list(text)
        self.gsid[r, c:c + len(text)] = self.canvas.sid(style)
        return True

    def label(self, x: float, y: float, text: str, style: Style) -> bool:
        """A short label beside a point: right of it, else left, above, below."""
        r, c, ok = self.to_cells(np.atleast_1d(x), np.atleast_1d(y))
        if not ok[0]:
            return False
        r, c = int(r[0]), int(c[0])
        text = glyph(self.canvas.mode, text)
        n = len(text)
        for rr, cc in ((r, c + 1), (r, c - n), (r - 1, c), (r + 1, c), (r - 1, c - n + 1), (r + 1, c - n + 1)):
            if self.cell_text(rr, cc, text, style):
                return True
        return False

    def blit(self) -> None:
        """Compose the layers into the canvas: glyphs over braille over blank."""
        chars = np.where(self.bits > 0, pixel_chars(self.canvas.mode)[self.bits], " ")
        sids = np.where(self.bits > 0, self.bsid, 0)
        has_glyph = self.glyph != ""
        chars = np.where(has_glyph, self.glyph, chars)
        sids = np.where(has_glyph, self.gsid, sids)
        self.canvas.chars[self.row:self.row + self.rows, self.col:self.col + self.cols] = chars
        self.canvas.sids[self.row:self.row + self.rows, self.col:self.col + self.cols] = sids


def braille_cells(mask: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A (4·rows, 2·cols) pixel mask as braille bits per cell, and the largest value each cell lights."""
    rows, cols = mask.shape[0] // 4, mask.shape[1] // 2
    m = mask.reshape(rows, 4, cols, 2)
    bits = (m * _BRAILLE_BITS[None, :, None, :]).sum(axis=(1, 3)).astype(np.uint8)
    top = np.where(m, values.reshape(rows, 4, cols, 2), 0).max(axis=(1, 3))
    return bits, top


def _clip(x0, y0, x1, y1, xmin, xmax, ymin, ymax):
    """Liang–Barsky clipping of many segments at once; segments wholly outside are dropped."""
    dx, dy = x1 - x0, y1 - y0
    t0 = np.zeros_like(x0)
    t1 = np.ones_like(x0)
    keep = np.ones(x0.shape, dtype=bool)
    with np.errstate(all="ignore"):
        for p, q in ((-dx, x0 - xmin), (dx, xmax - x0), (-dy, y0 - ymin), (dy, ymax - y0)):
            parallel = p == 0
            keep &= ~(parallel & (q < 0))
            r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
    keep &= t0 <= t1
    t0, t1, x0, y0, dx, dy = t0[keep], t1[keep], x0[keep], y0[keep], dx[keep], dy[keep]
    # clamp: with endpoints ~1e38 apart, x0 + t·dx carries rounding errors far larger than the box
    return (np.clip(x0 + t0 * dx, xmin, xmax), np.clip(y0 + t0 * dy, ymin, ymax),
            np.clip(x0 + t1 * dx, xmin, xmax), np.clip(y0 + t1 * dy, ymin, ymax))
