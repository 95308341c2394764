"""Progress follows an exercise to its new lesson (`moved_from`), on both backends, from a store that holds the
keys lesson 13 had before it was split."""

from __future__ import annotations

from pathlib import Path

from store_helpers import Clock

from gdtui.course.parse import load_lessons
from gdtui.store import open_store

ROOT = Path(__file__).resolve().parent.parent.parent
OLD = "beyond-descent"
MOVED = (("adam-first-step", OLD, "adaptive-steps"), ("step-schedule", OLD, "learning-rate-practice"),
         ("vanishing-product", OLD, "backpropagation"))


def answer(store, learner, lesson, exercise, verdict, text="1"):
    return store.record_attempt(learner, lesson, exercise, variant=0, input=text, read_as=text, verdict=verdict)


def solved(store, learner) -> dict[tuple[str, str], bool]:
    return {(e.lesson_id, e.exercise_id): e.solved
            for lesson in store.get_progress(learner).lessons for e in lesson.exercises}


def test_the_bundled_course_names_the_three_exercises_lesson_13_lost():
    from gdtui.ui.progress import moved_exercises

    course = load_lessons(sorted((ROOT / "lessons" / "en").glob("*.md")))
    assert sorted(moved_exercises(course.lessons)) == sorted(MOVED)
    assert course.lesson(OLD) is not None  # lesson 13 keeps its id, so a stored visit still finds it


def test_old_keys_follow_the_exercises_once(where: str) -> None:
    with open_store(where, "/nonexistent", clock=Clock()) as store:
        answer(store, "ann", OLD, "adam-first-step", "incorrect")
        answer(store, "ann", OLD, "adam-first-step", "correct")
        answer(store, "ann", OLD, "momentum-step", "correct")  # stayed in lesson 13: not moved
        store.record_hints("ann", OLD, "step-schedule", variant=0, shown=2)
        answer(store, "bob", OLD, "vanishing-product", "correct")
        before = len(store.attempts())

        moved = store.move_exercises(MOVED)

        assert moved == 2 + 2 + 1 + 1  # ann: two attempts and two states; bob: one attempt and its state
        assert solved(store, "ann") == {("adaptive-steps", "adam-first-step"): True, (OLD, "momentum-step"): True,
                                        ("learning-rate-practice", "step-schedule"): False}
        state = store.get_exercise_state("ann", "adaptive-steps", "adam-first-step")
        assert (state.solved, state.attempts) == (True, 1)
        assert store.get_exercise_state("ann", "learning-rate-practice", "step-schedule").hints_used == 2
        assert store.get_exercise_state("ann", OLD, "adam-first-step") is None
        assert solved(store, "bob") == {("backpropagation", "vanishing-product"): True}
        assert len(store.attempts()) == before
        assert [a.lesson_id for a in store.attempts(learner="ann", exercise_id="adam-first-step")] == ["adaptive-steps"] * 2
        assert store.move_exercises(MOVED) == 0  # nothing left under the old keys


def test_a_learner_with_progress_in_both_places_keeps_the_solved_one(where: str) -> None:
    new = "adaptive-steps"
    with open_store(where, "/nonexistent", clock=Clock()) as store:
        answer(store, "cat", OLD, "adam-first-step", "correct")   # solved before the split …
        answer(store, "cat", new, "adam-first-step", "incorrect")  # … then found it unsolved and tried again
        answer(store, "dan", OLD, "adam-first-step", "incorrect")  # tried before the split …
        answer(store, "dan", new, "adam-first-step", "correct")    # … solved it after
        store.move_exercises(MOVED[:1])
        for learner in ("cat", "dan"):
            assert solved(store, learner) == {(new, "adam-first-step"): True}, learner
            assert store.get_exercise_state(learner, new, "adam-first-step").solved
            assert store.get_exercise_state(learner, OLD, "adam-first-step") is None
            assert {a.lesson_id for a in store.attempts(learner=learner)} == {new}
            assert len(store.attempts(learner=learner)) == 2


def test_the_tutor_moves_them_before_it_reads(tmp_path: Path) -> None:
    from gdtui.ui.progress import LearnerProgress, moved_exercises

    course = load_lessons(sorted((ROOT / "lessons" / "en").glob("*.md")))
    with open_store(None, tmp_path) as store:  # a learner's SQLite file from before the split
        answer(store, "ann", OLD, "step-schedule", "correct")
    progress = LearnerProgress(tmp_path, "ann", None, moved_exercises(course.lessons))
    try:
        lesson = course.lesson("learning-rate-practice")
        session = progress.session(lesson, lesson.exercise("step-schedule"))
        assert session.snapshot()["solved"]
        assert progress.marks([lesson])["learning-rate-practice"][1] == 1  # one exercise of the lesson solved
    finally:
        progress.close()
