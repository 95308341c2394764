"""What a learner reads around a chart: the legend at 78 columns, the status line's values, level spacing."""

from __future__ import annotations

import numpy as np
import pytest
from rich.style import Style

from gdtui.charts import ChartTheme, compute, fmt, playable, render_plot, status_line
from gdtui.charts.base import LegendEntry
from gdtui.charts.data import ERROR_H, error_vs_h, parsed
from gdtui.charts.layers_2d import LEVELS, level_index
from gdtui.charts.legend import clip_words, pack_legend

MONO = ChartTheme(colour=False)
WIDTH = 78  # an 80-column terminal less the chart's border


def legend_text(text, rows=2) -> str:
    """The title's next rows: where the legend is drawn."""
    return "\n".join(text.plain.split("\n")[1:1 + rows])


# -- the legend ------------------------------------------------------------------------------------
def test_clip_words_cuts_at_a_word_boundary():
    assert clip_words("tangent at x = 0.5: y = 1·x − 0.25", 100) == "tangent at x = 0.5: y = 1·x − 0.25"
    assert clip_words("tangent at x = 0.5: y = 1·x − 0.25", 22) == "tangent at x = 0.5…"
    assert clip_words("tangent", 4) == "tan…"  # one word longer than the room
    assert clip_words("2.76e−9", 5) == "…" and clip_words("x=2.76e−9 rest", 6) == "…"  # a number: whole or none
    assert clip_words("abc", 0) == ""


def entry(label, short="", keep=0):
    return LegendEntry("──", Style(), label, short, keep)


def test_legend_shortens_the_longest_entries_first_and_keeps_what_asks_to_be_kept():
    entries = [entry("f′(x) = 3·x² − 3", "f′(x)", keep=2), entry("tangent at x = 1.5: y = 3.75·x − 6.75",
                                                                 "tangent at x = 1.5"), entry("start")]
    rows = pack_legend(entries, 60, 1)
    labels = [label for _, _, _, label in rows[0]]
    assert labels == ["f′(x) = 3·x² − 3", "tangent at x = 1.5", "start"]
    assert len(pack_legend(entries, 200, 1)[0]) == 3 and pack_legend(entries, 200, 1)[0][1][3].endswith("6.75")


def test_legend_that_cannot_fit_ends_in_an_ellipsis_not_mid_word():
    entries = [entry(f"series number {i}") for i in range(8)]
    rows = pack_legend(entries, 40, 1)
    assert len(rows) == 1 and rows[0][-1][1] == "…"
    end = rows[0][-1][0]
    assert end < 40 and all(col + len(s) + 1 + len(t) <= end for col, s, _, t in rows[0][:-1])


@pytest.mark.parametrize("height", [13, 14, 16])
def test_two_dimensional_legend_fits_at_78_columns(plot, height):
    spec = plot("x**2 + c*y**2", variables=("x", "y"), layers=("contour", "gradient_field", "path"),
                x_range=(-5, 5), y_range=(-5, 5), params={"c": 1}, values={"x0": 3, "y0": 4, "steps": 1, "step": 0})
    legend = legend_text(render_plot(spec, {}, WIDTH, height, MONO), rows=1)
    for label in ("levels of f", "∇f (uphill)", "path", "start", "k = 0"):
        assert label in legend
    assert "…" not in legend and "minimum" not in legend


def test_a_race_legend_names_every_optimizer_at_78_columns(plot):
    spec = plot("x**2 - y**2", variables=("x", "y"), layers=("contour", "path"), x_range=(-1.5, 1.5),
                y_range=(-1.5, 1.5), optimizers=("sgd", "momentum", "rmsprop", "adam"),
                values={"x0": 1, "y0": 1e-8, "lr": 0.1, "steps": 80})
    legend = legend_text(render_plot(spec, {}, WIDTH, 14, MONO), rows=1)
    for name in ("sgd", "momentum", "rmsprop", "adam", "start"):
        assert name in legend


