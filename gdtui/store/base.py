"""The store's operations, written once in the SQL that SQLite and PostgreSQL share.

A backend (sqlite.py, postgres.py) supplies a connection and `_run(fn, write=…)`: one short transaction that
commits before it returns, retried while the database is busy. Every operation here is one such transaction,
so a crash loses nothing that a call has returned from, and each one can be sent again safely: an attempt is
keyed by an id its writer made (`new_attempt_id()`), hints are stored as a count, the rest are upserts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any, NamedTuple, TypeVar

from gdtui.store import schema
from gdtui.store.moves import move_exercises
from gdtui.store.solved import solving_attempts
from gdtui.store.records import (
    MAX_TEXT, SCORED, VERDICTS, WRONG, Attempt, ExerciseProgress, Learner, LessonProgress, LessonVisit,
    SavedExercise, SavedProgress, StoreError,
)

T = TypeVar("T")
_IN = "('" + "','".join(SCORED) + "')"
_WRONG = "('" + "','".join(WRONG) + "')"


class _Row(NamedTuple):  # the columns `solving_attempts` reads
    id: int
    learner: str
    lesson_id: str
    exercise_id: str
    variant: int
    verdict: str


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def new_attempt_id() -> str:
    """A fresh id for one answer; send the same id again and the store keeps the answer once."""
    return uuid.uuid4().hex


class Tx:
    """One open transaction: `q(sql, args)` runs a statement written with ``?`` placeholders."""

    def __init__(self, conn: Any, placeholder: str) -> None:
        self.conn, self._mark = conn, placeholder

    def q(self, sql: str, args: tuple | list = ()) -> Any:
        return self.conn.execute(sql if self._mark == "?" else sql.replace("?", self._mark), args)


class SqlStore:
    """What both backends do, on top of `_run`; see `gdtui.store.ProgressStore` for the contract."""

    where = "the progress database"  # how messages name this database
    read_only = False
    serial = ""  # the column type of an auto-numbered key

    def __init__(self, clock: Callable[[], datetime] = now_utc) -> None:
        self._clock = clock

    # -- what a backend provides
    def _run(self, fn: Callable[[Tx], T], *, write: bool) -> T:
        raise NotImplementedError

    def _stored_version(self, tx: Tx) -> int:
        raise NotImplementedError

    def _set_version(self, tx: Tx, version: int) -> None:
        tx.q("DELETE FROM schema_version")
        tx.q("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema
    def _migrate(self, tx: Tx) -> None:
        version = self._stored_version(tx)
        if version > schema.VERSION:
            raise StoreError(schema.too_new(self.where, version))
        if version == schema.VERSION:
            return
        if self.read_only:
            raise StoreError(f"{self.where} is from an older gdtui and is open read-only; open it once with "
                             "gdtui (with write access) to bring it up to date")
        for sql in schema.statements(version, self.serial):
            tx.q(sql)
        self._set_version(tx, schema.VERSION)

    @property
    def schema_version(self) -> int:
        return self._run(self._stored_version, write=False)

    def _write(self, fn: Callable[[Tx], T]) -> T:
        if self.read_only:
            raise StoreError(f"{self.where} is open read-only")
        return self._run(fn, write=True)

    def _read(self, fn: Callable[[Tx], T]) -> T:
        return self._run(fn, write=False)

    def _stamp(self) -> str:
        return self._clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")

    @staticmethod
    def _touch(tx: Tx, learner: str, now: str) -> None:
        if not isinstance(learner, str) or not learner.strip():
            raise ValueError("a learner needs a name")
        tx.q("INSERT INTO learners (name, created, last_seen) VALUES (?, ?, ?) "
             "ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen", (learner, now, now))

    # -- learners and lessons
    def touch_learner(self, learner: str) -> Learner:
        """Create the learner if new and note that they were seen now (a login, before any lesson)."""
        def run(tx: Tx) -> Learner:
            self._touch(tx, learner, self._stamp())
            return Learner(*tx.q("SELECT name, created, last_seen FROM learners WHERE name = ?", (learner,)).fetchone())
        return self._write(run)

    def learners(self) -> tuple[Learner, ...]:
        rows = self._read(lambda tx: tx.q("SELECT name, created, last_seen FROM learners ORDER BY name").fetchall())
        return tuple(Learner(*row) for row in rows)

    def open_lesson(self, learner: str, lesson_id: str) -> LessonVisit:
        """Note a visit to a lesson; it also becomes the learner's resume position."""
        def run(tx: Tx) -> LessonVisit:
            now = self._stamp()
            self._touch(tx, learner, now)
            tx.q("INSERT INTO lesson_visits (learner, lesson_id, first_opened, last_opened) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT (learner, lesson_id) DO UPDATE SET last_opened = excluded.last_opened",
                 (learner, lesson_id, now, now))
            tx.q("INSERT INTO kv (learner, key, value) VALUES (?, 'position', ?)"
                 " ON CONFLICT (learner, key) DO UPDATE SET value = excluded.value", (learner, lesson_id))
            return self._visit(tx, learner, lesson_id)
        return self._write(run)

    def mark_lesson_done(self, learner: str, lesson_id: str, done: bool = True) -> LessonVisit:
        def run(tx: Tx) -> LessonVisit:
            now = self._stamp()
            self._touch(tx, learner, now)
            tx.q("INSERT INTO lesson_visits (learner, lesson_id, first_opened, last_opened, done)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner, lesson_id) DO UPDATE SET done = excluded.done",
                 (learner, lesson_id, now, now, int(done)))
            return self._visit(tx, learner, lesson_id)
        return self._write(run)

    def lesson_visits(self, learner: str | None = None) -> tuple[LessonVisit, ...]:
        sql = "SELECT learner, lesson_id, first_opened, last_opened, done FROM lesson_visits"
        sql, args = (sql + " WHERE learner = ?", (learner,)) if learner is not None else (sql, ())
        rows = self._read(lambda tx: tx.q(sql + " ORDER BY learner, lesson_id", args).fetchall())
        return tuple(LessonVisit(*row[:4], bool(row[4])) for row in rows)

    @staticmethod
    def _visit(tx: Tx, learner: str, lesson_id: str) -> LessonVisit:
        row = tx.q("SELECT learner, lesson_id, first_opened, last_opened, done FROM lesson_visits "
                   "WHERE learner = ? AND lesson_id = ?", (learner, lesson_id)).fetchone()
        return LessonVisit(*row[:4], bool(row[4]))

    def resume_lesson(self, learner: str) -> str | None:
        """The lesson the learner opened last, to resume at."""
        row = self._read(lambda tx: tx.q("SELECT value FROM kv WHERE learner = ? AND key = 'position'",
                                         (learner,)).fetchone())
        return None if row is None else row[0].split("\n", 1)[0]  # older files wrote "lesson\nanchor"

    def learner_language(self, learner: str) -> str | None:
        """The interface language the learner chose last (None: never chose one)."""
        row = self._read(lambda tx: tx.q("SELECT lang FROM learners WHERE name = ?", (learner,)).fetchone())
        return None if row is None else row[0]

    def set_learner_language(self, learner: str, lang: str | None) -> None:
        """Keep the learner's interface language (None forgets it); reset_learner forgets it with the learner."""
        def run(tx: Tx) -> None:
            self._touch(tx, learner, self._stamp())
            tx.q("UPDATE learners SET lang = ? WHERE name = ?", (lang, learner))
        self._write(run)

    # -- exercises
    def record_attempt(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int, input: str,
                       read_as: str | None, verdict: str, feedback_rule: str | None = None,
                       attempt_id: str | None = None) -> SavedExercise:
        """Store one answer and update the exercise's state in the same transaction, once per ``attempt_id``.

        ``unreadable`` answers are kept for the teacher but cost no attempt; ``gave_up`` is better recorded with
        :meth:`record_give_up`.
        """
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
        key_id = attempt_id or new_attempt_id()

        def run(tx: Tx) -> SavedExercise:
            now = self._stamp()
            key = self._on_variant(tx, learner, lesson_id, exercise_id, int(variant), now)
            read = None if read_as is None else str(read_as)[:MAX_TEXT]
            added = tx.q("INSERT INTO attempts (attempt_id, learner, lesson_id, exercise_id, variant, input, read_as,"
                         " verdict, feedback_rule, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                         " ON CONFLICT (attempt_id) DO NOTHING",
                         (key_id, *key, int(variant), str(input)[:MAX_TEXT], read, verdict, feedback_rule, now))
            if added.rowcount:  # the counters move once, with the row (as ExerciseSession.submit / give_up)
                tx.q("UPDATE exercise_state SET updated = ?,"
                     f" attempts = attempts + CASE WHEN solved = 0 AND gave_up = 0 AND ? IN {_WRONG} THEN 1 ELSE 0 END,"
                     " solved = CASE WHEN solved = 0 AND gave_up = 0 AND ? = 'correct' THEN 1 ELSE solved END,"
                     " gave_up = CASE WHEN solved = 0 AND ? = 'gave_up' THEN 1 ELSE gave_up END"
                     " WHERE learner = ? AND lesson_id = ? AND exercise_id = ? AND variant = ?",
                     (now, verdict, verdict, verdict, *key, int(variant)))
            return self._state(tx, *key)
        return self._write(run)

    def record_hints(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int,
                     shown: int) -> SavedExercise:
        """The learner has now seen ``shown`` hints on this variant (a count, so sending it twice is harmless)."""
        def run(tx: Tx) -> SavedExercise:
            now = self._stamp()
            key = self._on_variant(tx, learner, lesson_id, exercise_id, int(variant), now)
            tx.q("UPDATE exercise_state SET hints_used = CASE WHEN hints_used < ? THEN ? ELSE hints_used END,"
                 " updated = ? WHERE learner = ? AND lesson_id = ? AND exercise_id = ?",
                 (int(shown), int(shown), now, *key))
            return self._state(tx, *key)
        return self._write(run)

    def record_give_up(self, learner: str, lesson_id: str, exercise_id: str, *, variant: int,
                       input: str = "", attempt_id: str | None = None) -> SavedExercise:
        """The learner asked for the solution: an attempt row with verdict ``gave_up``, and the flag set."""
        return self.record_attempt(learner, lesson_id, exercise_id, variant=variant, input=input, read_as=None,
                                   verdict="gave_up", attempt_id=attempt_id)

    def set_variant(self, learner: str, lesson_id: str, exercise_id: str, variant: int) -> SavedExercise:
        """Move the learner to another variant; a change of variant starts its counters afresh."""
        def run(tx: Tx) -> SavedExercise:
            return self._state(tx, *self._on_variant(tx, learner, lesson_id, exercise_id, int(variant),
                                                     self._stamp()))
        return self._write(run)

    def get_exercise_state(self, learner: str, lesson_id: str, exercise_id: str) -> SavedExercise | None:
        return self._read(lambda tx: self._state(tx, learner, lesson_id, exercise_id))

    def exercise_states(self, learner: str) -> tuple[SavedExercise, ...]:
        """Every exercise the learner has touched, as they left it."""
        rows = self._read(lambda tx: tx.q(_STATE_SQL + " WHERE learner = ? ORDER BY lesson_id, exercise_id",
                                          (learner,)).fetchall())
        return tuple(_saved(row) for row in rows)

    def _on_variant(self, tx: Tx, learner: str, lesson_id: str, exercise_id: str, variant: int,
                    now: str) -> tuple[str, str, str]:
        self._touch(tx, learner, now)
        tx.q("INSERT INTO exercise_state (learner, lesson_id, exercise_id, variant, updated)"
             " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner, lesson_id, exercise_id) DO UPDATE SET"
             " variant = excluded.variant, attempts = 0, solved = 0, hints_used = 0, gave_up = 0,"
             " updated = excluded.updated WHERE exercise_state.variant <> excluded.variant",
             (learner, lesson_id, exercise_id, variant, now))
        return learner, lesson_id, exercise_id

    @staticmethod
    def _state(tx: Tx, learner: str, lesson_id: str, exercise_id: str) -> SavedExercise | None:
        row = tx.q(_STATE_SQL + " WHERE learner = ? AND lesson_id = ? AND exercise_id = ?",
                   (learner, lesson_id, exercise_id)).fetchone()
        return None if row is None else _saved(row)

    def attempts(self, learner: str | None = None, lesson_id: str | None = None,
                 exercise_id: str | None = None) -> tuple[Attempt, ...]:
        """Attempts in the order they were stored, optionally for one learner, lesson or exercise."""
        where = [(col, val) for col, val in (("learner", learner), ("lesson_id", lesson_id),
                                             ("exercise_id", exercise_id)) if val is not None]
        sql = ("SELECT id, learner, lesson_id, exercise_id, variant, input, read_as, verdict, feedback_rule, at"
               " FROM attempts" + (" WHERE " + " AND ".join(f"{col} = ?" for col, _ in where) if where else "")
               + " ORDER BY id")
        rows = self._read(lambda tx: tx.q(sql, [val for _, val in where]).fetchall())
        return tuple(Attempt(*row) for row in rows)

    def move_exercises(self, moves: Iterable[tuple[str, str, str]]) -> int:
        """Let stored progress follow exercises to their new lessons: moves are (exercise id, old lesson id,
        new lesson id); every learner's rows move once (gdtui.store.moves). The number of rows moved."""
        moves = tuple(moves)
        return self._write(lambda tx: move_exercises(tx, moves)) if moves else 0

    # -- summaries and reset
    def get_progress(self, learner: str) -> SavedProgress:
        def run(tx: Tx) -> SavedProgress:
            visits = {row[0]: bool(row[1]) for row in tx.q(
                "SELECT lesson_id, done FROM lesson_visits WHERE learner = ?", (learner,)).fetchall()}
            totals = {(row[0], row[1]): row[2:] for row in tx.q(
                f"SELECT lesson_id, exercise_id, SUM(CASE WHEN verdict IN {_IN} THEN 1 ELSE 0 END),"
                " MAX(CASE WHEN verdict = 'gave_up' THEN 1 ELSE 0 END) FROM attempts WHERE learner = ?"
                " GROUP BY lesson_id, exercise_id", (learner,)).fetchall()}
            ends = [_Row(*row) for row in tx.q(  # a right answer after the solution was shown is not solving
                "SELECT id, learner, lesson_id, exercise_id, variant, verdict FROM attempts"
                " WHERE learner = ? AND verdict IN ('correct', 'gave_up')", (learner,)).fetchall()]
            solving = solving_attempts(ends)
            solved = {(row.lesson_id, row.exercise_id) for row in ends if row.id in solving}
            states = {(row[0], row[1]): row[2:] for row in tx.q(
                "SELECT lesson_id, exercise_id, variant, hints_used FROM exercise_state WHERE learner = ?",
                (learner,)).fetchall()}
            exercises: dict[str, list[ExerciseProgress]] = {}
            for key in sorted(set(totals) | set(states)):
                scored, gave_up = totals.get(key, (0, 0))
                variant, hints = states.get(key, (0, 0))
                exercises.setdefault(key[0], []).append(
                    ExerciseProgress(*key, int(scored), key in solved, bool(gave_up), variant, hints))
            lessons = tuple(LessonProgress(lesson, lesson in visits, visits.get(lesson, False),
                                           tuple(exercises.get(lesson, ())))
                            for lesson in sorted(set(visits) | set(exercises)))
            return SavedProgress(learner, lessons)
        return self._read(run)

    def reset_learner(self, learner: str) -> bool:
        """Delete everything kept about one learner; False when there was nothing."""
        def run(tx: Tx) -> bool:
            for table in ("attempts", "exercise_state", "lesson_visits", "kv"):
                tx.q(f"DELETE FROM {table} WHERE learner = ?", (learner,))
            return tx.q("DELETE FROM learners WHERE name = ?", (learner,)).rowcount > 0
        return self._write(run)


_STATE_SQL = ("SELECT learner, lesson_id, exercise_id, variant, attempts, solved, hints_used, gave_up, updated"
              " FROM exercise_state")


def _saved(row: tuple) -> SavedExercise:
    return SavedExercise(*row[:5], bool(row[5]), row[6], bool(row[7]), row[8])
