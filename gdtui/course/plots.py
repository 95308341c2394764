"""A plot block from typed values: `make_plot(PlotFields(...))` checks what the values mean together and
fills in the documented defaults, giving the `Plot` a chart draws.

Two callers: the lesson parser (`parse_plot` reads the YAML, with every field's line, then calls
`make_plot` with a `report` that puts each problem on its line), and the playground, which has its values
already typed and calls `make_plot` directly (problems then raise `PlotProblem`). So a playground chart is
checked and defaulted exactly like a lesson's, with no YAML in between. Problems are reported by field:
`report("layers", "layer 'contour' needs a function of x and y")`, `report("controls.x0", …)`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from gdtui.course.exprs import ValueProblem, compile_value
from gdtui.course.model import ALONE, INTEGER_VALUES, LAYERS, LAYERS_1D, LAYERS_2D, NUMBER_VALUES, TEXT_VALUES, Control, \
    FrozenMap, Plot
from gdtui.course.runs import DESCENT_DEFAULTS
from gdtui.engine.capacity import MAX_DEGREE
from gdtui.engine.calculus import DIFFERENCE_METHODS
from gdtui.engine.optimizers import OPTIMIZERS, SCHEDULES
from gdtui.engine.regression import METHODS as FIT_METHODS

# `method` is a difference scheme on 1-D plots and a way of batching the data on regression plots.
TEXT_CHOICES = {"optimizer": OPTIMIZERS, "method": DIFFERENCE_METHODS + FIT_METHODS, "schedule": SCHEDULES,
                "aspect": ("auto", "equal")}  # equal: as many units per dot across as up (2-D plots)
DEFAULT_LAYERS = {"1d": ("function",), "2d": ("contour",), "regression": ("data", "fit")}
# Limits on the named values: (lo, hi, lo_open, hi_open); None for no bound.
LIMITS = {
    "h": (0, None, True, False), "lr": (0, None, True, False), "steps": (1, 10_000, False, False),
    "step": (0, 10_000, False, False), "momentum": (0, 1, False, True), "beta1": (0, 1, False, True),
    "beta2": (0, 1, False, True), "alpha": (0, 1, True, False), "eps": (0, None, True, False),
    "batch_size": (1, 100_000, False, False),
    "step_size": (1, 10_000, False, False), "gamma": (0, 1, True, False), "T_max": (1, 10_000, False, False),
    "eta_min": (0, None, False, False), "decay": (0, None, False, False),
    **{f"lr_{name}": (0, None, True, False) for name in OPTIMIZERS},
    "degree": (0, MAX_DEGREE, False, False),
}
# What each layer needs: values that must be given, and defaults filled in when absent.
NEEDS = {"tangent": ("tangent_at",), "secant": ("tangent_at",), "error_vs_h": ("tangent_at",),
         "point": ("x0", "y0")}
LAYER_DEFAULTS = {"secant": {"h": 0.5}, "error_vs_h": {"method": "central"}}
KIND_LABELS = {"1d": "a 1-D plot", "2d": "a 2-D plot (f uses x and y)", "regression": "a regression plot"}

Report = Callable[[str | None, str], None]  # (field or None, message)


class PlotProblem(ValueError):
    """What is wrong with a plot made from typed values: every problem, "field: message", joined by "; "."""


@dataclass(frozen=True)
class PlotFields:
    """A plot block's fields, already typed (numbers are numbers); what was not given is left out."""

    f: str | None  # the function in the safe language (None for a regression: data.model says)
    x_range: tuple[float, float] | None
    y_range: tuple[float, float] | None = None
    layers: tuple[str, ...] | None = None  # None: the kind's default layers
    values: Mapping[str, float | int | str] = field(default_factory=dict)  # NUMBER_VALUES and TEXT_VALUES
    optimizers: tuple[str, ...] = ()
    params: Mapping[str, float] = field(default_factory=dict)
    data: Mapping | None = None  # a regression's data spec, defaults filled in
    controls: tuple[Control, ...] = ()  # step None: the default step for the range
    id: str = "plot"
    title: str | None = None
    line: int = 1
    field_lines: Mapping[str, int] = field(default_factory=dict)
    written: frozenset[str] = frozenset()  # keys the author wrote, even with a value that could not be read


