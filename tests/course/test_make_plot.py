"""make_plot (typed values in, a Plot out) and course.runs (what a plot's runs are): one meaning for the lesson
parser, the playground, the charts and `gdtui check`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gdtui.charts import compute
from gdtui.check.plots import check_plot
from gdtui.course import runs
from gdtui.course.model import Control
from gdtui.course.parse import parse_lesson
from gdtui.course.plots import PlotFields, PlotProblem, make_plot, nice_step

RACE = """f: x**2 + 3*y**2
x: [-4, 4]
y: [-3, 3]
layers: [contour, path]
x0: 3
y0: 2
schedule: step
step_size: 2
gamma: 0.5
optimizers: [sgd, momentum]
momentum: 0.5
controls: {x0: [-4, 4]}
"""


def lesson_plot(tmp_path: Path, block: str = RACE):
    """The plot of a one-plot lesson holding `block`."""
    path = tmp_path / "01-t.md"
    path.write_text(f"---\nid: t\ntitle: T\n---\n```plot\nid: p\n{block}```\n", encoding="utf-8")
    lesson, errors = parse_lesson(path)
    assert errors == []
    return lesson.plots[0]


def test_typed_fields_make_the_plot_the_yaml_makes(tmp_path):
    parsed = lesson_plot(tmp_path)
    typed = make_plot(PlotFields(
        f="x**2 + 3*y**2", x_range=(-4.0, 4.0), y_range=(-3.0, 3.0), layers=("contour", "path"),
        values={"x0": 3.0, "y0": 2.0, "schedule": "step", "step_size": 2, "gamma": 0.5, "momentum": 0.5},
        optimizers=("sgd", "momentum"), controls=(Control("x0", -4.0, 4.0, None),), id="p"))
    for name in ("f", "variables", "layers", "x_range", "y_range", "optimizers", "params", "data"):
        assert getattr(typed, name) == getattr(parsed, name), name
    assert typed.controls == tuple(replace(c, line=0) for c in parsed.controls)  # no lines: nothing invented
    assert dict(typed.values) == dict(parsed.values)
    assert typed.values["steps"] == 50 and typed.values["lr"] == 0.1  # the documented defaults, filled in
    assert typed.controls[0].step == 0.05  # a hundredth of the range, rounded down to 1, 2 or 5


def test_typed_fields_with_problems_raise_with_every_message():
    with pytest.raises(PlotProblem) as caught:
        make_plot(PlotFields(f="x**2", x_range=(-1.0, 1.0), layers=("contour",), values={"optimizer": "newton"}))
    message = str(caught.value)
    assert "optimizer: unknown optimizer 'newton'" in message
    assert "layers: layer 'contour' needs a function of x and y" in message
    with pytest.raises(PlotProblem, match="layers: layer 'tangent' needs tangent_at"):
        make_plot(PlotFields(f="x**2", x_range=(-1.0, 1.0), layers=("function", "tangent")))
    with pytest.raises(PlotProblem, match="f: unknown name 'z'"):
        make_plot(PlotFields(f="x + z", x_range=(-1.0, 1.0)))
    with pytest.raises(PlotProblem, match="controls.x0: the start value 9 is outside"):
        make_plot(PlotFields(f="x**2", x_range=(-1.0, 1.0), layers=("function", "path"), values={"x0": 9.0},
                             controls=(Control("x0", -1.0, 1.0, None),)))


def test_nice_step_rounds_down_to_one_two_or_five():
    assert [nice_step(r) for r in (0.37, 0.1, 2.2, 7, 0.06)] == [0.2, 0.1, 2, 5, 0.05]
    assert nice_step(0) == nice_step(float("nan")) == 0.1


def test_a_plot_without_steps_runs_the_documented_default_on_screen_too():
    plot = make_plot(PlotFields(f="x**2", x_range=(-2.0, 2.0), layers=("function", "path"), values={"x0": 1.0}))
    assert compute(plot).runs["sgd"].steps_run == runs.DESCENT_DEFAULTS["steps"] == 50
    bare = make_plot(PlotFields(f="x**2", x_range=(-2.0, 2.0), layers=("function",)))  # a spec with no steps
    assert runs.descents(bare, {"x0": 1.0})[0].steps == 50


def test_the_checker_runs_the_very_descents_the_chart_draws(tmp_path, monkeypatch):
    plot = lesson_plot(tmp_path)
    seen = []
    real = runs.trajectory.__wrapped__

    def recording(text, names, params, run):
        seen.append(run)
        return real(text, names, params, run)

    monkeypatch.setattr(runs, "trajectory", recording)
    assert check_plot(plot) == []
    checked, seen[:] = list(seen), []
    monkeypatch.setattr("gdtui.charts.data.trajectory", recording)
    compute(plot)
    assert checked == seen and [r.optimizer for r in checked] == ["sgd", "momentum"]
    assert checked[0].schedule == ("step", (("gamma", 0.5), ("step_size", 2)))  # the plot's own options
    assert dict(checked[1].hyper) == {"momentum": 0.5} and checked[0].hyper == ()  # sgd: the plain baseline


def test_the_checker_fits_the_data_set_the_chart_draws(tmp_path, monkeypatch):
    block = "data: {kind: linear, n: 30, seed: 7, noise: 0.2}\nlayers: [data, fit]\nsteps: 20\nlr: 0.05\n"
    plot = lesson_plot(tmp_path, block)
    seen = []
    real = runs.fit.__wrapped__
    monkeypatch.setattr(runs, "fit", lambda run: seen.append(run) or real(run))
    assert check_plot(plot) == []
    monkeypatch.setattr("gdtui.charts.data_fit.fit", lambda run: seen.append(run) or real(run))
    compute(plot)
    assert len(seen) == 2 and seen[0] == seen[1] and seen[0].epochs == 20 and seen[0].lr == 0.05
    X, y = runs.dataset(seen[0].data)
    assert len(y) == 30  # the plot's own n, seed and noise: no private data set
