"""Exercise variants: the params a learner gets, drawn from a seed that never changes.

The seed is SHA-256 of (learner, lesson id, exercise id, variant number) — not Python's `hash()`, which
changes between runs — and feeds numpy's PCG64 bit generator. Values come from its raw 64-bit stream
(`random_raw`), which numpy guarantees stays the same across versions, so a learner's variant 3 of an
exercise is the same numbers forever. "New variant" is variant n + 1. The stream is computed by
gdtui.course.pcg64, the same numbers without importing numpy.random into every session.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Sequence

from gdtui.course import pcg64
from gdtui.course.exprs import compile_value, evaluate
from gdtui.course.model import Exercise, ParamSpec
from gdtui.course.parse_exercise import range_values

ENUMERATE_LIMIT = 500  # check every variant when there are at most this many
SAMPLE_COUNT = 50  # otherwise check this many drawn ones
CHECK_LEARNER = "gdtui-check"


def variant_seed(learner: str, lesson_id: str, exercise_id: str, variant: int) -> int:
    """A 64-bit seed from the four names; the same inputs give the same seed on every machine, forever."""
    key = "\x1f".join((str(learner), str(lesson_id), str(exercise_id), str(int(variant))))
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def draw_params(params: Sequence[ParamSpec], seed: int) -> dict[str, float]:
    """One value per param, in the order declared (a `value` param is computed from those above it)."""
    raw = pcg64.raw(seed, max(1, len(params)))  # = np.random.PCG64(seed).random_raw(…)
    env: dict[str, float] = {}
    for spec, word in zip(params, raw):
        word = int(word)
        if spec.kind == "choose":
            env[spec.name] = float(spec.choices[word % len(spec.choices)])
        elif spec.kind == "int":
            env[spec.name] = float(int(spec.lo) + word % (int(spec.hi) - int(spec.lo) + 1))
        elif spec.kind == "range" and spec.step is not None:
            values = range_values(spec)
            env[spec.name] = float(values[word % len(values)])
        elif spec.kind == "range":
            unit = (word >> 11) * 2.0 ** -53  # uniform in [0, 1)
            env[spec.name] = _three_digits(spec.lo + unit * (spec.hi - spec.lo))
        else:
            env[spec.name] = derived(spec, env)
    return env


def variant_params(exercise: Exercise, lesson_id: str, learner: str, variant: int) -> dict[str, float]:
    """The params of one learner's variant of an exercise."""
    return draw_params(exercise.params, variant_seed(learner, lesson_id, exercise.id, variant))


def derived(spec: ParamSpec, env: dict[str, float]) -> float:
    return float(evaluate(compile_value(spec.expr, tuple(env)), env))


def _three_digits(v: float) -> float:
    """A continuous draw rounded to 3 significant digits, so prompts stay readable."""
    return float(f"{v:.3g}") if v != 0 else 0.0


def space_size(params: Sequence[ParamSpec]) -> int | None:
    """How many variants there are, or None when a param is continuous."""
    size = 1
    for spec in params:
        if not spec.finite:
            return None
        if spec.kind in ("choose", "int", "range"):
            size *= len(_values(spec))
    return size


def has_variants(exercise: Exercise) -> bool:
    """Whether "new numbers" can give this exercise other numbers (some param has a choice of values)."""
    return space_size(exercise.params) != 1


def _values(spec: ParamSpec) -> tuple[float, ...]:
    if spec.kind == "choose":
        return tuple(dict.fromkeys(spec.choices))
    if spec.kind == "int":
        return tuple(float(v) for v in range(int(spec.lo), int(spec.hi) + 1))
    return range_values(spec)


def variants_to_check(exercise: Exercise, lesson_id: str) -> Iterator[dict[str, float]]:
    """Every variant when there are at most ENUMERATE_LIMIT, else SAMPLE_COUNT drawn ones."""
    size = space_size(exercise.params)
    if size is not None and size <= ENUMERATE_LIMIT:
        free = [spec for spec in exercise.params if spec.kind != "value"]
        for combo in itertools.product(*(_values(spec) for spec in free)):
            chosen = dict(zip((spec.name for spec in free), combo))
            env: dict[str, float] = {}
            for spec in exercise.params:
                env[spec.name] = float(chosen[spec.name]) if spec.name in chosen else derived(spec, env)
            yield env
        return
    for n in range(SAMPLE_COUNT):
        yield variant_params(exercise, lesson_id, CHECK_LEARNER, n)
