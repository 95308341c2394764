"""An exercise that drives a chart, through the app: the chart takes the learner's numbers, an answer the
tutor can read puts a marker on it, a new variant moves it, and the chart's own keys keep working."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from gdtui.paths import bundled_lessons
from gdtui.ui.app import TutorApp
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.exercise_panel import ExercisePanel

from ui_helpers import SIZE, open_lesson, right_answer

LESSON = """---
id: linked
title: A chart the exercise drives
---
The chart below takes your numbers.

```plot
id: step
f: x**2 + 2*x + 1
x: [-3, 6]
layers: [function, path]
x0: 0
lr: 0.3
steps: 10
step: 0
controls: {step: [0, 10]}
```

```exercise
id: next-step
prompt: From $x_0 = {a}$ with $\\eta = {lr}$, where does one step of gradient descent on $f(x) = x^2 + 2x + 1$ land?
params:
  a: {choose: [5, -2]}
  lr: {choose: [0.1]}
answer: {type: number, value: "a - lr*(2*a + 2)"}
hints: [The slope is $2x + 2$.]
solution: $x_1 = {a - lr*(2*a + 2)}$
chart:
  plot: step
  shown: {x0: a, lr: lr, step: 0}
  answered: {guess: answer}
  solved: {step: 1}
```

```plot
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

```exercise
id: one-step-2d
prompt: From $({a}, 1)$ with $\\eta = 0.04$ on $x^2 + 10y^2$, where do you land?
params:
  a: {choose: [1, 2]}
answer: {type: vector, value: "[a - 0.08*a, 0.2]"}
hints: [h]
solution: s
chart:
  plot: bowl
  shown: {x0: a, y0: 1, lr: 0.04}
  answered: {guess: answer}
  solved: {step: 1}
