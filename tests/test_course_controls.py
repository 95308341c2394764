"""Every value a lesson's prose names for a chart ("η = 0.5", "x₀ = −3") can be set with the chart's keys.

The walk presses ← and → through the same rule as the app (`nudge`), from each control's start value."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdtui.check.reach import named_values, reachable, unreachable
from gdtui.course.model import Control
from gdtui.course.parse import load_course, parse_lesson
from gdtui.paths import bundled_lessons

COURSE = load_course(bundled_lessons("en"))
LESSON = """---
id: t
title: T
---
At η = 0.5 descent lands in one step; at η = 1 it bounces; at η = 0.1 it glides. Also x₀ = 2.

```plot
f: x**2
x: [-2, 2]
layers: [function, path]
x0: 2
lr: 0.1
controls:
  lr: {range: [0.01, 1.2], log: true, step: 1.2589}
```
"""


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=[lesson.id for lesson in COURSE.lessons])
def test_every_value_the_prose_names_is_reachable(lesson):
    missing = [f"{lesson.path.name}:{n.line}: {n.label} = {n.value:g} on '{n.plot.id}'" for n in unreachable(lesson)]
    assert missing == []


def test_the_walk_finds_the_values_the_course_is_about():
    named = {(lesson.id, n.label, n.value) for lesson in COURSE.lessons for n in named_values(lesson)}
    for expected in [("learning-rate", "η", 0.5), ("learning-rate", "η", 1.0), ("learning-rate", "η", 0.9),
                     ("local-minima", "η", 0.2)]:
        assert expected in named, f"{expected} is not named beside its chart any more"


def test_a_log_ladder_that_skips_the_values_is_caught(tmp_path: Path):
    path = tmp_path / "01-t.md"
    path.write_text(LESSON, encoding="utf-8")
    lesson, errors = parse_lesson(path)
    assert errors == []
    names = [(n.label, n.value) for n in named_values(lesson)]
    assert names == [("η", 0.5), ("η", 1.0), ("η", 0.1)]  # x₀ has no control here
    assert [(n.label, n.value) for n in unreachable(lesson)] == [("η", 0.5), ("η", 1.0)]


def test_a_linear_control_reaches_its_grid_and_both_ends():
    control = Control("lr", 0.02, 1.2, 0.02)
    values = reachable(control, 0.1)
    assert len(values) == 60
    assert {0.02, 0.5, 0.9, 1.0, 1.2} <= set(values)


def test_a_log_control_is_walked_from_its_start_and_from_the_ends_it_hits():
    control = Control("lr", 0.01, 1.0, 10.0, log=True)
    assert [round(v, 12) for v in reachable(control, 0.1)] == [0.01, 0.1, 1.0]
    clipped = reachable(Control("lr", 0.01, 0.5, 10.0, log=True), 0.1)  # 0.1 → 1 is held at 0.5, then 0.05
    assert {round(v, 12) for v in clipped} == {0.01, 0.05, 0.1, 0.5}


def test_the_walk_is_bounded_by_a_count():
    control = Control("x0", 0.0, 1.0, 1e-7)
    assert len(reachable(control, 0.5, most=300)) <= 302


def test_gdtui_check_warns_at_the_line_of_the_unreachable_value(tmp_path: Path):
    import io

    from gdtui.check import run_check

    path = tmp_path / "01-t.md"
    path.write_text(LESSON, encoding="utf-8")
    out = io.StringIO()
    assert run_check([path], out) == 0  # a warning, not an error
    lines = out.getvalue().splitlines()
    assert f"{path}:5: warning: the prose names η = 0.5, but the control lr of plot 'plot-1' cannot be set to it" \
           " (give the control a range and step that reach it)" in lines
    assert lines[-1].endswith("0 errors, 2 warnings")
