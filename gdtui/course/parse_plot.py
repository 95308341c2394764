"""Read a ```plot block (already YAML with lines) into a `Plot`, or report what is wrong."""

from __future__ import annotations

import math

from gdtui.course.exprs import CONSTANTS, KNOWN_FUNCTIONS, ValueProblem, compile_value
from gdtui.course.fields import Fields, Problems, constant, read_pair, type_name
from gdtui.course.model import (
    INTEGER_VALUES, LAYERS, LAYERS_1D, LAYERS_2D, NUMBER_VALUES, TEXT_VALUES, Control, FrozenMap, Plot,
)
from gdtui.course.parse_exercise import NAME_PATTERN, field_lines
from gdtui.course.yamlines import YMap
from gdtui.engine.calculus import DIFFERENCE_METHODS
from gdtui.engine.optimizers import OPTIMIZERS, SCHEDULES

PLOT_KEYS = ("id", "title", "f", "x", "y", "layers", "params", "controls", "data", "optimizers") + \
    NUMBER_VALUES + TEXT_VALUES
DATA_KEYS = ("kind", "n", "seed", "w", "b", "noise", "coefs", "points", "x", "y", "model", "degree", "loss", "method")
DATA_KINDS = ("linear", "polynomial", "points")
CONTROL_KEYS = ("range", "step", "log")
FIT_METHODS = ("batch", "stochastic", "minibatch")  # gdtui.engine.regression.METHODS
# `method` is a difference scheme on 1-D plots and a way of batching the data on regression plots.
TEXT_CHOICES = {"optimizer": OPTIMIZERS, "method": DIFFERENCE_METHODS + FIT_METHODS, "schedule": SCHEDULES,
                "aspect": ("auto", "equal")}  # equal: as many units per dot across as up (2-D plots)


def _choices(key: str, kind: str) -> tuple[str, ...]:
    if key == "method":
        return FIT_METHODS if kind == "regression" else DIFFERENCE_METHODS
    return TEXT_CHOICES[key]
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
}
# What each layer needs: values that must be given, and defaults filled in when absent.
NEEDS = {"tangent": ("tangent_at",), "secant": ("tangent_at",), "error_vs_h": ("tangent_at",),
         "point": ("x0", "y0")}
DESCENT_DEFAULTS = {"lr": 0.1, "steps": 50, "optimizer": "sgd"}
LAYER_DEFAULTS = {"secant": {"h": 0.5}, "error_vs_h": {"method": "central"}}


def parse_plot(data, line: int, number: int, problems: Problems) -> Plot | None:
    if not isinstance(data, YMap):
        problems.add(line, f"a plot block holds 'key: value' lines (f, x, layers…), got {type_name(data)}")
        return None
    before = len(problems)
    p = Fields(data, "", problems)
    p.check_keys(PLOT_KEYS)
    plot_id = p.text("id") or f"plot-{number}"
    regression = p.has("data")
    params = _params(p, problems)
    data_spec = _data(p, problems) if regression else None

    f_text, variables = _function(p, params, regression)
    kind = "regression" if regression else ("2d" if variables == ("x", "y") else "1d")
    layers = _layers(p, kind)
    x_range = p.pair("x", required=kind != "regression") or ((-3.0, 3.0) if kind == "regression" else None)
    y_range = p.pair("y", required=kind == "2d")

    values: dict[str, float | int | str] = {}
    for key in NUMBER_VALUES:
        limits = LIMITS.get(key, (None, None, False, False))
        value = p.number(key, integer=key in INTEGER_VALUES, lo=limits[0], hi=limits[1],
                         lo_open=limits[2], hi_open=limits[3])
        if value is not None:
            values[key] = value
    for key in TEXT_VALUES:
        text = p.text(key)
        if text is not None:
            if text not in _choices(key, kind):
                p.error(key, f"unknown {key} '{text}' (expected one of {', '.join(_choices(key, kind))})")
            else:
                values[key] = text
    optimizers = _optimizers(p, values)
    _layer_values(p, kind, layers, values)
    if not optimizers and "optimizer" in values:
        optimizers = (values["optimizer"],)
    if "step" in values and "steps" in values and values["step"] > values["steps"]:
        p.error("step", f"step {values['step']} is beyond steps ({values['steps']})")
    controls = _controls(p, {**values, **params}, problems)

    if len(problems) > before or f_text is None or layers is None or x_range is None:
        return None
    if kind == "2d" and y_range is None:
        return None
    return Plot(line=line, id=plot_id, f=f_text, variables=variables, layers=layers, x_range=x_range,
                y_range=y_range, values=FrozenMap(values), controls=controls, title=p.text("title"),
                optimizers=optimizers, data=data_spec, field_lines=FrozenMap(field_lines(data)),
                params=FrozenMap(params))


