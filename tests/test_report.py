"""report: the teacher's summary of the progress store, in three formats."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gdtui.report import CSV_COLUMNS, Count, ExerciseRow, LearnerRow, build_report, course_order, run_report
from gdtui.store import DB_NAME, SqliteStore as Store


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 9, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.t += timedelta(minutes=1)
        return self.t


def fill(store: Store) -> None:
    """Known attempts, one clock minute per call (09:01 … 09:18): see the expected rows below."""
    def answer(who, lesson, ex, read_as, verdict, rule=None):
        store.record_attempt(who, lesson, ex, variant=0, input=f" {read_as} ", read_as=read_as, verdict=verdict,
                             feedback_rule=rule)

    store.open_lesson("ann", "l1")
    answer("ann", "l1", "slope", "x**2", "feedback", "value-not-slope")
    answer("ann", "l1", "slope", "3", "incorrect")
    store.record_attempt("ann", "l1", "slope", variant=0, input="2x(", read_as=None, verdict="unreadable")
    answer("ann", "l1", "slope", "1", "correct")
    store.mark_lesson_done("ann", "l1")
    answer("bob", "l1", "slope", "1", "correct")
    answer("cy", "l1", "slope", "x**2", "feedback", "value-not-slope")
    store.record_give_up("cy", "l1", "slope", variant=0)
    store.open_lesson("ann", "l2")
    answer("ann", "l2", "grad", "[3, 4]", "incorrect")
    answer("bob", "l2", "grad", "[8, 6]", "feedback", "swapped")
    answer("ann", "l2", "grad", "[3, 4]", "incorrect")
    answer("bob", "l2", "grad", "[6, 8]", "correct")
    answer("ann", "l2", "grad", "[6, 8]", "correct")
    answer("ann", "l2", "grad", "[1, 1]", "incorrect")  # after solving: a wrong answer, not a step to the solve
    store.record_attempt("dan", "l2", "other", variant=0, input="??", read_as=None, verdict="unreadable")
    store.touch_learner("eve")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with Store(tmp_path, clock=Clock()) as store:
        fill(store)
    return tmp_path


LEARNERS = [
    LearnerRow("ann", 1, 2, 2, 7, "2025-03-01T09:16:00.000+00:00"),
    LearnerRow("bob", 0, 2, 2, 3, "2025-03-01T09:14:00.000+00:00"),
    LearnerRow("cy", 0, 1, 0, 1, "2025-03-01T09:09:00.000+00:00"),
    LearnerRow("dan", 0, 1, 0, 0, "2025-03-01T09:17:00.000+00:00"),
    LearnerRow("eve", 0, 0, 0, 0, "2025-03-01T09:18:00.000+00:00"),
]
EXERCISES = [
    ExerciseRow("l1", "slope", 3, 2, 2 / 3, 2.0, (Count("x**2", 2), Count("3", 1)), (Count("value-not-slope", 2),)),
    ExerciseRow("l2", "grad", 2, 2, 1.0, 2.5, (Count("[3, 4]", 2), Count("[1, 1]", 1), Count("[8, 6]", 1)),
                (Count("swapped", 1),)),
    ExerciseRow("l2", "other", 1, 0, 0.0, None, (), ()),
]


def test_build_report(data_dir: Path) -> None:
    with Store(data_dir) as store:
        report = build_report(store)
    assert list(report.learners) == LEARNERS
    assert list(report.exercises) == EXERCISES


def test_json(data_dir: Path) -> None:
    out = io.StringIO()
    assert run_report(data_dir, fmt="json", out=out) == 0
    data = json.loads(out.getvalue())
    assert data["learners"][0] == {"learner": "ann", "lessons_done": 1, "lessons_started": 2, "exercises_solved": 2,
                                   "attempts": 7, "last_seen": "2025-03-01T09:16:00.000+00:00"}
    assert [row["learner"] for row in data["learners"]] == ["ann", "bob", "cy", "dan", "eve"]
    assert data["exercises"][0] == {
        "lesson_id": "l1", "exercise_id": "slope", "learners_tried": 3, "learners_solved": 2,
        "solve_rate": pytest.approx(2 / 3), "median_attempts": 2.0,
        "wrong_answers": [{"answer": "x**2", "count": 2}, {"answer": "3", "count": 1}],
        "feedback_rules": [{"rule": "value-not-slope", "count": 2}],
    }
    assert data["exercises"][1]["wrong_answers"] == [{"answer": "[3, 4]", "count": 2}, {"answer": "[1, 1]", "count": 1},
                                                     {"answer": "[8, 6]", "count": 1}]
    assert data["exercises"][1]["median_attempts"] == 2.5
    assert data["exercises"][2]["median_attempts"] is None and data["exercises"][2]["solve_rate"] == 0.0


def test_csv(data_dir: Path) -> None:
    out = io.StringIO()
    assert run_report(data_dir, fmt="csv", out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["section"] for r in rows] == ["learner"] * 5 + ["exercise"] * 3
    ann = rows[0]
    assert (ann["learner"], ann["lessons_done"], ann["lessons_started"], ann["exercises_solved"], ann["attempts"],
            ann["last_seen"], ann["lesson_id"]) == ("ann", "1", "2", "2", "7", "2025-03-01T09:16:00.000+00:00", "")
    slope = rows[5]
    assert {k: v for k, v in slope.items() if v} == {
        "section": "exercise", "lesson_id": "l1", "exercise_id": "slope", "learners_tried": "3",
        "learners_solved": "2", "solve_rate": "0.6667", "median_attempts": "2", "wrong_1": "x**2",
        "wrong_1_count": "2", "wrong_2": "3", "wrong_2_count": "1", "rule_1": "value-not-slope", "rule_1_count": "2",
    }
    grad = rows[6]
    assert (grad["solve_rate"], grad["median_attempts"], grad["wrong_3"], grad["wrong_3_count"]) == (
        "1", "2.5", "[8, 6]", "1")
    other = rows[7]
    assert (other["learners_tried"], other["solve_rate"], other["median_attempts"], other["wrong_1"]) == (
        "1", "0", "", "")


def test_table(data_dir: Path) -> None:
    out = io.StringIO()
    assert run_report(data_dir, out=out, width=80, colour=False) == 0
    text = out.getvalue()
    assert "Learners (5)" in text and "Exercises, in course order" in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("Learner "))
    for name in ("Learner", "Last seen (UTC)", "Lessons done", "Started", "Solved", "Attempts"):
        assert name in header  # no header squeezed to "Le…" at 80 columns
    assert next(line for line in lines if line.startswith("ann")).split() == ["ann", "2025-03-01", "09:16", "1", "2",
                                                                              "2", "7"]
    assert next(line for line in lines if line.startswith("eve")).split()[-4:] == ["0", "0", "0", "0"]
    assert "l1/slope  tried 3 · solved 2 (67%) · median 2 attempts" in text
    assert "wrong: x**2 ×2, 3 ×1  ·  feedback: value-not-slope ×2" in text
    assert "l2/grad  tried 2 · solved 2 (100%) · median 2.5 attempts" in text
    assert "Solve rate per exercise (%)" in text and "Answers per minute (UTC)" in text  # plotext pictures


def test_rule_texts_and_answers_print_as_typed_not_as_markup(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.record_attempt("[bold]mal", "l1", "step", variant=0, input="[g, p - lr*g]", read_as="[g, p - lr*g]",
                             verdict="feedback", feedback_rule="[g, p - lr*g] is the old step, [red]not[/red] the new")
    out = io.StringIO()
    assert run_report(tmp_path, out=out, width=80, colour=False) == 0
    text = " ".join(out.getvalue().split())
    assert "[bold]mal" in text and "wrong: [g, p - lr*g] ×1" in text
    assert "[g, p - lr*g] is the old step, [red]not[/red] the new ×1" in text


def test_exercises_and_lessons_follow_the_course_not_the_alphabet(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    for n, (lid, exercises) in enumerate((("zeta", ("z2", "a1")), ("alpha", ("only",))), 1):
        blocks = "".join(f"\n```exercise\nid: {e}\nprompt: p\nanswer: {{type: number, value: 1}}\n```\n"
                         for e in exercises)
        (course / f"0{n}-{lid}.md").write_text(f"---\nid: {lid}\ntitle: Lesson {lid}\norder: {n}\n---\nText.\n"
                                               + blocks, encoding="utf-8")
    with Store(tmp_path / "data") as store:
        for lesson, exercise in (("alpha", "only"), ("zeta", "a1"), ("zeta", "z2"), ("gone", "old")):
            store.record_attempt("ann", lesson, exercise, variant=0, input="1", read_as="1", verdict="correct")
        report = build_report(store, course_order(course))
    assert [(e.number, e.exercise_id) for e in report.exercises] == [("1.1", "z2"), ("1.2", "a1"), ("2.1", "only"),
                                                                     ("", "old")]
    assert [(r.number, r.title, r.started, r.done) for r in report.lessons] == [
        (1, "Lesson zeta", 1, 0), (2, "Lesson alpha", 1, 0), (None, "gone", 1, 0)]


def test_a_right_answer_after_the_solution_was_shown_is_not_a_solve(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.record_give_up("ann", "l1", "slope", variant=0)
        store.record_attempt("ann", "l1", "slope", variant=0, input="1", read_as="1", verdict="correct")
        store.record_attempt("bob", "l1", "slope", variant=0, input="1", read_as="1", verdict="correct")
        store.record_give_up("cy", "l1", "slope", variant=0)  # gave up, then solved a new variant by herself
        store.record_attempt("cy", "l1", "slope", variant=1, input="2", read_as="2", verdict="correct")
        report = build_report(store)
    (row,) = report.exercises
    assert (row.learners_tried, row.learners_solved) == (3, 2)
    assert {r.learner: r.exercises_solved for r in report.learners} == {"ann": 0, "bob": 1, "cy": 1}


def test_a_closed_pipe_ends_the_report_quietly(data_dir: Path) -> None:
    """`gdtui report --format csv | head -1`: no BrokenPipeError traceback."""
    import subprocess
    import sys

    for _ in range(40):  # a bigger report than a pipe buffer holds
        with Store(data_dir) as store:
            for k in range(50):
                store.record_attempt(f"p{k}", "l1", "slope", variant=0, input="9" * 200, read_as="9" * 200,
                                     verdict="incorrect")
    run = subprocess.run(f"{sys.executable} -m gdtui report --data-dir {data_dir} --format csv | head -1",
                         shell=True, capture_output=True, text=True, timeout=120)
    assert run.stdout.startswith("section,learner")
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr


def test_empty_database(tmp_path: Path) -> None:
    Store(tmp_path).close()
    out = io.StringIO()
    assert run_report(tmp_path, out=out) == 0
    assert out.getvalue().startswith("No progress recorded yet")
    out = io.StringIO()
    assert run_report(tmp_path, fmt="csv", out=out) == 0
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\n"
    out = io.StringIO()
    assert run_report(tmp_path, fmt="json", out=out) == 0
    assert json.loads(out.getvalue()) == {"learners": [], "exercises": []}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_missing_database(tmp_path: Path, fmt: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_report(tmp_path / "nowhere", fmt=fmt, out=out, err=err) == 1
    assert out.getvalue() == ""
    message = err.getvalue()
    assert message.count("\n") == 1 and "no progress database" in message and DB_NAME in message
    assert not (tmp_path / "nowhere").exists()  # the report never creates one


def test_bad_arguments(data_dir: Path) -> None:
    err = io.StringIO()
    assert run_report(data_dir, fmt="xml", out=io.StringIO(), err=err) == 2
    assert run_report(data_dir, fmt="csv", watch=True, out=io.StringIO(), err=err) == 2
    assert len(err.getvalue().splitlines()) == 2


def test_unreadable_database(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"not a database" * 200)
    err = io.StringIO()
    assert run_report(tmp_path, out=io.StringIO(), err=err) == 1
    assert "progress file" in err.getvalue()


def test_watch_smoke(data_dir: Path) -> None:
    out = io.StringIO()
    assert run_report(data_dir, watch=True, out=out, width=200, interval=0.01, iterations=2) == 0
    assert out.getvalue().count("l1/slope") == 2


def screen_text(app) -> str:
    from rich.console import Console

    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    console.print(app.query_one("#report").content)
    return console.export_text()


async def test_the_live_screen_shows_new_answers(data_dir: Path) -> None:
    from gdtui.report.live import ReportApp

    with Store(data_dir) as store:
        app = ReportApp(lambda: build_report(store), str(data_dir), interval=3600)
        async with app.run_test(size=(80, 40)) as pilot:
            assert "Learners (5)" in screen_text(app) and "Solve rate per exercise" in screen_text(app)
            store.record_attempt("zoe", "l1", "slope", variant=0, input="1", read_as="1", verdict="correct")
            await pilot.press("r")
            await pilot.pause()
            assert app.refreshes >= 2
            assert "Learners (6)" in screen_text(app)
            await pilot.press("q")
