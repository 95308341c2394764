"""A lesson as data: frozen dataclasses that remember the file line of every block and field.

The parser (`gdtui.course.parse`) builds these; screens, charts and the checker only read them.
Every `Plot` and `Exercise` inside a `Lesson` has passed validation: a block with errors is left out of
the lesson and reported as a `CourseError` instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

# Plot layers, by the kind of plot they belong to.
LAYERS_1D = ("function", "derivative", "second_derivative", "tangent", "secant", "path", "loss", "error_vs_h",
             "graph")
LAYERS_2D = ("contour", "gradient_field", "point", "path", "loss", "graph")
ALONE = ("graph",)  # layers that are a chart of their own: a computational graph has no axes to share
LAYERS_REGRESSION = ("data", "fit", "loss", "capacity")
LAYERS = {"1d": LAYERS_1D, "2d": LAYERS_2D, "regression": LAYERS_REGRESSION}

# Named values a plot may set (and a control may make live).
NUMBER_VALUES = ("tangent_at", "h", "x0", "y0", "lr", "steps", "step", "momentum", "beta1", "beta2",
                 "alpha", "eps", "batch_size",
                 "step_size", "gamma", "T_max", "eta_min", "decay",  # the schedule's options (PyTorch's names)
                 # one optimizer's own η in a race (the others use lr)
                 "lr_sgd", "lr_momentum", "lr_nesterov", "lr_adagrad", "lr_rmsprop", "lr_adam",
                 "degree")  # the capacity layer's chosen polynomial degree
INTEGER_VALUES = ("steps", "step", "batch_size", "step_size", "T_max", "degree")
TEXT_VALUES = ("optimizer", "method", "schedule", "aspect")

# What an exercise may set on a chart: `guess` is the learner's answer, drawn as a point.
GUESS = "guess"

ANSWER_TYPES = ("number", "vector", "expression", "choice")
VERDICT_KINDS = ("correct", "close", "incorrect", "feedback", "unreadable")
DEFAULT_DIGITS = 3  # significant figures a typed decimal needs (see course/precision.py)
DEFAULT_RTOL, DEFAULT_ATOL = 1e-4, 1e-9  # the tight tolerance for exact forms


class FrozenMap(Mapping):
    """A small immutable, hashable mapping that keeps insertion order."""

    __slots__ = ("_items", "_index")

    def __init__(self, items: Mapping | Any = ()) -> None:
        pairs = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
        self._items = pairs
        self._index = dict(pairs)

    def __getitem__(self, key):
        return self._index[key]

    def __iter__(self) -> Iterator:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other) -> bool:
        if isinstance(other, Mapping):
            return dict(self._index) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._index!r})"


@dataclass(frozen=True)
class CourseError:
    """A problem in a lesson file, at a line a person can go to."""

    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" or "warning" (the parser only makes errors; `gdtui check` adds warnings)
    column: int | None = None  # 1-based, where known (YAML syntax errors)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Prose:
    """Markdown between the blocks. `text` has its `$…$` maths turned into Unicode; `source` is as written."""

    text: str
    line: int
    source: str = ""


@dataclass(frozen=True)
class Control:
    """A plot value the learner may change live. For a log control `step` is a factor (value × step)."""

    name: str
    lo: float
    hi: float
    step: float | None
    log: bool = False
    choices: tuple[str, ...] = ()  # for text values (optimizer, method): the choices offered; lo/hi unused
    line: int = 0


@dataclass(frozen=True)
class Plot:
    """A chart: a function, its range, the layers to draw and the values (some live) they need."""

    line: int
    id: str
    f: str
    variables: tuple[str, ...]
    layers: tuple[str, ...]
    x_range: tuple[float, float]
    y_range: tuple[float, float] | None
    values: Mapping[str, Union[float, int, str]]
    controls: tuple[Control, ...]
    title: str | None
    optimizers: tuple[str, ...]
    data: Mapping | None
    field_lines: Mapping[str, int]
    params: Mapping[str, float] = field(default_factory=FrozenMap)  # free symbols of f, with start values

    @property
    def kind(self) -> str:
        """One of "1d", "2d" or "regression"."""
        if self.data is not None:
            return "regression"
        return "2d" if len(self.variables) == 2 else "1d"

    def start_values(self) -> dict[str, Union[float, int, str]]:
        """Everything a control can change, at its starting value: the plot values and the params of f."""
        return {**self.values, **self.params}


@dataclass(frozen=True)
class ParamSpec:
    """How one exercise parameter is drawn: choose / int / range (with or without step) / value (derived)."""

    name: str
    kind: str  # "choose", "int", "range", "value"
    line: int
    choices: tuple[float, ...] = ()
    lo: float = 0.0
    hi: float = 0.0
    step: float | None = None
    expr: str = ""  # for kind "value": an expression over the params declared before it

    @property
    def finite(self) -> bool:
        return self.kind in ("choose", "int", "value") or (self.kind == "range" and self.step is not None)


@dataclass(frozen=True)
class Answer:
    """The right answer. `value` is text in the safe expression language over the params
    (and `variables` for an expression answer); for a choice answer it is the right choice's text."""

    type: str
    value: str
    line: int
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    digits: int | None = DEFAULT_DIGITS  # None: the author set rtol/atol, and the tolerance alone decides
    variables: tuple[str, ...] = ()
    domain: tuple[tuple[float, float], ...] = ()  # expression answers: one (lo, hi) per variable
    choices: tuple[str, ...] = ()
    correct: int | None = None  # choice answers: index of the right choice
    size: int | None = None  # vector answers: number of components


