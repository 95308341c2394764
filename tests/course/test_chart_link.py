"""An exercise's `chart:` field: reading it, matching it with the lesson's plot, its numbers per variant,
and what `gdtui check` says about it."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from gdtui.course import serial
from gdtui.course.chart_link import answered_values, plot_takes, shown_values
from gdtui.check import run_check
from gdtui.course.model import ChartLink, ChartValue
from gdtui.course.parse import parse_lesson
from gdtui.course.session import ExerciseSession

PLOT_1D = """```plot
id: step
f: x**2 + c*x
params: {c: 2}
x: [-6, 6]
layers: [function, path]
x0: 0
lr: 0.3
steps: 10
step: 0
controls: {step: [0, 10], lr: [0.05, 0.5]}
```
"""
PLOT_2D = """```plot
id: bowl
f: x**2 + 10*y**2
x: [-3, 3]
y: [-2, 2]
layers: [contour, path]
x0: 1
y0: 1
lr: 0.02
steps: 10
step: 0
```
"""
NUMBER = """```exercise
id: e
prompt: From {a} with {lr}?
params:
  a: {choose: [5, -2]}
  c: {choose: [2]}
  lr: {choose: [0.1]}
answer: {type: number, value: "a - lr*(2*a + c)"}
hints: [h]
solution: s
chart:
  plot: step
  shown: {c: c, x0: a, lr: lr, step: 0}
  answered: {guess: answer}
  solved: {step: 1}
```
"""
VECTOR = """```exercise
id: v
prompt: Where?
params:
  a: {choose: [1, 2]}
answer: {type: vector, value: "[a - 0.04*a, -0.2*a]"}
hints: [h]
solution: s
chart:
  plot: bowl
  shown: {x0: a, y0: -a}
  answered: {guess: answer}
  solved: {step: 1}
```
"""


def lesson_from(tmp_path: Path, *blocks: str):
    path = tmp_path / "01-t.md"
    path.write_text("---\nid: t\ntitle: T\n---\n" + "\n".join(blocks), encoding="utf-8")
    return parse_lesson(path)


def errors_of(tmp_path: Path, *blocks: str) -> list[tuple[int, str]]:
    lesson, errors = lesson_from(tmp_path, *blocks)
    return [(e.line, e.message) for e in errors]


def exercise_with(chart: str, answer: str = 'answer: {type: number, value: "a - lr*(2*a + c)"}') -> str:
    """The NUMBER exercise with another answer and chart field (lines as in NUMBER up to `chart:`)."""
    head = NUMBER.split("chart:")[0].replace('answer: {type: number, value: "a - lr*(2*a + c)"}', answer)
    return head + chart + "\n```\n"


# ---------------------------------------------------------------- reading
def test_a_link_is_read_with_its_lines(tmp_path):
    lesson, errors = lesson_from(tmp_path, PLOT_1D, NUMBER)
    assert errors == []
    link = lesson.exercise("e").chart
    assert link == ChartLink("step", 28, shown=(
        ChartValue("c", "c", 30), ChartValue("x0", "a", 30), ChartValue("lr", "lr", 30), ChartValue("step", "0", 30)),
        answered=(ChartValue("guess", "answer", 31),), solved=(ChartValue("step", "1", 32),))


def test_the_plot_may_come_after_the_exercise(tmp_path):
    lesson, errors = lesson_from(tmp_path, NUMBER, PLOT_1D)
    assert errors == [] and lesson.exercise("e").chart.plot == "step"


def test_a_vector_answer_sets_a_2d_guess_and_its_components_set_numbers(tmp_path):
    lesson, errors = lesson_from(tmp_path, PLOT_2D, VECTOR.replace("{guess: answer}", "{guess: answer, x0: answer_1 + 1}"))
    assert errors == []
    exercise = lesson.exercise("v")
    got = answered_values(exercise.chart, exercise.answer, {"a": 1.0}, (0.96, -0.2))
    assert got == {"guess": (0.96, -0.2), "x0": pytest.approx(1.96)}


@pytest.mark.parametrize("chart, line, message", [
    ("chart: {plot: nowhere, shown: {x0: a}}", 28,
     "chart.plot: no plot with the id 'nowhere' in this lesson (its plots are step)"),
    ("chart: {plot: step, shown: {x1: a}}", 28, "chart.shown.x1: plot 'step' has no value 'x1' (it takes c, x0, lr, "
                                                "steps, step, momentum, beta1, beta2, alpha, eps, guess)"),
    ("chart: {plot: step, shown: {tangent_at: a}}", 28, "chart.shown.tangent_at: plot 'step' does not use tangent_at "
                                                        "with layers function, path"),
    ("chart: {plot: step, shown: {optimizer: a}}", 28, "chart.shown.optimizer: optimizer is text; an exercise sets numbers"),
    ("chart: {plot: step, shown: {x0: z}}", 28, "chart.shown.x0: unknown name 'z' (params are a, c, lr)"),
    ("chart: {plot: step, answered: {x0: z}}", 28,
     "chart.answered.x0: unknown name 'z' (params are a, c, lr; the learner's answer is answer)"),
    ("chart: {plot: step, shown: {x0: answer}}", 28, "chart.shown.x0: 'answer' is the learner's answer, not known "
                                                     "under shown; set this value under answered"),
    ("chart: {plot: step, solved: {x0: answer}}", 28, "chart.solved.x0: 'answer' is the learner's answer, not known "
                                                      "under solved; set this value under answered"),
    ("chart: {plot: step, solved: {guess: a}}", 28,
     "chart.solved.guess: guess is the learner's answer: set it under answered"),
    ("chart: {plot: step, solved: {x1: 1}}", 28, "chart.solved.x1: plot 'step' has no value 'x1'"),
    ("chart: {plot: step, answered: {guess: a}, shown: {guess: a}}", 28,
     "chart.shown.guess: guess is the learner's answer: set it under answered"),
    ("chart: {plot: step, answered: {guess: '[answer, 1]'}}", 28,
     "chart.answered.guess: on a 1-D plot guess is one number, an x"),
    ("chart: {plot: step, answered: {x0: '2*('}}", 28, "chart.answered.x0: column"),
    ("chart: {plot: step}", 28, "chart: give the values this exercise sets on the plot"),
    ("chart: {shown: {x0: a}}", 28, "chart: missing 'plot'"),
    ("chart: {plot: step, show: {x0: a}}", 28, "chart: unknown key 'show' (did you mean 'shown'?"),
    ("chart: [step]", 28, "chart: expected a mapping"),
    ("chart:\n  plot: step\n  shown:\n    x0: a\n    lr: q", 32, "chart.shown.lr: unknown name 'q'"),
])
def test_problems_are_errors_at_their_line(tmp_path, chart, line, message):
    lesson, errors = lesson_from(tmp_path, PLOT_1D, exercise_with(chart))
    got = [(e.line, e.message) for e in errors]
    assert any(g_line == line and g_message.startswith(message) for g_line, g_message in got), got
    assert lesson.exercises == ()  # a block with an error is left out


@pytest.mark.parametrize("answer, chart, message", [
    ("answer: {type: expression, value: 2*x}", "chart: {plot: step, answered: {guess: answer}}",
     "chart.answered.guess: a expression answer cannot set chart values (number and vector answers can)"),
    ("answer: {type: vector, value: '[a, c]'}", "chart: {plot: step, answered: {x0: answer}}",
     "chart.answered.x0: x0 is one number, not a list (the answer's components are answer_1, answer_2)"),
    ("answer: {type: vector, value: '[a, c]'}", "chart: {plot: step, answered: {guess: answer}}",
     "chart.answered.guess: on a 1-D plot guess is one number, an x"),
    ("answer: {type: vector, value: '[a, c]'}", "chart: {plot: step, answered: {x0: answer_3}}",
     "chart.answered.x0: unknown name 'answer_3' (params are a, c, lr; the learner's answer is answer, answer_1, answer_2)"),
])
def test_the_answer_type_decides_what_answer_means(tmp_path, answer, chart, message):
    got = errors_of(tmp_path, PLOT_1D, exercise_with(chart, answer))
    assert [m for _, m in got] == [message], got


def test_a_2d_guess_is_a_point(tmp_path):
    got = errors_of(tmp_path, PLOT_2D, VECTOR.replace("guess: answer", "guess: answer_1"))
    assert got == [(29, "chart.answered.guess: on a 2-D plot guess is a point [x, y], such as answer for a vector answer")]


def test_a_plot_without_a_curve_cannot_draw_guess(tmp_path):
    plot = PLOT_1D.replace("layers: [function, path]", "layers: [loss]")
    got = errors_of(tmp_path, plot, NUMBER)
    assert got == [(31, "chart.answered.guess: plot 'step' cannot draw guess: it is drawn on f's curve "
                        "(layers function, tangent, secant or path)")]


def test_what_a_plot_takes_follows_its_layers(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, PLOT_2D)
    step, bowl = lesson.plots
    assert plot_takes(step) == ("c", "x0", "lr", "steps", "step", "momentum", "beta1", "beta2", "alpha", "eps", "guess")
    assert "y0" in plot_takes(bowl) and "guess" in plot_takes(bowl)


def test_a_link_survives_the_course_cache(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER)
    assert serial.loads(serial.dumps(lesson)) == lesson


# ---------------------------------------------------------------- the numbers of a variant
def test_shown_values_follow_the_params_and_whole_numbers_stay_whole(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER)
    link = lesson.exercise("e").chart
    got = shown_values(link, {"a": 5.0, "c": 2.0, "lr": 0.1})
    assert got == {"c": 2.0, "x0": 5.0, "lr": 0.1, "step": 0} and isinstance(got["step"], int)


def test_the_session_gives_the_chart_values_of_an_answer_it_could_read(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER)
    session = ExerciseSession(lesson.exercise("e"), "t", "ada")
    a = session.params["a"]
    assert session.chart_shown() == {"c": 2.0, "x0": a, "lr": 0.1, "step": 0}
    verdict = session.submit("3.5")
    assert verdict.value == (3.5,)
    assert session.chart_answered(verdict) == {"guess": 3.5}  # a wrong answer: the learner's point, not the truth
    assert session.chart_solved() == {} and "step" not in session.chart_answered(verdict)
    right = session.submit(repr(a - 0.1 * (2 * a + 2)))
    assert right.correct and session.chart_answered(right)["guess"] == pytest.approx(a - 0.1 * (2 * a + 2))
    assert session.chart_solved() == {"step": 1}  # solved: now the true step too
    assert session.chart_shown() == {"c": 2.0, "x0": a, "lr": 0.1, "step": 1}  # and so when shown again
    for unreadable in ("x1", "[1, 2]", "", "1/0"):
        verdict = session.submit(unreadable)
        assert verdict.kind == "unreadable" and verdict.value is None
        assert session.chart_answered(verdict) == {}


def test_giving_up_shows_the_truth_and_a_new_variant_hides_it(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER)
    session = ExerciseSession(lesson.exercise("e"), "t", "ada")
    session.give_up()
    assert session.chart_solved() == {"step": 1} and session.chart_shown()["step"] == 1
    session.new_variant()
    assert session.chart_solved() == {} and session.chart_shown()["step"] == 0


def test_a_new_variant_gives_new_chart_values(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER)
    session = ExerciseSession(lesson.exercise("e"), "t", "ada")
    before = session.chart_shown()["x0"]
    session.new_variant()
    assert session.chart_shown()["x0"] == session.params["a"] != before


def test_an_exercise_without_a_link_sets_nothing(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, NUMBER.split("chart:")[0] + "```\n")
    session = ExerciseSession(lesson.exercise("e"), "t", "ada")
    assert session.chart_shown() == {} and session.chart_answered(session.submit("1")) == {}


def test_values_that_cannot_be_computed_are_left_out(tmp_path):
    lesson, _ = lesson_from(tmp_path, PLOT_1D, exercise_with("chart: {plot: step, answered: {guess: answer, lr: 1/(answer - a)}}"))
    exercise = lesson.exercise("e")
    got = answered_values(exercise.chart, exercise.answer, {"a": 5.0, "c": 2.0, "lr": 0.1}, (5.0,))
    assert got == {"guess": 5.0}
    assert np.isfinite(got["guess"])


# ---------------------------------------------------------------- gdtui check
def check(tmp_path: Path, *blocks: str) -> list[str]:
    lesson_from(tmp_path, *blocks)
    out = io.StringIO()
    run_check([tmp_path / "01-t.md"], out)
    return [line.replace(str(tmp_path / "01-t.md"), "t.md") for line in out.getvalue().splitlines()]


def test_a_good_link_passes_check(tmp_path):
    assert check(tmp_path, PLOT_1D, NUMBER, PLOT_2D, VECTOR) == ["1 lesson, 2 exercises: 0 errors, 0 warnings"]


def test_check_computes_the_values_of_every_variant(tmp_path):
    chart = """chart:
  plot: step
  shown:
    lr: lr - 0.1
    steps: a/2
    x0: 2*a
  answered:
    guess: answer + 10
    step: 20"""
    assert check(tmp_path, PLOT_1D, exercise_with(chart)) == [
        "t.md:31: error: chart.shown.lr is 0, out of range (must be > 0) (when a = 5, c = 2, lr = 0.1) (and in 1 more variant)",
        "t.md:32: error: chart.shown.steps is 2.5, not a whole number (when a = 5, c = 2, lr = 0.1) (and in 1 more variant)",
        "t.md:33: warning: chart.shown.x0 is 10, outside the x range [-6, 6] (when a = 5, c = 2, lr = 0.1)",
        "t.md:35: warning: chart.answered.guess is 13.8 for the right answer, off the chart (x in [-6, 6]): widen the "
        "plot's x range (when a = 5, c = 2, lr = 0.1) (and in 1 more variant)",
        "t.md:36: warning: chart.answered.step is 20, outside the range of the plot's control [0, 10] (the first key "
        "press on it jumps into the range) (when a = 5, c = 2, lr = 0.1) (and in 1 more variant)",
        "1 lesson, 1 exercise: 2 errors, 3 warnings",
    ]
