"""report: the teacher's summary of the progress store, in three formats."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gdtui.report import CSV_COLUMNS, Count, ExerciseRow, LearnerRow, build_report, run_report
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


def _table_rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows[cells[0]] = cells[1:]
    return rows


def test_table(data_dir: Path) -> None:
    out = io.StringIO()
    assert run_report(data_dir, out=out, width=200) == 0
    text = out.getvalue()
    assert "Learners" in text and "Exercises" in text
    rows = _table_rows(text)
    assert rows["ann"] == ["1", "2", "2", "7", "2025-03-01 09:16"]
    assert rows["eve"] == ["0", "0", "0", "0", "2025-03-01 09:18"]
    assert rows["l1/slope"] == ["3", "2", "67%", "2", "x**2 ×2, 3 ×1", "value-not-slope ×2"]
    assert rows["l2/grad"] == ["2", "2", "100%", "2.5", "[3, 4] ×2, [1, 1] ×1, [8, 6] ×1", "swapped ×1"]
    assert rows["l2/other"] == ["1", "0", "0%", "", "", ""]


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
    assert "l1/slope" in out.getvalue()
