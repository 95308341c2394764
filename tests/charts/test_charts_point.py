"""The 2-D `point` layer: a point and its gradient arrow, read from the chart's text; and what the parser and
the checker say about it."""

from __future__ import annotations

import io
import math

import pytest

from gdtui.charts import ChartTheme, render_plot
from gdtui.charts.base import CURRENT
from gdtui.charts.layers_2d import ARROWS
from gdtui.check import run_check
from gdtui.course.parse import parse_lesson

MONO = ChartTheme(colour=False)
BOWL = dict(f="x**2 + 3*y**2", variables=("x", "y"), layers=("contour", "point"), x_range=(-3, 3), y_range=(-3, 3))


def cell_of(c, glyph: str) -> tuple[int, int]:
    (found,) = [(r, col) for r, row in enumerate(c.area) for col, ch in enumerate(row) if ch == glyph]
    return found


@pytest.mark.parametrize("x0, y0", [(1.5, 1.0), (-1.0, -0.5), (2.0, -2.0), (-2.5, 0.0)])
def test_the_arrow_starts_at_the_point_and_points_uphill(plot, chart, x0, y0):
    text = render_plot(plot(values={"x0": x0, "y0": y0}, **BOWL), {}, 80, 30, MONO)
    c = chart(text)
    gx, gy = 2 * x0, 6 * y0
    cols, rows = len(c.area[0]), len(c.area)
    screen = math.atan2(gy * rows / 6 * 2.0, gx * cols / 6)  # as seen on screen: a row is twice a column
    head = ARROWS[round(screen / (math.pi / 4)) % 8]
    legend = text.plain.split("\n")[1]
    assert f"{head} ∇f = ({gx:g}, {gy:g}) (uphill)".replace("-", "−") in legend
    assert f"point ({x0:g}, {y0:g})".replace("-", "−") in legend
    point, tip = cell_of(c, CURRENT), cell_of(c, head)
    col = (x0 + 3) / 6 * (cols - 1)
    row = (3 - y0) / 6 * (rows - 1)
    assert abs(point[1] - col) <= 1 and abs(point[0] - row) <= 1
    # the tip lies from the point in the gradient's direction on screen (rows grow downwards)
    assert math.copysign(1, tip[1] - point[1]) == math.copysign(1, gx) or abs(gx) < 1e-12 or tip[1] == point[1]
    assert (tip[0] - point[0]) * gy <= 0
    assert max(abs(tip[0] - point[0]), abs(tip[1] - point[1])) >= 3


def test_the_arrow_stays_on_the_chart(plot, chart):
    c = chart(render_plot(plot(values={"x0": 2.0, "y0": 2.2}, **BOWL), {}, 80, 30, MONO))
    tip = cell_of(c, "↗")  # the head is drawn inside the area, though the full arrow would leave it
    assert tip[0] == 0 and tip[0] < cell_of(c, CURRENT)[0] - 2


def test_a_flat_point_has_no_arrow(plot, chart):
    text = render_plot(plot(values={"x0": 0.0, "y0": 0.0}, **BOWL), {}, 80, 30, MONO)
    assert "∇f = (0, 0): a flat point" in text.plain
    assert not any(a in "".join(chart(text).area) for a in ARROWS)


def test_the_parser_asks_for_the_point_and_the_checker_for_a_gradient(tmp_path):
    head = "---\nid: p\ntitle: P\n---\n```plot\nf: {f}\nx: [-1, 1]\ny: [-1, 1]\nlayers: [contour, point]\n{extra}```\n"
    _, errors = parse_lesson(tmp_path / "a.md", head.format(f="x**2 + y**2", extra="x0: 0.5\n"))
    assert [e.message for e in errors] == ["layers: layer 'point' needs y0: add 'y0: …' to the plot"]
    _, errors = parse_lesson(tmp_path / "a.md", head.format(f="x**2", extra="x0: 0.5\ny0: 0\n").replace("y: [-1, 1]\n", ""))
    assert "layers: layer 'point' needs a function of x and y" in [e.message for e in errors]
    path = tmp_path / "b.md"
    path.write_text(head.format(f="sqrt(x**2 + y**2)", extra="x0: 0\ny0: 0\n"))
    out = io.StringIO()
    assert run_check([path], out) == 1
    assert f"{path}:10: error: f has no gradient at the point (x0, y0) = (0, 0)" in out.getvalue()


def test_an_exercise_moves_the_point(tmp_path):
    text = ("---\nid: p\ntitle: P\n---\n```plot\nid: bowl\nf: x**2 + 3*y**2\nx: [-3, 3]\ny: [-3, 3]\n"
            "layers: [contour, point]\nx0: 1\ny0: 1\n```\n\n```exercise\nid: g\nprompt: What is the gradient at ({a}, 1)?\n"
            "params:\n  a: {int: [-2, 2]}\nanswer: {type: vector, value: \"[2*a, 6]\"}\nhints: [Differentiate.]\n"
            "solution: ({2*a}, 6)\nchart: {plot: bowl, shown: {x0: a, y0: 1}}\n```\n")
    path = tmp_path / "p.md"
    path.write_text(text)
    lesson, errors = parse_lesson(path)
    assert errors == [] and [v.name for v in lesson.exercises[0].chart.shown] == ["x0", "y0"]
    out = io.StringIO()
    assert run_check([path], out) == 0 and out.getvalue().endswith("0 errors, 0 warnings\n")
