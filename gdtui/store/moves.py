"""Progress that follows an exercise to another lesson.

A course may move an exercise to a new lesson (lesson 13 of the bundled course was split in three). Its
stored progress is keyed by (lesson id, exercise id), so a learner who solved it before would find it unsolved
under the new lesson. `move_exercises` rewrites those keys once, for every learner, in one transaction: each
move is (exercise id, old lesson id, new lesson id). Where a learner already has a state under the new lesson,
the solved one of the two is kept (the newer one when both or neither are solved); every attempt moves, so the
history is whole. Running it again finds nothing left to move. Plain SQL that SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Move = tuple[str, str, str]  # (exercise id, the lesson it was in, the lesson it is in now)

# a learner's old state gives way to their new one when the new one is solved, or neither is and it is newer
_DROP_OLD = (
    "DELETE FROM exercise_state WHERE lesson_id = ? AND exercise_id = ? AND EXISTS (SELECT 1 FROM exercise_state n"
    " WHERE n.learner = exercise_state.learner AND n.lesson_id = ? AND n.exercise_id = exercise_state.exercise_id"
    " AND (n.solved > exercise_state.solved OR (n.solved = exercise_state.solved"
    " AND n.updated >= exercise_state.updated)))")
# otherwise the new state gives way to the old one
_DROP_NEW = (
    "DELETE FROM exercise_state WHERE lesson_id = ? AND exercise_id = ? AND EXISTS (SELECT 1 FROM exercise_state o"
    " WHERE o.learner = exercise_state.learner AND o.lesson_id = ? AND o.exercise_id = exercise_state.exercise_id)")
_MOVE_STATE = "UPDATE exercise_state SET lesson_id = ? WHERE lesson_id = ? AND exercise_id = ?"
_MOVE_ATTEMPTS = "UPDATE attempts SET lesson_id = ? WHERE lesson_id = ? AND exercise_id = ?"


def move_exercises(tx: Any, moves: Iterable[Move]) -> int:
    """Rewrite the stored keys of moved exercises (tx: the store's open transaction); the number of rows moved."""
    moved = 0
    for exercise_id, old, new in moves:
        if old == new:
            continue
        tx.q(_DROP_OLD, (old, exercise_id, new))
        tx.q(_DROP_NEW, (new, exercise_id, old))
        moved += max(tx.q(_MOVE_STATE, (new, old, exercise_id)).rowcount, 0)
        moved += max(tx.q(_MOVE_ATTEMPTS, (new, old, exercise_id)).rowcount, 0)
    return moved
