"""One learner working on one exercise: attempts, hints, solved / gave up, the variant. No storage here.

The screen keeps an `ExerciseSession` per exercise and calls `submit(text)`, `next_hint()`, `give_up()`
and `new_variant()`, and asks `chart_shown()` / `chart_answered(verdict)` for the values the exercise sets
on the chart it drives; it persists `snapshot()` through gdtui/store/ and rebuilds with `restore(...)`.
All the texts it hands out (prompt, hints, solution, choices, feedback) have their `{…}` templates
filled in for this variant and their `$…$` maths turned into Unicode.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gdtui.course.chart_link import answered_values, shown_values, solved_values
from gdtui.course.exprs import ValueProblem
from gdtui.course.grading import Grader, Verdict, precision_text
from gdtui.i18n import _
from gdtui.course.model import Exercise
from gdtui.course.parse import render_prose
from gdtui.course.templates import render
from gdtui.course.variants import has_variants, variant_params


@dataclass
class ExerciseSession:
    exercise: Exercise
    lesson_id: str
    learner: str
    variant: int = 0
    attempts: int = 0  # wrong answers in this variant (unreadable input does not count)
    hints_shown: int = 0
    solved: bool = False
    gave_up: bool = False
    last: Verdict | None = None
    _params: dict = field(default_factory=dict, init=False, repr=False)
    _grader: Grader | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._draw()

    def _draw(self) -> None:
        self._params = variant_params(self.exercise, self.lesson_id, self.learner, self.variant)
        self._grader = None

    # -- what the screen shows
    @property
    def params(self) -> dict[str, float]:
        return dict(self._params)

    @property
    def finished(self) -> bool:
        return self.solved or self.gave_up

    def text(self, template: str) -> str:
        """Any of this exercise's texts for this variant: templates filled, maths as Unicode.
        (A template that cannot be filled for these numbers is shown as written; `gdtui check` reports it.)"""
        try:
            return render_prose(render(template, self._params))
        except ValueProblem:
            return render_prose(template)

    @property
    def prompt(self) -> str:
        return self.text(self.exercise.prompt)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.text(c) for c in self.exercise.answer.choices)

    @property
    def precision(self) -> str:
        """The precision the answer wants, in words ("exact, or 3 significant figures"); "" for an
        expression or a choice."""
        return precision_text(self.exercise.answer)

    @property
    def has_variants(self) -> bool:
        """Whether new numbers can be drawn (False when every param has one value)."""
        return has_variants(self.exercise)

    @property
    def hints(self) -> tuple[str, ...]:
        """The hints shown so far, oldest first."""
        return tuple(self.text(h.text) for h in self.exercise.hints[: self.hints_shown])

    @property
    def hints_left(self) -> int:
        return len(self.exercise.hints) - self.hints_shown

    def hint_ready(self) -> bool:
        """Whether `next_hint()` would give a hint now."""
        hints = self.exercise.hints
        return self.hints_shown < len(hints) and self.attempts >= hints[self.hints_shown].after

    def attempts_until_next_hint(self) -> int | None:
        """Wrong answers still needed to unlock the next hint (0 if ready), None when no hints are left."""
        if self.hints_left <= 0:
            return None
        return max(0, self.exercise.hints[self.hints_shown].after - self.attempts)

    @property
    def solution(self) -> str | None:
        """The worked solution, once solved or given up (None before, or when the lesson has none)."""
        if not self.finished or self.exercise.solution is None:
            return None
        return self.text(self.exercise.solution)

    # -- the chart the exercise drives (its `chart:` field), as plot values
    def chart_shown(self) -> dict[str, object]:
        """The values this variant sets on its chart as the exercise is shown, with the `solved` ones once
        it is solved or given up; {} without a chart link."""
        link = self.exercise.chart
        if link is None:
            return {}
        return {**shown_values(link, self._params), **(self.chart_solved() if self.finished else {})}

    def chart_solved(self) -> dict[str, object]:
        """The values set once the exercise is solved or given up (the truth beside the learner's try)."""
        link = self.exercise.chart
        return solved_values(link, self._params) if link is not None and self.finished else {}

    def chart_answered(self, verdict: Verdict | None) -> dict[str, object]:
        """The values an answer sets on the chart (`guess`, …); {} when it could not be read."""
        link = self.exercise.chart
        if link is None or verdict is None or verdict.value is None:
            return {}
        return answered_values(link, self.exercise.answer, self._params, verdict.value)

    # -- what the learner does
    def submit(self, text: str) -> Verdict:
        """Grade an answer. Wrong answers count as attempts; unreadable ones do not; after the exercise is
        finished answers are still graded but change nothing."""
        try:
            if self._grader is None:
                self._grader = Grader(self.exercise, self._params)
            verdict = self._grader.grade(text)
        except ValueProblem:  # numbers this variant cannot work with; `gdtui check` reports them
            verdict = Verdict("unreadable", "", _("This variant cannot be graded; try a new variant."))
        self.last = verdict
        if not self.finished and verdict.counts:
            if verdict.correct:
                self.solved = True
            else:
                self.attempts += 1
        return verdict

    def next_hint(self) -> str | None:
        """Unlock and return the next hint, or None when none is ready (see `attempts_until_next_hint`)."""
        if not self.hint_ready():
            return None
        self.hints_shown += 1
        return self.hints[-1]

    def give_up(self) -> str | None:
        """Show the solution (returned; None if the lesson has none)."""
        if not self.solved:
            self.gave_up = True
        return self.solution

    def new_variant(self) -> None:
        """Move on to the next variant whose numbers differ from these (when there is one within a few
        tries); attempts and hints start again."""
        current = self._params
        for _ in range(20):
            self.variant += 1
            self._draw()
            if self._params != current or not self.exercise.params:
                break
        self.attempts, self.hints_shown, self.solved, self.gave_up, self.last = 0, 0, False, False, None

    # -- persistence (the store saves these plain values)
    def snapshot(self) -> dict:
        return {"variant": self.variant, "attempts": self.attempts, "hints_shown": self.hints_shown,
                "solved": self.solved, "gave_up": self.gave_up}

    @classmethod
    def restore(cls, exercise: Exercise, lesson_id: str, learner: str, saved: dict | None) -> ExerciseSession:
        saved = saved or {}
        hints = max(0, min(int(saved.get("hints_shown", 0)), len(exercise.hints)))
        return cls(exercise, lesson_id, learner, variant=int(saved.get("variant", 0)),
                   attempts=int(saved.get("attempts", 0)), hints_shown=hints,
                   solved=bool(saved.get("solved", False)), gave_up=bool(saved.get("gave_up", False)))