def make_plot(fields: PlotFields, report: Report | None = None) -> Plot | None:
    """The plot, its defaults filled in; None after reporting problems (PlotProblem without `report`)."""
    messages: list[str] = []

    def problem(key: str | None, message: str) -> None:
        messages.append(f"{key}: {message}" if key else message)
        if report is not None:
            report(key, message)

    variables = _variables(fields, problem)
    kind = "regression" if fields.data is not None else ("2d" if variables == ("x", "y") else "1d")
    layers = _layers(fields.layers, kind, problem)
    x_range = fields.x_range or ((-3.0, 3.0) if kind == "regression" else None)
    if kind == "2d" and fields.y_range is None and "y" not in fields.written:
        problem(None, "missing 'y' (write y: [lo, hi])")
    values = dict(fields.values)
    for key in TEXT_VALUES:
        if key in values and values[key] not in choices(key, kind):
            problem(key, f"unknown {key} '{values[key]}' (expected one of {', '.join(choices(key, kind))})")
            del values[key]
    optimizers = _optimizers(fields, values, problem)
    _layer_values(fields, kind, layers, values, problem)
    if "step" in values and "steps" in values and values["step"] > values["steps"]:
        problem("step", f"step {values['step']} is beyond steps ({values['steps']})")
    controls = tuple(c for c in (_control(c, {**values, **fields.params}, problem) for c in fields.controls) if c)
    if messages or variables is None or layers is None or x_range is None or (kind == "2d" and not fields.y_range):
        if report is None:
            raise PlotProblem("; ".join(messages) or "this plot cannot be drawn")
        return None
    return Plot(line=fields.line, id=fields.id, f=fields.f or _model_function(fields.data), variables=variables,
                layers=layers, x_range=x_range, y_range=fields.y_range, values=FrozenMap(values),
                controls=controls, title=fields.title, optimizers=optimizers,
                data=None if fields.data is None else FrozenMap(fields.data),
                field_lines=FrozenMap(fields.field_lines), params=FrozenMap(fields.params))


def choices(key: str, kind: str) -> tuple[str, ...]:
    """The texts a text value may take on a plot of this kind."""
    if key == "method":
        return FIT_METHODS if kind == "regression" else DIFFERENCE_METHODS
    return TEXT_CHOICES[key]


def _variables(fields: PlotFields, problem: Report) -> tuple[str, ...] | None:
    if fields.data is not None:
        if fields.f is not None:
            problem("f", "a regression plot takes its model from data.model; remove f")
        return ("x",)
    if fields.f is None:
        return None
    try:
        expr = compile_value(fields.f, tuple(fields.params), ("x", "y"), helpers=False)
    except ValueProblem as exc:
        problem("f", exc.message)
        return None
    if expr.is_vector:
        problem("f", "f must give one number, not a list")
        return None
    return ("x", "y") if "y" in expr.names() else ("x",)


def _model_function(data: Mapping) -> str:
    """A regression's model as f: w*x + b, or c2*x**2 + c1*x + c0 for a polynomial of degree 2."""
    if data.get("model") != "polynomial":
        return "w*x + b"
    k = int(data.get("degree", 2))
    return " + ".join(f"c{i}*x**{i}" if i > 1 else ("c1*x" if i == 1 else "c0") for i in range(k, -1, -1))


def _layers(layers: tuple[str, ...] | None, kind: str, problem: Report) -> tuple[str, ...] | None:
    if layers is None:
        return DEFAULT_LAYERS[kind]
    allowed, ok = LAYERS[kind], True
    for layer in layers:
        if layer in allowed:
            continue
        ok = False
        if kind == "1d" and layer in LAYERS_2D:
            problem("layers", f"layer '{layer}' needs a function of x and y")
        elif kind == "2d" and layer in LAYERS_1D:
            problem("layers", f"layer '{layer}' is for a function of x alone")
        else:
            problem("layers", f"unknown layer '{layer}' for {KIND_LABELS[kind]} (expected one of {', '.join(allowed)})")
    if len(set(layers)) != len(layers):
        problem("layers", "a layer is listed twice")
        ok = False
    if not layers:
        problem("layers", "list at least one layer")
        ok = False
    return tuple(layers) if ok else None


