"""The learner's progress as the screens need it: read once from the store, kept here, written in the background.

The screens speak of lessons and exercise sessions; this turns that into store calls and back. It sits above
both the store (ids and answers) and the course (lessons, sessions). Reading happens once, when the tutor
starts; from then on the screens read what is kept here, and every change goes to the store through a
`Writer` thread, so a database that is slow, locked or away never holds up a key press. An answer the database
has not taken yet is *pending*: `saving_notice()` says so, and the writer keeps sending it until it lands.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gdtui.course.model import Exercise, Lesson
from gdtui.i18n import _

from gdtui.store import ProgressStore, SavedExercise, new_attempt_id, open_store
from gdtui.store.writer import Writer

if TYPE_CHECKING:  # grading brings numpy and the expression language: loaded with the first lesson
    from gdtui.course.grading import Verdict
    from gdtui.course.session import ExerciseSession

Marks = tuple[str, int, int]  # status (done | started | new), solved, total
PENDING_AFTER = 2.0  # seconds an answer may wait for the database before the learner is told
BUSY_TIMEOUT = 1.0  # how long one SQLite try waits on another program's lock (the writer tries again)
SAVE_ON_SIGNAL = 3.0  # seconds a tutor told to end (hang-up, terminate) spends sending what is still queued


def stored_verdict(kind: str) -> str:
    """The store's word for a verdict. It has no "close" (a number right to too few figures): that is kept
    as "unreadable", the store's answer that cost no attempt, so the report never counts it as wrong."""
    return "unreadable" if kind == "close" else kind


def stored_snapshot(saved: SavedExercise) -> dict:
    """A stored exercise in the shape `ExerciseSession.snapshot()` has (both count attempts the same way)."""
    return {"variant": saved.variant, "attempts": saved.attempts, "hints_shown": saved.hints_used,
            "solved": saved.solved, "gave_up": saved.gave_up}


def moved_exercises(lessons: Iterable[Lesson]) -> tuple[tuple[str, str, str], ...]:
    """(exercise id, old lesson id, new lesson id) for each exercise that says `moved_from`."""
    return tuple((exercise.id, exercise.moved_from, lesson.id) for lesson in lessons
                 for exercise in lesson.exercises if exercise.moved_from and exercise.moved_from != lesson.id)


