"""A right answer given after the solution was shown (ctrl+o) is not solving: not in the report, not in the
lesson list, not in the exercise's saved state. Stored rows are read as they are, never re-graded."""

from __future__ import annotations

from pathlib import Path

from gdtui.report import build_report
from gdtui.store import SqliteStore as Store
from gdtui.store.solved import solving_attempts


def answer(store: Store, who: str, verdict: str, variant: int = 0, exercise: str = "slope") -> None:
    store.record_attempt(who, "l1", exercise, variant=variant, input="x", read_as="x", verdict=verdict)


def test_only_answers_before_giving_up_on_that_variant_solve(tmp_path: Path):
    with Store(tmp_path) as store:
        answer(store, "ann", "incorrect")
        store.record_give_up("ann", "l1", "slope", variant=0)
        answer(store, "ann", "correct")  # the solution typed back
        answer(store, "bob", "correct")
        store.record_give_up("bob", "l1", "slope", variant=0)  # reading the solution again after solving
        answer(store, "cy", "incorrect")
        store.record_give_up("cy", "l1", "slope", variant=0)
        answer(store, "cy", "correct", variant=1)  # new numbers, solved on their own
        rows = store.attempts()
        solving = solving_attempts(rows)
        assert [(a.learner, a.variant) for a in rows if a.id in solving] == [("bob", 0), ("cy", 1)]

        assert not store.get_progress("ann").lesson("l1").exercises[0].solved
        assert store.get_progress("bob").lesson("l1").exercises[0].solved
        assert store.get_progress("cy").lesson("l1").exercises[0].solved
        assert not store.get_exercise_state("ann", "l1", "slope").solved  # what the lesson shows on return
        assert store.get_exercise_state("cy", "l1", "slope").solved

        report = build_report(store)
    solved = {row.learner: row.exercises_solved for row in report.learners}
    assert solved == {"ann": 0, "bob": 1, "cy": 1}
    (row,) = report.exercises
    assert (row.learners_tried, row.learners_solved) == (3, 2)
    assert row.median_attempts == 1.5  # bob at his first answer, cy at her second scored one


def test_the_rule_does_not_depend_on_row_order():
    class R:
        def __init__(self, id, verdict, variant=0):
            self.id, self.verdict, self.variant = id, verdict, variant
            self.learner, self.lesson_id, self.exercise_id = "ann", "l1", "e"

    rows = [R(3, "correct"), R(1, "correct"), R(2, "gave_up"), R(4, "correct", variant=1)]
    assert solving_attempts(rows) == solving_attempts(reversed(rows)) == {1, 4}
