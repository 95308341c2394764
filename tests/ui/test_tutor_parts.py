"""Plain tests of the UI's pure parts: control steps, the status lines, the course items, the help."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from gdtui.course.model import Control
from gdtui.course.parse import load_course
from gdtui.ui.app import TutorApp
from gdtui.ui.library import Library, course_items
from gdtui.ui.screens.confirm import ConfirmScreen
from gdtui.ui.screens.course_map import CourseMapScreen
from gdtui.ui.screens.help import KEYS, HelpScreen
from gdtui.ui.screens.lesson import LessonScreen
from gdtui.ui.screens.too_small import too_small
from gdtui.charts.status import fit_status as status_lines
from gdtui.ui.controls import nudge
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from gdtui.ui.widgets.lesson_list import LessonEntry, LessonList, lesson_card

COURSE = Path(__file__).parent / "data" / "course"


def test_nudge_steps_clamps_and_rounds():
    lr = Control("lr", 0.01, 1.0, 0.01)
    assert nudge(lr, 0.1, 1) == 0.11
    assert nudge(lr, 0.1, -10) == pytest.approx(0.01)
    assert nudge(lr, 0.99, 10) == 1.0
    log = Control("h", 1e-3, 1.0, 10.0, log=True)
    assert nudge(log, 0.01, 1) == pytest.approx(0.1)
    assert nudge(log, 0.01, -10) == 1e-3
    steps = Control("steps", 1, 200, 1)
    assert nudge(steps, 20, 10) == 30 and isinstance(nudge(steps, 20, 10), int)
    method = Control("optimizer", 0, 0, None, choices=("sgd", "momentum", "adam"))
    assert nudge(method, "sgd", 1) == "momentum"
    assert nudge(method, "adam", 10) == "adam"


def test_status_lines_pack_parts_without_splitting_them():
    text = "x = 0.5  f(x) = 0.25  f′(x) = 1    x₀ = 1.5  η = 0.1"
    assert status_lines(text, 200) == ["x = 0.5  f(x) = 0.25  f′(x) = 1  x₀ = 1.5  η = 0.1"]
    lines = status_lines(text, 30)
    assert lines == ["x = 0.5  f(x) = 0.25", "f′(x) = 1  x₀ = 1.5  η = 0.1"]
    assert status_lines("", 30) == [""]
    # more than two lines' worth: whole parts are left out (a later short one may still fit), none is cut
    crowded = status_lines("a = 1  bbbbbbbbbbbbbbbbb  ccccccccccccccccc  ddddddddddddddddd  e = 5", 20)
    assert crowded == ["a = 1", "bbbbbbbbbbbbbbbbb"]
    assert status_lines("a = 1  bbbbbbbbbbbbbbbbb  cc = 3", 20, most=1) == ["a = 1  cc = 3"]


def test_course_items_keep_broken_files_in_order():
    items, loose = course_items(load_course(COURSE))
    assert [item.key for item in items][:2] == ["slopes", "bowl"]
    broken = items[2]
    assert broken.lesson is None and broken.broken and broken.path.name == "03-broken.md"
    assert loose == ()


def test_library_notices_changes(tmp_path):
    (tmp_path / "01-a.md").write_text("---\nid: a\ntitle: A\norder: 1\n---\nHello.\n", encoding="utf-8")
    library = Library(tmp_path)
    assert [i.key for i in library.items] == ["a"]
    assert not library.reload_if_changed()
    (tmp_path / "02-b.md").write_text("---\nid: b\ntitle: B\norder: 2\n---\nMore.\n", encoding="utf-8")
    assert library.reload_if_changed()
    assert [i.key for i in library.items] == ["a", "b"]
    assert library.neighbour("a", 1).key == "b" and library.neighbour("b", 1) is None


def test_lesson_card_reads_without_colour():
    from rich.console import Console

    console = Console(width=60, no_color=True, record=True)
    console.print(lesson_card(LessonEntry("a", 1, "What a derivative is", ("read a slope",), "started", 1, 3), 60))
    console.print(lesson_card(LessonEntry("c", 3, "Long", ("one objective",) * 9, "done", 2, 2), 60, expanded=False))
    console.print(lesson_card(LessonEntry("b.md", 2, "b.md", status="broken", errors=("b.md:3: bad YAML",)), 60))
    text = console.export_text()
    assert text.splitlines()[0].endswith("1/3")
    assert "◐" in text and "1/3" in text and "read a slope" in text
    assert "✗" in text and "b.md:3: bad YAML" in text and "1 error" in text
    assert "✓" in text and "…" in text  # not expanded: the objectives cut to one line


def test_too_small_threshold():
    assert too_small(59, 24) and too_small(80, 19) and not too_small(60, 20)


def bound_keys() -> set[str]:
    keys: set[str] = set()
    for owner in (TutorApp, CourseMapScreen, LessonScreen, ChartView, ExercisePanel, LessonList,
                  HelpScreen, ConfirmScreen):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and not binding.system:
                keys.update(k.strip() for k in binding.key.split(","))
    return keys - {"ctrl+c"}  # ctrl+c only says how to quit


def test_help_lists_every_bound_key():
    listed = {key for _, rows in KEYS for _, _, bound in rows for key in bound.split(",")}
    dialogs = {"y", "n", "left", "right", "escape", "question_mark", "q", "enter"}  # help and confirm
    missing = bound_keys() - listed - dialogs
    assert not missing, f"keys missing from the help screen: {sorted(missing)}"


def test_the_app_starts_without_numpy_or_the_course_parser():
    """The course map needs neither: they load with the first lesson (or a changed course), which keeps
    start-up fast. A fresh interpreter, so other tests' imports do not count."""
    import subprocess
    import sys

    code = ("import sys, gdtui.ui.app; "
            "print(sorted(m for m in ('numpy', 'yaml', 'gdtui.course.parse', 'gdtui.charts') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_bundled_charts_status_fits_two_lines_at_78_columns():
    """What an 80-column terminal shows under each chart of the course: every part whole, none left out."""
    from gdtui.charts import status_line
    from gdtui.paths import bundled_lessons

    for lesson in load_course(bundled_lessons("en")).lessons:
        for plot in lesson.plots:
            status = status_line(plot, plot.start_values())
            parts = [p.strip() for p in status.split("  ") if p.strip()]
            lines = status_lines(status, 78)
            assert all(len(line) <= 78 for line in lines), (plot.id, lines)
            assert "  ".join(lines).split("  ") == parts, f"{lesson.id}/{plot.id}: {lines}"