@dataclass(frozen=True)
class Hint:
    text: str
    line: int
    after: int = 0  # wrong attempts needed before this hint unlocks


@dataclass(frozen=True)
class FeedbackRule:
    """When a wrong answer equals `when` (same type and tolerance as the answer), say `say`."""

    when: str
    say: str
    line: int


@dataclass(frozen=True)
class TestCase:
    """An author's self-test: `input` (a template) must get the verdict `expect` (from rule number `rule`)."""

    __test__ = False  # not a pytest class

    input: str
    expect: str
    line: int
    rule: int | None = None  # with expect: feedback, the number of the rule that must speak (1 is the first)


@dataclass(frozen=True)
class ChartValue:
    """One value an exercise sets on a chart: `expr` is an expression over the params (and, in
    `answered`, over `answer`, the learner's number or vector, and its components `answer_1`, …)."""

    name: str
    expr: str
    line: int


@dataclass(frozen=True)
class ChartLink:
    """An exercise driving a plot of its lesson: `shown` values are set when the exercise is shown (and
    for each new variant), `answered` ones when the learner checks an answer the tutor can read, `solved`
    ones once the exercise is solved or the learner gives up (the truth, after the learner's own try)."""

    plot: str
    line: int
    shown: tuple[ChartValue, ...] = ()
    answered: tuple[ChartValue, ...] = ()
    solved: tuple[ChartValue, ...] = ()


@dataclass(frozen=True)
class Exercise:
    line: int
    id: str
    prompt: str
    params: tuple[ParamSpec, ...]
    answer: Answer
    hints: tuple[Hint, ...]
    feedback: tuple[FeedbackRule, ...]
    solution: str | None
    tests: tuple[TestCase, ...]
    field_lines: Mapping[str, int]
    title: str | None = None
    chart: ChartLink | None = None
    moved_from: str | None = None  # the lesson id it lived in before; stored progress there follows it

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


Block = Union[Prose, Plot, Exercise]


@dataclass(frozen=True)
class Lesson:
    path: Path
    id: str
    title: str
    order: int
    objectives: tuple[str, ...]
    lang: str
    requires: tuple[str, ...]
    blocks: tuple[Block, ...]
    line: int = 1
    field_lines: Mapping[str, int] = field(default_factory=FrozenMap)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Exercise))

    @property
    def plots(self) -> tuple[Plot, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Plot))

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


@dataclass(frozen=True)
class Course:
    lessons: tuple[Lesson, ...]
    errors: tuple[CourseError, ...]

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)