def _params(p: Fields, problems: Problems) -> dict[str, float]:
    block = p.mapping("params")
    out: dict[str, float] = {}
    if block is None:
        return out
    for name, value in block.data.items():
        if (not NAME_PATTERN.fullmatch(name) or name in ("x", "y") or name in KNOWN_FUNCTIONS
                or name in CONSTANTS or name in PLOT_KEYS):
            block.error(None, f"'{name}' cannot be a param name (x and y are the variables; plot keys, "
                              "functions and constants are taken)")
            continue
        try:
            out[name] = constant(block.data.raw.get(name), value)
        except ValueProblem as exc:
            problems.add(block.line(name), f"params.{name}: {exc.message} (a param's start value)")
    return out


def _function(p: Fields, params: dict[str, float], regression: bool) -> tuple[str | None, tuple[str, ...]]:
    if regression:
        if p.has("f"):
            p.error("f", "a regression plot takes its model from data.model; remove f")
        degree = None if not isinstance(p.data.get("data"), dict) else p.data["data"].get("degree")
        model = p.data["data"].get("model") if isinstance(p.data.get("data"), dict) else None
        if model == "polynomial":
            k = int(degree) if isinstance(degree, int) else 2
            terms = [f"c{i}*x**{i}" if i > 1 else ("c1*x" if i == 1 else "c0") for i in range(k, -1, -1)]
            return " + ".join(terms), ("x",)
        return "w*x + b", ("x",)
    text = p.expression("f", required=True)
    if text is None:
        return None, ("x",)
    try:
        expr = compile_value(text, tuple(params), ("x", "y"), helpers=False)
    except ValueProblem as exc:
        p.error("f", exc.message)
        return None, ("x",)
    if expr.is_vector:
        p.error("f", "f must give one number, not a list")
        return None, ("x",)
    names = expr.names()
    return text, ("x", "y") if "y" in names else ("x",)


def _layers(p: Fields, kind: str) -> tuple[str, ...] | None:
    if not p.has("layers"):
        return DEFAULT_LAYERS[kind]
    layers = p.text_list("layers")
    if layers is None:
        return None
    allowed = LAYERS[kind]
    label = {"1d": "a 1-D plot", "2d": "a 2-D plot (f uses x and y)", "regression": "a regression plot"}[kind]
    ok = True
    for layer in layers:
        if layer in allowed:
            continue
        ok = False
        if kind == "1d" and layer in LAYERS_2D:
            p.error("layers", f"layer '{layer}' needs a function of x and y")
        elif kind == "2d" and layer in LAYERS_1D:
            p.error("layers", f"layer '{layer}' is for a function of x alone")
        else:
            p.error("layers", f"unknown layer '{layer}' for {label} (expected one of {', '.join(allowed)})")
    if len(set(layers)) != len(layers):
        p.error("layers", "a layer is listed twice")
        ok = False
    if not layers:
        p.error("layers", "list at least one layer")
        ok = False
    return tuple(layers) if ok else None


def _optimizers(p: Fields, values: dict) -> tuple[str, ...]:
    if not p.has("optimizers"):
        return (values["optimizer"],) if "optimizer" in values else ()
    names = p.text_list("optimizers")
    if names is None:
        return ()
    if "optimizer" in values:
        p.error("optimizers", "give optimizer (one) or optimizers (a race), not both")
    for name in names:
        if name not in OPTIMIZERS:
            p.error("optimizers", f"unknown optimizer '{name}' (expected one of {', '.join(OPTIMIZERS)})")
    if not names or len(set(names)) != len(names):
        p.error("optimizers", "list each optimizer once, at least one")
    if names:
        values.setdefault("optimizer", names[0])
    return tuple(names)


