"""The teacher's report: progress per learner and per exercise, as a table, CSV or JSON.

``build_report(store)`` is a pure summary of the store's rows; ``run_report`` prints it (and, with ``watch``,
keeps a live table on screen). Attempts count the scored answers (correct, incorrect, feedback): input the
tutor could not read costs no attempt, and giving up is not an answer.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from gdtui.store import SCORED, Store, StoreError, database_path
from gdtui.store.solved import solving_attempts

TOP = 3
CSV_COLUMNS = (
    "section", "learner", "lessons_done", "lessons_started", "exercises_solved", "attempts", "last_seen",
    "lesson_id", "exercise_id", "learners_tried", "learners_solved", "solve_rate", "median_attempts",
    *(f"wrong_{k}{part}" for k in range(1, TOP + 1) for part in ("", "_count")),
    *(f"rule_{k}{part}" for k in range(1, TOP + 1) for part in ("", "_count")),
)


@dataclass(frozen=True)
class LearnerRow:
    learner: str
    lessons_done: int
    lessons_started: int
    exercises_solved: int
    attempts: int
    last_seen: str


@dataclass(frozen=True)
class Count:
    value: str
    count: int


@dataclass(frozen=True)
class ExerciseRow:
    lesson_id: str
    exercise_id: str
    learners_tried: int
    learners_solved: int
    solve_rate: float | None  # solved / tried
    median_attempts: float | None  # scored attempts up to the first correct one, over the learners who solved it
    wrong_answers: tuple[Count, ...]  # most common wrong answers, as the tutor read them
    feedback_rules: tuple[Count, ...]  # the feedback rules that fired most


@dataclass(frozen=True)
class Report:
    learners: tuple[LearnerRow, ...]
    exercises: tuple[ExerciseRow, ...]


def _top(counter: Counter[str]) -> tuple[Count, ...]:
    return tuple(Count(value, n) for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP])


def build_report(store: Store) -> Report:
    """Summarise everything in the store; exercises appear once somebody has answered them."""
    attempts = store.all_attempts()
    visits = store.lesson_visits()
    started: dict[str, set[str]] = defaultdict(set)
    done: dict[str, set[str]] = defaultdict(set)
    for visit in visits:
        started[visit.learner].add(visit.lesson_id)
        if visit.done:
            done[visit.learner].add(visit.lesson_id)
    solved: dict[str, set[tuple[str, str]]] = defaultdict(set)
    scored: Counter[str] = Counter()
    by_exercise: dict[tuple[str, str], list] = defaultdict(list)
    solving = solving_attempts(attempts)  # a right answer after the solution was shown is not solving
    for a in attempts:
        started[a.learner].add(a.lesson_id)
        scored[a.learner] += a.verdict in SCORED
        if a.id in solving:
            solved[a.learner].add((a.lesson_id, a.exercise_id))
        by_exercise[(a.lesson_id, a.exercise_id)].append(a)
    learners = tuple(
        LearnerRow(learner.name, len(done[learner.name]), len(started[learner.name]), len(solved[learner.name]),
                   scored[learner.name], learner.last_seen)
        for learner in store.learners()
    )
    return Report(learners, tuple(_exercise_row(key, rows, solving) for key, rows in sorted(by_exercise.items())))


def _exercise_row(key: tuple[str, str], attempts: list, solving: set[int]) -> ExerciseRow:
    tried = {a.learner for a in attempts}
    counts: Counter[str] = Counter()
    to_solve: dict[str, int] = {}
    wrong: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for a in attempts:  # in the order they were made
        if a.verdict in SCORED and a.learner not in to_solve:
            counts[a.learner] += 1
            if a.id in solving:
                to_solve[a.learner] = counts[a.learner]
        if a.verdict in ("incorrect", "feedback"):
            wrong[a.read_as if a.read_as is not None else a.input.strip()] += 1
        if a.feedback_rule:
            rules[a.feedback_rule] += 1
    median = float(statistics.median(to_solve.values())) if to_solve else None
    return ExerciseRow(*key, len(tried), len(to_solve), len(to_solve) / len(tried), median, _top(wrong), _top(rules))


# ---------------------------------------------------------------- output

def _number(x: float | None, digits: int = 4) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.{digits}f}".rstrip("0")


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def _counts(items: tuple[Count, ...]) -> str:
    return ", ".join(f"{c.value} ×{c.count}" for c in items)


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report.learners:
        writer.writerow({"section": "learner", **asdict(row)})
    for ex in report.exercises:
        record = {"section": "exercise", "lesson_id": ex.lesson_id, "exercise_id": ex.exercise_id,
                  "learners_tried": ex.learners_tried, "learners_solved": ex.learners_solved,
                  "solve_rate": _number(ex.solve_rate), "median_attempts": _number(ex.median_attempts)}
        for prefix, items in (("wrong", ex.wrong_answers), ("rule", ex.feedback_rules)):
            for k, item in enumerate(items, 1):
                record[f"{prefix}_{k}"], record[f"{prefix}_{k}_count"] = item.value, item.count
        writer.writerow(record)


def to_json(report: Report) -> dict:
    return {
        "learners": [asdict(row) for row in report.learners],
        "exercises": [
            {**{k: v for k, v in asdict(ex).items() if k not in ("wrong_answers", "feedback_rules")},
             "wrong_answers": [{"answer": c.value, "count": c.count} for c in ex.wrong_answers],
             "feedback_rules": [{"rule": c.value, "count": c.count} for c in ex.feedback_rules]}
            for ex in report.exercises
        ],
    }


def render_table(report: Report, source: Path | None = None):
    """The report as rich tables (a renderable for Console.print or Live)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if not report.learners and not report.exercises:
        return Text(f"No progress recorded yet{f' in {source}' if source else ''}.")
    people = Table(title="Learners", title_justify="left")
    for name, justify in (("Learner", "left"), ("Lessons done", "right"), ("Lessons started", "right"),
                          ("Exercises solved", "right"), ("Attempts", "right"), ("Last seen (UTC)", "left")):
        people.add_column(name, justify=justify, no_wrap=name.startswith(("Learner", "Last")))
    for r in report.learners:
        people.add_row(r.learner, str(r.lessons_done), str(r.lessons_started), str(r.exercises_solved),
                       str(r.attempts), _when(r.last_seen))
    exercises = Table(title="Exercises", title_justify="left")
    for name, justify in (("Exercise", "left"), ("Tried", "right"), ("Solved", "right"), ("Solve rate", "right"),
                          ("Median attempts", "right"), ("Common wrong answers", "left"), ("Feedback fired", "left")):
        exercises.add_column(name, justify=justify, no_wrap=name == "Exercise")
    for e in report.exercises:
        rate = "" if e.solve_rate is None else f"{e.solve_rate:.0%}"
        exercises.add_row(f"{e.lesson_id}/{e.exercise_id}", str(e.learners_tried), str(e.learners_solved), rate,
                          _number(e.median_attempts, 1), _counts(e.wrong_answers), _counts(e.feedback_rules))
    return Group(people, Text(""), exercises)


