"""A plot's schedule options: read with their limits, and the chart runs with them."""

from pathlib import Path

import pytest

from gdtui.charts import compute
from gdtui.course.parse import parse_lesson

PLOT = """---
id: t
title: T
---
```plot
id: sched
f: x**2
x: [-3, 3]
layers: [function, path]
x0: 2
lr: 0.1
steps: 6
schedule: step
{options}
```
"""


def plot_with(tmp_path: Path, options: str):
    path = tmp_path / "01-t.md"
    path.write_text(PLOT.format(options=options), encoding="utf-8")
    lesson, errors = parse_lesson(path)
    return lesson, [(e.line, e.message) for e in errors]


def test_step_size_and_gamma_reach_the_chart(tmp_path):
    lesson, errors = plot_with(tmp_path, "step_size: 2\ngamma: 0.5")
    assert errors == []
    plot = lesson.plots[0]
    assert plot.values["step_size"] == 2 and isinstance(plot.values["step_size"], int)
    run = compute(plot).runs["sgd"]
    # on x², x ← (1 − 2η_k)·x with η = 0.1, 0.1, 0.05, 0.05, 0.025, 0.025
    assert run.xs[-1][0] == pytest.approx(2 * 0.8**2 * 0.9**2 * 0.95**2)


@pytest.mark.parametrize("options, message", [
    ("step_size: 0", "step_size"),
    ("step_size: 2.5", "step_size"),
    ("gamma: 0", "gamma"),
    ("gamma: 1.5", "gamma"),
    ("T_max: 0", "T_max"),
    ("eta_min: -1", "eta_min"),
])
def test_bad_schedule_options_are_errors_at_their_line(tmp_path, options, message):
    _, errors = plot_with(tmp_path, options)
    assert len(errors) == 1 and errors[0][0] == 14 and message in errors[0][1]


def test_an_optimizers_own_learning_rate_is_a_plot_value(tmp_path):
    lesson, errors = plot_with(tmp_path, "lr_adam: 0.05\noptimizers: [sgd, adam]")
    assert errors == [] and lesson.plots[0].values["lr_adam"] == 0.05
    _, errors = plot_with(tmp_path, "lr_adam: 0")
    assert len(errors) == 1 and "lr_adam" in errors[0][1]


def test_aspect_is_auto_or_equal(tmp_path):
    lesson, errors = plot_with(tmp_path, "aspect: equal")
    assert errors == [] and lesson.plots[0].values["aspect"] == "equal"
    _, errors = plot_with(tmp_path, "aspect: round")
    assert len(errors) == 1 and "unknown aspect 'round' (expected one of auto, equal)" in errors[0][1]