def test_tangent_legend_is_shortened_whole_at_78_columns(plot):
    spec = plot("x**4 - 2*x**2", layers=("function", "second_derivative", "tangent"), x_range=(-1.7, 1.7),
                values={"tangent_at": -1.4})
    legend = legend_text(render_plot(spec, {}, WIDTH, 14, MONO), rows=1)
    assert "f″(x) = 12·x² − 4" in legend and "tangent at x = −1.4" in legend and "…" not in legend


def test_a_tall_chart_gives_a_long_legend_a_third_row(plot):
    spec = plot("x**3 - 3*x", layers=("function", "derivative", "tangent", "secant", "error_vs_h", "path", "loss"),
                x_range=(-5, 5), values={"tangent_at": 1.5, "h": 0.5, "x0": 4, "lr": 0.02})
    tall = render_plot(spec, {}, 70, 30, MONO).plain.split("\n")
    assert "f′(x) = 3·x² − 3" in "\n".join(tall[1:4]) and "central" in "\n".join(tall[1:4])
    short = render_plot(spec, {}, 70, 20, MONO).plain.split("\n")
    assert "f′(x)" in "\n".join(short[1:3]) and "┤" in short[3] + short[4]  # two rows only: shortened


# -- the status line -------------------------------------------------------------------------------
def test_params_of_f_are_in_the_status_line(plot):
    one = plot("a*x**3 + b*x**4", layers=("function", "tangent"), params={"a": 1, "b": 0.5},
               values={"tangent_at": 0})
    assert status_line(one, {}).startswith("a = 1  b = 0.5")
    assert status_line(one, {"b": -1}).startswith("a = 1  b = −1")
    two = plot("x**2 + c*y**2", variables=("x", "y"), layers=("contour", "path"), params={"c": 2},
               values={"x0": 3, "y0": 4})
    assert status_line(two, {}).startswith("c = 2    (x₀, y₀) = (3, 4)")
    alone = plot("abs(x - o)", layers=("function",), params={"o": 15})
    assert status_line(alone, {}) == "o = 15    f(x) = |x − o|"


def test_error_vs_h_status_gives_the_errors_not_a_tangent(plot):
    spec = plot("sin(x)", layers=("error_vs_h",), x_range=(0, 3), values={"tangent_at": 0.5})
    line = status_line(spec, {})
    assert "tangent" not in line and line.startswith("x = 0.5  f′(x) = 0.8776")
    names = ("x",)
    for method in ("forward", "central"):
        err = error_vs_h("sin(x)", names, (), 0.5, method)
        best = int(np.nanargmin(err))
        assert f"{method}: error {fmt.num(err[best], 2)} at h ≈ {fmt.num(ERROR_H[best], 1)}" in line


def test_error_vs_h_status_at_the_plots_h(plot):
    spec = plot("sin(x)", layers=("error_vs_h",), x_range=(0, 3), values={"tangent_at": 0.5, "h": 1e-3})
    line = status_line(spec, {})
    forward = abs((np.sin(0.501) - np.sin(0.5)) / 1e-3 - np.cos(0.5))
    assert "h = 0.001" in line and f"forward error = {fmt.num(forward, 2)}" in line
    assert "◆ h = 0.001" in render_plot(spec, {}, WIDTH, 16, MONO).plain  # marked on the chart too


def test_second_derivative_layer_adds_f_double_prime(plot):
    spec = plot("x**4 - 2*x**2", layers=("function", "second_derivative", "tangent"), values={"tangent_at": -1.4})
    assert "f″(x) = 19.52" in status_line(spec, {})  # 12·1.96 − 4
    descent = plot("sin(x) + 0.5*x**2", layers=("function", "second_derivative", "path"), x_range=(-6, 6),
                   values={"x0": 5, "lr": 0.1, "steps": 60})
    data = compute(descent, {})
    xk = data.runs["sgd"].xs[data.step, 0]
    assert f"f″(xₖ) = {1 - np.sin(xk):.4g}" in status_line(descent, {})


