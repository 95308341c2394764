"""W109: the prose under a plot asks for a value its control cannot reach."""

from __future__ import annotations

import io

from gdtui.check import run_check
from gdtui.check.prose import check_prose_values
from gdtui.course.parse import parse_lesson

LESSON = """---
id: pr
title: Prose values
---
Before the first plot, its prose: set $\\eta = 50$ (out of range) or try $\\eta = 0.5$ (in range).

```plot
id: glide
f: x**2
x: [-3, 3]
layers: [function, path]
x0: 2
lr: 0.1
steps: 20
controls:
  lr: {range: [0.01, 1.2], log: true}
  x0: {range: [-3, 3], step: 0.5}
  steps: [1, 50]
```

Set $\\eta = 1.5$ and watch the path leave. Now move $x_0$ to 1.25, then try x0 = 2.5.
With $\\eta = 10$ (in the table below) nothing is asked of the chart. Set η to 0.5 and see.
Push steps to 60 for a longer run, or set the learning rate to 0.001.

```plot
id: still
f: x**2
x: [-1, 1]
```

Set $\\eta = 7$: this plot has no controls.
"""


def test_values_the_controls_cannot_reach(tmp_path):
    lesson, errors = parse_lesson(tmp_path / "p.md", LESSON)
    assert errors == []
    assert check_prose_values(lesson) == [
        (5, "the prose names \\eta = 50, but the plot 'glide' control lr cannot reach it: its range is "
            "[0.01, 1.2]; change the control or the prose"),
        (21, "the prose names \\eta = 1.5, but the plot 'glide' control lr cannot reach it: its range is "
             "[0.01, 1.2]; change the control or the prose"),
        (21, "the prose names x_0 = 1.25, but the plot 'glide' control x0 cannot reach it: its keys step by 0.5 "
             "(the nearest value is 1.5); change the control or the prose"),
        (23, "the prose names steps = 60, but the plot 'glide' control steps cannot reach it: its range is "
             "[1, 50]; change the control or the prose"),
        (23, "the prose names learning rate = 0.001, but the plot 'glide' control lr cannot reach it: its range is "
             "[0.01, 1.2]; change the control or the prose"),
    ]


def test_they_are_warnings_with_code_w109(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(LESSON, encoding="utf-8")
    out = io.StringIO()
    assert run_check([path], out, fmt="json") == 0
    assert out.getvalue().count('"code": "W109"') == 5
