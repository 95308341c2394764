"""Shared helpers for chart tests: build a Plot block and read a chart's text."""

from __future__ import annotations

import pytest

from gdtui.course.model import FrozenMap, Plot


def make_plot(f="x**2", *, variables=("x",), layers=("function",), x_range=(-1.0, 1.0), y_range=None,
              values=None, optimizers=(), data=None, title=None, params=None) -> Plot:
    return Plot(line=1, id="p", f=f, variables=tuple(variables), layers=tuple(layers),
                x_range=tuple(x_range), y_range=None if y_range is None else tuple(y_range),
                values=FrozenMap(values or {}), controls=(), title=title, optimizers=tuple(optimizers),
                data=None if data is None else FrozenMap(data), field_lines=FrozenMap(),
                params=FrozenMap(params or {}))


class Chart:
    """A rendered chart as lines, with the plot area of its first panel located by its axes."""

    def __init__(self, text):
        self.text = text
        self.lines = text.plain.split("\n")
        corner = [(r, line.index("└")) for r, line in enumerate(self.lines) if "└" in line]
        assert corner, "no axes in:\n" + text.plain
        self.axis_row, self.axis_col = corner[0]
        top = self.axis_row
        while top > 0 and self.lines[top - 1][self.axis_col] in "│┤":
            top -= 1
        self.top = top
        end = self.lines[self.axis_row].find(" ", self.axis_col)
        self.right = len(self.lines[self.axis_row]) if end == -1 else end

    @property
    def area(self) -> list[str]:
        """The plot area of the first panel, top row first."""
        return [line[self.axis_col + 1:self.right] for line in self.lines[self.top:self.axis_row]]

    def marked(self, row: str) -> list[int]:
        """Columns of a row holding anything but a blank."""
        return [c for c, ch in enumerate(row) if ch not in " \u2800"]

    def style_at(self, row: int, col: int):
        """The style of the cell (row, col) of the whole chart."""
        offset = sum(len(line) + 1 for line in self.lines[:row]) + col
        styles = [span.style for span in self.text.spans if span.start <= offset < span.end]
        return styles[-1] if styles else None


@pytest.fixture
def plot():
    return make_plot


@pytest.fixture
def chart():
    return Chart
