"""The capacity layer: the chosen degree's fit over the points, every degree's two errors beside it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gdtui.charts import compute, render_plot, status_line
from gdtui.check.plots import check_plot
from gdtui.course.parse import parse_lesson

LESSON = """---
id: over
title: Overfitting
---
Twelve points.

```plot
id: overfit
data: {{kind: polynomial, n: 12, {held} noise: 0.6, seed: 3}}
x: [-3, 3]
layers: [data, capacity]
degree: {degree}
controls:
  degree: [0, {hi}]
```
"""


def read(held="held_out: 200,", degree=1, hi=10):
    return parse_lesson(Path("over.md"), LESSON.format(held=held, degree=degree, hi=hi))


def test_the_chart_shows_the_chosen_degree_and_every_degrees_errors():
    lesson, errors = read()
    assert not errors
    (plot,) = lesson.plots
    assert check_plot(plot) == []
    data = compute(plot, {**plot.start_values(), "degree": 2})
    table = data.capacity
    assert list(table.degrees) == list(range(11)) and table.best == 2 and data.degree == 2
    assert len(table.train.y) == 12 and len(table.held_out.y) == 200
    assert np.all(np.diff(table.train_mse) <= 1e-12)
    text = render_plot(plot, {**plot.start_values(), "degree": 9}, 76, 18).plain
    assert "best fit of degree 9" in text or "degree 9" in text
    assert "training error" in text and "held-out error" in text and "log scale" in text
    status = status_line(plot, {**plot.start_values(), "degree": 2})
    assert status.split("    ") == ["degree 2", "training MSE = 0.0701", "held-out MSE = 0.411",
                                   "lowest held-out error: degree 2"]


def test_an_author_is_told_what_the_layer_needs():
    _, errors = read(held="")
    assert any("layer 'capacity' judges each degree on fresh points: add data.held_out" in e.message for e in errors)
    _, errors = read(degree=11, hi=11)
    assert any("degree 11 needs at least 13 points (data.n is 12)" in e.message for e in errors)
    lesson, errors = read(hi=11)
    assert not errors
    (plot,) = lesson.plots
    assert check_plot(plot)[0][1:] == ("warning", "controls.degree goes to 11, but the chart fits degrees up to 10 "
                                                  "(n − 2 for 12 points, at most 12)")
