"""store: SQLite progress that many processes can write at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gdtui.store.sqlite import (
    DB_NAME,
    MIGRATIONS,
    Attempt,
    ExerciseState,
    Learner,
    LessonVisit,
    Position,
    Store,
    StoreError,
    database_path,
)


class Clock:
    """A clock that moves one second per call, so stored times are exact."""

    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 9, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path, clock=Clock()) as s:
        yield s


def test_creates_folders_and_file(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "data"
    with Store(folder) as s:
        assert s.path == folder / DB_NAME
        assert s.path.is_file()
        assert s.schema_version == len(MIGRATIONS) == 1
    assert database_path(folder / "x.sqlite3") == folder / "x.sqlite3"


def test_pragmas(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    own = store._conn
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] == 10000


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"")
    with Store(path) as s:
        assert s.schema_version == 1
        s.touch_learner("ann")
    with Store(tmp_path) as s:  # opening again migrates nothing and keeps the data
        assert [learner.name for learner in s.learners()] == ["ann"]


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer gdtui"):
        Store(tmp_path)


def test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot"):
        Store(tmp_path)


def test_learners_round_trip(store: Store) -> None:
    first = store.touch_learner("ann")
    assert first == Learner("ann", "2025-03-01T09:00:01.000+00:00", "2025-03-01T09:00:01.000+00:00")
    again = store.touch_learner("ann")
    assert again.created == first.created and again.last_seen == "2025-03-01T09:00:02.000+00:00"
    store.touch_learner("bob")
    assert [learner.name for learner in store.learners()] == ["ann", "bob"]
    with pytest.raises(ValueError, match="name"):
        store.touch_learner("  ")


def test_lessons_and_position(store: Store) -> None:
    assert store.get_position("ann") is None
    visit = store.open_lesson("ann", "derivative-basics")
    assert visit == LessonVisit("ann", "derivative-basics", visit.first_opened, visit.first_opened, False)
    assert store.get_position("ann") == Position("derivative-basics", "")
    store.set_position("ann", "derivative-basics", "slope-at-a")
    store.open_lesson("ann", "derivative-basics")  # reopening the same lesson keeps the finer place
    assert store.get_position("ann") == Position("derivative-basics", "slope-at-a")
    again = store.open_lesson("ann", "gradients")
    assert store.get_position("ann") == Position("gradients", "")
    done = store.mark_lesson_done("ann", "derivative-basics")
    assert done.done and done.first_opened == visit.first_opened and done.last_opened > visit.last_opened
    assert [v.lesson_id for v in store.lesson_visits("ann")] == ["derivative-basics", "gradients"]
    assert again.done is False
    assert store.mark_lesson_done("ann", "never-opened").done  # done without a visit still counts
    store.set_value("ann", "theme", "dark")
    assert store.get_value("ann", "theme") == "dark"
    assert store.get_value("ann", "missing", "x") == "x"


def test_attempts_update_state_in_the_same_call(store: Store) -> None:
    assert store.get_exercise_state("ann", "l1", "e1") is None
    s1 = store.record_attempt("ann", "l1", "e1", variant=1, input="x**2", read_as="x**2", verdict="feedback",
                              feedback_rule="value-not-slope")
    assert (s1.variant, s1.attempts, s1.solved, s1.hints_used, s1.gave_up) == (1, 1, False, 0, False)
    s2 = store.record_attempt("ann", "l1", "e1", variant=1, input="2x(", read_as=None, verdict="unreadable")
    assert s2.attempts == 1  # unreadable input costs no attempt
    s3 = store.record_hint("ann", "l1", "e1", variant=1)
    assert s3.hints_used == 1
    s4 = store.record_attempt("ann", "l1", "e1", variant=1, input="2*x", read_as="2*x", verdict="correct")
    assert (s4.attempts, s4.solved, s4.hints_used) == (2, True, 1)
    assert store.get_exercise_state("ann", "l1", "e1") == s4
    assert isinstance(s4, ExerciseState)
    attempts = store.attempts(learner="ann")
    assert [a.verdict for a in attempts] == ["feedback", "unreadable", "correct"]
    assert attempts[0] == Attempt(attempts[0].id, "ann", "l1", "e1", 1, "x**2", "x**2", "feedback", "value-not-slope",
                                  attempts[0].at)
    assert store.all_attempts() == attempts
    with pytest.raises(ValueError, match="unknown verdict"):
        store.record_attempt("ann", "l1", "e1", variant=1, input="1", read_as="1", verdict="maybe")
    assert len(store.all_attempts()) == 3  # the refused call wrote nothing


def test_new_variant_restarts_the_counters(store: Store) -> None:
    store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect")
    store.record_hint("ann", "l1", "e1", variant=0)
    given_up = store.record_give_up("ann", "l1", "e1", variant=0)
    assert (given_up.attempts, given_up.hints_used, given_up.gave_up) == (1, 1, True)
    fresh = store.set_variant("ann", "l1", "e1", 1)
    assert (fresh.variant, fresh.attempts, fresh.solved, fresh.hints_used, fresh.gave_up) == (1, 0, False, 0, False)
    assert store.set_variant("ann", "l1", "e1", 1) == fresh  # the same variant again changes nothing
    moved = store.record_attempt("ann", "l1", "e1", variant=2, input="3", read_as="3", verdict="correct")
    assert (moved.variant, moved.attempts, moved.solved) == (2, 1, True)


def test_progress_summary(store: Store) -> None:
    store.open_lesson("ann", "l1")
    store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect")
    store.record_attempt("ann", "l1", "e1", variant=0, input="2", read_as="2", verdict="correct")
    store.record_attempt("ann", "l1", "e1", variant=1, input="5", read_as="5", verdict="incorrect")
    store.record_give_up("ann", "l1", "e2", variant=0)
    store.record_hint("ann", "l2", "e1", variant=4)  # a lesson never opened still shows up
    store.mark_lesson_done("ann", "l1")
    progress = store.get_progress("ann")
    assert [lesson.lesson_id for lesson in progress.lessons] == ["l1", "l2"]
    l1 = progress.lesson("l1")
    assert l1 is not None and l1.opened and l1.done and l1.solved == 1
    e1 = progress.exercise("l1", "e1")
    assert e1 is not None and (e1.attempts, e1.solved, e1.gave_up, e1.variant) == (3, True, False, 1)
    e2 = progress.exercise("l1", "e2")
    assert e2 is not None and (e2.attempts, e2.solved, e2.gave_up) == (0, False, True)
    l2 = progress.lesson("l2")
    assert l2 is not None and not l2.opened and l2.exercises[0].hints_used == 1 and l2.exercises[0].variant == 4
    assert progress.lesson("nope") is None and progress.exercise("l1", "nope") is None
    assert store.get_progress("nobody").lessons == ()


def test_reset_learner(store: Store) -> None:
    for name in ("ann", "bob"):
        store.open_lesson(name, "l1")
        store.record_attempt(name, "l1", "e1", variant=0, input="1", read_as="1", verdict="correct")
        store.set_position(name, "l1", "e1")
    assert store.reset_learner("ann") is True
    assert store.reset_learner("ann") is False
    assert [learner.name for learner in store.learners()] == ["bob"]
    assert {a.learner for a in store.all_attempts()} == {"bob"}
    assert store.get_exercise_state("ann", "l1", "e1") is None
    assert store.get_position("ann") is None and store.get_position("bob") == Position("l1", "e1")
    assert store.get_progress("ann").lessons == ()
    assert store.lesson_visits("ann") == ()


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


def test_long_input_is_cut(store: Store) -> None:
    store.record_attempt("ann", "l1", "e1", variant=0, input="1" * 50_000, read_as=None, verdict="unreadable")
    assert len(store.all_attempts()[0].input) == 10_000


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
                    store.record_hint(learner, "l1", "shared-exercise", variant=0)
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
        attempts = store.all_attempts()
        inputs = [a.input for a in attempts]
        assert len(inputs) == WORKERS * PER_WORKER
        assert sorted(inputs) == sorted(f"{w}:{k}" for w in range(WORKERS) for k in range(PER_WORKER))
        assert len({a.id for a in attempts}) == len(attempts)
        assert len(store.learners()) == WORKERS
        for w in range(WORKERS):
            state = store.get_exercise_state(f"learner-{w:02d}", "l1", "shared-exercise")
            assert state is not None
            assert (state.attempts, state.solved, state.hints_used) == (PER_WORKER, True, PER_WORKER // 10)
