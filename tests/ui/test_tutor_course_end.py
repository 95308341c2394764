"""Where the map carries on, and the end of the course: a done lesson hands Enter to the next unfinished one,
and the answer that finishes the last exercise says the course is finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdtui.ui.screens.course_map import CourseMapScreen, carry_on
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from gdtui.ui.widgets.lesson_list import LessonEntry, LessonList

from ui_helpers import SIZE, answer, open_lesson, plain

LESSON = """---
id: {id}
title: {title}
order: {order}
---
One question.

```exercise
id: twice
prompt: What is $2 \\cdot {{a}}$?
params:
  a: {{choose: [3]}}
answer: {{type: number, value: 2*a}}
solution: $2 \\cdot {{a}} = {{2*a}}$
```
"""


@pytest.fixture
def three(tmp_path: Path) -> Path:
    folder = tmp_path / "three"
    folder.mkdir()
    for order, (id_, title) in enumerate((("one", "First"), ("two", "Second"), ("three", "Third")), 1):
        (folder / f"0{order}-{id_}.md").write_text(LESSON.format(id=id_, title=title, order=order), encoding="utf-8")
    return folder


def entry(key: str, status: str) -> LessonEntry:
    return LessonEntry(key, 1, key, status=status, solved=int(status == "done"), total=1)


@pytest.mark.parametrize(("statuses", "last", "expected"), [
    ({"a": "new", "b": "new"}, None, (None, "start")),
    ({"a": "started", "b": "new"}, "a", ("a", "last")),
    ({"a": "done", "b": "new", "c": "new"}, "a", ("b", "next")),
    ({"a": "done", "b": "done", "c": "started"}, "a", ("c", "next")),
    ({"a": "new", "b": "done", "c": "done"}, "c", ("a", "next")),  # after the last lesson: from the top
    ({"a": "done", "b": "broken", "c": "new"}, "a", ("c", "next")),  # a broken file is skipped
    ({"a": "done", "b": "done"}, "b", (None, "finished")),
    ({"a": "done", "b": "broken"}, None, (None, "finished")),
    ({"a": "new"}, "gone", (None, "start")),  # the lesson read last was removed
])
def test_carry_on(statuses, last, expected):
    assert carry_on([entry(key, status) for key, status in statuses.items()], last) == expected


async def test_a_done_lesson_hands_enter_to_the_next_and_the_last_answer_ends_the_course(make_app, three):
    app = make_app(lessons=three)
    async with app.run_test(size=SIZE) as pilot:
        hint = app.screen.query_one("#resume-hint")
        assert "Choose a lesson" in plain(hint)
        for key in ("one", "two", "three"):
            screen = await open_lesson(pilot, key)
            await answer(pilot, screen.query_one(ExercisePanel), "6")
            assert screen.query_one(ExercisePanel).state.solved
            notes = [n.title for n in app._notifications]
            assert notes[-1] == ("Course finished" if key == "three" else "Lesson done")
            if key == "one":  # back on the map, Enter is on the next lesson, not the one just finished
                await pilot.press("escape", "escape")
                await pilot.pause()
                assert isinstance(app.screen, CourseMapScreen)
                assert "Next: Second" in plain(app.screen.query_one("#resume-hint"))
                lessons = app.screen.query_one(LessonList)
                assert lessons.entries[lessons.highlighted].key == "two"
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen.key == "two"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "You have finished the course" in plain(app.screen.query_one("#resume-hint"))
