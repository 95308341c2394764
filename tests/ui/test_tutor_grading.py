"""Fair grading on screen (Pilot): rounded answers, "close", one message for unreadable input, choices
picked from a list, and ctrl+r only where an exercise has other numbers."""

from __future__ import annotations

from textual import events

from textual.widgets import Input

from gdtui.store import SqliteStore as Store
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.widgets.choice_list import ChoiceList
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from gdtui.ui.widgets.key_bar import KeyBar

from ui_helpers import SIZE, answer, open_lesson, plain

LESSON = """---
id: thirds
title: Thirds
---
A third of the way.

```exercise
id: third
prompt: What is ${a}/3$?
params:
  a: {choose: [5, 7]}
answer: {type: vector, value: "[a/3, -a/3]"}
solution: ${a}/3$
```
"""


def thirds(tmp_path):
    folder = tmp_path / "thirds"
    folder.mkdir()
    (folder / "01-thirds.md").write_text(LESSON, encoding="utf-8")
    return folder


def feedback_text(panel: ExercisePanel) -> str:
    return plain(panel.query_one(".feedback"))


async def test_the_box_states_the_precision_and_a_rounded_answer_counts(make_app, data_dir, tmp_path):
    app = make_app(lessons=thirds(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "thirds")
        panel = screen.query_one(ExercisePanel)
        assert "Precision: exact, or 3 significant figures in each number" in plain(panel.query_one(".precision"))
        a = screen.sessions["third"].params["a"]
        await answer(pilot, panel, f"[{a / 3:.1f}, {-a / 3:.3f}]")  # 2 figures in the first: close, no attempt
        assert panel.state.verdict == "close" and panel.state.attempts == 0
        text = feedback_text(panel)
        assert "≈ Close: give at least 3 significant figures (no attempt counted)." in text
        assert text.count("significant figures") == 1
        await answer(pilot, panel, f"[{a / 3:.3f}, {-a / 3:.2f}]")  # rounded to 4 and 3 figures
        assert panel.state.verdict == "correct" and panel.state.solved
    with Store(data_dir) as store:  # "close" is kept for the teacher as an answer that cost nothing
        assert [a.verdict for a in store.attempts("ada", "thirds")] == ["unreadable", "correct"]


async def test_unreadable_input_is_explained_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        await answer(pilot, panel, "3+")
        assert panel.state.verdict == "unreadable"
        text = feedback_text(panel)
        assert text.count("I could not read that") == 1, text
        assert text.lstrip().startswith("? I could not read that")


async def test_a_choice_is_picked_with_the_arrow_keys(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-direction", ExercisePanel)
        assert not panel.query(Input)  # chosen, not typed: no maths box with a 2*x placeholder
        choices = panel.query_one(ChoiceList)
        assert [str(choices.get_option_at_index(i).prompt) for i in range(2)] == [
            "a) along the gradient", "b) against the gradient"]
        choices.focus()
        await pilot.press("home", "enter")  # the first: along the gradient
        assert panel.state.verdict == "incorrect" and panel.state.read_as == "a) along the gradient"
        await pilot.press("down", "enter")
        assert panel.state.verdict == "correct" and panel.state.solved
    with Store(data_dir) as store:
        assert [(a.input, a.verdict) for a in store.attempts("ada", "slopes", "direction")] == [
            ("a", "incorrect"), ("b", "correct")]


async def test_a_choice_is_picked_by_its_letter_and_other_keys_pass(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-direction", ExercisePanel)
        panel.query_one(ChoiceList).focus()
        await pilot.press("b")
        assert panel.state.verdict == "correct" and panel.state.read_as == "b) against the gradient"
        assert panel.query_one(ChoiceList).highlighted == 1
        await pilot.press("escape")  # leaves the list first, like the answer box …
        assert app.screen is screen and not isinstance(app.focused, ChoiceList)


async def test_a_full_width_letter_from_a_chinese_keyboard_picks_the_choice(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-direction", ExercisePanel)
        choices = panel.query_one(ChoiceList)
        choices.focus()
        choices.post_message(events.Key("ｂ", "ｂ"))  # what a terminal sends for a full-width b
        await pilot.pause()
        assert panel.state.verdict == "correct" and panel.state.read_as == "b) against the gradient"


async def test_ctrl_r_is_offered_only_where_there_are_other_numbers(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")  # both exercises have one set of numbers
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        panel.query_one(Input).focus()
        await pilot.pause()
        assert "New numbers" not in screen.query_one(KeyBar).render().plain
        app.action_help()  # as "?" does outside the answer box; the help is for the focused exercise
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "new numbers" not in plain(app.screen.query_one("#help-keys"))



async def test_ctrl_r_is_offered_where_an_exercise_draws_its_numbers(make_app, tmp_path):
    app = make_app(lessons=thirds(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        bowl = await open_lesson(pilot, "thirds")
        other = bowl.query_one(ExercisePanel)
        other.query_one(Input).focus()
        await pilot.pause()
        assert other.state.variants and "New numbers" in plain(other.query_one(".actions"))
        assert "New numbers" in bowl.query_one(KeyBar).render().plain
        app.action_help()
        await pilot.pause()
        assert "new numbers" in plain(app.screen.query_one("#help-keys"))
