"""In the bundled course, every number and vector answer takes the right value rounded to the figures the
exercise asks for (written with its trailing zeros, as a learner rounds: `1.00`, `1.53e-05`), in every
variant `gdtui check` looks at; answers the author gave a tolerance (`rtol`/`atol`) are the author's call."""

from __future__ import annotations

import numpy as np

from gdtui.course.grading import Grader
from gdtui.course.parse import load_course
from gdtui.course.variants import variants_to_check
from gdtui.paths import bundled_lessons


def test_every_rounded_answer_is_right_in_every_variant():
    course = load_course(bundled_lessons("en"))
    refused, count = [], 0
    for lesson in course.lessons:
        for exercise in lesson.exercises:
            answer = exercise.answer
            if answer.type not in ("number", "vector") or answer.digits is None:
                continue
            for env in variants_to_check(exercise, lesson.id):
                grader = Grader(exercise, env)
                typed = [f"{v:#.{answer.digits}g}" for v in np.ravel(grader.right_value())]
                text = typed[0] if answer.type == "number" else "[" + ", ".join(typed) + "]"
                count += 1
                if not grader.grade(text).correct:
                    refused.append(f"{lesson.id}/{exercise.id}: {text}")
    assert count > 100
    assert not refused, refused
