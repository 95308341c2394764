"""Progress storage: learners, lesson visits and every answer given.

`sqlite.py` is the embedded default (one file in the data dir, many processes writing at once).
The store keeps ids and answers only; it imports no lesson types.
"""
from gdtui.store.sqlite import (
    DB_NAME,
    MAX_TEXT,
    SCORED,
    VERDICTS,
    Attempt,
    ExerciseProgress,
    ExerciseState,
    Learner,
    LessonProgress,
    LessonVisit,
    Position,
    Progress,
    Store,
    StoreError,
    database_path,
)

__all__ = [
    "DB_NAME", "MAX_TEXT", "SCORED", "VERDICTS", "Attempt", "ExerciseProgress", "ExerciseState", "Learner",
    "LessonProgress", "LessonVisit", "Position", "Progress", "Store", "StoreError", "database_path",
]
