"""1-D charts read as text: where the marks land, what the legend and status line say."""

from __future__ import annotations

import numpy as np

from gdtui.charts import ChartTheme, render_plot, status_line
from gdtui.charts.data import ERROR_H, error_vs_h

MONO = ChartTheme(colour=False)
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


def braille_cols(row: str) -> list[int]:
    return [c for c, ch in enumerate(row) if ch in BRAILLE]


def test_parabola_minimum_is_bottom_centre_and_arms_reach_the_top(plot, chart):
    c = chart(render_plot(plot("x**2 + 1", x_range=(-1, 1)), {}, 80, 24, MONO))
    area = c.area
    width = len(area[0])
    bottom = max(r for r, row in enumerate(area) if braille_cols(row))
    cols = braille_cols(area[bottom])
    assert bottom >= len(area) - 2
    assert abs(sum(cols) / len(cols) - width / 2) < width * 0.1
    top_cols = braille_cols(area[0]) + braille_cols(area[1])
    assert min(top_cols) < width * 0.1 and max(top_cols) > width * 0.9


def test_undefined_part_is_left_blank(plot, chart):
    # sqrt is undefined for x < 0: nothing is drawn on the left half, no line joins the gap
    c = chart(render_plot(plot("sqrt(x) + 1", x_range=(-1, 1)), {}, 80, 24, MONO))
    width = len(c.area[0])
    marks = [col for row in c.area for col in braille_cols(row)]
    assert marks and min(marks) >= width // 2 - 1


def test_pole_does_not_flatten_the_curve_or_draw_a_wall(plot, chart):
    text = render_plot(plot("1/x", x_range=(-2, 2)), {}, 80, 24, MONO)
    c = chart(text)
    labels = [line[:c.axis_col].strip() for line in c.lines[c.top:c.axis_row]]
    values = [float(v.replace("−", "-")) for v in labels if v]
    assert max(abs(v) for v in values) < 100  # robust range, not ±1e3 from the samples next to 0
    rows_with_centre_mark = [row for row in c.area if set(row[len(row) // 2 - 1:len(row) // 2 + 2]) & BRAILLE]
    assert len(rows_with_centre_mark) < len(c.area)  # no vertical wall through the pole


def test_tangent_equation_in_legend_and_status(plot):
    spec = plot("x**2", layers=("function", "tangent"), values={"tangent_at": 0.5})
    text = render_plot(spec, {}, 80, 24).plain
    assert "y = 1·x − 0.25" in text
    assert status_line(spec, {}) == "x = 0.5  f(x) = 0.25  f′(x) = 1  tangent y = 1·x − 0.25"


def test_tangent_follows_the_live_value(plot):
    spec = plot("x**2", layers=("function", "tangent"), values={"tangent_at": 0.5})
    assert "y = −2·x − 1" in render_plot(spec, {"tangent_at": -1}, 80, 24).plain


def test_derivative_and_second_derivative_legends(plot):
    spec = plot("x**3", layers=("function", "derivative", "second_derivative"), x_range=(-2, 2))
    text = render_plot(spec, {}, 100, 30).plain
    assert "f′(x) = 3·x²" in text and "f″(x) = 6·x" in text


def test_secant_slope(plot):
    spec = plot("x**2", layers=("function", "secant"), values={"tangent_at": 1, "h": 0.5})
    assert "secant h = 0.5: slope 2.5" in render_plot(spec, {}, 100, 30).plain


DESCENT = dict(f="x**2 + 2*x + 1", layers=("function", "tangent", "path"), x_range=(-4, 6),
               values={"x0": 5, "lr": 0.1, "steps": 100, "step": 2, "tangent_at": 2.84})


def test_path_highlights_the_current_step(plot, chart):
    spec = plot(**DESCENT)
    text = render_plot(spec, {}, 120, 36)
    c = chart(text)
    rows = [r for r, line in enumerate(c.lines) if r > 2 and "◆" in line]
    assert len(rows) == 1
    row = rows[0]
    style = c.style_at(row, c.lines[row].index("◆"))
    assert style.reverse and style.bold
    assert "x₂" in c.lines[row] and "x₀" in text.plain and "○" in text.plain
    later = chart(render_plot(spec, {"step": 20}, 120, 36))
    moved = [r for r, line in enumerate(later.lines) if r > 2 and "◆" in line]
    assert moved and moved[0] > row  # step 20 is lower on the curve than step 2


def test_status_line_of_a_descent(plot):
    spec = plot(**{**DESCENT, "layers": ("function", "path")})
    assert status_line(spec, {}) == "x₀ = 5  η = 0.1  step k = 2  xₖ = 2.84  f(xₖ) = 14.75  |f′| = 7.68"


def test_status_line_reports_divergence(plot):
    spec = plot("x**2", layers=("function", "path"), values={"x0": 2, "lr": 1.5, "steps": 2000})
    line = status_line(spec, {})
    assert "diverged at step" in line
    assert "diverged at step" in render_plot(spec, {}, 100, 30).plain


def test_loss_switches_to_log_scale_for_a_converging_run(plot):
    spec = plot("x**2", layers=("function", "path", "loss"), x_range=(-3, 3), values={"x0": 2, "lr": 0.1})
    assert "log scale" in render_plot(spec, {}, 120, 36).plain


def test_error_vs_h_has_its_v_shape(plot):
    err = error_vs_h("sin(x)", ("x",), (), 1.0, "forward")
    best = int(np.nanargmin(err))
    assert 1e-10 < ERROR_H[best] < 1e-6  # the bottom of the V is near √ε
    assert err[0] > err[best] * 100 and err[-1] > err[best] * 100
    text = render_plot(plot("sin(x)", layers=("error_vs_h",), values={"tangent_at": 1}), {}, 80, 24).plain
    assert "log–log" in text and "10⁻⁸" in text and "forward" in text and "central" in text


def test_a_param_of_f_is_used(plot):
    spec = plot("a*x**2", layers=("function", "tangent"), params={"a": 3.0}, values={"tangent_at": 1})
    assert "y = 6·x − 3" in render_plot(spec, {}, 80, 24).plain
    assert "y = 2·x − 1" in render_plot(spec, {"a": 1.0}, 80, 24).plain
