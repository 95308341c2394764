"""The tutor driven with Pilot: map, lessons, charts, exercises, progress, watch mode, sizes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown

from gdtui.paths import bundled_lessons
from gdtui.store import SqliteStore as Store
from gdtui.ui.screens.confirm import ConfirmScreen
from gdtui.ui.screens.course_map import CourseMapScreen
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.screens.lesson import LessonScreen
from gdtui.ui.screens.too_small import TooSmallScreen
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.error_card import ErrorCard
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from gdtui.ui.widgets.key_bar import KeyBar
from gdtui.ui.widgets.lesson_list import LessonList
from gdtui.ui.widgets.title_bar import TitleBar

from ui_helpers import SIZE, answer, lesson_built, open_lesson, plain, right_answer


def card_texts(app) -> list[str]:
    return [entry.title for entry in app.screen.query_one(LessonList).entries]


async def test_map_lists_lessons_in_order_with_marks(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        entries = app.screen.query_one(LessonList).entries
        assert [e.title for e in entries] == ["Slopes and tangents", "Down a bowl in two dimensions", "03-broken.md"]
        assert [e.status for e in entries] == ["new", "new", "broken"]
        assert entries[0].objectives == ("read a slope", "take one descent step")
        assert (entries[0].solved, entries[0].total) == (0, 2)
        assert re.search(r"03-broken\.md:\d+: bad YAML", entries[2].errors[0])
        assert "ada" in app.screen.query_one(TitleBar).render().plain


async def test_enter_opens_the_highlighted_lesson_in_the_authors_order(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = await lesson_built(pilot)
        assert screen.key == "slopes"
        kinds = [type(w).__name__ for w in screen.query_one("#lesson-body").children]
        assert kinds == ["Static", "Markdown", "ChartView", "Markdown", "ExercisePanel", "ExercisePanel"]
        assert "take one descent step" in plain(screen.query_one(".objectives"))
        assert "f′(x)" in screen.query(Markdown).first().source
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


async def test_next_and_previous_lesson_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "slopes")
        await pilot.press("n")
        assert (await lesson_built(pilot)).key == "bowl"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen.query_one(ErrorCard), ErrorCard)  # the broken one comes third
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.screen.key == "slopes"
        await pilot.press("p")  # no lesson before the first: stays
        await pilot.pause()
        assert app.screen.key == "slopes"
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)
        assert len(app.screen_stack) == 1


async def test_a_chart_control_changes_the_chart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        await pilot.press("tab")
        assert app.focused is chart
        step = chart.control.step
        before = chart.drawing().plain
        drawn = chart.redraws
        await pilot.press("right")
        await pilot.pause()
        assert chart.values["tangent_at"] == pytest.approx(0.5 + step)
        after = chart.drawing().plain
        assert after != before and f"x = {0.5 + step:g}" in after
        assert chart.redraws == drawn + 1
        await pilot.press("shift+right")
        await pilot.pause()
        assert chart.values["tangent_at"] == pytest.approx(0.5 + 11 * step)
        chart.set_values(tangent_at=1.99)
        await pilot.press("shift+right")
        assert chart.values["tangent_at"] == 2.0  # kept in range
        # tab moves to the next control, then on to the next part of the lesson
        await pilot.press("tab")
        assert app.focused is chart and chart.control.name == "lr"
        await pilot.press("right")
        assert chart.values["lr"] == 0.11
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await pilot.press("shift+tab")
        assert app.focused is chart
        await pilot.press("r")
        assert chart.values == dict(chart.plot.start_values())


async def test_redraw_only_when_values_or_size_change(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        await pilot.pause()
        drawn = chart.redraws
        chart.refresh()
        await pilot.pause()
        assert chart.redraws == drawn
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert chart.redraws > drawn


async def test_playing_the_descent_steps_along_the_path(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        chart.focus()
        assert chart._current_step() == chart._last_step() == 20  # the whole path at first
        await pilot.press("space")  # at the end: plays again from the start
        assert chart.playing and chart.values["step"] < 20
        await pilot.press("space")
        assert not chart.playing
        chart.set_values(step=0)
        await pilot.press("s", "s")
        assert chart.values["step"] == 2
        assert "step k = 2" in chart.drawing().plain
        chart._tick()  # what the timer does once per tick
        assert chart.values["step"] == 3


async def test_wrong_then_right_answer_is_graded_and_saved(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        await answer(pilot, panel, "2.25")  # f(1.5), which a feedback rule recognises
        assert panel.state.verdict == "feedback" and panel.state.attempts == 1
        assert "not the slope" in panel.state.message
        assert "read as 2.25" in plain(panel.query_one(".feedback"))
        await answer(pilot, panel, "1.5 +")  # cannot be read: costs nothing
        assert panel.state.verdict == "unreadable" and panel.state.attempts == 1
        await answer(pilot, panel, right_answer(screen, "slope"))
        assert panel.state.verdict == "correct" and panel.state.solved
        assert panel.state.solution is not None and "3" in panel.state.solution
        assert "1/2 exercises solved" in screen.query_one(TitleBar).render().plain
    with Store(data_dir) as store:
        verdicts = [a.verdict for a in store.attempts("ada", "slopes", "slope")]
        assert verdicts == ["feedback", "unreadable", "correct"]


async def test_hints_solution_and_new_variant(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        panel.query_one(Input).focus()
        await pilot.press("ctrl+g")
        assert panel.state.hints == ("The power rule gives f′(x) = 2x.",)
        await pilot.press("ctrl+g")  # the second hint waits for a wrong answer
        assert len(panel.state.hints) == 1 and "after 1 more try" in panel.state.note
        await answer(pilot, panel, "7")
        await pilot.press("ctrl+g")
        assert panel.state.hints[-1] == "Double 1.5."
        await pilot.press("ctrl+o")
        assert panel.state.gave_up and "2·1.5 = 3" in panel.state.solution
        # a = 1.5 is its only choice: no "new numbers", neither in the panel, the key bar nor on ctrl+r
        assert not panel.state.variants and "New numbers" not in panel.query_one(".actions").render().plain
        assert "New numbers" not in screen.query_one(KeyBar).render().plain
        await pilot.press("ctrl+r")
        assert panel.state.variant == 0 and panel.state.gave_up and len(panel.state.hints) == 2
    with Store(data_dir) as store:
        state = store.get_exercise_state("ada", "slopes", "slope")
        assert state.variant == 0
        assert [a.verdict for a in store.attempts("ada", "slopes", "slope")] == ["incorrect", "gave_up"]


async def test_progress_is_kept_after_quitting(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "bowl")
        panel = screen.query_one(ExercisePanel)
        await answer(pilot, panel, "[2, 4]")
        assert panel.state.solved
        await pilot.press("escape", "escape")  # leave the answer box, then the lesson
        await pilot.press("q")
    assert app.return_code == 0

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = {e.key: e for e in again.screen.query_one(LessonList).entries}
        assert entries["bowl"].status == "done" and entries["bowl"].solved == 1
        assert entries["slopes"].status == "new"
        # the lesson read last is done, so Enter carries on with the next unfinished one (from the top)
        assert again.screen.query_one(LessonList).highlighted_key == "slopes"
        await pilot.press("enter")
        screen = await lesson_built(pilot)
        assert screen.key == "slopes"
        await pilot.press("escape")
        await pilot.pause()
        again.screen.query_one(LessonList).highlight_key("bowl")
        await pilot.press("enter")
        screen = await lesson_built(pilot)
        assert screen.query_one(ExercisePanel).state.solved  # the solved exercise is still solved


async def test_opening_a_lesson_marks_it_started(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "slopes")
        await pilot.press("escape")
        await pilot.pause()
        entries = {e.key: e for e in app.screen.query_one(LessonList).entries}
        assert entries["slopes"].status == "started"


async def test_q_quits_unless_typing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        box = screen.query_one(Input)
        box.focus()
        await pilot.press("q", "n")
        assert box.value == "qn" and app.is_running and app.screen is screen
        await pilot.press("escape")  # leaves the answer box first, for the lesson's page
        assert app.screen is screen and app.focused is screen.query_one("#lesson-body")
        await pilot.press("q")
    assert app.return_code == 0


async def test_after_leaving_an_answer_box_the_page_keys_scroll_the_lesson(make_app):
    app = make_app()
    async with app.run_test(size=(80, 16)) as pilot:
        screen = await open_lesson(pilot, "slopes")
        body = screen.query_one("#lesson-body")
        box = screen.query_one(Input)
        box.focus()
        await pilot.pause()
        await pilot.press("escape")
        before = body.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > before and app.screen is screen


async def test_ctrl_q_quits_from_an_answer_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        screen.query_one(Input).focus()
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_a_broken_lesson_shows_its_error_card(make_app, course):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        key = str(course / "03-broken.md")
        await open_lesson(pilot, key)
        card = app.screen.query_one(ErrorCard)
        text = str(card.render())
        assert re.search(r"03-broken\.md:\d+: error: bad YAML", text)


async def test_watch_mode_reloads_and_shows_errors_then_recovers(make_app, course):
    app = make_app(watch=True)
    path = course / "02-bowl.md"
    good = path.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "bowl")
        assert not screen.query(ErrorCard)
        broken = good.replace("f: x**2 + 2*y**2", "f: x**2 + 2*z**2")
        write(path, broken)
        app._poll_lessons()  # what the one-second timer does
        await pilot.pause()
        card = screen.query_one(ErrorCard)
        assert "02-bowl.md:" in str(card.render()) and not screen.query(ChartView)
        write(path, good.replace("Down a bowl", "Down a deep bowl"))
        app._poll_lessons()
        await pilot.pause()
        assert not screen.query(ErrorCard) and screen.query(ChartView)
        assert "Down a deep bowl" in screen.query_one(TitleBar).render().plain
        await pilot.press("escape")
        await pilot.pause()
        entries = {e.key: e for e in app.screen.query_one(LessonList).entries}
        assert entries["bowl"].title == "Down a deep bowl in two dimensions"


async def test_watch_mode_keeps_the_map_working_when_a_lesson_breaks(make_app, course):
    app = make_app(watch=True)
    async with app.run_test(size=SIZE) as pilot:
        write(course / "01-slopes.md", "---\nid: slopes\ntitle: [oops\n---\n")
        app._poll_lessons()
        await pilot.pause()
        entries = app.screen.query_one(LessonList).entries
        assert [e.status for e in entries] == ["broken", "new", "broken"]
        await open_lesson(pilot, "bowl")
        assert app.screen.query(ChartView)


async def test_help_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


async def test_reset_progress_asks_first(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "slopes")
        await pilot.press("escape")
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        assert app.progress.last_lesson() == "slopes"
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.progress.last_lesson() is None
        assert [e.status for e in app.screen.query_one(LessonList).entries][:2] == ["new", "new"]


async def test_command_palette_jumps_to_a_lesson(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bowl")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.key == "bowl"


async def test_too_small_terminal_asks_calmly_for_more_room(make_app):
    app = make_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "larger" in str(app.screen.query_one("#too-small-message").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_no_color_draws_charts_without_colour(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        text = chart.drawing()
        assert all(span.style is None or getattr(span.style, "color", None) is None
                   for span in text.spans if not isinstance(span.style, str))


async def test_the_bundled_course_opens(tmp_path):
    from gdtui.ui.app import TutorApp

    app = TutorApp(bundled_lessons("en"), tmp_path, "smoke")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = app.screen.query_one(LessonList).entries
        assert entries, "the bundled course has lessons"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


def write(path: Path, text: str) -> None:
    """Write and make sure the change shows in the file's stamp (mtime or size)."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_clicking_a_value_under_the_chart_selects_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        chart.focus()
        await pilot.pause()
        start, _end = chart._control_spans[1]
        gutter = chart.styles.gutter
        await pilot.click(chart, offset=(gutter.left + start + 1, gutter.top + len(chart._strips)))
        assert chart.control.name == "lr"