def _optimizers(fields: PlotFields, values: dict, problem: Report) -> tuple[str, ...]:
    names = fields.optimizers
    if not names:
        return (values["optimizer"],) if "optimizer" in values else ()
    if "optimizer" in values:
        problem("optimizers", "give optimizer (one) or optimizers (a race), not both")
    for name in names:
        if name not in OPTIMIZERS:
            problem("optimizers", f"unknown optimizer '{name}' (expected one of {', '.join(OPTIMIZERS)})")
    if len(set(names)) != len(names):
        problem("optimizers", "list each optimizer once, at least one")
    values.setdefault("optimizer", names[0])
    return tuple(names)


def _layer_values(fields: PlotFields, kind: str, layers, values: dict, problem: Report) -> None:
    """Check each layer has what it needs; fill in the documented defaults."""
    def given(key: str) -> bool:
        return key in values or key in fields.written

    for layer in layers or ():
        for key in NEEDS.get(layer, ()):
            if not given(key):
                problem("layers", f"layer '{layer}' needs {key}: add '{key}: …' to the plot")
        for key, default in LAYER_DEFAULTS.get(layer, {}).items():
            values.setdefault(key, default)
        if layer in ALONE and len(layers) > 1:
            problem("layers", f"layer '{layer}' is a chart of its own: list it alone, and draw the others in "
                              "another plot")
        if layer == "capacity":
            data = fields.data or {}
            if not data.get("held_out"):
                problem("layers", "layer 'capacity' judges each degree on fresh points: add data.held_out (such as "
                                  "200), with data kind linear or polynomial")
            values.setdefault("degree", 1)
            if values["degree"] > int(data.get("n", 3)) - 2:
                problem("degree", f"degree {values['degree']:g} needs at least {values['degree'] + 2:g} points "
                                  f"(data.n is {int(data.get('n', 3))})")
        if layer == "graph":
            values.setdefault("step", 0)  # the walk starts with only the inputs known
        if layer in ("path", "loss", "graph") and kind != "regression":
            missing = [k for k in (("x0", "y0") if kind == "2d" else ("x0",)) if not given(k)]
            if missing:
                problem("layers", f"layer '{layer}' needs a start point: add {', '.join(k + ': …' for k in missing)}")
        if layer in ("path", "loss", "fit"):
            for key, default in DESCENT_DEFAULTS.items():
                values.setdefault(key, default)


def _control(control: Control, start: dict, problem: Report) -> Control | None:
    name, where = control.name, f"controls.{control.name}"
    if name not in start and name not in NUMBER_VALUES and name not in TEXT_VALUES:
        known = ", ".join(list(NUMBER_VALUES) + list(TEXT_VALUES) + [k for k in start if k not in NUMBER_VALUES + TEXT_VALUES])
        problem(where, f"'{name}' is not a plot value or param (expected one of {known})")
        return None
    if name not in start:
        problem(where, f"'{name}' has no starting value; add '{name}: …' to the plot")
        return None
    default = start[name]
    if name in TEXT_VALUES:
        bad = [c for c in control.choices if c not in TEXT_CHOICES[name]]
        if bad:
            problem(where, f"unknown {name} '{bad[0]}' (expected one of {', '.join(TEXT_CHOICES[name])})")
            return None
        if default not in control.choices:
            problem(where, f"the start value '{default}' is not among the choices")
            return None
        return replace(control, lo=0.0, hi=float(len(control.choices) - 1), step=1.0)
    lo, hi = control.lo, control.hi
    if control.log and lo <= 0:
        problem(where, f"a log range must be positive (got [{lo:g}, {hi:g}])")
        return None
    if not lo <= default <= hi:
        problem(where, f"the start value {default:g} is outside [{lo:g}, {hi:g}]")
        return None
    if name in INTEGER_VALUES and (lo != int(lo) or hi != int(hi)):
        problem(where, f"{name} is a whole number; use whole-number bounds")
        return None
    if control.step is None:
        step = 10 ** 0.1 if control.log else 1.0 if name in INTEGER_VALUES else nice_step((hi - lo) / 100)
        return replace(control, step=step)
    if control.log and control.step <= 1:
        problem(where, "on a log range the step is a factor greater than 1 (such as 2)")
        return None
    return control


def nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at most `raw` (0.1 for a raw step that is not a positive number)."""
    if not raw > 0 or not math.isfinite(raw):
        return 0.1
    power = 10 ** math.floor(math.log10(raw))
    return next((m * power for m in (5, 2, 1) if m * power <= raw * (1 + 1e-9)), power)
