"""Claims blocks: facts the prose states about a chart, checked by `gdtui check` with the chart's own runs;
and `rule:` in an exercise's tests, which names the feedback rule that must speak."""

from __future__ import annotations

import io
import re
from pathlib import Path

from gdtui.check import run_check
from gdtui.check.claims import check_claims
from gdtui.course.parse import claim_blocks, load_lessons, parse_lesson

ROOT = Path(__file__).resolve().parent.parent.parent
LESSONS = ROOT / "lessons" / "en"

HEAD = "---\nid: claims\ntitle: Claims\n---\nDescent on x².\n\n"
PLOT = """```plot
id: square
f: x**2
x: [-2.5, 2.5]
layers: [function, path, loss]
x0: 2
lr: 0.1
steps: 30
controls:
  lr: {range: [0.02, 1.2], step: 0.02}
```
"""


def check(tmp_path: Path, claims: str, plot: str = PLOT) -> list[str]:
    """The error lines `gdtui check` prints for a lesson of one plot and these claims (its summary dropped)."""
    path = tmp_path / "claims.md"
    path.write_text(HEAD + plot + "\n```claims\n" + claims + "```\n", encoding="utf-8")
    out = io.StringIO()
    run_check([path], out)
    return [line.split(": error: ", 1)[1] for line in out.getvalue().splitlines() if ": error: " in line]


def claim_line(tmp_path: Path, claims: str) -> int:
    """The file line of the first claim's item (the line after the ```claims fence)."""
    text = HEAD + PLOT + "\n```claims\n" + claims
    return text.splitlines().index("```claims") + 2


def test_true_claims_pass(tmp_path):
    assert check(tmp_path, "- {at: {lr: 0.5, steps: 1}, near: 0, within: 0.000001}\n"
                           "- {at: {lr: 1}, hops: [2, -2], within: 0.000001, ends: bounces}\n"
                           "- {at: {lr: [0.2, 0.48]}, ends: settles, near: 0}\n"
                           "- {at: {lr: 0.1}, ends: moves}\n"
                           "- {at: {lr: [1.02, 1.2]}, ends: diverges}\n"
                           "- {at: {lr: [0.02, 0.1]}, order: falling}\n") == []


def test_each_false_claim_is_an_error_on_its_own_line(tmp_path):
    claims = ("- {at: {lr: 0.5, steps: 1}, near: 1}\n"
              "- {at: {lr: 1}, ends: settles}\n"
              "- {at: {lr: 1}, hops: [1, -1]}\n"
              "- {at: {lr: [0.9, 1.1]}, ends: bounces}\n"
              "- {at: {lr: [0.02, 0.1]}, order: rising}\n"
              "- {at: {lr: [0.02, 0.4]}, lowest_at: {lr: 0.3}}\n")
    path = tmp_path / "claims.md"
    first = claim_line(tmp_path, claims)
    errors = check(tmp_path, claims)
    assert errors == [
        "claim: on plot 'square' at lr = 0.5, steps = 1, the run ends at 0, not within 0.01 of 1",
        "claim: on plot 'square' at lr = 1, the run keeps bouncing, not settles",
        "claim: on plot 'square' at lr = 1, the last two points are -2 and 2, not 1 and -1",
        "claim: on plot 'square' at lr = 1.02, the run diverges, not bounces",
        "claim: at lr = 0.04 the loss at the end is 0.02687, after 0.3454: not rising",
        "claim: the loss at the end is lowest at lr = 0.4, not at lr = 0.3",
    ]
    out = io.StringIO()
    run_check([path], out)
    lines = [int(m["line"]) for m in re.finditer(r"^\S+?:(?P<line>\d+): error: claim", out.getvalue(), re.M)]
    assert lines == list(range(first, first + 6))