def test_regression_status_gives_every_method_loss_under_a_loss_layer(plot):
    spec = plot("", layers=("loss",), data={"model": "linear", "method": "minibatch"},
                values={"lr": 0.05, "steps": 20, "batch_size": 10})
    line = status_line(spec, {})
    assert line.startswith("minibatch") and "epoch k = 20" in line and "w = " in line
    assert "batch MSE = " in line and "stochastic MSE = " in line


# -- playing ---------------------------------------------------------------------------------------
def test_which_charts_have_steps_to_play(plot):
    fit = plot("", layers=("data", "fit"), data={"model": "linear"}, values={"lr": 0.01, "steps": 50, "step": 0})
    assert playable(fit) and compute(fit, {}).last_step == 50
    assert playable(plot("", layers=("loss",), data={"model": "linear"}))
    assert not playable(plot("", layers=("data",), data={"model": "linear"}))
    assert playable(plot("x**2", layers=("function", "path")))
    assert not playable(plot("x**2", layers=("function", "tangent")))
    assert not playable(plot("x*y", variables=("x", "y"), layers=("contour",)))


# -- contour levels --------------------------------------------------------------------------------
def grid(f: str, lo=-1.5, hi=1.5, n=80):
    x = np.linspace(lo, hi, n)
    return np.asarray(parsed(f, ("x", "y"))(x[None, :], x[:, None]), dtype=float)


def test_a_saddle_gets_levels_on_both_sides_of_zero():
    z = grid("x**2 - y**2")
    idx = level_index(z)
    below, above = set(idx[z < -0.05].tolist()), set(idx[z > 0.05].tolist())
    assert len(below) >= 3 and len(above) >= 3 and max(below) < min(above)  # f = 0 is a level boundary
    # symmetric function, symmetric levels: as many levels below zero as above
    assert len(below) == len(above) == LEVELS // 2


def test_a_bowl_crowds_its_levels_towards_the_minimum():
    z = grid("x**2 + y**2")
    idx = level_index(z)
    spans = [np.ptp(z[idx == k]) for k in range(LEVELS - 1)]  # the top level takes the rest: left out
    assert spans == sorted(spans) and spans[0] < spans[-1] / 5  # finer near the minimum (log-like)


def test_lowest_values_on_the_edge_get_even_levels():
    x = np.linspace(-2, 2, 80)
    y = np.linspace(3, 0, 60)
    z = x[None, :] ** 2 * y[:, None]  # x²y over y ≥ 0: its lowest values lie on the edge y = 0
    idx = level_index(z)
    top = np.percentile(z, 98)
    for k in range(1, LEVELS - 1):  # each level spans about an equal share of the values
        span = z[idx == k]
        assert span.max() - span.min() == pytest.approx(top / LEVELS, rel=0.35)


def test_in_a_race_sgd_stays_plain_when_the_plot_sets_momentum():
    from types import SimpleNamespace

    from gdtui.charts import compute

    spec = SimpleNamespace(f="x**2 + y**2", variables=("x", "y"), layers=("contour", "path"),
                           x_range=(-4.0, 4.0), y_range=(-4.0, 5.0), optimizers=("sgd", "momentum"),
                           data=None, title=None, values={}, params={})
    runs = compute(spec, {"x0": -3.0, "y0": 4.0, "lr": 0.1, "steps": 5, "momentum": 0.5}).runs
    # plain descent on x²+y² multiplies the point by (1 − 2η) = 0.8 at each step
    assert runs["sgd"].xs[1] == pytest.approx([-2.4, 3.2])
    assert runs["sgd"].xs[2] == pytest.approx([-1.92, 2.56])
    assert runs["momentum"].xs[2].tolist() != runs["sgd"].xs[2].tolist()


