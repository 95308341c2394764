"""The teacher's report as data: who came, how far each learner got, how each lesson and exercise went.

``build_report(store, course)`` is a pure summary of the store's rows, put in the course's order (lessons as the
map lists them, exercises as their lesson does; ids the course no longer has come last). Attempts count the
scored answers (correct, incorrect, feedback): input the tutor could not read costs no attempt, and giving up
is not an answer. A right answer on a variant whose solution the learner already asked for (ctrl+o) is not a
solve: the report counts only what the learner found.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gdtui.store import SCORED
from gdtui.store.solved import solving_attempts

TOP = 3


@dataclass(frozen=True)
class LearnerRow:
    learner: str
    lessons_done: int
    lessons_started: int
    exercises_solved: int
    attempts: int
    last_seen: str


@dataclass(frozen=True)
class Count:
    value: str
    count: int


@dataclass(frozen=True)
class ExerciseRow:
    lesson_id: str
    exercise_id: str
    learners_tried: int
    learners_solved: int
    solve_rate: float | None  # solved / tried
    median_attempts: float | None  # scored attempts up to the first correct one, over the learners who solved it
    wrong_answers: tuple[Count, ...]  # most common wrong answers, as the tutor read them
    feedback_rules: tuple[Count, ...]  # the feedback rules that fired most
    number: str = ""  # "3.2": lesson 3's second exercise, as the map numbers them ("" when not in the course)


@dataclass(frozen=True)
class LessonRow:
    lesson_id: str
    number: int | None  # as the course map numbers it (None when the course no longer has it)
    title: str
    started: int  # learners who opened it or answered in it
    done: int  # learners who solved every exercise


@dataclass(frozen=True)
class Report:
    learners: tuple[LearnerRow, ...]
    exercises: tuple[ExerciseRow, ...]
    lessons: tuple[LessonRow, ...] = ()
    answered_at: tuple[str, ...] = ()  # the time of every scored answer, oldest first (for "answers over time")


@dataclass(frozen=True)
class CourseOrder:
    """What the report needs of a course: lesson ids in order with their titles, and each one's exercise ids."""

    lessons: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (lesson id, title, exercise ids)

    @classmethod
    def of(cls, lessons: Iterable) -> CourseOrder:
        return cls(tuple((lesson.id, lesson.title, tuple(e.id for e in lesson.exercises)) for lesson in lessons))

    def lesson_key(self, lesson_id: str) -> tuple:
        ids = [entry[0] for entry in self.lessons]
        return (ids.index(lesson_id), "") if lesson_id in ids else (len(ids), lesson_id)

    def exercise_key(self, lesson_id: str, exercise_id: str) -> tuple:
        for entry in self.lessons:
            if entry[0] == lesson_id and exercise_id in entry[2]:
                return self.lesson_key(lesson_id) + (entry[2].index(exercise_id), "")
        return self.lesson_key(lesson_id) + (10**6, exercise_id)

    def number(self, lesson_id: str, exercise_id: str | None = None) -> str:
        for n, (lid, _, exercises) in enumerate(self.lessons, 1):
            if lid == lesson_id:
                if exercise_id is None:
                    return str(n)
                return f"{n}.{exercises.index(exercise_id) + 1}" if exercise_id in exercises else ""
        return ""


def _top(counter: Counter[str]) -> tuple[Count, ...]:
    return tuple(Count(value, n) for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP])


def build_report(store, order: CourseOrder | None = None) -> Report:
    """Summarise everything in the store; every learner who ever logged in appears, even before a lesson."""
    order = order or CourseOrder()
    attempts = store.attempts()
    started: dict[str, set[str]] = defaultdict(set)
    done: dict[str, set[str]] = defaultdict(set)
    for visit in store.lesson_visits():
        started[visit.learner].add(visit.lesson_id)
        if visit.done:
            done[visit.learner].add(visit.lesson_id)
    solved: dict[str, set[tuple[str, str]]] = defaultdict(set)
    scored: Counter[str] = Counter()
    by_exercise: dict[tuple[str, str], list] = defaultdict(list)
    for a in attempts:
        started[a.learner].add(a.lesson_id)
        scored[a.learner] += a.verdict in SCORED
        by_exercise[(a.lesson_id, a.exercise_id)].append(a)
    rows = []
    solving = solving_attempts(attempts)  # not a right answer after the solution was shown (store/solved.py)
    for key in sorted(by_exercise, key=lambda k: order.exercise_key(*k)):
        row, solvers = _exercise_row(key, by_exercise[key], order.number(*key), solving)
        rows.append(row)
        for learner in solvers:
            solved[learner].add(key)
    learners = tuple(
        LearnerRow(learner.name, len(done[learner.name]), len(started[learner.name]), len(solved[learner.name]),
                   scored[learner.name], learner.last_seen)
        for learner in store.learners()
    )
    return Report(learners, tuple(rows), _lessons(order, started, done),
                  tuple(a.at for a in attempts if a.verdict in SCORED))


def _lessons(order: CourseOrder, started: dict[str, set[str]], done: dict[str, set[str]]) -> tuple[LessonRow, ...]:
    ids = [entry[0] for entry in order.lessons]
    seen = {lesson for lessons in started.values() for lesson in lessons} - set(ids)
    titles = {entry[0]: entry[1] for entry in order.lessons}
    return tuple(
        LessonRow(lid, int(order.number(lid)) if lid in titles else None, titles.get(lid, lid),
                  sum(lid in s for s in started.values()), sum(lid in d for d in done.values()))
        for lid in ids + sorted(seen))


def _exercise_row(key: tuple[str, str], attempts: Sequence, number: str,
                  solving: set[int]) -> tuple[ExerciseRow, set[str]]:
    tried = {a.learner for a in attempts}
    counts: Counter[str] = Counter()
    to_solve: dict[str, int] = {}
    wrong: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for a in attempts:  # in the order they were made
        if a.verdict in SCORED and a.learner not in to_solve:
            counts[a.learner] += 1
            if a.id in solving:
                to_solve[a.learner] = counts[a.learner]
        if a.verdict in ("incorrect", "feedback"):
            wrong[a.read_as if a.read_as is not None else a.input.strip()] += 1
        if a.feedback_rule:
            rules[a.feedback_rule] += 1
    median = float(statistics.median(to_solve.values())) if to_solve else None
    row = ExerciseRow(*key, len(tried), len(to_solve), len(to_solve) / len(tried), median, _top(wrong), _top(rules),
                      number)
    return row, set(to_solve)
