"""The SQLite store: one file that many processes write at once, its pragmas, and files from older versions.
(What both backends do is in test_contract.py.)"""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from pathlib import Path

import pytest

from gdtui.store import StoreError
from gdtui.store.schema import MIGRATIONS, VERSION, statements
from gdtui.store.sqlite import DB_NAME, SqliteStore as Store, database_path


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path) as s:
        yield s


def test_creates_folders_and_file(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "data"
    with Store(folder) as s:
        assert s.path == folder / DB_NAME
        assert s.path.is_file()
        assert s.schema_version == len(MIGRATIONS) == VERSION == 3
    assert database_path(folder / "x.sqlite3") == folder / "x.sqlite3"


def test_pragmas(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION  # older gdtuis read this one
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(VERSION,)]
    conn.close()
    own = store._conn
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] == 10000


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"")
    with Store(path) as s:
        assert s.schema_version == VERSION
        s.touch_learner("ann")
    with Store(tmp_path) as s:  # opening again migrates nothing and keeps the data
        assert [learner.name for learner in s.learners()] == ["ann"]


@pytest.mark.parametrize("how", ["PRAGMA user_version = 99",
                                 "CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (99)"])
def test_refuses_a_newer_schema(tmp_path: Path, how: str) -> None:
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(how)
    conn.close()
    with pytest.raises(StoreError, match="newer gdtui"):
        Store(tmp_path)


def test_migrates_a_version_1_file(tmp_path: Path) -> None:
    """A file from before the version table: its data stays; its attempts are counted the new way."""
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(";\n".join(statements(0, Store.serial)[:len(MIGRATIONS[0])]) + ";\nPRAGMA user_version = 1;\n"
                       "INSERT INTO learners VALUES ('ann', 't0', 't0');\n"
                       "INSERT INTO attempts (learner, lesson_id, exercise_id, variant, input, read_as, verdict, at)"
                       " VALUES ('ann', 'l1', 'e1', 0, '1', '1', 'incorrect', 't1'), "
                       "('ann', 'l1', 'e1', 0, '2', '2', 'correct', 't2');\n"
                       "INSERT INTO exercise_state VALUES ('ann', 'l1', 'e1', 0, 2, 1, 0, 0, 't2');\n"
                       "INSERT INTO kv VALUES ('ann', 'position', 'l1\nslope');")
    conn.close()
    with Store(tmp_path) as s:
        assert s.schema_version == VERSION
        assert [a.input for a in s.attempts()] == ["1", "2"]
        state = s.get_exercise_state("ann", "l1", "e1")
        assert (state.attempts, state.solved) == (1, True)  # version 1 counted the right answer too
        assert s.resume_lesson("ann") == "l1"  # version 1 kept a place inside the lesson after a newline
        again = s.record_attempt("ann", "l1", "e1", variant=0, input="2", read_as="2", verdict="correct",
                                 attempt_id="x")
        assert again.attempts == 1 and len(s.attempts()) == 3


def test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot"):
        Store(tmp_path)


def test_every_call_is_committed_at_once(tmp_path: Path) -> None:
    writer = Store(tmp_path)
    writer.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="correct")
    reader = sqlite3.connect(tmp_path / DB_NAME)  # another connection, while the writer is still open
    assert reader.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1
    reader.close()
    writer.close()
    writer.close()  # closing twice is fine
    with pytest.raises(StoreError, match="closed"):
        writer.learners()


# ---------------------------------------------------------------- many processes at once

WORKERS = 20
PER_WORKER = 50


def _worker(path: str, worker: int, start, errors) -> None:
    try:
        start.wait(30)
        with Store(path) as store:
            learner = f"learner-{worker:02d}"
            store.open_lesson(learner, "l1")
            for k in range(PER_WORKER):
                verdict = "correct" if k == PER_WORKER - 1 else "incorrect"
                store.record_attempt(learner, "l1", "shared-exercise", variant=0, input=f"{worker}:{k}",
                                     read_as=str(k), verdict=verdict, feedback_rule=None)
                if k % 10 == 0:
                    store.record_hints(learner, "l1", "shared-exercise", variant=0, shown=k // 10 + 1)
    except BaseException:  # report it to the parent process, whatever it is
        errors.put(f"worker {worker}: {traceback.format_exc()}")


def test_many_processes_write_concurrently(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(tmp_path), w, start, errors)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert not problems, "\n".join(problems)
    assert all(p.exitcode == 0 for p in procs)

    with Store(tmp_path) as store:
        attempts = store.attempts()
        inputs = [a.input for a in attempts]
        assert len(inputs) == WORKERS * PER_WORKER
        assert sorted(inputs) == sorted(f"{w}:{k}" for w in range(WORKERS) for k in range(PER_WORKER))
        assert len({a.id for a in attempts}) == len(attempts)
        assert len(store.learners()) == WORKERS
        for w in range(WORKERS):
            state = store.get_exercise_state(f"learner-{w:02d}", "l1", "shared-exercise")
            assert state is not None
            assert (state.attempts, state.solved, state.hints_used) == (PER_WORKER - 1, True, PER_WORKER // 10)
