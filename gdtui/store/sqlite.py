"""Progress kept in SQLite: learners, lesson visits, every attempt, the state of each exercise.

One file, ``progress.sqlite3``, in the data folder. Many processes write to it at once (each SSH session is a
process of its own), so every call is one short transaction (``BEGIN IMMEDIATE`` for writes) that commits before
it returns, in WAL mode with a 10 s busy timeout and a few retries on "database is locked". A crash loses
nothing that a call has returned from. The schema is versioned with ``PRAGMA user_version``.

Rows come back as frozen dataclasses; times are ISO 8601 strings in UTC.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple, TypeVar

from gdtui.store.solved import solving_attempts

DB_NAME = "progress.sqlite3"
VERDICTS = ("correct", "incorrect", "feedback", "unreadable", "gave_up")
SCORED = ("correct", "incorrect", "feedback")  # the verdicts that cost an attempt
MAX_TEXT = 10_000  # longer inputs are cut to this many characters

MIGRATIONS: list[tuple[str, ...]] = [
    (  # version 1
        "CREATE TABLE learners (name TEXT PRIMARY KEY, created TEXT NOT NULL, last_seen TEXT NOT NULL)",
        "CREATE TABLE lesson_visits (learner TEXT NOT NULL REFERENCES learners(name) ON DELETE CASCADE,"
        " lesson_id TEXT NOT NULL, first_opened TEXT NOT NULL, last_opened TEXT NOT NULL,"
        " done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (learner, lesson_id))",
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " learner TEXT NOT NULL REFERENCES learners(name) ON DELETE CASCADE, lesson_id TEXT NOT NULL,"
        " exercise_id TEXT NOT NULL, variant INTEGER NOT NULL, input TEXT NOT NULL, read_as TEXT,"
        " verdict TEXT NOT NULL CHECK (verdict IN ('correct','incorrect','feedback','unreadable','gave_up')),"
        " feedback_rule TEXT, at TEXT NOT NULL)",
        "CREATE INDEX attempts_by_exercise ON attempts (lesson_id, exercise_id)",
        "CREATE INDEX attempts_by_learner ON attempts (learner, lesson_id, exercise_id)",
        "CREATE TABLE exercise_state (learner TEXT NOT NULL REFERENCES learners(name) ON DELETE CASCADE,"
        " lesson_id TEXT NOT NULL, exercise_id TEXT NOT NULL, variant INTEGER NOT NULL DEFAULT 0,"
        " attempts INTEGER NOT NULL DEFAULT 0, solved INTEGER NOT NULL DEFAULT 0,"
        " hints_used INTEGER NOT NULL DEFAULT 0, gave_up INTEGER NOT NULL DEFAULT 0, updated TEXT NOT NULL,"
        " PRIMARY KEY (learner, lesson_id, exercise_id))",
        "CREATE TABLE kv (learner TEXT NOT NULL REFERENCES learners(name) ON DELETE CASCADE, key TEXT NOT NULL,"
        " value TEXT NOT NULL, PRIMARY KEY (learner, key))",
    ),
]

T = TypeVar("T")


class _Row(NamedTuple):  # the columns `solving_attempts` reads
    id: int
    learner: str
    lesson_id: str
    exercise_id: str
    variant: int
    verdict: str


class StoreError(RuntimeError):
    """The progress file cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class Learner:
    name: str
    created: str
    last_seen: str


@dataclass(frozen=True)
class LessonVisit:
    learner: str
    lesson_id: str
    first_opened: str
    last_opened: str
    done: bool


@dataclass(frozen=True)
class Attempt:
    id: int
    learner: str
    lesson_id: str
    exercise_id: str
    variant: int
    input: str
    read_as: str | None
    verdict: str
    feedback_rule: str | None
    at: str


@dataclass(frozen=True)
class ExerciseState:
    """The exercise as the learner left it, for the variant they are on (counters restart with a new variant)."""

    learner: str
    lesson_id: str
    exercise_id: str
    variant: int
    attempts: int
    solved: bool
    hints_used: int
    gave_up: bool
    updated: str


