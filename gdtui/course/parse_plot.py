"""Read a ```plot block (YAML with lines) into typed `PlotFields`, then `make_plot` checks what they mean.

This module knows YAML: each field is read to its type here (numbers within LIMITS, with the author's own
spelling in messages), and every problem, here or in `make_plot`, lands on the line of the field at fault.
"""

from __future__ import annotations

from gdtui.course.exprs import CONSTANTS, KNOWN_FUNCTIONS, ValueProblem
from gdtui.course.fields import Fields, Problems, constant, read_pair, type_name
from gdtui.course.model import INTEGER_VALUES, NUMBER_VALUES, TEXT_VALUES, Control, FrozenMap, Plot
from gdtui.course.parse_exercise import NAME_PATTERN, field_lines
from gdtui.course.plots import LIMITS, TEXT_CHOICES, PlotFields, make_plot
from gdtui.course.runs import DATA_DEFAULTS
from gdtui.course.yamlines import YMap
from gdtui.engine.regression import METHODS as FIT_METHODS

__all__ = ["LIMITS", "PLOT_KEYS", "parse_plot"]

PLOT_KEYS = ("id", "title", "f", "x", "y", "layers", "params", "controls", "data", "optimizers") + \
    NUMBER_VALUES + TEXT_VALUES
DATA_KEYS = ("kind", "n", "seed", "w", "b", "noise", "coefs", "points", "x", "y", "model", "degree", "loss", "method",
             "held_out")
DATA_KINDS = ("linear", "polynomial", "points")
CONTROL_KEYS = ("range", "step", "log")


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
    f_text = None if regression and not p.has("f") else p.expression("f", required=True)
    layers = p.text_list("layers") if p.has("layers") else None
    x_range = p.pair("x", required=not regression)
    y_range = p.pair("y")
    values: dict[str, float | int | str] = {}
    for key in NUMBER_VALUES:
        lo, hi, lo_open, hi_open = LIMITS.get(key, (None, None, False, False))
        value = p.number(key, integer=key in INTEGER_VALUES, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open)
        if value is not None:
            values[key] = value
    for key in TEXT_VALUES:
        text = p.text(key)
        if text is not None:
            values[key] = text
    optimizers = p.text_list("optimizers") if p.has("optimizers") else ()
    if optimizers == ():
        if p.has("optimizers"):
            p.error("optimizers", "list each optimizer once, at least one")
    fields = PlotFields(f=f_text, x_range=x_range, y_range=y_range, layers=layers, values=values,
                        optimizers=optimizers or (), params=params, data=data_spec,
                        controls=_controls(p, problems), id=plot_id, title=p.text("title"), line=line,
                        field_lines=FrozenMap(field_lines(data)), written=frozenset(k for k in data if p.has(k)))
    if layers is None and p.has("layers") or optimizers is None or (regression and data_spec is None):
        return None  # already reported: a list that could not be read

    def report(key: str | None, message: str) -> None:
        if key is not None and key.startswith("controls."):
            problems.add(p.mapping("controls").line(key.split(".", 1)[1]), f"{key}: {message}")
        else:
            p.error(key, message)

    plot = make_plot(fields, report)
    return plot if len(problems) == before else None


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
    if spec["method"] not in FIT_METHODS:
        d.error("method", f"unknown method '{spec['method']}' (expected batch, stochastic or minibatch)")
    if kind == "points":
        points = _points(d, problems) if d.has("points") else _columns(d, problems)
        spec["points"] = points
        spec["x"] = tuple(p[0] for p in points)
        spec["y"] = tuple(p[1] for p in points)
        return FrozenMap(spec)
    defaults = DATA_DEFAULTS[kind]
    spec["n"] = d.number("n", default=defaults["n"], integer=True, lo=2, hi=10_000)
    spec["seed"] = d.number("seed", default=defaults["seed"], integer=True, lo=0)
    spec["noise"] = d.number("noise", default=defaults["noise"], lo=0)
    if d.has("held_out"):  # fresh points from the same source, drawn after the n fitted ones (the capacity layer)
        spec["held_out"] = d.number("held_out", integer=True, lo=1, hi=10_000)
    if kind == "linear":
        spec["w"] = d.number("w", default=defaults["w"])
        spec["b"] = d.number("b", default=defaults["b"])
    else:
        coefs = d.data.get("coefs")
        if coefs is None:
            spec["coefs"] = defaults["coefs"]
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


def _controls(p: Fields, problems: Problems) -> tuple[Control, ...]:
    """Each control read to its type (`make_plot` checks it against the plot's values); step None: default."""
    block = p.mapping("controls")
    if block is None:
        return ()
    controls = []
    for name, spec in block.data.items():
        line = block.line(name)
        where = f"controls.{name}"
        read = _text_control if name in TEXT_VALUES else _number_control
        control = read(name, spec, line, where, problems)
        if control is not None:
            controls.append(control)
    return tuple(controls)


def _text_control(name, spec, line, where, problems) -> Control | None:
    items = spec.get("choose") if isinstance(spec, dict) else spec
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        problems.add(line, f"{where}: expected a list of choices, such as [{', '.join(TEXT_CHOICES[name][:3])}]")
        return None
    return Control(name, 0.0, float(len(items) - 1), 1.0, choices=tuple(items), line=line)


def _number_control(name, spec, line, where, problems) -> Control | None:
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
    return Control(name, pair[0], pair[1], step, log=log, line=line)