class LearnerProgress:
    """One learner's progress, kept in memory and saved through a background writer."""

    def __init__(self, data_dir: Path, learner: str, database: str | None = None,
                 moved: Iterable[tuple[str, str, str]] = ()) -> None:
        """`moved`: (exercise id, old lesson id, new lesson id) of exercises that moved (see `moved_exercises`);
        their stored progress follows them before anything is read."""
        self.store: ProgressStore = open_store(database, data_dir, busy_timeout=BUSY_TIMEOUT)
        self.learner = learner
        try:
            if not self.store.read_only:
                self.store.move_exercises(moved)
            saved = self.store.get_progress(learner)
            self._states = {(s.lesson_id, s.exercise_id): stored_snapshot(s)
                            for s in self.store.exercise_states(learner)}
            self._resume = self.store.resume_lesson(learner)
            self.language: str | None = self.store.learner_language(learner)  # the interface language chosen
        except BaseException:
            self.store.close()
            raise
        self._opened = {lesson.lesson_id for lesson in saved.lessons}
        self._solved = {(e.lesson_id, e.exercise_id) for lesson in saved.lessons for e in lesson.exercises if e.solved}
        self._errors: list[str] = []
        self.writer = Writer(self.store, on_error=self._errors.append)
        self.writer.put(lambda store: store.touch_learner(learner))  # attendance: seen, even before a lesson
        self._told_pending = False
        self.unsaved: int | None = None  # set by close()

    # -- reading (from memory: never waits on the database) ----------------------------------------------
    def marks(self, lessons: Iterable[Lesson]) -> dict[str, Marks]:
        """For each lesson: done (all exercises solved once), started (opened or tried) or new."""
        result: dict[str, Marks] = {}
        for lesson in lessons:
            total = len({e.id for e in lesson.exercises})
            solved = sum(1 for e in {e.id for e in lesson.exercises} if (lesson.id, e) in self._solved)
            opened = lesson.id in self._opened
            status = "done" if opened and solved == total else "started" if opened else "new"
            result[lesson.id] = (status, solved, total)
        return result

    def last_lesson(self) -> str | None:
        return self._resume

    def session(self, lesson: Lesson, exercise: Exercise) -> ExerciseSession:
        """The exercise as the learner left it: same variant, wrong answers, hints, solved or not."""
        from gdtui.course.session import ExerciseSession  # noqa: PLC0415 (see the imports)

        return ExerciseSession.restore(exercise, lesson.id, self.learner, self._states.get((lesson.id, exercise.id)))

    def saving_notice(self) -> tuple[str, str] | None:
        """What to tell the learner about saving now, once per change: (severity, message), or None."""
        if self._errors:
            return "error", self._errors.pop(0)
        since = self.writer.waiting_since
        late = since is not None and time.monotonic() - since >= PENDING_AFTER
        if late and not self._told_pending:
            self._told_pending = True
            why = self.writer.problem or _("the database is slow to answer")
            return "warning", _("Saving is waiting: {why}. Your answers are kept and will be saved when it "
                                "answers ({n} waiting).").format(why=why, n=self.writer.pending)
        if since is None and self._told_pending:
            self._told_pending = False
            return "information", _("Saved: the database answers again and every waiting answer is stored.")
        return None

    # -- writing (kept here at once, saved in the background) ------------------------------------------------
    def _keep(self, lesson: Lesson, session: ExerciseSession) -> None:
        key = (lesson.id, session.exercise.id)
        self._states[key] = session.snapshot()
        self._opened.add(lesson.id)
        if session.solved:
            self._solved.add(key)

    def opened(self, lesson: Lesson) -> None:
        learner, lesson_id = self.learner, lesson.id
        self._opened.add(lesson_id)
        self._resume = lesson_id
        self.writer.put(lambda store: store.open_lesson(learner, lesson_id))
        if not lesson.exercises:
            self.writer.put(lambda store: store.mark_lesson_done(learner, lesson_id))

    def attempted(self, lesson: Lesson, session: ExerciseSession, text: str, verdict: Verdict) -> None:
        self._keep(lesson, session)
        learner, lesson_id, exercise_id, variant = self.learner, lesson.id, session.exercise.id, session.variant
        rule = verdict.rule.when if verdict.rule is not None else None
        read_as, kind, attempt_id = verdict.read_as or None, stored_verdict(verdict.kind), new_attempt_id()
        self.writer.put(lambda store: store.record_attempt(
            learner, lesson_id, exercise_id, variant=variant, input=text, read_as=read_as, verdict=kind,
            feedback_rule=rule, attempt_id=attempt_id))
        if verdict.correct and self.marks([lesson])[lesson.id][0] == "done":
            self.writer.put(lambda store: store.mark_lesson_done(learner, lesson_id))

    def hinted(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._keep(lesson, session)
        learner, lesson_id, exercise_id = self.learner, lesson.id, session.exercise.id
        variant, shown = session.variant, session.hints_shown
        self.writer.put(lambda store: store.record_hints(learner, lesson_id, exercise_id, variant=variant,
                                                         shown=shown))

    def gave_up(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._keep(lesson, session)
        learner, lesson_id, exercise_id, variant = self.learner, lesson.id, session.exercise.id, session.variant
        attempt_id = new_attempt_id()
        self.writer.put(lambda store: store.record_give_up(learner, lesson_id, exercise_id, variant=variant,
                                                           attempt_id=attempt_id))

    def new_variant(self, lesson: Lesson, session: ExerciseSession) -> None:
        self._keep(lesson, session)
        learner, lesson_id, exercise_id, variant = self.learner, lesson.id, session.exercise.id, session.variant
        self.writer.put(lambda store: store.set_variant(learner, lesson_id, exercise_id, variant))

    def remember_language(self, lang: str) -> None:
        """Keep the learner's interface language with their progress (a served class shares one account)."""
        if lang != self.language:
            self.language = lang
            learner = self.learner
            self.writer.put(lambda store: store.set_learner_language(learner, lang))

    def reset(self) -> None:
        """Forget the learner's progress; their language is a choice, not progress, and stays."""
        self._states.clear()
        self._opened.clear()
        self._solved.clear()
        self._resume = None
        learner, lang = self.learner, self.language
        self.writer.put(lambda store: store.reset_learner(learner))
        if lang is not None:
            self.writer.put(lambda store: store.set_learner_language(learner, lang))

    def close(self, timeout: float = 5.0) -> int:
        """Save what is waiting (for up to ``timeout`` seconds) and close; how many changes were not saved."""
        if self.unsaved is None:
            self.unsaved = self.writer.close(timeout)
            self.store.close()
        return self.unsaved


def save_before_ending(progress: LearnerProgress, signals=(signal.SIGHUP, signal.SIGTERM)) -> None:
    """When the tutor is told to end (a served session's connection drops: SIGHUP, then SIGTERM), first send
    what the writer still holds (for up to SAVE_ON_SIGNAL seconds), then end as the signal would have.
    Only signals nobody else handles are taken; call from the main thread."""
    def handler(signum: int, frame: object) -> None:
        for sig in signals:  # a second signal while we save ends us at once
            signal.signal(sig, signal.SIG_DFL)
        progress.writer.wait_idle(SAVE_ON_SIGNAL)
        os.kill(os.getpid(), signum)

    for sig in signals:
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, handler)