def test_away_from_says_a_run_has_left_a_point(tmp_path):
    assert check(tmp_path, "- {at: {lr: 0.02}, away_from: 0, within: 0.5}\n") == []
    assert check(tmp_path, "- {at: {lr: 0.2}, away_from: 0, within: 0.5}\n") == [
        "claim: on plot 'square' at lr = 0.2, the run ends at 4.421e-07, within 0.5 of 0"]


def test_flat_at_names_a_stationary_point(tmp_path):
    bowl = PLOT.replace("f: x**2", "f: (x - 1)**2")
    assert check(tmp_path, "- {flat_at: 1, within: 0}\n- {flat_at: 1.004}\n", bowl) == []
    assert check(tmp_path, "- {flat_at: 1.1}\n- {flat_at: [1, 2]}\n", bowl) == [
        "claim: on plot 'square' the gradient at 1.1 is 0.2, not within 0.01 of 0",
        "claim: flat_at: give a point with one coordinate for each of x"]


def test_lowest_at_compares_to_the_figures_written(tmp_path):
    assert check(tmp_path, "- {at: {lr: [0.02, 0.4]}, lowest_at: {lr: 0.4}}\n") == []
    assert check(tmp_path, "- {at: {lr: [0.3, 0.7]}, lowest_at: {lr: 0.5}}\n") == []
    assert check(tmp_path, "- {at: {lr: [0.3, 0.7]}, lowest_at: {lr: 0.50}}\n") == []
    assert check(tmp_path, "- {at: {lr: [0.3, 0.7]}, lowest_at: {lr: 0.52}}\n") == [
        "claim: the loss at the end is lowest at lr = 0.5, not at lr = 0.52"]


def test_a_race_names_its_runner(tmp_path):
    race = PLOT.replace("x0: 2\n", "x0: 2\noptimizers: [sgd, momentum]\nmomentum: 0.9\n")
    assert check(tmp_path, "- {racer: momentum, near: 0, within: 0.5}\n- {racer: sgd, ends: moves, near: 0}\n", race) == []
    assert check(tmp_path, "- {racer: adam, near: 0}\n", race) == [
        "claim: racer: 'adam' is not in the race of plot 'square' (sgd, momentum)"]


def test_claims_that_cannot_be_read_say_what_to_do(tmp_path):
    assert check(tmp_path, "- {at: {lr: [0.03, 0.1]}, ends: settles}\n"
                           "- {at: {eta: 0.1}, ends: settles}\n"
                           "- {plot: nowhere, ends: settles}\n"
                           "- {ends: stops}\n"
                           "- {colour: red}\n"
                           "- just words\n") == [
        "claim: at: the control lr of plot 'square' cannot be set to 0.03",
        "claim: at: 'eta' is not a value of plot 'square' (x0, lr, steps, optimizer)",
        "claim: plot: no plot has the id 'nowhere' (plots are square)",
        "claim: ends: expected one of settles, bounces, moves, diverges, got stops",
        "claim: unknown key 'colour' (expected one of plot, at, racer, ends, near, within, hops, lowest_at, "
        "order, largest_miss, except, curve, away_from, flat_at)",
        "claim: write each claim as a mapping, such as {at: {lr: 0.5}, ends: settles}",
    ]