def _layer_values(p: Fields, kind: str, layers, values: dict) -> None:
    """Check each layer has what it needs; fill in the documented defaults."""
    for layer in layers or ():
        for key in NEEDS.get(layer, ()):
            if key not in values and not p.has(key):
                p.error("layers", f"layer '{layer}' needs {key}: add '{key}: …' to the plot")
        for key, default in LAYER_DEFAULTS.get(layer, {}).items():
            values.setdefault(key, default)
        if layer in ("path", "loss") and kind != "regression":
            starts = ("x0", "y0") if kind == "2d" else ("x0",)
            missing = [k for k in starts if k not in values and not p.has(k)]
            if missing:
                p.error("layers", f"layer '{layer}' needs a start point: add {', '.join(k + ': …' for k in missing)}")
        if layer in ("path", "loss", "fit"):
            for key, default in DESCENT_DEFAULTS.items():
                values.setdefault(key, default)


def _data(p: Fields, problems: Problems) -> FrozenMap | None:
    d = p.mapping("data")
    if d is None:
        return None
    d.check_keys(DATA_KEYS)
    given = d.has("points") or d.has("x") or d.has("y")
    kind = d.text("kind") or ("points" if given else "linear")
    if kind not in DATA_KINDS:
        d.error("kind", f"unknown data kind '{kind}' (expected one of {', '.join(DATA_KINDS)})")
        return None
    spec: dict = {"kind": kind}
    spec["model"] = d.text("model") or ("polynomial" if kind == "polynomial" else "linear")
    if spec["model"] not in ("linear", "polynomial"):
        d.error("model", f"unknown model '{spec['model']}' (expected linear or polynomial)")
    spec["degree"] = d.number("degree", default=2, integer=True, lo=0, hi=10)
    spec["loss"] = d.text("loss") or "mse"
    if spec["loss"] not in ("mse", "mae"):
        d.error("loss", f"unknown loss '{spec['loss']}' (expected mse or mae)")
    spec["method"] = d.text("method") or "batch"
    if spec["method"] not in ("batch", "stochastic", "minibatch"):
        d.error("method", f"unknown method '{spec['method']}' (expected batch, stochastic or minibatch)")
    if kind == "points":
        points = _points(d, problems) if d.has("points") else _columns(d, problems)
        spec["points"] = points
        spec["x"] = tuple(p[0] for p in points)
        spec["y"] = tuple(p[1] for p in points)
        return FrozenMap(spec)
    spec["n"] = d.number("n", default=100, integer=True, lo=2, hi=10_000)
    spec["seed"] = d.number("seed", default=42 if kind == "linear" else 0, integer=True, lo=0)
    spec["noise"] = d.number("noise", default=0.1 if kind == "linear" else 0.5, lo=0)
    if kind == "linear":
        spec["w"] = d.number("w", default=2.0)
        spec["b"] = d.number("b", default=1.0)
    else:
        coefs = d.data.get("coefs")
        if coefs is None:
            spec["coefs"] = (0.5, -1.0, 2.0)
        elif not isinstance(coefs, list) or not coefs:
            d.error("coefs", "expected a list of numbers, highest power first")
        else:
            try:
                spec["coefs"] = tuple(constant(coefs.raw[i], c) for i, c in enumerate(coefs))
            except ValueProblem as exc:
                d.error("coefs", exc.message)
    return FrozenMap(spec)


def _columns(d: Fields, problems: Problems) -> tuple[tuple[float, float], ...]:
    """`x: [...]` and `y: [...]`, the same length, read as points."""
    columns = []
    for key in ("x", "y"):
        items = d.data.get(key)
        if not isinstance(items, list) or len(items) < 2:
            d.error(key if key in d.data else None, f"expected a list of at least two numbers for data.{key}")
            return ()
        try:
            columns.append([constant(items.raw[i], v) for i, v in enumerate(items)])
        except ValueProblem as exc:
            d.error(key, exc.message)
            return ()
    if len(columns[0]) != len(columns[1]):
        d.error("y", f"has {len(columns[1])} values but x has {len(columns[0])}")
        return ()
    return tuple(zip(columns[0], columns[1]))