def test_a_gradient_too_long_for_one_expression_still_runs(monkeypatch):
    from types import SimpleNamespace

    from gdtui.charts import data
    from gdtui.course import runs
    from gdtui.engine.expr import ExprError

    def too_long(*args):
        raise ExprError("too long")

    spec = SimpleNamespace(f="x**2 + 3*y**2", variables=("x", "y"), layers=("contour", "path"),
                           x_range=(-4.0, 4.0), y_range=(-4.0, 4.0), optimizers=("sgd",), data=None,
                           title=None, values={}, params={})
    values = {"x0": 2.0, "y0": 1.0, "lr": 0.1, "steps": 3}
    expected = data.compute(spec, values).runs["sgd"].xs.tolist()
    runs.trajectory.cache_clear()
    monkeypatch.setattr(runs, "gradient_vector", too_long)
    run = runs.Descent("sgd", (2.0, 1.0), 0.1, 3)
    assert runs.trajectory("x**2 + 3*y**2", ("x", "y"), (), run).xs.tolist() == expected
    assert expected[1] == pytest.approx([2.0 - 0.1 * 4.0, 1.0 - 0.1 * 6.0])


def _bowl_spec():
    from types import SimpleNamespace

    return SimpleNamespace(f="x**2", variables=("x",), layers=("function", "path"), x_range=(-4.0, 4.0),
                           y_range=None, optimizers=(), data=None, title=None, values={}, params={})


def test_a_cosine_schedule_glides_over_the_whole_run():
    # η_k = ½η₀(1 + cos(πk/T)) with T = the run's steps: on x², x_{k+1} = (1 − 2η_k)·x_k
    run = compute(_bowl_spec(), {"x0": 3.0, "lr": 0.1, "steps": 400, "schedule": "cosine"}).runs["sgd"]
    x = 3.0
    for k in range(400):
        x *= 1 - 2 * (0.05 * (1 + np.cos(np.pi * k / 400)))
    assert run.xs[-1][0] == pytest.approx(x, rel=1e-12)
    assert run.steps_run == 400


def test_schedule_options_come_from_the_plots_values():
    from gdtui.course.runs import schedule_of

    assert schedule_of({"schedule": "constant"}, 100) is None
    assert schedule_of({}, 100) is None
    assert schedule_of({"schedule": "cosine"}, 250) == ("cosine", (("T_max", 250),))
    assert schedule_of({"schedule": "step", "step_size": 5.0, "gamma": 0.5}, 100) == \
        ("step", (("gamma", 0.5), ("step_size", 5)))
    # a step schedule halving η every 2 steps on x²: factors (1 − 2η) with η = 0.1, 0.1, 0.05, 0.05
    run = compute(_bowl_spec(), {"x0": 1.0, "lr": 0.1, "steps": 4, "schedule": "step", "step_size": 2,
                                 "gamma": 0.5}).runs["sgd"]
    assert run.xs[-1][0] == pytest.approx(0.8 * 0.8 * 0.9 * 0.9)


def test_a_bad_schedule_option_is_a_problem_not_a_crash():
    data = compute(_bowl_spec(), {"x0": 1.0, "lr": 0.1, "steps": 4, "schedule": "step", "step_size": 0})
    assert not data.runs and "step_size" in " ".join(data.problems)


def test_in_a_race_an_optimizer_may_have_its_own_learning_rate():
    from types import SimpleNamespace

    spec = SimpleNamespace(f="x**2 + y**2", variables=("x", "y"), layers=("contour", "path"),
                           x_range=(-4.0, 4.0), y_range=(-4.0, 5.0), optimizers=("sgd", "adam"),
                           data=None, title=None, values={}, params={})
    values = {"x0": -3.0, "y0": 4.0, "lr": 0.1, "lr_adam": 0.5, "steps": 3}
    runs = compute(spec, values).runs
    assert runs["sgd"].lr == 0.1 and runs["adam"].lr == 0.5
    assert runs["sgd"].xs[1] == pytest.approx([-2.4, 3.2])  # (1 − 2η)·x with the shared η
    assert runs["adam"].xs[1] == pytest.approx([-2.5, 3.5])  # Adam's first step is η·sign(g) per coordinate
    line = status_line(spec, values)
    assert "η = 0.1" in line and "adam (η 0.5): f = " in line and "sgd: f = " in line


def test_the_course_knows_an_own_learning_rate_for_every_optimizer():
    from gdtui.course.model import NUMBER_VALUES
    from gdtui.engine.optimizers import OPTIMIZERS

    assert {f"lr_{name}" for name in OPTIMIZERS} <= set(NUMBER_VALUES)
