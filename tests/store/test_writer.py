"""The background writer: an answer waits while the database does not answer, then lands exactly once."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from gdtui.store import SqliteStore, open_store
from gdtui.store.writer import Writer

POLLS = 2000  # how many short looks a test takes at most while it waits for the writer (a count, not a clock)


def wait_until(condition) -> bool:
    for _ in range(POLLS):
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def answer(n: int):
    return lambda store: store.record_attempt("ann", "l1", "e1", variant=0, input=str(n), read_as=str(n),
                                              verdict="incorrect", attempt_id=f"answer-{n}")


def test_a_held_sqlite_lock_delays_the_answer_and_loses_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path, busy_timeout=0.05)
    writer = Writer(store)
    lock = sqlite3.connect(tmp_path / "progress.sqlite3", isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    writer.put(answer(1))
    writer.put(answer(2))
    assert wait_until(lambda: writer.problem is not None)
    assert "busy" in writer.problem and writer.pending == 2 and writer.waiting_since is not None
    lock.execute("ROLLBACK")
    assert writer.wait_idle()
    assert [a.input for a in store.attempts()] == ["1", "2"]
    assert writer.problem is None and writer.pending == 0 and writer.sent == 2
    assert store.get_exercise_state("ann", "l1", "e1").attempts == 2
    assert writer.close() == 0
    store.close()


def test_a_full_disk_keeps_the_answer_until_there_is_room(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as good as a full disk
    writer = Writer(store)
    for n in range(3):
        writer.put(lambda s, n=n: s.record_attempt("ann", "l1", "e1", variant=0, input=str(n) * 5000,
                                                   read_as=None, verdict="unreadable", attempt_id=f"big-{n}"))
    assert wait_until(lambda: writer.problem is not None)
    assert writer.problem == f"the disk of the progress file {store.path} is full" and writer.pending >= 1
    with store._lock:  # (the writer thread uses the same connection)
        store._conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # room again
    assert writer.wait_idle()
    assert [a.input[0] for a in store.attempts()] == ["0", "1", "2"]
    assert writer.close() == 0
    store.close()


def test_a_refused_call_is_reported_and_the_rest_go_on(tmp_path: Path) -> None:
    errors: list[str] = []
    with SqliteStore(tmp_path) as store:
        writer = Writer(store, on_error=errors.append)
        writer.put(lambda s: s.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as=None, verdict="??"))
        writer.put(answer(2))
        assert writer.wait_idle() and writer.close() == 0
        assert [a.input for a in store.attempts()] == ["2"]
    assert len(errors) == 1 and errors[0].startswith("An answer could not be saved: unknown verdict")


def test_postgres_going_away_and_coming_back(pg_server, pg_url: str) -> None:
    store = open_store(pg_url, "/nonexistent")
    writer = Writer(store)
    writer.put(answer(1))
    assert writer.wait_idle()
    pg_server.stop("fast")
    try:
        for n in (2, 3, 4):
            writer.put(answer(n))
        assert wait_until(lambda: writer.problem is not None)
        assert writer.problem.startswith(f"cannot reach the PostgreSQL database 127.0.0.1:{pg_server.port}/postgres")
        assert "Traceback" not in writer.problem and writer.pending == 3
    finally:
        pg_server.start()
    assert writer.wait_idle()
    assert [a.input for a in store.attempts()] == ["1", "2", "3", "4"]
    assert store.get_exercise_state("ann", "l1", "e1").attempts == 4
    assert writer.close() == 0
    store.close()


def test_close_reports_what_could_not_be_sent(pg_server, pg_url: str) -> None:
    store = open_store(pg_url, "/nonexistent")
    writer = Writer(store)
    pg_server.stop("fast")
    try:
        writer.put(answer(1))
        assert wait_until(lambda: writer.problem is not None)
        assert writer.close(timeout=30) == 1  # the server is still away: one answer not saved, and we are told
    finally:
        pg_server.start()
    store.close()
