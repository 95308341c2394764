"""The bundled course, walked end to end: it parses cleanly, every chart draws at the app's sizes, and every
exercise's own reference answer is graded correct for several learners' variants."""

import re

import pytest

from gdtui.charts import ChartTheme, render_plot, status_line
from gdtui.course.exprs import number_text, value_text
from gdtui.course.grading import Grader
from gdtui.course.parse import load_course
from gdtui.course.variants import variant_params
from gdtui.paths import bundled_lessons

COURSE = load_course(bundled_lessons("en"))
LESSONS = COURSE.lessons
LEARNERS = ("ada", "grace", "linus", "margaret")
EXERCISES = [(lesson, ex) for lesson in LESSONS for ex in lesson.exercises]
PLOTS = [(lesson, plot) for lesson in LESSONS for plot in lesson.plots]


def test_the_course_loads_without_errors():
    assert LESSONS, "no lessons in the bundled course"
    assert [str(e) for e in COURSE.errors] == []


def test_lessons_are_numbered_in_order():
    assert [lesson.order for lesson in LESSONS] == sorted(lesson.order for lesson in LESSONS)


def test_the_course_has_at_least_seventeen_lessons_in_distinct_orders():
    assert len(LESSONS) >= 17
    assert len({lesson.order for lesson in LESSONS}) == len(LESSONS), "two lessons share an order"


def test_every_lesson_has_a_chart_and_three_exercises():
    for lesson in LESSONS:
        assert lesson.plots, f"{lesson.id} has no plot"
        assert len(lesson.exercises) >= 3, f"{lesson.id} has fewer than three exercises"
        assert all(exercise.tests for exercise in lesson.exercises), f"{lesson.id} has an exercise without tests"


def test_every_lesson_after_the_first_requires_only_earlier_lessons():
    order = {lesson.id: lesson.order for lesson in LESSONS}
    for lesson in LESSONS[1:]:
        assert lesson.requires, f"{lesson.id} requires nothing"
        for needed in lesson.requires:
            assert order[needed] < lesson.order, f"{lesson.id} requires the later lesson {needed}"


@pytest.mark.parametrize("width,height", [(76, 14), (116, 28)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lesson,plot", PLOTS, ids=[f"{l.id}/{p.id}" for l, p in PLOTS])
def test_every_chart_draws(lesson, plot, width, height):
    values = plot.start_values()
    for colour in (True, False):
        text = render_plot(plot, values, width, height, ChartTheme(dark=True, colour=colour))
        lines = text.plain.splitlines()
        assert len(lines) >= height - 2, f"{lesson.id}/{plot.id} drew only {len(lines)} lines"
        assert max(len(line) for line in lines) <= width
        assert "undefined" not in text.plain.lower()
    assert status_line(plot, values)


def reference_input(exercise, params):
    """What a learner who knows the answer would type for this variant."""
    answer = exercise.answer
    grader = Grader(exercise, params)
    if answer.type == "choice":
        return grader.right_value()
    if answer.type == "expression":
        text = answer.value
        for name, value in params.items():
            text = re.sub(rf"(?<![\w.]){name}(?!\w)", number_text(value, for_input=True), text)
        return text
    return value_text(grader.right_value())


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=[f"{l.id}/{e.id}" for l, e in EXERCISES])
def test_reference_answers_grade_correct_for_several_learners(lesson, exercise):
    for learner in LEARNERS:
        params = variant_params(exercise, lesson.id, learner, 0)
        typed = reference_input(exercise, params)
        verdict = Grader(exercise, params).grade(typed)
        assert verdict.kind == "correct", f"{learner}: {typed!r} was {verdict.kind}: {verdict.message}"
