"""Every layer at the sizes a screen gives it; bad input; determinism; caching; theme; small pieces."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rich.cells import cell_len

from gdtui.charts import ChartTheme, compute, render_plot, status_line
from gdtui.charts import data as chart_data
from gdtui.charts.canvas import Scale, _clip, tick_step
from gdtui.charts.fmt import line_equation, num, value
from gdtui.course import runs

SPECS = {
    "function": dict(layers=("function",)),
    "derivative": dict(layers=("function", "derivative")),
    "second_derivative": dict(layers=("second_derivative",)),
    "tangent": dict(layers=("function", "tangent"), values={"tangent_at": 0.3}),
    "secant": dict(layers=("function", "secant"), values={"tangent_at": 0.3, "h": 0.4}),
    "path": dict(layers=("function", "path"), values={"x0": 0.9, "lr": 0.3, "step": 3}),
    "loss": dict(layers=("function", "path", "loss"), values={"x0": 0.9, "lr": 0.3}),
    "error_vs_h": dict(layers=("function", "tangent", "error_vs_h"), f="exp(x)", values={"tangent_at": 0.5}),
    "everything_1d": dict(layers=("function", "derivative", "second_derivative", "tangent", "secant", "path",
                                  "loss", "error_vs_h"), f="sin(3*x) + x**2", values={"x0": 0.8}),
    "contour": dict(layers=("contour",), f="x**2 + 3*y**2", variables=("x", "y")),
    "gradient_field": dict(layers=("gradient_field",), f="x*y", variables=("x", "y")),
    "path_2d": dict(layers=("contour", "path"), f="x**2 + 3*y**2", variables=("x", "y"),
                    values={"x0": -0.9, "y0": 0.8, "lr": 0.1}),
    "race": dict(layers=("contour", "gradient_field", "path", "loss"), f="x**2 + 10*y**2",
                 variables=("x", "y"), optimizers=("sgd", "momentum", "rmsprop", "adam"),
                 values={"x0": -0.9, "y0": 0.8, "lr": 0.02}),
    "regression": dict(f="", layers=("data", "fit", "loss"), data={"model": "linear"},
                       values={"lr": 0.05, "steps": 20, "step": 5}),
    "polynomial": dict(f="", layers=("data", "fit"), x_range=(-3, 3), data={"model": "polynomial", "degree": 2},
                       values={"lr": 0.01, "steps": 20, "method": "minibatch"}),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (30, 8), (45, 14)])
@pytest.mark.parametrize("name", sorted(SPECS))
@pytest.mark.parametrize("colour", [True, False])
def test_every_layer_renders_at_its_size(plot, name, size, colour):
    width, height = size
    text = render_plot(plot(**SPECS[name]), {}, width, height, ChartTheme(colour=colour))
    lines = text.plain.split("\n")
    assert "could not draw" not in text.plain
    assert len(lines) == height
    assert all(cell_len(line) == width for line in lines)
    if size != (30, 8):
        assert "┤" in text.plain  # there are axes
    status_line(plot(**SPECS[name]), {})  # never raises


@pytest.mark.parametrize("name", sorted(SPECS))
def test_charts_are_deterministic(plot, name):
    spec = plot(**SPECS[name])

    def snapshot():
        text = render_plot(spec, {}, 100, 30)
        return text.plain, [(s.start, s.end, str(s.style)) for s in text.spans]

    first = snapshot()
    for cached in (chart_data.parsed, chart_data.samples_1d, chart_data.trajectory, chart_data.grid_2d,
                   runs.fit):
        cached.cache_clear()
    assert snapshot() == first
    assert snapshot() == first


def test_too_small_gives_a_short_message(plot):
    assert render_plot(plot(), {}, 29, 8).plain == "chart needs 30×8"
    assert render_plot(plot(), {}, 30, 7).plain.startswith("chart needs")
    assert render_plot(plot(), {}, 0, 0).plain == ""


@pytest.mark.parametrize("f, words", [("x**", "column"), ("x + z", "unknown name"), ("", "f:"),
                                      ("sqrt(x)", "undefined")])
def test_invalid_function_gives_a_message(plot, f, words):
    spec = plot(f, layers=("function", "tangent", "path"), x_range=(-3, -1))
    text = render_plot(spec, {}, 80, 24).plain
    assert words in text
    assert status_line(spec, {})  # a message, not an exception


def test_bad_values_do_not_raise(plot):
    spec = plot("x**2", layers=("function", "tangent", "path", "loss"),
                values={"tangent_at": "abc", "lr": None, "steps": -5, "step": 1e9, "optimizer": "nope"})
    text = render_plot(spec, {}, 80, 24).plain
    assert "could not draw" not in text
    assert "unknown optimizer" in status_line(spec, {})


def test_start_where_the_gradient_is_undefined(plot):
    spec = plot("log(x)", layers=("function", "path"), x_range=(0.1, 3), values={"x0": -1})
    assert "┤" in render_plot(spec, {}, 80, 24).plain
    assert "not finite at the starting point" in status_line(spec, {})


def test_changing_the_step_recomputes_no_descent(plot):
    spec = plot("x**2 + 2*x + 1", layers=("function", "path"), x_range=(-4, 6), values={"x0": 5, "lr": 0.1})
    render_plot(spec, {"step": 1}, 80, 24)
    misses = chart_data.trajectory.cache_info().misses
    for k in range(2, 10):
        render_plot(spec, {"step": k}, 80, 24)
    assert chart_data.trajectory.cache_info().misses == misses
    render_plot(spec, {"lr": 0.2}, 80, 24)
    assert chart_data.trajectory.cache_info().misses == misses + 1


def test_compute_exposes_runs_for_the_player(plot):
    spec = plot("x**2", layers=("function", "path"), values={"x0": 1, "lr": 0.1, "steps": 30})
    data = compute(spec, {"step": 4})
    assert data.step == 4 and data.runs["sgd"].steps_run == 30


def test_regression_status_line(plot):
    spec = plot("", layers=("data", "fit"), data={"model": "linear"}, values={"lr": 0.01, "steps": 1000})
    line = status_line(spec, {})
    assert "epoch k = 1000" in line and "w = 1.986" in line and "b = 1.001" in line  # the seed's numbers


def test_theme_from_env_honours_no_color():
    assert ChartTheme.from_env(environ={"NO_COLOR": "1"}).colour is False
    assert ChartTheme.from_env(environ={}).colour is True
    assert ChartTheme.from_env(dark=False, environ={}).dark is False


def test_theme_from_app_theme_takes_its_text_colours_and_background_but_keeps_okabe_ito():
    class AppTheme:
        primary, warning, success, error, accent, secondary = "#111111", "#222222", "", "", "", ""
        foreground, background, dark = "#eeeeee", "#121212", True

    theme = ChartTheme.from_app_theme(AppTheme(), mode="ascii")
    assert theme.highlight == "#222222" and theme.text == "#eeeeee" and theme.background == "#121212"
    assert theme.mode == "ascii" and theme.series == ()
    assert theme.series_colour(0) == "#56b4e9"  # Okabe–Ito's sky blue, readable on #121212 as it is


def test_numbers_and_equations():
    assert num(14.7456) == "14.75" and num(-0.25) == "−0.25" and num(5.0) == "5" and num(1e-9) == "1×10⁻⁹"
    assert num(float("inf")) == "∞" and num(float("nan")) == "undefined"
    assert line_equation(1.0, -0.25) == "y = 1·x − 0.25"
    assert line_equation(-2.0, 0.0) == "y = −2·x"
    # a control's value: whole numbers in full, text as it is, any other number as num writes it
    assert [value(v) for v in (10_000, -3.0, 0.25, 2.5e-7, "adam", None)] == \
        ["10000", "−3", "0.25", "2.5×10⁻⁷", "adam", "—"]


def test_ticks():
    assert tick_step(0.37) == 0.5 and tick_step(2.2) == 2.5 and tick_step(7) == 10
    assert [label for _, label in Scale(-4, 6).ticks(4)] == ["−2.5", "0", "2.5", "5.0"]
    assert [label for _, label in Scale(1e-16, 1, log=True).ticks(5)] == ["10⁻¹⁶", "10⁻¹²", "10⁻⁸", "10⁻⁴", "1"]


def test_clip_keeps_the_visible_part_of_a_steep_line():
    x0, y0, x1, y1 = _clip(np.array([0.0]), np.array([-1e12]), np.array([10.0]), np.array([1e12]), 0, 10, 0, 10)
    assert x0.size == 1 and math.isclose(x0[0], 5.0, abs_tol=1e-6) and math.isclose(y0[0], 0.0, abs_tol=1e-3)
    assert _clip(np.array([20.0]), np.array([20.0]), np.array([30.0]), np.array([30.0]), 0, 10, 0, 10)[0].size == 0


@pytest.mark.parametrize("f, layers, x_range", [
    ("x**2 + y**2", ("contour", "path"), (-1e308, 1e308)),
    ("x**2", ("function", "tangent"), (-1e308, 1e308)),
    ("x", ("function",), (-1.7e308, 1.7e308)),
    ("x", ("function",), (1e15, 1e15 + 0.25)),
])
def test_ranges_at_the_ends_of_float64_give_a_chart_or_a_sentence(plot, f, layers, x_range):
    # (hi − lo) overflows to inf here: the ticks once became a list of a billion numbers (MemoryError)
    import warnings

    spec = plot(f=f, layers=layers, x_range=x_range, y_range=None, values={"tangent_at": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and numpy says nothing on the way
        text = render_plot(spec, {}, 60, 20, ChartTheme())
    assert "MemoryError" not in text.plain and "could not draw" not in text.plain
    assert text.plain.strip() and len(text.plain.splitlines()) in (1, 20)  # a sentence, or the chart


def test_ticks_of_a_range_too_wide_for_float64_are_few_and_finite():
    assert [v for v, _ in Scale(-1e308, 1e308).ticks(6)] == [-1e308, -5e307, 0.0, 5e307, 1e308]
    assert len(Scale(0.0, 1.0).ticks(6)) == 6  # 0, 0.2, …, 1
