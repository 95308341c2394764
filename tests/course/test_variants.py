"""Variants: seeded from (learner, lesson, exercise, variant) with SHA-256, stable forever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gdtui.course.parse import parse_lesson
from gdtui.course.session import ExerciseSession
from gdtui.course.variants import (
    ENUMERATE_LIMIT, SAMPLE_COUNT, draw_params, has_variants, space_size, variant_params, variant_seed,
    variants_to_check,
)

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = DATA.parent.parent


def lesson():
    found, errors = parse_lesson(DATA / "good.md")
    assert errors == []
    return found


def exercise(params: str):
    text = ("---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\nparams:\n" + params +
            "\nanswer: {type: number, value: 1}\n```\n")
    found, errors = parse_lesson(Path("t.md"), text)
    assert errors == [], errors
    return found.exercises[0]


def test_seed_is_sha256_of_the_four_names_pinned():
    # pinned: changing these would give every learner different numbers
    assert variant_seed("alice", "derivative-basics", "slope-of-square", 0) == 8333064135582611326


def test_pinned_draws_for_the_good_sample():
    l = lesson()
    slope, gradient = l.exercise("slope-at-a"), l.exercise("gradient")
    assert [variant_params(slope, l.id, "alice", n) for n in range(3)] == [{"a": 1.5}, {"a": 1.5}, {"a": -1.5}]
    assert [variant_params(gradient, l.id, "alice", n) for n in range(3)] == [
        {"a": 1.0, "b": 1.5}, {"a": 2.0, "b": -0.5}, {"a": 3.0, "b": 0.0}]


def test_same_inputs_same_params_in_a_fresh_interpreter():
    code = ("from pathlib import Path; from gdtui.course.parse import parse_lesson; "
            "from gdtui.course.variants import variant_params; "
            f"l, _ = parse_lesson(Path({str(DATA / 'good.md')!r})); e = l.exercise('gradient'); "
            "print([variant_params(e, l.id, 'carol', n) for n in range(5)])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in (1, 2)}
    assert len(runs) == 1
    l = lesson()
    assert runs.pop().strip() == str([variant_params(l.exercise("gradient"), l.id, "carol", n) for n in range(5)])


def test_different_learners_get_different_variants():
    ex = exercise("  a: {int: [1, 1000]}\n  b: {range: [0, 1]}")
    draws = {tuple(variant_params(ex, "t", f"learner{i}", 0).values()) for i in range(50)}
    assert len(draws) == 50
    again = {tuple(variant_params(ex, "t", f"learner{i}", 0).values()) for i in range(50)}
    assert draws == again


def test_draws_respect_each_kind():
    ex = exercise("  a: {choose: [-1, 0.5, 2]}\n  n: {int: [2, 5]}\n  s: {range: [0, 1], step: 0.1}\n"
                  "  u: {range: [-3, 3]}\n  d: {value: a*n + s}")
    for v in range(200):
        p = variant_params(ex, "t", "alice", v)
        assert p["a"] in (-1, 0.5, 2) and p["n"] in (2, 3, 4, 5)
        assert p["s"] in [round(k / 10, 12) for k in range(11)]
        assert -3 <= p["u"] <= 3 and p["u"] == float(f"{p['u']:.3g}")
        assert p["d"] == p["a"] * p["n"] + p["s"]


def test_enumeration_when_finite_else_sampling():
    small = exercise("  a: {choose: [1, 2, 3]}\n  b: {int: [0, 4]}\n  c: {value: a + b}")
    assert space_size(small.params) == 15
    every = list(variants_to_check(small, "t"))
    assert len(every) == 15 and {(p["a"], p["b"]) for p in every} == {(a, b) for a in (1, 2, 3) for b in range(5)}
    assert all(p["c"] == p["a"] + p["b"] for p in every)
    big = exercise("  a: {int: [1, 100]}\n  b: {int: [1, 100]}")
    assert space_size(big.params) == 10_000 > ENUMERATE_LIMIT
    assert len(list(variants_to_check(big, "t"))) == SAMPLE_COUNT
    continuous = exercise("  a: {range: [0, 1]}")
    assert space_size(continuous.params) is None
    assert len(list(variants_to_check(continuous, "t"))) == SAMPLE_COUNT


def test_no_params_is_one_variant():
    assert draw_params((), 123) == {}
    assert space_size(()) == 1


def test_new_variant_is_the_next_one_with_different_numbers():
    ex = exercise("  a: {choose: [1, 2]}")
    s = ExerciseSession(ex, "t", "alice")
    seen = [s.params["a"]]
    for _ in range(5):
        s.new_variant()
        assert s.params["a"] != seen[-1]
        assert s.params == variant_params(ex, "t", "alice", s.variant)
        seen.append(s.params["a"])


def test_an_exercise_has_variants_when_some_param_has_a_choice():
    assert not has_variants(exercise("  a: {choose: [1.5]}"))
    assert not has_variants(exercise("  a: {choose: [2, 2]}"))  # the same number twice is one choice
    assert not has_variants(exercise("  a: {choose: [2]}\n  b: {value: 2*a}"))
    assert has_variants(exercise("  a: {choose: [1, 2]}"))
    assert has_variants(exercise("  a: {int: [1, 4]}"))
    assert has_variants(exercise("  a: {range: [0, 1]}"))  # drawn from a continuum
