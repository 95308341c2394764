"""The tables, and how a database gets from any older version of them to this one.

Both backends run the same statements; ``{serial}`` becomes each one's auto-numbered key. The version lives in
a table of its own, ``schema_version``, so the two backends migrate the same way (SQLite files from before
that table carry their version in ``PRAGMA user_version``, which the SQLite store reads as a fallback).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, ...]] = [
    (  # version 1: learners, visits, every attempt, each exercise's state, small per-learner values
        "CREATE TABLE learners (name TEXT PRIMARY KEY, created TEXT NOT NULL, last_seen TEXT NOT NULL)",
        "CREATE TABLE lesson_visits (learner TEXT NOT NULL REFERENCES learners(name) ON DELETE CASCADE,"
        " lesson_id TEXT NOT NULL, first_opened TEXT NOT NULL, last_opened TEXT NOT NULL,"
        " done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (learner, lesson_id))",
        "CREATE TABLE attempts (id {serial},"
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
    (  # version 2: a version table; each attempt keyed by an id its writer made (a retried write stores once);
        # an exercise's attempts count as the exercise session counts them (wrong answers before the end)
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "ALTER TABLE attempts ADD COLUMN attempt_id TEXT",
        "CREATE UNIQUE INDEX attempts_by_key ON attempts (attempt_id)",
        "UPDATE exercise_state SET attempts = CASE WHEN attempts > solved THEN attempts - solved ELSE 0 END",
    ),
    (  # version 3: the language each learner chose (a served class has one account and many learners)
        "ALTER TABLE learners ADD COLUMN lang TEXT",
    ),
]
VERSION = len(MIGRATIONS)


def statements(since: int, serial: str) -> list[str]:
    """The statements that take a database at version ``since`` to :data:`VERSION`."""
    return [sql.replace("{serial}", serial) for step in MIGRATIONS[since:] for sql in step]


def too_new(where: str, version: int) -> str:
    return (f"{where} was written by a newer gdtui (schema {version}, this one knows {VERSION}); "
            "upgrade gdtui to use it")
