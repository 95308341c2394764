"""Which stored answers solved their exercise: the one rule the report and the lesson list count by.

A `correct` answer solves its exercise unless the learner gave up (asked for the solution, ctrl+o) on the
same variant before it: typing back the solution just shown is not solving. A new variant starts afresh,
so an exercise given up and then solved with new numbers counts. Stored rows are never re-graded; this
only reads their verdicts in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Row(Protocol):
    id: int
    learner: str
    lesson_id: str
    exercise_id: str
    variant: int
    verdict: str


def solving_attempts(rows: Iterable[Row]) -> set[int]:
    """The ids of the `correct` rows that count as solving (rows in any order)."""
    gave_up: dict[tuple, int] = {}  # (learner, lesson, exercise, variant) -> id of the first give-up
    rows = sorted(rows, key=lambda row: row.id)
    for row in rows:
        if row.verdict == "gave_up":
            gave_up.setdefault(_key(row), row.id)
    return {row.id for row in rows if row.verdict == "correct" and gave_up.get(_key(row), row.id + 1) > row.id}


def _key(row: Row) -> tuple:
    return row.learner, row.lesson_id, row.exercise_id, row.variant
