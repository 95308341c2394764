"""The store's contract, run on both backends: SQLite in a temporary folder and a real PostgreSQL database."""

from __future__ import annotations


import pytest
from store_helpers import Clock

from gdtui.store import (
    Attempt, Learner, LessonVisit, PostgresStore, ProgressStore, SavedExercise, SqliteStore, StoreError, open_store,
)
from gdtui.store.schema import VERSION


@pytest.fixture
def store(where: str):
    with open_store(where, "/nonexistent", clock=Clock()) as s:
        yield s


def test_open_store_picks_the_backend(where: str) -> None:
    with open_store(where, "/nonexistent") as s:
        assert isinstance(s, PostgresStore if where.startswith("postgresql://") else SqliteStore)
        assert s.schema_version == VERSION
    with open_store(where, "/nonexistent") as s:  # opening again migrates nothing
        assert s.schema_version == VERSION


def test_learners_round_trip(store: ProgressStore) -> None:
    first = store.touch_learner("ann")
    assert first == Learner("ann", "2025-03-01T09:00:01.000+00:00", "2025-03-01T09:00:01.000+00:00")
    again = store.touch_learner("ann")
    assert again.created == first.created and again.last_seen == "2025-03-01T09:00:02.000+00:00"
    store.touch_learner("bob")
    assert [learner.name for learner in store.learners()] == ["ann", "bob"]
    with pytest.raises(ValueError, match="name"):
        store.touch_learner("  ")
    assert [learner.name for learner in store.learners()] == ["ann", "bob"]  # the refused call wrote nothing


def test_lessons_and_resume(store: ProgressStore) -> None:
    assert store.resume_lesson("ann") is None
    visit = store.open_lesson("ann", "derivative-basics")
    assert visit == LessonVisit("ann", "derivative-basics", visit.first_opened, visit.first_opened, False)
    assert store.resume_lesson("ann") == "derivative-basics"
    reopened = store.open_lesson("ann", "derivative-basics")
    assert reopened.first_opened == visit.first_opened and reopened.last_opened > visit.last_opened
    again = store.open_lesson("ann", "gradients")
    assert store.resume_lesson("ann") == "gradients"
    done = store.mark_lesson_done("ann", "derivative-basics")
    assert done.done and (done.first_opened, done.last_opened) == (visit.first_opened, reopened.last_opened)
    assert [v.lesson_id for v in store.lesson_visits("ann")] == ["derivative-basics", "gradients"]
    assert again.done is False
    assert store.mark_lesson_done("ann", "never-opened").done  # done without a visit still counts


def test_attempts_update_state_in_the_same_call(store: ProgressStore) -> None:
    assert store.get_exercise_state("ann", "l1", "e1") is None
    s1 = store.record_attempt("ann", "l1", "e1", variant=1, input="x**2", read_as="x**2", verdict="feedback",
                              feedback_rule="value-not-slope")
    assert (s1.variant, s1.attempts, s1.solved, s1.hints_used, s1.gave_up) == (1, 1, False, 0, False)
    s2 = store.record_attempt("ann", "l1", "e1", variant=1, input="2x(", read_as=None, verdict="unreadable")
    assert s2.attempts == 1  # unreadable input costs no attempt
    s3 = store.record_hints("ann", "l1", "e1", variant=1, shown=1)
    assert s3.hints_used == 1
    assert store.record_hints("ann", "l1", "e1", variant=1, shown=1).hints_used == 1  # a count: sent twice, still 1
    s4 = store.record_attempt("ann", "l1", "e1", variant=1, input="2*x", read_as="2*x", verdict="correct")
    assert (s4.attempts, s4.solved, s4.hints_used) == (1, True, 1)  # the right answer is not an attempt
    s5 = store.record_attempt("ann", "l1", "e1", variant=1, input="7", read_as="7", verdict="incorrect")
    assert s5.attempts == 1 and s5.solved  # answers after solving are kept but change nothing
    assert store.get_exercise_state("ann", "l1", "e1") == s5
    assert isinstance(s5, SavedExercise) and store.exercise_states("ann") == (s5,)
    attempts = store.attempts(learner="ann")
    assert [a.verdict for a in attempts] == ["feedback", "unreadable", "correct", "incorrect"]
    assert attempts[0] == Attempt(attempts[0].id, "ann", "l1", "e1", 1, "x**2", "x**2", "feedback", "value-not-slope",
                                  attempts[0].at)
    assert store.attempts() == attempts and store.attempts(exercise_id="e1", lesson_id="l1") == attempts
    with pytest.raises(ValueError, match="unknown verdict"):
        store.record_attempt("ann", "l1", "e1", variant=1, input="1", read_as="1", verdict="maybe")
    assert len(store.attempts()) == 4  # the refused call wrote nothing


