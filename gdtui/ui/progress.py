"""The learner's progress as the screens need it, kept in `gdtui.store.Store` at every step.

The screens speak of lessons and exercise sessions; this turns that into store calls and back. A store
that cannot be written (a full disk, a lock held too long) is reported through `on_error` and the
lesson goes on; it never takes the screen down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gdtui.course.model import Exercise, Lesson
from gdtui.store import Store, StoreError

if TYPE_CHECKING:  # grading brings numpy and the expression language: loaded with the first lesson
    from gdtui.course.grading import Verdict
    from gdtui.course.session import ExerciseSession

Marks = tuple[str, int, int]  # status (done | started | new), solved, total


def stored_verdict(kind: str) -> str:
    """The store's word for a verdict. It has no "close" (a number right to too few figures): that is kept
    as "unreadable", the store's answer that cost no attempt, so the report never counts it as wrong."""
    return "unreadable" if kind == "close" else kind


class Progress:
    """One learner's progress in one data folder."""

    def __init__(self, data_dir: Path, learner: str) -> None:
        self.store = Store(data_dir)
        self.learner = learner
        self.on_error: Callable[[str], None] = lambda message: None

    def _safely(self, call: Callable[[], object]) -> object:
        try:
            return call()
        except StoreError as exc:
            self.on_error(f"Progress could not be saved: {exc}")
            return None

    # -- reading -----------------------------------------------------------------------------------
    def marks(self, lessons: Iterable[Lesson]) -> dict[str, Marks]:
        """For each lesson: done (all exercises solved once), started (opened or tried) or new."""
        try:
            saved = self.store.get_progress(self.learner)
        except StoreError as exc:
            self.on_error(str(exc))
            saved = None
        result: dict[str, Marks] = {}
        for lesson in lessons:
            found = saved.lesson(lesson.id) if saved is not None else None
            ids = {e.id for e in lesson.exercises}
            solved = sum(1 for e in (found.exercises if found else ()) if e.solved and e.exercise_id in ids)
            total = len(ids)
            opened = bool(found and (found.opened or found.exercises))
            if opened and solved == total:
                status = "done"
            elif opened:
                status = "started"
            else:
                status = "new"
            result[lesson.id] = (status, solved, total)
        return result

    def last_lesson(self) -> str | None:
        try:
            position = self.store.get_position(self.learner)
        except StoreError:
            return None
        return position.lesson_id if position else None

    def session(self, lesson: Lesson, exercise: Exercise) -> ExerciseSession:
        """The exercise as the learner left it: same variant, wrong answers, hints, solved or not."""
        from gdtui.course.session import ExerciseSession  # noqa: PLC0415 (see the imports)

        try:
            saved = self.store.get_exercise_state(self.learner, lesson.id, exercise.id)
        except StoreError:
            saved = None
        if saved is None:
            return ExerciseSession(exercise, lesson.id, self.learner)
        return ExerciseSession.restore(exercise, lesson.id, self.learner, {
            "variant": saved.variant,
            "attempts": saved.attempts - int(saved.solved),  # the store counts the right answer too
            "hints_shown": saved.hints_used,
            "solved": saved.solved,
            "gave_up": saved.gave_up,
        })

    # -- writing (each call is saved before it returns) -------------------------------------------------
    def opened(self, lesson: Lesson) -> None:
        self._safely(lambda: self.store.open_lesson(self.learner, lesson.id))
        if not lesson.exercises:
            self._safely(lambda: self.store.mark_lesson_done(self.learner, lesson.id))

    def attempted(self, lesson: Lesson, session: ExerciseSession, text: str, verdict: Verdict) -> None:
        rule = verdict.rule.when if verdict.rule is not None else None
        self._safely(lambda: self.store.record_attempt(
            self.learner, lesson.id, session.exercise.id, variant=session.variant, input=text,
            read_as=verdict.read_as or None, verdict=stored_verdict(verdict.kind), feedback_rule=rule))
        if verdict.correct and self.marks([lesson])[lesson.id][0] == "done":
            self._safely(lambda: self.store.mark_lesson_done(self.learner, lesson.id))

    def hinted(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._safely(lambda: self.store.record_hint(self.learner, lesson.id, session.exercise.id,
                                                    variant=session.variant))

    def gave_up(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._safely(lambda: self.store.record_give_up(self.learner, lesson.id, session.exercise.id,
                                                       variant=session.variant))

    def new_variant(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._safely(lambda: self.store.set_variant(self.learner, lesson.id, session.exercise.id,
                                                    session.variant))

    def reset(self) -> None:
        self._safely(lambda: self.store.reset_learner(self.learner))

    def close(self) -> None:
        self.store.close()