@dataclass(frozen=True)
class Position:
    lesson_id: str
    anchor: str = ""


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise over all its variants: ``attempts`` counts scored answers, ``solved`` is ever solved."""

    lesson_id: str
    exercise_id: str
    attempts: int
    solved: bool
    gave_up: bool
    variant: int  # the variant the learner is on now
    hints_used: int  # on that variant


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    opened: bool
    done: bool
    exercises: tuple[ExerciseProgress, ...]

    @property
    def solved(self) -> int:
        return sum(e.solved for e in self.exercises)


@dataclass(frozen=True)
class Progress:
    learner: str
    lessons: tuple[LessonProgress, ...]

    def lesson(self, lesson_id: str) -> LessonProgress | None:
        return next((lesson for lesson in self.lessons if lesson.lesson_id == lesson_id), None)

    def exercise(self, lesson_id: str, exercise_id: str) -> ExerciseProgress | None:
        lesson = self.lesson(lesson_id)
        return next((e for e in lesson.exercises if e.exercise_id == exercise_id), None) if lesson else None


def database_path(path_or_dir: str | Path) -> Path:
    """The progress file for a data folder (or the file itself, when given one)."""
    path = Path(path_or_dir).expanduser()
    return path if path.suffix in (".sqlite3", ".sqlite", ".db") or path.is_file() else path / DB_NAME


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """The progress database. Safe to share between threads; open one per process."""

    RETRIES = 6

    def __init__(self, path_or_dir: str | Path, *, clock: Callable[[], datetime] = _now):
        self.path = database_path(path_or_dir)
        self._clock = clock
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the progress file {self.path}: {exc}") from None
        try:
            self._retry(self._setup)
            self._write(self._migrate)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ plumbing
    def _setup(self) -> None:
        conn = self._connection()
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a killed process loses nothing committed; only a power cut may drop the last commits
        conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer gdtui (schema {version}, this one knows "
                             f"{len(MIGRATIONS)}); upgrade gdtui to use it")
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the progress store is closed")
        return self._conn

    def _retry(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.RETRIES):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                conn = self._conn
                if conn is not None and conn.in_transaction:
                    conn.execute("ROLLBACK")
                if not _busy(exc) or attempt == self.RETRIES - 1:
                    raise StoreError(f"cannot use the progress file {self.path}: {exc}") from None
                time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"the progress file {self.path} cannot be read: {exc}") from None
        raise AssertionError("unreachable")

    def _transaction(self, fn: Callable[[sqlite3.Connection], T], begin: str) -> T:
        def run() -> T:
            conn = self._connection()
            conn.execute(begin)
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        with self._lock:
            return self._retry(run)

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._transaction(fn, "BEGIN IMMEDIATE")

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._transaction(fn, "BEGIN")

    def _stamp(self) -> str:
        return self._clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")

    def _touch(self, conn: sqlite3.Connection, learner: str, now: str) -> None:
        if not isinstance(learner, str) or not learner.strip():
            raise ValueError("a learner needs a name")
        conn.execute("INSERT INTO learners (name, created, last_seen) VALUES (?, ?, ?) "
                     "ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen", (learner, now, now))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------ learners and lessons
    def touch_learner(self, learner: str) -> Learner:
        """Create the learner if new and note that they were seen now."""
        def run(conn: sqlite3.Connection) -> Learner:
            self._touch(conn, learner, self._stamp())
            return Learner(*conn.execute("SELECT name, created, last_seen FROM learners WHERE name = ?",
                                         (learner,)).fetchone())
        return self._write(run)

    def learners(self) -> tuple[Learner, ...]:
        rows = self._read(lambda c: c.execute("SELECT name, created, last_seen FROM learners ORDER BY name").fetchall())
        return tuple(Learner(*row) for row in rows)

    def open_lesson(self, learner: str, lesson_id: str) -> LessonVisit:
        """Note a visit to a lesson; it also becomes the learner's resume position."""
        def run(conn: sqlite3.Connection) -> LessonVisit:
            now = self._stamp()
            self._touch(conn, learner, now)
            conn.execute("INSERT INTO lesson_visits (learner, lesson_id, first_opened, last_opened) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (learner, lesson_id) DO UPDATE SET last_opened = excluded.last_opened",
                         (learner, lesson_id, now, now))
            old = self._get(conn, learner, "position")
            if old is None or old.split("\n", 1)[0] != lesson_id:
                self._put(conn, learner, "position", lesson_id + "\n")
            return self._visit(conn, learner, lesson_id)
        return self._write(run)

    def mark_lesson_done(self, learner: str, lesson_id: str, done: bool = True) -> LessonVisit:
        def run(conn: sqlite3.Connection) -> LessonVisit:
            now = self._stamp()
            self._touch(conn, learner, now)
            conn.execute("INSERT INTO lesson_visits (learner, lesson_id, first_opened, last_opened, done)"
                         " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner, lesson_id) DO UPDATE SET done = excluded.done",
                         (learner, lesson_id, now, now, int(done)))
            return self._visit(conn, learner, lesson_id)
        return self._write(run)

    def lesson_visits(self, learner: str | None = None) -> tuple[LessonVisit, ...]:
        sql = "SELECT learner, lesson_id, first_opened, last_opened, done FROM lesson_visits"
        sql, args = (sql + " WHERE learner = ?", (learner,)) if learner is not None else (sql, ())
        rows = self._read(lambda c: c.execute(sql + " ORDER BY learner, lesson_id", args).fetchall())
        return tuple(LessonVisit(*row[:4], bool(row[4])) for row in rows)

    @staticmethod
    def _visit(conn: sqlite3.Connection, learner: str, lesson_id: str) -> LessonVisit:
        row = conn.execute("SELECT learner, lesson_id, first_opened, last_opened, done FROM lesson_visits "
                           "WHERE learner = ? AND lesson_id = ?", (learner, lesson_id)).fetchone()
        return LessonVisit(*row[:4], bool(row[4]))

    # ------------------------------------------------------------------ exercises
    def record_attempt(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int, input: str,
                       read_as: str | None, verdict: str, feedback_rule: str | None = None) -> ExerciseState:
        """Store one answer and update the exercise's state in the same transaction.

        ``unreadable`` answers are kept for the teacher but cost no attempt; ``gave_up`` is better recorded with
        :meth:`record_give_up`.
        """
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")

        def run(conn: sqlite3.Connection) -> ExerciseState:
            now = self._stamp()
            key = self._on_variant(conn, learner, lesson_id, exercise_id, int(variant), now)
            read = None if read_as is None else str(read_as)[:MAX_TEXT]
            conn.execute("INSERT INTO attempts (learner, lesson_id, exercise_id, variant, input, read_as, verdict,"
                         " feedback_rule, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (*key, int(variant), str(input)[:MAX_TEXT], read, verdict, feedback_rule, now))
            conn.execute("UPDATE exercise_state SET attempts = attempts + ?, solved = MAX(solved, ? AND NOT gave_up),"
                         " gave_up = MAX(gave_up, ?), updated = ?"
                         " WHERE learner = ? AND lesson_id = ? AND exercise_id = ?",
                         (verdict in SCORED, verdict == "correct", verdict == "gave_up", now, *key))
            return self._state(conn, *key)
        return self._write(run)

    def record_hint(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int) -> ExerciseState:
        def run(conn: sqlite3.Connection) -> ExerciseState:
            now = self._stamp()
            key = self._on_variant(conn, learner, lesson_id, exercise_id, int(variant), now)
            conn.execute("UPDATE exercise_state SET hints_used = hints_used + 1, updated = ?"
                         " WHERE learner = ? AND lesson_id = ? AND exercise_id = ?", (now, *key))
            return self._state(conn, *key)
        return self._write(run)

    def record_give_up(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int,
                       input: str = "") -> ExerciseState:
        """The learner asked for the solution: an attempt row with verdict ``gave_up``, and the flag set."""
        return self.record_attempt(learner, lesson_id, exercise_id, variant=variant, input=input, read_as=None,
                                   verdict="gave_up")

    def set_variant(self, learner: str, lesson_id: str, exercise_id: str, variant: int) -> ExerciseState:
        """Move the learner to another variant; a change of variant starts its counters afresh."""
        def run(conn: sqlite3.Connection) -> ExerciseState:
            return self._state(conn, *self._on_variant(conn, learner, lesson_id, exercise_id, int(variant),
                                                       self._stamp()))
        return self._write(run)

    def get_exercise_state(self, learner: str, lesson_id: str, exercise_id: str) -> ExerciseState | None:
        return self._read(lambda c: self._state(c, learner, lesson_id, exercise_id))

    def _on_variant(self, conn: sqlite3.Connection, learner: str, lesson_id: str, exercise_id: str,
                    variant: int, now: str) -> tuple[str, str, str]:
        self._touch(conn, learner, now)
        conn.execute("INSERT INTO exercise_state (learner, lesson_id, exercise_id, variant, updated)"
                     " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner, lesson_id, exercise_id) DO UPDATE SET"
                     " variant = excluded.variant, attempts = 0, solved = 0, hints_used = 0, gave_up = 0,"
                     " updated = excluded.updated WHERE variant != excluded.variant",
                     (learner, lesson_id, exercise_id, variant, now))
        return learner, lesson_id, exercise_id

    @staticmethod
    def _state(conn: sqlite3.Connection, learner: str, lesson_id: str, exercise_id: str) -> ExerciseState | None:
        row = conn.execute("SELECT learner, lesson_id, exercise_id, variant, attempts, solved, hints_used, gave_up,"
                           " updated FROM exercise_state WHERE learner = ? AND lesson_id = ? AND exercise_id = ?",
                           (learner, lesson_id, exercise_id)).fetchone()
        if row is None:
            return None
        return ExerciseState(*row[:5], bool(row[5]), row[6], bool(row[7]), row[8])

    def attempts(self, learner: str | None = None, lesson_id: str | None = None,
                 exercise_id: str | None = None) -> tuple[Attempt, ...]:
        """Attempts in the order they were made, optionally for one learner, lesson or exercise."""
        where = [(col, val) for col, val in (("learner", learner), ("lesson_id", lesson_id),
                                             ("exercise_id", exercise_id)) if val is not None]
        sql = ("SELECT id, learner, lesson_id, exercise_id, variant, input, read_as, verdict, feedback_rule, at"
               " FROM attempts" + (" WHERE " + " AND ".join(f"{col} = ?" for col, _ in where) if where else "")
               + " ORDER BY id")
        rows = self._read(lambda c: c.execute(sql, [val for _, val in where]).fetchall())
        return tuple(Attempt(*row) for row in rows)

    def all_attempts(self) -> tuple[Attempt, ...]:
        return self.attempts()

    # ------------------------------------------------------------------ summaries, positions, reset
    def get_progress(self, learner: str) -> Progress:
        def run(conn: sqlite3.Connection) -> Progress:
            visits = {row[0]: bool(row[1]) for row in conn.execute(
                "SELECT lesson_id, done FROM lesson_visits WHERE learner = ?", (learner,))}
            totals = {(row[0], row[1]): row[2:] for row in conn.execute(
                "SELECT lesson_id, exercise_id, SUM(verdict IN ('correct','incorrect','feedback')),"
                " MAX(verdict = 'gave_up') FROM attempts WHERE learner = ?"
                " GROUP BY lesson_id, exercise_id", (learner,))}
            ends = [_Row(*row) for row in conn.execute(  # a right answer after the solution is not solving
                "SELECT id, learner, lesson_id, exercise_id, variant, verdict FROM attempts"
                " WHERE learner = ? AND verdict IN ('correct', 'gave_up')", (learner,))]
            solving = solving_attempts(ends)
            solved = {(row.lesson_id, row.exercise_id) for row in ends if row.id in solving}
            states = {(row[0], row[1]): row[2:] for row in conn.execute(
                "SELECT lesson_id, exercise_id, variant, hints_used FROM exercise_state WHERE learner = ?",
                (learner,))}
            exercises: dict[str, list[ExerciseProgress]] = {}
            for key in sorted(set(totals) | set(states)):
                scored, gave_up = totals.get(key, (0, 0))
                variant, hints = states.get(key, (0, 0))
                exercises.setdefault(key[0], []).append(
                    ExerciseProgress(*key, scored, key in solved, bool(gave_up), variant, hints))
            lessons = tuple(LessonProgress(lesson, lesson in visits, visits.get(lesson, False),
                                           tuple(exercises.get(lesson, ())))
                            for lesson in sorted(set(visits) | set(exercises)))
            return Progress(learner, lessons)
        return self._read(run)

    def set_position(self, learner: str, lesson_id: str, anchor: str = "") -> None:
        """Where to resume: a lesson and, optionally, a place in it (a block id, a heading)."""
        def run(conn: sqlite3.Connection) -> None:
            self._touch(conn, learner, self._stamp())
            self._put(conn, learner, "position", f"{lesson_id}\n{anchor}")
        self._write(run)

    def get_position(self, learner: str) -> Position | None:
        value = self.get_value(learner, "position")
        if value is None:
            return None
        lesson_id, _, anchor = value.partition("\n")
        return Position(lesson_id, anchor)

    def set_value(self, learner: str, key: str, value: str) -> None:
        def run(conn: sqlite3.Connection) -> None:
            self._touch(conn, learner, self._stamp())
            self._put(conn, learner, key, str(value))
        self._write(run)

    def get_value(self, learner: str, key: str, default: str | None = None) -> str | None:
        value = self._read(lambda c: self._get(c, learner, key))
        return default if value is None else value

    @staticmethod
    def _put(conn: sqlite3.Connection, learner: str, key: str, value: str) -> None:
        conn.execute("INSERT INTO kv (learner, key, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (learner, key) DO UPDATE SET value = excluded.value", (learner, key, value))

    @staticmethod
    def _get(conn: sqlite3.Connection, learner: str, key: str) -> str | None:
        row = conn.execute("SELECT value FROM kv WHERE learner = ? AND key = ?", (learner, key)).fetchone()
        return None if row is None else row[0]

    def reset_learner(self, learner: str) -> bool:
        """Delete everything kept about one learner; False when there was nothing."""
        def run(conn: sqlite3.Connection) -> bool:
            for table in ("attempts", "exercise_state", "lesson_visits", "kv"):
                conn.execute(f"DELETE FROM {table} WHERE learner = ?", (learner,))
            return conn.execute("DELETE FROM learners WHERE name = ?", (learner,)).rowcount > 0
        return self._write(run)
