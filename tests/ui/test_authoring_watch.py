"""Watch mode for authors: a lesson's errors appear at their lines on the lesson screen, and a save keeps the
learner's place (the answer box they were in, what they had typed, where it was on the screen)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Input

from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.error_card import ErrorCard
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from gdtui.ui.widgets.title_bar import TitleBar

from ui_helpers import SIZE, lesson_built, open_lesson, plain

LESSON = """---
id: long
title: A long lesson
order: 5
---
{prose}

```plot
id: parabola
f: x**2
x: [-2, 2]
layers: [function, tangent]
tangent_at: 1
```

```exercise
id: first
prompt: What is $2 \\cdot 3$?
answer: {{type: number, value: {first}}}
hints: [Multiply.]
solution: Six.
```

{prose}

```exercise
id: second
prompt: What is $3 \\cdot 4$?
answer: {{type: number, value: 12}}
hints: [Multiply.]
solution: Twelve.
```
"""
PROSE = "\n\n".join(f"Paragraph {i}: words about slopes and steps, long enough to fill a line." for i in range(12))


def write(path: Path, first: str) -> None:
    path.write_text(LESSON.format(prose=PROSE, first=first), encoding="utf-8")


def blocks(screen) -> list[str]:
    body = screen.query_one("#lesson-body", VerticalScroll)
    return [type(w).__name__ + (f"#{w.id}" if w.id else "") for w in body.children
            if isinstance(w, (ChartView, ExercisePanel, ErrorCard))]


async def test_errors_show_at_their_lines_and_the_learner_keeps_their_place(make_app, course):
    path = course / "05-long.md"
    write(path, "6")
    app = make_app(watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "long")
        body = screen.query_one("#lesson-body", VerticalScroll)
        second = screen.query_one("#exercise-second", ExercisePanel)
        box = second.query_one(Input)
        box.focus()  # scrolls the second exercise into view
        await pilot.press("1", "2")
        await pilot.pause()
        assert body.scroll_y > 0
        row = second.virtual_region.y - body.scroll_y

        write(path, "6*z")  # the author breaks the first exercise and saves
        app._poll_lessons()
        await lesson_built(pilot)
        await pilot.pause()
        assert blocks(screen) == ["ChartView", "ErrorCard", "ExercisePanel#exercise-second"]
        card = screen.query_one(ErrorCard)
        line = path.read_text().splitlines().index("answer: {type: number, value: 6*z}") + 1
        assert plain(card).startswith(f"05-long.md:{line}: error: answer.value: unknown name 'z'")
        assert "Left out of the lesson" in card.border_title
        assert screen.query_one(TitleBar).right.plain == "1 error in the file, shown at its line"
        second = screen.query_one("#exercise-second", ExercisePanel)
        assert screen.focused is second.query_one(Input) and screen.focused.value == "12"
        assert second.virtual_region.y - body.scroll_y == row  # where it was on the screen

        write(path, "2*3")  # fixed
        app._poll_lessons()
        await lesson_built(pilot)
        await pilot.pause()
        assert blocks(screen) == ["ChartView", "ExercisePanel#exercise-first", "ExercisePanel#exercise-second"]
        assert "error" not in screen.query_one(TitleBar).right.plain
        second = screen.query_one("#exercise-second", ExercisePanel)
        assert screen.focused is second.query_one(Input) and screen.focused.value == "12"
        assert second.virtual_region.y - body.scroll_y == row
        await pilot.press("enter")
        await pilot.pause()
        assert screen.sessions["second"].solved


async def test_without_watch_a_lesson_with_errors_shows_only_its_card(make_app, course):
    path = course / "05-long.md"
    write(path, "6*z")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "long")
        assert blocks(screen) == ["ErrorCard"]
        assert screen.query_one(ErrorCard).border_title == "This lesson cannot be shown"
