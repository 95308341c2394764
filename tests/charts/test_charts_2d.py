"""2-D charts: contour levels, the gradient field, paths and races, read from their text."""

from __future__ import annotations

import pytest

from gdtui.charts import RACE_MARKERS, ChartTheme, render_plot, status_line
from gdtui.charts.layers_2d import ARROWS

MONO = ChartTheme(colour=False)
BOWL = dict(f="x**2 + 3*y**2", variables=("x", "y"), x_range=(-4, 4), y_range=(-4, 4))
ROSENBROCK = dict(f="(1 - x)**2 + 100*(y - x**2)**2", variables=("x", "y"), x_range=(-2, 2), y_range=(-1, 3))


def test_contour_varies_across_the_grid(plot, chart):
    text = render_plot(plot(layers=("contour",), **BOWL), {}, 80, 24)
    c = chart(text)
    area = c.area
    marked_rows = [row for row in area if c.marked(row)]
    assert len(marked_rows) > len(area) * 0.6
    assert len(set(area)) > len(area) * 0.6  # rows differ from each other
    colours = {span.style.color for span in text.spans if span.style.color is not None}
    assert len(colours) >= 5  # several level colours, besides axes


def test_contour_rings_around_the_minimum(plot, chart):
    c = chart(render_plot(plot(layers=("contour",), **BOWL), {}, 80, 24, MONO))
    area = c.area
    mid_row = area[len(area) // 2]
    centre = len(mid_row) // 2
    left = c.marked(mid_row[:centre])
    right = c.marked(mid_row[centre:])
    assert len(left) >= 3 and len(right) >= 3  # level lines cross the middle row on both sides


def test_gradient_field_points_uphill(plot, chart):
    spec = plot(layers=("gradient_field",), f="x**2 + y**2", variables=("x", "y"), x_range=(-2, 2),
                y_range=(-2, 2))
    text = render_plot(spec, {}, 80, 24, MONO)
    c = chart(text)
    area = c.area
    width = len(area[0])
    right = "".join(row[int(width * 0.7):] for row in area)
    left = "".join(row[:int(width * 0.3)] for row in area)
    assert "→" in right and "←" not in right
    assert "←" in left and "→" not in left
    assert set("".join(area)) & set(ARROWS)
    assert "∇f (uphill)" in text.plain


def test_path_over_contour_marks_start_and_current(plot):
    spec = plot(layers=("contour", "path"), values={"x0": -3, "y0": 3, "lr": 0.1, "steps": 100, "step": 5},
                **BOWL)
    text = render_plot(spec, {}, 120, 36).plain
    assert "○" in text and "◆" in text and "x₅" in text
    line = status_line(spec, {})
    assert line.startswith("(x₀, y₀) = (−3, 3)  η = 0.1  step k = 5  (xₖ, yₖ) = (")
    assert "‖∇f‖ = " in line


def test_race_without_colour_has_a_marker_per_optimizer(plot, chart):
    spec = plot(layers=("contour", "path", "loss"), optimizers=("sgd", "momentum", "adam"),
                values={"x0": -1.5, "y0": 2, "lr": 0.001, "steps": 200, "step": 150}, **ROSENBROCK)
    text = render_plot(spec, {}, 120, 36, MONO)
    assert all(span.style.color is None for span in text.spans)
    c = chart(text)
    inside = "".join(c.area)
    for marker in RACE_MARKERS[:3]:
        assert marker in inside
    legend = "\n".join(text.plain.split("\n")[:3])
    for marker, name in zip(RACE_MARKERS, ("sgd", "momentum", "adam")):
        assert f"{marker} {name}" in legend
    status = status_line(spec, {})
    assert "sgd: f = " in status and "momentum: f = " in status and "adam: f = " in status


def test_race_in_colour_gives_each_optimizer_its_colour(plot):
    spec = plot(layers=("contour", "path"), optimizers=("sgd", "momentum", "adam"),
                values={"x0": -1.5, "y0": 2, "lr": 0.001, "steps": 100}, **ROSENBROCK)
    text = render_plot(spec, {}, 120, 36)
    by_marker = {}
    for span in text.spans:
        piece = text.plain[span.start:span.end]
        for marker in RACE_MARKERS[:3]:
            if marker in piece and span.style.color is not None:
                by_marker.setdefault(marker, set()).add(span.style.color.name)
    assert len(by_marker) == 3
    assert len({min(colours) for colours in by_marker.values()}) == 3


def test_function_undefined_everywhere_gives_a_message(plot):
    spec = plot(layers=("contour",), f="sqrt(-x*x - y*y - 1)", variables=("x", "y"), x_range=(-2, 2))
    assert "undefined" in render_plot(spec, {}, 80, 24).plain


def test_equal_aspect_widens_the_narrow_range_so_units_per_dot_match():
    from gdtui.charts.base import Box
    from gdtui.charts.layers_2d import _equal_aspect

    box = Box(0, 0, 25, 70)
    xr, yr = _equal_aspect((-5.0, 5.0), (-2.0, 2.0), box)
    rows, cols = 23, 70 - 3 - 1  # y labels such as "−2" take 2 columns and a gap
    assert xr == (-5.0, 5.0) and yr[0] < -2.0 and yr[1] > 2.0 and yr[0] == -yr[1]
    assert (xr[1] - xr[0]) / (2 * cols) == pytest.approx((yr[1] - yr[0]) / (4 * rows), rel=0.05)
    tall = _equal_aspect((-1.0, 1.0), (-5.0, 5.0), box)
    assert tall[1] == (-5.0, 5.0) and tall[0][1] > 1.0  # the other way round: x widens


def test_a_plot_with_equal_aspect_draws_its_wider_window(plot):
    bowl = dict(variables=("x", "y"), layers=("contour",), x_range=(-5, 5), y_range=(-2, 2))
    plain = render_plot(plot("x**2 + 10*y**2", values={"aspect": "equal"}, **bowl), {}, 70, 25).plain
    auto = render_plot(plot("x**2 + 10*y**2", **bowl), {}, 70, 25).plain

    def rows_between_ticks(text):
        lines = text.splitlines()
        top = next(i for i, line in enumerate(lines) if line.startswith(" 2┤"))
        bottom = next(i for i, line in enumerate(lines) if line.startswith("−2┤"))
        return bottom - top

    # y from −2 to 2 fills the auto chart's height; with equal aspect the axis reaches past ±2
    assert rows_between_ticks(plain) < rows_between_ticks(auto) - 5
