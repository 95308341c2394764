"""The learner's answer on a chart (the value `guess`, set by an exercise): its marker, label and legend."""

from __future__ import annotations

import numpy as np
import pytest

from gdtui.charts import ChartTheme, render_plot
from gdtui.charts.base import CURRENT, GUESS
from gdtui.charts.data import guess_point

MONO = ChartTheme(colour=False)
COLOUR = ChartTheme(dark=True)
DESCENT = dict(layers=("function", "path"), x_range=(-3, 6), y_range=(-2, 37),
               values={"x0": 5, "lr": 0.1, "steps": 30, "step": 1})


def cells(c, glyph: str) -> list[tuple[int, int]]:
    """(row, column) in the plot area of every cell holding the glyph."""
    return [(r, col) for r, row in enumerate(c.area) for col, ch in enumerate(row) if ch == glyph]


def test_no_guess_draws_nothing_of_it(plot):
    text = render_plot(plot("x**2 + 2*x + 1", **DESCENT), {}, 100, 30, MONO).plain
    assert GUESS not in text and "your answer" not in text


def test_a_1d_guess_sits_on_the_curve_beside_the_true_step(plot, chart):
    spec = plot("x**2 + 2*x + 1", **DESCENT)
    c = chart(render_plot(spec, {"guess": 2.0}, 100, 30, MONO))
    (row, col), = cells(c, GUESS)
    (true_row, true_col), = cells(c, CURRENT)
    width, height = len(c.area[0]), len(c.area)
    # x = 2 is 5/9 of the way along [-3, 6]; f(2) = 9 is 11/39 of the way up [-2, 37]
    assert abs(col - 5 / 9 * (width - 1)) <= 1
    assert abs((height - 1 - row) - 11 / 39 * (height - 1)) <= 1
    # the true x₁ = 3.8 (f = 23.04) is right of and above the guess
    assert true_col > col and true_row < row
    assert "you" in c.area[row]
    assert "◇ your answer x = 2" in c.text.plain and "◆ step k = 1" in c.text.plain


def test_the_guess_follows_the_value(plot, chart):
    spec = plot("x**2 + 2*x + 1", **DESCENT)
    left = cells(chart(render_plot(spec, {"guess": -2.0}, 100, 30, MONO)), GUESS)[0][1]
    right = cells(chart(render_plot(spec, {"guess": 4.5}, 100, 30, MONO)), GUESS)[0][1]
    assert left < right


def test_a_right_guess_is_drawn_over_the_true_step(plot, chart):
    c = chart(render_plot(plot("x**2 + 2*x + 1", **DESCENT), {"guess": 3.8}, 100, 30, MONO))
    assert len(cells(c, GUESS)) == 1 and cells(c, CURRENT) == []
    assert "x₁" in c.text.plain  # the true step keeps its label


def test_a_guess_off_the_chart_says_so(plot, chart):
    c = chart(render_plot(plot("x**2 + 2*x + 1", **DESCENT), {"guess": 12.0}, 100, 30, MONO))
    assert cells(c, GUESS) == []
    assert "your answer x = 12 (off the chart)" in c.text.plain


def test_a_guess_where_f_is_undefined_says_so(plot):
    text = render_plot(plot("sqrt(x)", layers=("function",), x_range=(-1, 4)), {"guess": -0.5}, 100, 30, MONO).plain
    assert "your answer x = −0.5 (f is undefined there)" in text


def test_a_guess_needs_the_curve_of_f(plot):
    spec = plot("x**3", layers=("derivative",), x_range=(-1, 1))
    assert "your answer" not in render_plot(spec, {"guess": 0.5}, 100, 30, MONO).plain


def test_the_guess_has_its_own_style(plot, chart):
    c = chart(render_plot(plot("x**2 + 2*x + 1", **DESCENT), {"guess": 2.0}, 100, 30, COLOUR))
    (row, col), = cells(c, GUESS)
    style = c.style_at(c.top + row, c.axis_col + 1 + col)
    assert style == COLOUR.style("guess") and style.bold
    assert style != COLOUR.style("highlight") and style != COLOUR.style("race", 0)
    assert MONO.style("guess").bold


def test_a_2d_guess_is_a_point_on_the_contour_map(plot, chart):
    spec = plot("x**2 + 10*y**2", variables=("x", "y"), layers=("contour", "path"), x_range=(-5, 5),
                y_range=(-2, 2), values={"x0": -4.5, "y0": 1.5, "lr": 0.02, "steps": 1, "step": 1})
    c = chart(render_plot(spec, {"guess": (2.5, -1.0)}, 100, 30, MONO))
    (row, col), = cells(c, GUESS)
    width, height = len(c.area[0]), len(c.area)
    assert abs(col - 0.75 * (width - 1)) <= 1  # x = 2.5 on [-5, 5]
    assert abs((height - 1 - row) - 0.25 * (height - 1)) <= 1  # y = -1 on [-2, 2]
    assert "your answer (2.5, −1)" in c.text.plain


@pytest.mark.parametrize("values, n, point", [
    ({"guess": 3.5}, 1, (3.5,)),
    ({"guess": (1, 2)}, 2, (1.0, 2.0)),
    ({"guess": [1, 2]}, 2, (1.0, 2.0)),
    ({"guess": np.array([1.0, 2.0])}, 2, (1.0, 2.0)),
    ({}, 1, None),
    ({"guess": (1, 2)}, 1, None),  # a point on a 1-D chart
    ({"guess": 3.5}, 2, None),
    ({"guess": float("nan")}, 1, None),
    ({"guess": "3"}, 1, None),
    ({"guess": None}, 1, None),
])
def test_guess_point_reads_the_value_leniently(values, n, point):
    assert guess_point(values, n) == point