```
"""


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "01-linked.md").write_text(LESSON, encoding="utf-8")
    return folder


async def check(pilot, panel: ExercisePanel, text: str) -> None:
    """Type an answer and press enter (set directly: the box takes any text, `[` included)."""
    box = panel.query_one(Input)
    box.focus()
    box.value = text
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def charts(screen) -> dict[str, ChartView]:
    return {view.plot.id: view for view in screen.query(ChartView)}


async def test_an_answer_is_marked_and_the_truth_comes_once_solved(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        a = screen.sessions["next-step"].params["a"]
        # the learner's own numbers, with the path at its start: the answer is not on the chart yet
        assert chart.values["x0"] == a and chart.values["lr"] == 0.1 and chart.values["step"] == 0
        assert "guess" not in chart.values and "your answer" not in chart.drawing().plain
        assert chart.start == chart.values

        panel = screen.query_one("#exercise-next-step", ExercisePanel)
        wrong = a - 0.1 * (2 * a + 2) + 0.5
        await check(pilot, panel, repr(wrong))
        assert panel.state.verdict == "incorrect"
        # the learner's point on the curve, but not yet the true step: that would hand the number over
        assert chart.values["guess"] == pytest.approx(wrong) and chart.values["step"] == 0
        drawn = chart.drawing().plain
        assert "◇" in drawn and "you" in drawn and "your answer" in drawn and "step k = 0" in drawn

        await check(pilot, panel, right_answer(screen, "next-step"))
        assert panel.state.verdict == "correct"
        assert chart.values["guess"] == pytest.approx(a - 0.1 * (2 * a + 2)) and chart.values["step"] == 1
        assert "step k = 1" in chart.drawing().plain and "x₁" in chart.drawing().plain


async def test_giving_up_puts_the_true_step_on_the_chart(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        panel = screen.query_one("#exercise-next-step", ExercisePanel)
        await check(pilot, panel, "3")
        assert chart.values["step"] == 0
        panel.query_one(Input).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.sessions["next-step"].gave_up and chart.values["step"] == 1 and chart.values["guess"] == 3.0


async def test_an_answer_the_tutor_cannot_read_leaves_the_chart_alone(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        panel = screen.query_one("#exercise-next-step", ExercisePanel)
        await check(pilot, panel, "2.5")
        before, drawn = dict(chart.values), chart.drawing().plain
        assert "your answer x = 2.5" in drawn
        for text in ("x1", "[1, 2]", "1/0", ""):
            await check(pilot, panel, text)
            assert panel.state.verdict == "unreadable"
            assert chart.values == before
        assert chart.drawing().plain == drawn


async def test_the_chart_keeps_the_answer_locked_until_solved_or_given_up(make_app, linked):
    """→, space and s would walk the path to x₁ and show the number the exercise asks for: they wait."""
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        assert chart.held == {"step"} and "(after you answer)" in chart.drawing().plain
        chart.focus()
        await pilot.press("right", "shift+right", "s", "space")
        await pilot.pause()
        assert chart.values["step"] == 0 and not chart.playing and "x₁" not in chart.drawing().plain
        assert any("Answer the exercise below first" in n.message for n in app._notifications)
        await check(pilot, screen.query_one("#exercise-next-step", ExercisePanel), "3")  # wrong: still held
        chart.focus()
        await pilot.press("right")
        assert chart.values["step"] == 0 and chart.held == {"step"}
        # the 2-D chart is held the same way until its own exercise is finished
        assert charts(screen)["bowl"].held == {"step"}


async def test_the_chart_keeps_its_keys_after_the_exercise_is_solved(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        await check(pilot, screen.query_one("#exercise-next-step", ExercisePanel), "3")
        await check(pilot, screen.query_one("#exercise-next-step", ExercisePanel), right_answer(screen, "next-step"))
        assert chart.held == frozenset() and "(after you answer)" not in chart.drawing().plain
        chart.focus()
        await pilot.press("right", "right")
        a = screen.sessions["next-step"].params["a"]
        assert chart.values["step"] == 3 and chart.values["guess"] == pytest.approx(a - 0.1 * (2 * a + 2))
        assert "step k = 3" in chart.drawing().plain
        await pilot.press("r")  # back to the exercise's numbers, not the plot's own, without the answer
        assert chart.values == chart.start
        assert chart.values["x0"] == screen.sessions["next-step"].params["a"] and "guess" not in chart.values


async def test_a_held_chart_is_let_go_when_the_learner_gives_up(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        panel = screen.query_one("#exercise-next-step", ExercisePanel)
        panel.query_one(Input).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert chart.held == frozenset()
        chart.focus()
        await pilot.press("right")
        assert chart.values["step"] == 2


async def test_a_new_variant_moves_the_chart_to_the_new_numbers(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["step"]
        panel = screen.query_one("#exercise-next-step", ExercisePanel)
        await check(pilot, panel, "3")
        before = screen.sessions["next-step"].params["a"]
        panel.query_one(Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        after = screen.sessions["next-step"].params["a"]
        assert after != before
        assert chart.values["x0"] == after and chart.values["step"] == 0 and "guess" not in chart.values
        assert chart.start == chart.values
        assert f"x₀ = {after:g}".replace("-", "−") in chart.drawing().plain


async def test_a_vector_answer_marks_a_point_on_a_2d_chart(make_app, linked):
    app = make_app(lessons=linked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "linked")
        chart = charts(screen)["bowl"]
        a = screen.sessions["one-step-2d"].params["a"]
        assert (chart.values["x0"], chart.values["y0"], chart.values["lr"]) == (a, 1, 0.04)
        await check(pilot, screen.query_one("#exercise-one-step-2d", ExercisePanel), "[0.5, -0.5]")
        assert chart.values["guess"] == (0.5, -0.5) and chart.values["step"] == 0
        assert "your answer (0.5, −0.5)" in chart.drawing().plain
        await check(pilot, screen.query_one("#exercise-one-step-2d", ExercisePanel), "0.5")  # one number: unreadable
        assert chart.values["guess"] == (0.5, -0.5)


async def test_the_bundled_descent_lesson_draws_the_learners_first_step(tmp_path):
    app = TutorApp(bundled_lessons("en"), tmp_path, "ada")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "descent-1d")
        session = screen.sessions["one-step"]
        chart = charts(screen)[session.exercise.chart.plot]
        params = session.params
        assert (chart.values["x0"], chart.values["c"], chart.values["lr"]) == (params["a"], params["c"], params["lr"])
        await check(pilot, screen.query_one("#exercise-one-step", ExercisePanel), right_answer(screen, "one-step"))
        x1 = params["a"] - params["lr"] * (2 * params["a"] + params["c"])
        assert chart.values["guess"] == pytest.approx(x1) and chart.values["step"] == 1
        assert "you" in chart.drawing().plain and "x₁" in chart.drawing().plain