def test_an_attempt_sent_twice_is_stored_once(store: ProgressStore) -> None:
    first = store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect",
                                 attempt_id="a-1")
    again = store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect",
                                 attempt_id="a-1")  # the reply to the first was lost; the writer sends it again
    assert first.attempts == again.attempts == 1
    store.record_give_up("ann", "l1", "e1", variant=0, attempt_id="g-1")
    given = store.record_give_up("ann", "l1", "e1", variant=0, attempt_id="g-1")
    assert given.gave_up and given.attempts == 1
    assert [a.verdict for a in store.attempts()] == ["incorrect", "gave_up"]


def test_new_variant_restarts_the_counters(store: ProgressStore) -> None:
    store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect")
    store.record_hints("ann", "l1", "e1", variant=0, shown=1)
    given_up = store.record_give_up("ann", "l1", "e1", variant=0)
    assert (given_up.attempts, given_up.hints_used, given_up.gave_up) == (1, 1, True)
    late = store.record_attempt("ann", "l1", "e1", variant=0, input="2", read_as="2", verdict="correct")
    assert not late.solved and late.attempts == 1  # after giving up, a right answer does not count as solved
    fresh = store.set_variant("ann", "l1", "e1", 1)
    assert (fresh.variant, fresh.attempts, fresh.solved, fresh.hints_used, fresh.gave_up) == (1, 0, False, 0, False)
    assert store.set_variant("ann", "l1", "e1", 1) == fresh  # the same variant again changes nothing
    moved = store.record_attempt("ann", "l1", "e1", variant=2, input="3", read_as="3", verdict="correct")
    assert (moved.variant, moved.attempts, moved.solved) == (2, 0, True)


def test_progress_summary(store: ProgressStore) -> None:
    store.open_lesson("ann", "l1")
    store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="incorrect")
    store.record_attempt("ann", "l1", "e1", variant=0, input="2", read_as="2", verdict="correct")
    store.record_attempt("ann", "l1", "e1", variant=1, input="5", read_as="5", verdict="incorrect")
    store.record_give_up("ann", "l1", "e2", variant=0)
    store.record_hints("ann", "l2", "e1", variant=4, shown=1)  # a lesson never opened still shows up
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


def test_reset_learner(store: ProgressStore) -> None:
    for name in ("ann", "bob"):
        store.open_lesson(name, "l1")
        store.record_attempt(name, "l1", "e1", variant=0, input="1", read_as="1", verdict="correct")
    assert store.reset_learner("ann") is True
    assert store.reset_learner("ann") is False
    assert [learner.name for learner in store.learners()] == ["bob"]
    assert {a.learner for a in store.attempts()} == {"bob"}
    assert store.get_exercise_state("ann", "l1", "e1") is None
    assert store.resume_lesson("ann") is None and store.resume_lesson("bob") == "l1"
    assert store.get_progress("ann").lessons == ()
    assert store.lesson_visits("ann") == ()


def test_long_input_is_cut(store: ProgressStore) -> None:
    store.record_attempt("ann", "l1", "e1", variant=0, input="1" * 50_000, read_as=None, verdict="unreadable")
    assert len(store.attempts()[0].input) == 10_000


def test_read_only_reads_and_refuses_writes(where: str) -> None:
    with open_store(where, "/nonexistent") as s:
        s.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="correct")
    with open_store(where, "/nonexistent", read_only=True) as s:
        assert [a.input for a in s.attempts()] == ["1"] and s.read_only
        with pytest.raises(StoreError, match="read-only"):
            s.touch_learner("bob")


def test_closed_store_says_so(where: str) -> None:
    s = open_store(where, "/nonexistent")
    s.close()
    s.close()  # closing twice is fine
    with pytest.raises(StoreError, match="closed"):
        s.learners()
