"""Small helpers shared by the UI tests."""

from __future__ import annotations

import numpy as np
from textual.pilot import Pilot
from textual.widgets import Input

from gdtui.course.grading import Grader
from gdtui.ui.app import TutorApp
from gdtui.ui.screens.lesson import LessonScreen
from gdtui.ui.widgets.exercise_panel import ExercisePanel

SIZE = (100, 40)


async def open_lesson(pilot: Pilot, key: str) -> LessonScreen:
    app: TutorApp = pilot.app
    app.open_lesson(key)
    return await lesson_built(pilot)


async def lesson_built(pilot: Pilot) -> LessonScreen:
    """The lesson screen on top, once all its blocks are mounted (the first frame shows only some)."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    for _ in range(100):
        if screen.built:
            break
        await pilot.pause()
    assert screen.built
    return screen


def right_answer(screen: LessonScreen, exercise_id: str) -> str:
    """The exercise's reference answer for this learner's variant, as a learner would type it."""
    session = screen.sessions[exercise_id]
    value = Grader(session.exercise, session.params).right_value()
    if isinstance(value, str):
        return value
    value = np.atleast_1d(np.asarray(value, dtype=float))
    return ", ".join(repr(float(v)) for v in value)


async def answer(pilot: Pilot, panel: ExercisePanel, text: str) -> None:
    box = panel.query_one(Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    await pilot.press(*text, "enter")
    await pilot.pause()


def plain(static) -> str:
    """The text a Static shows, as a terminal would print it (no colours)."""
    import io

    from rich.console import Console

    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    console.print(static.content)
    return console.export_text()
