"""A few SVG snapshots at a fixed size, on the test course so they stay stable.

Update them after a deliberate change of looks with `pytest tests/ui --snapshot-update`, and look at
the report before accepting.
"""

from __future__ import annotations

from textual.widgets import Input

from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from ui_helpers import open_lesson

SNAPSHOT_SIZE = (100, 32)


def test_course_map(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SNAPSHOT_SIZE)


def test_lesson_with_a_chart(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "slopes")
        await pilot.press("tab", "right", "right")  # focus the chart, move the tangent
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SNAPSHOT_SIZE, run_before=run_before)


def test_exercise_after_a_verdict(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "slopes")
        panel = pilot.app.screen.query_one("#exercise-slope", ExercisePanel)
        box = panel.query_one(Input)
        box.cursor_blink = False
        box.focus()
        await pilot.press(*"2.25", "enter")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SNAPSHOT_SIZE, run_before=run_before)


def test_two_dimensional_chart(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "bowl")
        pilot.app.screen.query_one(ChartView).focus()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SNAPSHOT_SIZE, run_before=run_before)


SMALL = (80, 24)  # a school PC's terminal


def test_lesson_chart_in_ascii_at_80x24(snap_compare, make_app):
    """LANG=C: the whole screen in printable ASCII, the chart's dots as - | / \\ . and its markers * o @."""
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "slopes")
        chart = pilot.app.screen.query_one(ChartView)
        chart.focus()
        await pilot.press("right", "right")
        await pilot.pause()

    assert snap_compare(make_app(charts="ascii"), terminal_size=SMALL, run_before=run_before)


def test_contour_in_block_mode_at_80x24(snap_compare, make_app):
    """A font without braille: the contour and the path in half blocks."""
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "bowl")
        pilot.app.screen.query_one(ChartView).focus()
        await pilot.pause()

    assert snap_compare(make_app(charts="block"), terminal_size=SMALL, run_before=run_before)


def test_exercise_in_ascii_at_80x24(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await open_lesson(pilot, "slopes")
        panel = pilot.app.screen.query_one("#exercise-slope", ExercisePanel)
        box = panel.query_one(Input)
        box.cursor_blink = False
        box.focus()
        await pilot.press(*"2.25", "enter")
        await pilot.pause()

    assert snap_compare(make_app(charts="ascii"), terminal_size=SMALL, run_before=run_before)


def test_course_map_in_chinese_at_80x24(snap_compare, tmp_path):
    """gdtui --lang zh on a Chinese course: the chrome from the catalogue, objectives wrapped by cells."""
    from pathlib import Path

    from gdtui.ui.app import TutorApp

    app = TutorApp(Path(__file__).parent / "data" / "zh-course", tmp_path / "data", "ann", lang="zh")
    assert snap_compare(app, terminal_size=SMALL)
