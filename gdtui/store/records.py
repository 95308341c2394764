"""What the store keeps and hands back: learners, lesson visits, attempts, exercise states, as frozen rows.

These are ids and answers only (no lesson types): the store never needs to read a lesson. Times are ISO 8601
strings in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass

VERDICTS = ("correct", "incorrect", "feedback", "unreadable", "gave_up")
SCORED = ("correct", "incorrect", "feedback")  # the verdicts that cost an attempt
WRONG = ("incorrect", "feedback")  # the answers an exercise session counts as attempts
MAX_TEXT = 10_000  # longer inputs are cut to this many characters


class StoreError(RuntimeError):
    """The progress database cannot be used; the message says why in plain words."""


class StoreUnavailable(StoreError):
    """The database did not answer (locked, restarting, unreachable): the same call may work later."""


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
    id: int  # the order in which the store received attempts
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
class SavedExercise:
    """The exercise as the learner left it, on the variant they are on (counters restart with a new variant).

    ``attempts`` counts as an exercise session does: wrong answers (``incorrect``, ``feedback``) given before the
    exercise was solved or given up; unreadable input and answers after the end cost nothing.
    """

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
class SavedProgress:
    """Everything kept about one learner's lessons and exercises."""

    learner: str
    lessons: tuple[LessonProgress, ...]

    def lesson(self, lesson_id: str) -> LessonProgress | None:
        return next((lesson for lesson in self.lessons if lesson.lesson_id == lesson_id), None)

    def exercise(self, lesson_id: str, exercise_id: str) -> ExerciseProgress | None:
        lesson = self.lesson(lesson_id)
        return next((e for e in lesson.exercises if e.exercise_id == exercise_id), None) if lesson else None