def run_report(data_dir: str | Path, fmt: str = "table", watch: bool = False, out: TextIO = sys.stdout, *,
               err: TextIO | None = None, width: int | None = None, interval: float = 2.0,
               iterations: int | None = None) -> int:
    """Print the report for the progress in ``data_dir``; returns the exit code.

    ``watch`` redraws the table every ``interval`` seconds until Ctrl+C (or ``iterations`` redraws).
    """
    err = err or sys.stderr
    if fmt not in ("table", "csv", "json"):
        print(f"gdtui report: unknown format {fmt!r}; use table, csv or json", file=err)
        return 2
    if watch and fmt != "table":
        print("gdtui report: --watch works with the table format only", file=err)
        return 2
    path = database_path(data_dir)
    if not path.is_file():
        print(f"gdtui report: no progress database at {path} (check --data-dir)", file=err)
        return 1
    try:
        with Store(path) as store:
            if fmt == "csv":
                write_csv(build_report(store), out)
            elif fmt == "json":
                out.write(json.dumps(to_json(build_report(store)), indent=2, ensure_ascii=False) + "\n")
            elif not watch:
                _console(out, width).print(render_table(build_report(store), path))
            else:
                _watch(store, path, _console(out, width), interval, iterations)
    except StoreError as exc:
        print(f"gdtui report: {exc}", file=err)
        return 1
    return 0


def _console(out: TextIO, width: int | None):
    from rich.console import Console

    return Console(file=out, width=width, highlight=False)


def _watch(store: Store, path: Path, console, interval: float, iterations: int | None) -> None:
    from rich.live import Live

    count = 0
    try:
        with Live(render_table(build_report(store), path), console=console, auto_refresh=False) as live:
            while iterations is None or count < iterations:
                time.sleep(interval)
                live.update(render_table(build_report(store), path), refresh=True)
                count += 1
    except KeyboardInterrupt:
        pass