def _points(d: Fields, problems: Problems) -> tuple[tuple[float, float], ...]:
    items = d.data.get("points")
    if not isinstance(items, list) or len(items) < 2:
        d.error("points", "expected a list of [x, y] pairs, at least two")
        return ()
    points = []
    for i, item in enumerate(items):
        if not isinstance(item, list) or len(item) != 2:
            problems.add(items.item_lines[i], f"data.points[{i + 1}]: expected [x, y]")
            return ()
        try:
            points.append((constant(item.raw[0], item[0]), constant(item.raw[1], item[1])))
        except ValueProblem as exc:
            problems.add(items.item_lines[i], f"data.points[{i + 1}]: {exc.message}")
            return ()
    return tuple(points)


def _controls(p: Fields, start: dict, problems: Problems) -> tuple[Control, ...]:
    block = p.mapping("controls")
    if block is None:
        return ()
    controls = []
    for name, spec in block.data.items():
        line = block.line(name)
        where = f"controls.{name}"
        if name not in start and name not in NUMBER_VALUES and name not in TEXT_VALUES:
            known = ", ".join(list(NUMBER_VALUES) + list(TEXT_VALUES) + [k for k in start if k not in NUMBER_VALUES + TEXT_VALUES])
            problems.add(line, f"{where}: '{name}' is not a plot value or param (expected one of {known})")
            continue
        if name not in start:
            problems.add(line, f"{where}: '{name}' has no starting value; add '{name}: …' to the plot")
            continue
        control = (_text_control if name in TEXT_VALUES else _number_control)(name, spec, start[name], line, where, problems)
        if control is not None:
            controls.append(control)
    return tuple(controls)


def _text_control(name, spec, default, line, where, problems) -> Control | None:
    items = spec.get("choose") if isinstance(spec, dict) else spec
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        problems.add(line, f"{where}: expected a list of choices, such as [{', '.join(TEXT_CHOICES[name][:3])}]")
        return None
    bad = [i for i in items if i not in TEXT_CHOICES[name]]
    if bad:
        problems.add(line, f"{where}: unknown {name} '{bad[0]}' (expected one of {', '.join(TEXT_CHOICES[name])})")
        return None
    if default not in items:
        problems.add(line, f"{where}: the start value '{default}' is not among the choices")
        return None
    return Control(name, 0.0, float(len(items) - 1), 1.0, choices=tuple(items), line=line)


def _number_control(name, spec, default, line, where, problems) -> Control | None:
    log, step = False, None
    if isinstance(spec, dict):
        c = Fields(spec, where, problems, line=line)
        c.check_keys(CONTROL_KEYS, required=("range",))
        pair = c.pair("range")
        step = c.number("step", lo=0, lo_open=True)
        log = spec.get("log", False)
        if not isinstance(log, bool):
            c.error("log", "expected true or false")
            return None
        if pair is None or ("step" in spec and step is None):
            return None
    elif isinstance(spec, list):
        pair = read_pair(spec, where, line, problems)
        if pair is None:
            return None
    else:
        problems.add(line, f"{where}: expected [lo, hi] or {{range: [lo, hi], step: s, log: true}}, got {type_name(spec)}")
        return None
    lo, hi = pair
    if log and lo <= 0:
        problems.add(line, f"{where}: a log range must be positive (got [{lo:g}, {hi:g}])")
        return None
    if not lo <= default <= hi:
        problems.add(line, f"{where}: the start value {default:g} is outside [{lo:g}, {hi:g}]")
        return None
    if name in INTEGER_VALUES and (lo != int(lo) or hi != int(hi)):
        problems.add(line, f"{where}: {name} is a whole number; use whole-number bounds")
        return None
    if step is None:
        if log:
            step = 10 ** 0.1
        elif name in INTEGER_VALUES:
            step = 1.0
        else:
            step = _nice_step((hi - lo) / 100)
    elif log and step <= 1:
        problems.add(line, f"{where}: on a log range the step is a factor greater than 1 (such as 2)")
        return None
    return Control(name, lo, hi, step, log=log, line=line)


def _nice_step(raw: float) -> float:
    """Round a step down to 1, 2 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(raw))
    for m in (5, 2, 1):
        if m * power <= raw:
            return m * power
    return power