def test_a_fit_and_a_capacity_chart(tmp_path):
    fit = """```plot
id: mae
data:
  points: [[-2, 4.2], [-1.5, 2.52], [-1, 1.65], [-0.5, 0.42], [0, 0.1], [0.5, -0.52], [1, 6], [1.5, -0.48], [2, 0.1]]
  model: polynomial
  degree: 2
  loss: mae
x: [-2.2, 2.2]
layers: [data, fit]
lr: 0.05
steps: 2000
```
"""
    assert check(tmp_path, "- {largest_miss: 0.3, except: [[1, 6]]}\n", fit) == []
    assert check(tmp_path, "- {largest_miss: 0.3}\n", fit) == ["claim: on plot 'mae', the fit's largest miss is 6.506, "
                                                             "not about 0.3"]
    race = """```plot
id: methods
data: {kind: linear, n: 100, seed: 42, w: 2, b: 1, noise: 1, method: minibatch}
layers: [loss]
lr: 0.16
steps: 20
```
"""
    assert check(tmp_path, "- {racer: batch, curve: falls}\n- {racer: stochastic, curve: bounces}\n", race) == []
    assert check(tmp_path, "- {racer: stochastic, curve: falls}\n- {racer: newton, curve: falls}\n", race) == [
        "claim: on plot 'methods', the loss curve bounces, not falls",
        "claim: racer: 'newton' is not a method plot 'methods' fits (batch, stochastic, minibatch)"]
    capacity = """```plot
id: degrees
data: {kind: polynomial, n: 12, held_out: 200, noise: 0.6, seed: 3}
x: [-3, 3]
layers: [data, capacity]
degree: 1
controls: {degree: [0, 10]}
```
"""
    assert check(tmp_path, "- {at: {degree: [0, 10]}, lowest_at: {degree: 2}}\n", capacity) == []
    assert check(tmp_path, "- {at: {degree: [0, 10]}, lowest_at: {degree: 4}}\n", capacity) == [
        "claim: the held-out error is lowest at degree = 2, not at degree = 4"]


def test_learners_never_see_a_claims_block(tmp_path):
    path = tmp_path / "claims.md"
    path.write_text(HEAD + PLOT + "\n```claims\n- {at: {lr: 1}, ends: bounces}\n```\n\nAfter.\n", encoding="utf-8")
    lesson, errors = parse_lesson(path)
    assert errors == [] and lesson is not None
    prose = " ".join(getattr(block, "text", "") for block in lesson.blocks)
    assert "After." in prose and "ends: bounces" not in prose and "claims" not in prose


def test_the_bundled_course_states_its_chart_facts_as_claims_and_they_hold():
    course = load_lessons(sorted(LESSONS.glob("*.md")))
    counted = {}
    for lesson in course.lessons:
        text = lesson.path.read_text(encoding="utf-8")
        counted[lesson.path.name[:2]] = len(claim_blocks(text.splitlines()))
        assert check_claims(lesson, text) == [], lesson.path.name
    # the facts the audit found hand-typed: the η ranges (12), η sgd = 0.09 (13), about 0.03 (16), the |x|
    # hops and c = −1 (17), within about 0.3 and degree 2 (10); and the regimes of lessons 6, 8, 9 and 15
    assert {k for k, n in counted.items() if n} >= {"06", "08", "09", "10", "12", "13", "15", "16", "17"}


def test_a_test_may_name_the_rule_that_must_speak(tmp_path):
    exercise = """```exercise
id: square
prompt: What is f'({a}) for f(x) = x²?
params:
  a: {choose: [3, 4, 5]}
answer: {type: number, value: 2*a}
hints: [The derivative of x² is 2x.]
feedback:
  - {when: a**2, say: "That is f, not its slope."}
  - {when: a, say: You dropped the factor 2.}
solution: "2·{a}"
tests:
  - {input: "{a**2}", expect: feedback, rule: 1}
  - {input: "{a}", expect: feedback, rule: RULE}
```
"""
    path = tmp_path / "rules.md"
    path.write_text(HEAD + exercise.replace("RULE", "2"), encoding="utf-8")
    out = io.StringIO()
    assert run_check([path], out) == 0, out.getvalue()
    path.write_text(HEAD + exercise.replace("RULE", "1"), encoding="utf-8")
    out = io.StringIO()
    assert run_check([path], out) == 1
    assert "tests[2]: '3' gets feedback[2], expected feedback[1] (when a = 3) (and in 2 more variants)" in out.getvalue()
    path.write_text(HEAD + exercise.replace("RULE", "3"), encoding="utf-8")
    out = io.StringIO()
    assert run_check([path], out) == 1
    assert "rule: 3 is out of range" in out.getvalue()
