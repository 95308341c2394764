"""`gdtui new`: a lesson skeleton that checks clean and shows every part of the format."""

from __future__ import annotations

import io
import subprocess
import sys

from gdtui.check import run_check
from gdtui.course.parse import load_course, parse_lesson
from gdtui.new import lesson_text, new


def checked(*paths) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run_check(list(paths), out)
    return status, out.getvalue().splitlines()


def test_a_new_lesson_checks_with_no_errors_and_no_warnings(tmp_path):
    path = tmp_path / "04-momentum.md"
    result = subprocess.run([sys.executable, "-m", "gdtui", "new", str(path), "--title", "Momentum: a ball's memory"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == ""
    assert f"wrote {path}" in result.stdout and "gdtui check" in result.stdout
    assert checked(path) == (0, ["1 lesson, 4 exercises: 0 errors, 0 warnings"])
    lesson, errors = parse_lesson(path)
    assert errors == [] and (lesson.id, lesson.title, lesson.order) == ("momentum", "Momentum: a ball's memory", 4)


def test_the_skeleton_shows_every_part_of_the_format(tmp_path):
    path = tmp_path / "first.md"
    new(path)
    lesson, _ = parse_lesson(path)
    assert lesson.title == "First" and lesson.order == 1 and lesson.objectives
    assert {e.answer.type for e in lesson.exercises} == {"number", "vector", "expression", "choice"}
    for exercise in lesson.exercises:
        assert exercise.hints and exercise.feedback and exercise.solution and exercise.tests, exercise.id
    assert any(e.params for e in lesson.exercises) and any(e.chart for e in lesson.exercises)
    assert any(len(e.hints) > 1 and e.hints[1].after for e in lesson.exercises)
    (plot,) = lesson.plots
    assert plot.controls and "tangent" in plot.layers
    text = path.read_text()
    assert "{= " in text and "$" in text and text.count("  # ") >= 5  # a value, maths, comments that explain


def test_a_new_course_folder_has_a_lesson_and_a_readme(tmp_path):
    folder = tmp_path / "my-course"
    written = new(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["01-first-lesson.md", "README.md"] == sorted(p.name for p in written)
    assert checked(folder) == (0, ["1 lesson, 4 exercises: 0 errors, 0 warnings"])
    course = load_course(folder)
    assert [lesson.id for lesson in course.lessons] == ["first-lesson"] and course.errors == ()
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# My course") and "gdtui check --format github" in readme


def test_new_never_overwrites(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("mine")
    result = subprocess.run([sys.executable, "-m", "gdtui", "new", str(path)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1 and "already exists" in result.stderr and path.read_text() == "mine"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.md").write_text("x")
    result = subprocess.run([sys.executable, "-m", "gdtui", "new", str(tmp_path / "full")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1 and "not an empty folder" in result.stderr
    result = subprocess.run([sys.executable, "-m", "gdtui", "new", str(tmp_path / "nowhere" / "b.md")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "is not a folder" in result.stderr and "Traceback" not in result.stderr


def test_titles_that_yaml_would_misread_are_kept_as_written(tmp_path):
    for title in ('Slopes: "rise" over run', "# not a comment", "[a list?]", "中文标题"):
        text = lesson_text(tmp_path / "x.md", title)
        lesson, errors = parse_lesson(tmp_path / "x.md", text)
        assert errors == [] and lesson.title == title
