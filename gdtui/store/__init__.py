"""Progress storage: learners, lesson visits and every answer given. It keeps ids and answers only and
imports no lesson types (ui/progress.py turns lessons and exercise sessions into these calls).

`open_store(database, data_dir)` picks the backend: SQLite in the data folder is the embedded default
(sqlite.py); a ``postgresql://`` URL keeps one class's progress in PostgreSQL for several servers
(postgres.py). Both run the same operations (base.py) on the same versioned tables (schema.py), and both
satisfy `ProgressStore`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from gdtui.store.base import new_attempt_id, now_utc
from gdtui.store.postgres import PostgresStore, is_postgres_url
from gdtui.store.records import (
    MAX_TEXT, SCORED, VERDICTS, WRONG, Attempt, ExerciseProgress, Learner, LessonProgress, LessonVisit,
    SavedExercise, SavedProgress, StoreError, StoreUnavailable,
)
from gdtui.store.sqlite import DB_NAME, SqliteStore, database_path

ENV = "GDTUI_DATABASE"  # the database when --database is not given


class ProgressStore(Protocol):
    """What every backend offers. Each call is one transaction, committed before it returns; a call that
    cannot reach the database raises `StoreUnavailable` (try again later), any other failure `StoreError`."""

    where: str  # the database, as messages name it
    read_only: bool

    @property
    def schema_version(self) -> int: ...
    def touch_learner(self, learner: str) -> Learner: ...
    def learners(self) -> tuple[Learner, ...]: ...
    def open_lesson(self, learner: str, lesson_id: str) -> LessonVisit: ...
    def mark_lesson_done(self, learner: str, lesson_id: str, done: bool = True) -> LessonVisit: ...
    def lesson_visits(self, learner: str | None = None) -> tuple[LessonVisit, ...]: ...
    def resume_lesson(self, learner: str) -> str | None: ...
    def learner_language(self, learner: str) -> str | None: ...
    def set_learner_language(self, learner: str, lang: str | None) -> None: ...
    def record_attempt(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int, input: str,
                       read_as: str | None, verdict: str, feedback_rule: str | None = None,
                       attempt_id: str | None = None) -> SavedExercise: ...
    def record_hints(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int,
                     shown: int) -> SavedExercise: ...
    def record_give_up(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int,
                       input: str = "", attempt_id: str | None = None) -> SavedExercise: ...
    def set_variant(self, learner: str, lesson_id: str, exercise_id: str, variant: int) -> SavedExercise: ...
    def get_exercise_state(self, learner: str, lesson_id: str, exercise_id: str) -> SavedExercise | None: ...
    def exercise_states(self, learner: str) -> tuple[SavedExercise, ...]: ...
    def attempts(self, learner: str | None = None, lesson_id: str | None = None,
                 exercise_id: str | None = None) -> tuple[Attempt, ...]: ...
    def get_progress(self, learner: str) -> SavedProgress: ...
    def move_exercises(self, moves: Iterable[tuple[str, str, str]]) -> int: ...
    def reset_learner(self, learner: str) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> ProgressStore: ...
    def __exit__(self, *exc: object) -> None: ...


def chosen_database(database: str | Path | None, data_dir: str | Path) -> str | Path:
    """Where progress lives: ``database`` if given, else $GDTUI_DATABASE, else SQLite in ``data_dir``."""
    return database or os.environ.get(ENV) or data_dir


def open_store(database: str | Path | None, data_dir: str | Path, *, read_only: bool = False,
               clock: Callable[[], datetime] = now_utc, busy_timeout: float = 10.0) -> ProgressStore:
    """Open (creating and migrating, unless ``read_only``) the progress database; see `chosen_database`.
    ``busy_timeout`` is how long one SQLite call waits on another program's lock."""
    where = chosen_database(database, data_dir)
    if isinstance(where, str) and is_postgres_url(where):
        return PostgresStore(where, read_only=read_only, clock=clock)
    if isinstance(where, str) and "://" in where:
        raise StoreError(f"unknown database {where.split('://', 1)[0]}://…; use postgresql://… or a folder")
    return SqliteStore(where, read_only=read_only, clock=clock, busy_timeout=busy_timeout)


def describe_database(database: str | Path | None, data_dir: str | Path) -> str:
    """The chosen database in words a teacher reads (never a password)."""
    where = chosen_database(database, data_dir)
    if isinstance(where, str) and is_postgres_url(where):
        from gdtui.store.postgres import describe

        return f"PostgreSQL {describe(where)}"
    return str(database_path(where))


__all__ = [
    "DB_NAME", "ENV", "MAX_TEXT", "SCORED", "VERDICTS", "WRONG", "Attempt", "ExerciseProgress", "Learner",
    "LessonProgress", "LessonVisit", "PostgresStore", "ProgressStore", "SavedExercise", "SavedProgress",
    "SqliteStore", "StoreError", "StoreUnavailable", "chosen_database", "database_path", "describe_database",
    "is_postgres_url", "new_attempt_id", "open_store",
]
