"""`gdtui check`: lint lesson files for their authors.

For each lesson: parse it; for each exercise, go through every variant when there are at most 500 (else
50 drawn ones) and check that the answer is finite, every template renders, and every `tests` entry gets
its expected verdict, and compute the values it sets on the chart it drives (`check_link`); warn when an
exercise has no hint or no solution, or a feedback rule can never fire; evaluate every plot on its range.
One line per problem, `path:line: error: message` (or `warning:`), then a summary line; or one JSON
object per problem, or GitHub Actions annotations (gdtui.check.report), each with a stable code
(gdtui.check.codes). Exit status 0
without errors, 1 with. Nothing from a file is ever executed, and a bug in the checker is reported as an
error line, never as a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import numpy as np

from gdtui.check.claims import check_claims
from gdtui.check.emphasis import emphasis_problems
from gdtui.check.links import check_values
from gdtui.check.plots import check_plot
from gdtui.check.reach import check_reach
from gdtui.check.twins import twin_problems
from gdtui.check.report import Report
from gdtui.course.exprs import ValueProblem, compile_value, evaluate, value_text
from gdtui.course.grading import SAMPLE_POINTS, Grader, close
from gdtui.course.model import CourseError, Exercise, Lesson, Plot
from gdtui.course.parse import lesson_files, load_lessons, parse_lesson
from gdtui.course.templates import params_text, render
from gdtui.course.variants import variants_to_check


def run_check(paths: list[Path], out: TextIO, fmt: str = "text") -> int:
    """Check lesson files and folders; print the report to `out` as `fmt` (text, json or github); return the
    exit status."""
    report = Report()
    lessons: tuple[Lesson, ...] = ()
    files: list[Path] = []
    try:
        files = _files(paths, report)
        folders: dict[Path, list[Path]] = {}  # each folder is a course of its own (lessons/en, lessons/zh: same ids)
        for path in files:
            folders.setdefault(path.resolve().parent, []).append(path)
        for group in folders.values():
            course = load_lessons(group, also_known=_neighbour_ids(group))
            lessons += course.lessons
            for error in course.errors:
                report.add(error.path, error.line, error.message, column=error.column)
        for lesson in lessons:
            check_lesson(lesson, report)
        for path, line, severity, message in twin_problems(lessons, [p for p in map(Path, paths) if p.is_dir()]):
            report.add(path, line, message, severity)
    except Exception as exc:  # never a traceback
        report.add(Path("gdtui"), 0, f"internal error in the checker: {type(exc).__name__}: {exc}")
    exercises = sum(len(lesson.exercises) for lesson in lessons)
    for line in report.lines(fmt):
        print(line, file=out)
    errors, warnings = report.count("error"), report.count("warning")
    if fmt == "text":
        print(f"{_plural(len(files), 'lesson')}, {_plural(exercises, 'exercise')}: "
              f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}", file=out)
    return 1 if errors else 0


def _neighbour_ids(files: list[Path]) -> set[str]:
    """Ids of the other lessons in the checked files' folders, so `requires` resolves when one file is checked."""
    ids: set[str] = set()
    chosen = {path.resolve() for path in files}
    for folder in {path.resolve().parent for path in files}:
        for path in lesson_files(folder):
            if path.resolve() not in chosen:
                lesson, _ = parse_lesson(path)
                if lesson is not None:
                    ids.add(lesson.id)
    return ids


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _files(paths: list[Path], report: Report) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = lesson_files(path)
            if not found:
                report.add(path, 0, "no lesson files (*.md) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            report.add(path, 0, "no such file or folder")
    return list(dict.fromkeys(files))


def check_lesson(lesson: Lesson, report: Report) -> None:
    _shared_charts(lesson, report)
    for exercise in lesson.exercises:
        try:
            check_exercise(lesson, exercise, report)
        except Exception as exc:
            report.add(lesson.path, exercise.line,
                       f"internal error while checking exercise '{exercise.id}': {type(exc).__name__}: {exc}")
    for plot in lesson.plots:
        try:
            for line, severity, message in check_plot(plot):
                report.add(lesson.path, line, message, severity)
        except Exception as exc:
            report.add(lesson.path, plot.line, f"internal error while checking plot '{plot.id}': {type(exc).__name__}: {exc}")
    try:
        for line, message in check_claims(lesson):
            report.add(lesson.path, line, message)
    except Exception as exc:
        report.add(lesson.path, lesson.line, f"internal error while checking the claims: {type(exc).__name__}: {exc}")
    for line, message in emphasis_problems(lesson):
        report.add(lesson.path, line, message, "warning")
    try:
        for line, message in check_reach(lesson):
            report.add(lesson.path, line, message, "warning")
    except Exception as exc:
        report.add(lesson.path, lesson.line, f"internal error while walking the controls: {type(exc).__name__}: {exc}")


def _shared_charts(lesson: Lesson, report: Report) -> None:
    """Warn when two exercises drive one plot: each moves it as it is shown, so the chart jumps between them."""
    first: dict[str, Exercise] = {}
    for exercise in lesson.exercises:
        if exercise.chart is None:
            continue
        other = first.setdefault(exercise.chart.plot, exercise)
        if other is not exercise:
            report.add(lesson.path, exercise.chart.line,
                       f"chart: exercise '{exercise.id}' also drives plot '{exercise.chart.plot}' (so does '{other.id}' "
                       f"on line {other.chart.line}); give each exercise a plot of its own", "warning")


def check_exercise(lesson: Lesson, exercise: Exercise, report: Report) -> None:
    path, lines = lesson.path, exercise.field_lines
    if not exercise.hints:
        report.add(path, exercise.line, f"exercise '{exercise.id}' has no hints (add hints: [...])", "warning")
    if exercise.solution is None:
        report.add(path, exercise.line, f"exercise '{exercise.id}' has no solution (add solution: ...)", "warning")
    chart = next((p for p in lesson.plots if exercise.chart is not None and p.id == exercise.chart.plot), None)
    checked, coincide = 0, {}  # variants whose rules were compared; rule number -> {earlier rule: variants}
    for env in variants_to_check(exercise, lesson.id):
        same = _check_variant(path, exercise, env, lines, report, chart)
        if same is not None:
            checked += 1
            for later, earlier in same:
                coincide.setdefault(later, {}).setdefault(earlier, 0)
                coincide[later][earlier] += 1
    for later, partners in coincide.items():
        earlier = next((k for k, count in partners.items() if count == checked), None)
        if earlier is not None:  # in every variant: the rule can never speak
            report.add(path, exercise.feedback[later].line,
                       f"feedback[{later + 1}]: 'when' coincides with feedback[{earlier + 1}] in every variant, so this "
                       "rule never fires (the first rule that matches speaks); remove it or change its 'when'",
                       "warning")


def _check_variant(path: Path, exercise: Exercise, env: dict[str, float], lines, report: Report,
                   chart: Plot | None = None) -> list[tuple[int, int]] | None:
    """Check one variant; return the feedback rules that coincide with an earlier one here, (later, earlier),
    or None when the variant could not be checked that far."""
    when = f" (when {params_text(env)})" if env else ""
    for spec in exercise.params:
        if not np.isfinite(env[spec.name]):
            report.add(path, spec.line, f"params.{spec.name} is {value_text(env[spec.name])}{when}", key=("param", spec.name))
            return
    answer = exercise.answer
    texts = [("prompt", lines.get("prompt", exercise.line), exercise.prompt)]
    texts += [("solution", lines.get("solution", exercise.line), exercise.solution or "")]
    texts += [(f"hints[{i + 1}]", h.line, h.text) for i, h in enumerate(exercise.hints)]
    texts += [(f"feedback[{i + 1}].say", r.line, r.say) for i, r in enumerate(exercise.feedback)]
    texts += [("answer.choices", lines.get("answer.choices", answer.line), c) for c in answer.choices]
    broken = False
    for name, line, text in texts:
        try:
            render(text, env)
        except ValueProblem as exc:
            report.add(path, line, f"{name}: {exc.message}", key=("template", name, line))
            broken = True
    if broken and answer.choices:
        return
    grader = Grader(exercise, env)
    if not _answer_ok(path, exercise, grader, env, when, report):
        return
    if chart is not None:
        right = grader.right_value() if answer.type in ("number", "vector") else None
        for line, severity, message in check_values(exercise.chart, chart, exercise, env, right):
            report.add(path, line, message + when, severity, key=("chart", line, message.split(" ")[0]))
    same = _check_rules(path, exercise, grader, env, when, report)
    for i, test in enumerate(exercise.tests):
        try:
            text = render(test.input, env, for_input=True)
        except ValueProblem as exc:
            report.add(path, test.line, f"tests[{i + 1}].input: {exc.message}", key=("test-template", i))
            continue
        verdict = grader.grade(text)
        spoke = exercise.feedback.index(verdict.rule) + 1 if verdict.rule in exercise.feedback else None
        if test.rule is not None and verdict.kind == "feedback" and spoke != test.rule:
            report.add(path, test.line, f"tests[{i + 1}]: '{text}' gets feedback[{spoke}], expected feedback[{test.rule}]"
                                        f"{when}", key=("test", i))
        elif not grader.meets(verdict, test.expect):
            detail = f" ({verdict.message})" if verdict.message and verdict.kind == "unreadable" else ""
            shown = f", read as {verdict.read_as}" if verdict.read_as else ""
            report.add(path, test.line, f"tests[{i + 1}]: '{text}' is {verdict.kind}{shown}{detail}, "
                                        f"expected {test.expect}{when}", key=("test", i))
    return same


def _answer_ok(path, exercise, grader: Grader, env, when, report) -> bool:
    answer = exercise.answer
    if answer.type == "choice":
        return True
    right = grader.right_value()
    if answer.type == "expression":
        defined = int(np.isfinite(np.broadcast_to(right, grader.points[0].shape)).sum())
        if defined < SAMPLE_POINTS:
            report.add(path, answer.line, f"answer.value is defined at only {defined} of {len(grader.points[0])} sample "
                                          f"points{when}; set answer.domain to where it is defined",
                       key=("answer-domain",))
            return False
        return True
    if not np.all(np.isfinite(right)):
        report.add(path, answer.line, f"answer.value is {value_text(right)}{when}", key=("answer",))
        return False
    return True


def _check_rules(path, exercise, grader: Grader, env, when, report) -> list[tuple[int, int]]:
    answer = exercise.answer
    names = tuple(env)
    earlier: list[tuple[int, object]] = []  # (rule number, its value here), the rules a learner's answer meets first
    same: list[tuple[int, int]] = []
    for i, rule in enumerate(exercise.feedback):
        where = f"feedback[{i + 1}]"
        if answer.type == "choice":
            if rule.when == answer.value:
                report.add(path, rule.line, f"{where}: 'when' is the right choice, so this rule never fires", "warning",
                           key=("rule-right", i))
            same_as = next((k for k, target in earlier if target == rule.when), None)
            earlier.append((i, rule.when))
        elif answer.type == "expression":
            target = evaluate(compile_value(rule.when, names, answer.variables), grader.env)
            if grader._agrees(target, grader.reference)[0]:
                report.add(path, rule.line, f"{where}: 'when' gives the right answer{when}, so the rule "
                                            "cannot fire there (choose params that tell them apart)", "warning",
                           key=("rule-right", i))
                continue
            same_as = next((k for k, other in earlier if grader._agrees(target, other)[0]), None)
            earlier.append((i, target))
        else:
            target = evaluate(compile_value(rule.when, names), env)
            if not np.all(np.isfinite(target)):
                report.add(path, rule.line, f"{where}.when is {value_text(target)}{when}", key=("rule", i))
                continue
            if np.all(close(target, grader.right, answer.rtol, answer.atol)):
                report.add(path, rule.line, f"{where}: 'when' gives the right answer{when}, so the rule "
                                            "cannot fire there (choose params that tell them apart)", "warning",
                           key=("rule-right", i))
                continue
            same_as = next((k for k, other in earlier if np.all(close(target, other, answer.rtol, answer.atol))), None)
            earlier.append((i, target))
        if same_as is not None:
            same.append((i, same_as))
    return same