async def test_a_store_that_cannot_open_is_a_message_not_a_traceback(tmp_path, capsys):
    from gdtui.ui.app import run_app

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert run_app(tmp_path, blocker / "data", "ada") == 1
    assert "gdtui:" in capsys.readouterr().err


async def test_a_click_on_a_key_in_the_key_bar_presses_it(make_app):
    from gdtui.ui.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "slopes")
        bar = app.screen.query_one(KeyBar)
        assert bar.render().plain.lstrip().startswith("n Next")
        await pilot.click(bar, offset=(2, 0))
        assert (await lesson_built(pilot)).key == "bowl"


async def test_an_error_while_grading_is_shown_not_raised(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")

        def broken(text):
            raise RuntimeError("boom")

        monkeypatch.setattr(screen.sessions["slope"], "submit", broken)
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        await answer(pilot, panel, "3")
        assert app.is_running and "boom" in panel.state.note


async def test_names_with_markup_characters_are_shown_as_written(make_app, course):
    write(course / "01-slopes.md", (course / "01-slopes.md").read_text(encoding="utf-8").replace(
        "title: Slopes and tangents", "title: \"Slopes [b]and[/b] tangents [link=x]\""))
    app = make_app(learner="[red]ada[/")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[red]ada[/" in app.screen.query_one(TitleBar).render().plain
        assert app.screen.query_one(LessonList).entries[0].title == "Slopes [b]and[/b] tangents [link=x]"
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.press("ctrl+p")
        await pilot.press(*"slopes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        screen = await lesson_built(pilot)
        assert "[b]and[/b]" in screen.query_one(TitleBar).render().plain


FIT_LESSON = """---
id: fit
title: A line fitted by descent
order: 4
---
A line through noisy points, one epoch at a time.

```plot
id: line
data: {kind: linear, n: 50, seed: 42, w: 2, b: 1, noise: 0.1}
layers: [data, fit]
lr: 0.05
steps: 40
step: 0
controls:
  step: {range: [0, 40], step: 10}
```

```plot
id: losses
data: {kind: linear, n: 50, seed: 42, w: 2, b: 1, noise: 0.1}
layers: [loss]
lr: 0.05
steps: 30
step: 30
```
"""


async def test_a_regression_fit_plays_epoch_by_epoch(make_app, course, monkeypatch):
    import gdtui.ui.widgets.chart_view as chart_view

    monkeypatch.setattr(chart_view, "TICK_SECONDS", 3600.0)  # the test ticks by hand; no timer races it
    (course / "04-fit.md").write_text(FIT_LESSON, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "fit")
        fit, losses = screen.query(ChartView)
        assert fit.has_descent and losses.has_descent
        fit.focus()
        await pilot.pause()
        assert fit.check_action("play", ()) and fit.check_action("single_step", ())
        await pilot.press("s", "s")
        assert fit.values["step"] == 2
        assert "epoch k = 2" in fit.drawing().plain and "fit after epoch 2" in fit.drawing().plain
        await pilot.press("space")
        assert fit.playing
        fit._tick()  # a tick plays as far as the author's k control steps: ten epochs
        assert fit.values["step"] == 12
        await pilot.press("space")
        assert not fit.playing
        fit.set_values(step=38)
        fit._tick()
        assert fit.values["step"] == 40  # not beyond the last epoch
        assert not fit._advance()
        losses.focus()
        await pilot.pause()
        await pilot.press("space")  # at the end: plays again from epoch 0
        assert losses.playing and losses.values["step"] == 0
        losses._tick()
        assert losses.values["step"] == 1  # 30 epochs: one a tick


@pytest.mark.parametrize("size,height", [((80, 24), 18), ((100, 32), 24), ((120, 40), 30), ((160, 60), 30)])
async def test_charts_take_most_of_the_screen(make_app, size, height):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        chart.focus()
        await pilot.pause()
        assert chart.outer_size.height == height
        lines = chart.drawing().plain.split("\n")
        assert lines[0].startswith("A parabola, its tangent and a descent path")  # the title
        assert "tangent at x = 0.5" in lines[1] and "start" in "\n".join(lines[1:3])  # the legend


async def test_feedback_is_markdown_with_maths_like_the_hints(make_app, course):
    path = course / "01-slopes.md"
    write(path, path.read_text(encoding="utf-8").replace(
        'say: "That is the value f({a}), not the slope."',
        'say: "That is the *value* $f({a}) = {a**2}$, not the **slope** $f\'({a})$."'))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        await answer(pilot, panel, "2.25")
        assert panel.state.verdict == "feedback"
        shown = plain(panel.query_one(".feedback"))
        assert "That is the value f(1.5) = 2.25, not the slope f′(1.5)." in " ".join(shown.split())
        assert "*" not in shown and "$" not in shown
        await answer(pilot, panel, "2*")  # unreadable: the learner's typing is quoted as typed
        assert panel.state.verdict == "unreadable"
        assert "I could not read that" in plain(panel.query_one(".feedback"))
