"""The teacher's report: attendance and progress per learner, lesson and exercise, as a table with plotext
charts, CSV or JSON, or a live screen (`--watch`) that refreshes as answers arrive.

`summary.py` turns the store's rows into a `Report` (pure); `text.py` lays it out at the terminal's width;
`charts.py` draws its pictures with plotext; `live.py` is the Textual screen of `--watch`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from gdtui.report.summary import (
    TOP, Count, CourseOrder, ExerciseRow, LearnerRow, LessonRow, Report, build_report,
)
from gdtui.i18n import _
from gdtui.report.text import number, render_table
from gdtui.store import (
    StoreError, chosen_database, database_path, describe_database, is_postgres_url, open_store,
)

CSV_COLUMNS = (
    "section", "learner", "lessons_done", "lessons_started", "exercises_solved", "attempts", "last_seen",
    "lesson_id", "exercise_id", "learners_tried", "learners_solved", "solve_rate", "median_attempts",
    *(f"wrong_{k}{part}" for k in range(1, TOP + 1) for part in ("", "_count")),
    *(f"rule_{k}{part}" for k in range(1, TOP + 1) for part in ("", "_count")),
)

__all__ = ["CSV_COLUMNS", "Count", "CourseOrder", "ExerciseRow", "LearnerRow", "LessonRow", "Report", "build_report",
           "course_order", "run_report", "to_json", "write_csv"]


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report.learners:
        writer.writerow({"section": "learner", **asdict(row)})
    for ex in report.exercises:
        record = {"section": "exercise", "lesson_id": ex.lesson_id, "exercise_id": ex.exercise_id,
                  "learners_tried": ex.learners_tried, "learners_solved": ex.learners_solved,
                  "solve_rate": number(ex.solve_rate), "median_attempts": number(ex.median_attempts)}
        for prefix, items in (("wrong", ex.wrong_answers), ("rule", ex.feedback_rules)):
            for k, item in enumerate(items, 1):
                record[f"{prefix}_{k}"], record[f"{prefix}_{k}_count"] = item.value, item.count
        writer.writerow(record)


def to_json(report: Report) -> dict:
    return {
        "learners": [asdict(row) for row in report.learners],
        "exercises": [
            {**{k: v for k, v in asdict(ex).items() if k not in ("wrong_answers", "feedback_rules", "number")},
             "wrong_answers": [{"answer": c.value, "count": c.count} for c in ex.wrong_answers],
             "feedback_rules": [{"rule": c.value, "count": c.count} for c in ex.feedback_rules]}
            for ex in report.exercises
        ],
    }


def course_order(lessons: str | Path | None) -> CourseOrder:
    """The order of the course the class follows (the bundled one unless --lessons names another)."""
    from gdtui.course.parse import load_course
    from gdtui.paths import bundled_lessons

    folder = Path(lessons) if lessons is not None else bundled_lessons()
    return CourseOrder.of(load_course(folder).lessons) if folder.is_dir() else CourseOrder()


def run_report(data_dir: str | Path, fmt: str = "table", watch: bool = False, out: TextIO | None = None, *,
               err: TextIO | None = None, width: int | None = None, interval: float = 2.0,
               iterations: int | None = None, lessons: str | Path | None = None, colour: bool | None = None,
               database: str | None = None) -> int:
    """Print the report for the progress in ``database`` (default: ``data_dir``'s); returns the exit code.
    The database is opened read-only: a teacher may read a class's file they cannot write.

    ``watch`` opens the live screen (refreshed every ``interval`` seconds) until q; with ``iterations`` it
    prints that many refreshes as plain text instead (for tests and for a log)."""
    out, err = out or sys.stdout, err or sys.stderr
    if fmt not in ("table", "csv", "json"):
        print(_("gdtui report: unknown format {format}; use table, csv or json").format(format=repr(fmt)), file=err)
        return 2
    if watch and fmt != "table":
        print(_("gdtui report: --watch works with the table format only"), file=err)
        return 2
    where = chosen_database(database, data_dir)
    path = describe_database(database, data_dir)
    if not (isinstance(where, str) and is_postgres_url(where)):
        try:
            if not database_path(where).is_file():
                print(_("gdtui report: no progress database at {path} (check --data-dir)").format(path=path), file=err)
                return 1
        except OSError as exc:  # a folder we may not look into
            print(_("gdtui report: cannot read {path}: {problem}").format(path=path, problem=exc.strerror or exc), file=err)
            return 1
    order = course_order(lessons)
    try:
        with open_store(database, data_dir, read_only=True) as store:
            if watch and iterations is None:
                from gdtui.report.live import ReportApp

                return ReportApp(lambda: build_report(store, order), str(path), interval).run() or 0
            for _refresh in range(1 if not watch else iterations):
                _print(build_report(store, order), fmt, out, width, colour, str(path))
    except StoreError as exc:
        print(_("gdtui report: {problem}").format(problem=exc), file=err)
        return 1
    except BrokenPipeError:  # `gdtui report | head`: the reader has all it wanted
        _quiet_stdout()
    return 0


def _print(report: Report, fmt: str, out: TextIO, width: int | None, colour: bool | None, source: str) -> None:
    if fmt == "csv":
        write_csv(report, out)
    elif fmt == "json":
        out.write(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n")
    else:
        from rich.console import Console
        from rich.text import Text

        from gdtui.report.charts import all_charts

        console = Console(file=out, width=width, highlight=False,
                          no_color=colour is False or "NO_COLOR" in os.environ or None)
        painted = console.is_terminal and not console.no_color if colour is None else colour
        charts = tuple(Text.from_ansi(c) for c in all_charts(report, min(console.width, 100), painted))
        console.print(render_table(report, source, charts))
    out.flush()


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
