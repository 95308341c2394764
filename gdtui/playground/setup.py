"""What the playground shows, as data: a `Setup`, the function read from the learner, the chart's plot.

No Textual here. The screen keeps one `Setup` (the function, its range, the optimizers and their settings,
the layers switched on) and turns it into a `Plot` with the course's own `make_plot`, from values already
typed, so a playground chart is validated and defaulted exactly like a lesson's. The chart then owns the
live values its keys move (the point x, the secant's h, the start (x₀, y₀), the step k).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gdtui.course.model import Control, Plot
from gdtui.course.plots import PlotFields, make_plot, nice_step
from gdtui.engine.expr import Expr, ExprError, parse
from gdtui.engine.optimizers import OPTIMIZERS, schedule_defaults
from gdtui.i18n import _

VARIABLES = ("x", "y")
DERIVATIVE_VIEW = frozenset({"derivative", "tangent", "secant", "error_vs_h"})  # 1-D layers on by default
FIELD_VIEW = frozenset({"gradient_field", "loss"})  # 2-D layers on by default
H_RANGE = (1e-10, 1e3)  # the secant's h, shrunk or grown by a factor of 2 per key press
H_FACTOR = 2.0
DEFAULT_MOMENTUM = 0.9  # what the momentum and nesterov optimizers use when the plot names no β
DEFAULT_STEP_SIZE = int(schedule_defaults("step")["step_size"])  # the step schedule cuts η every 10 steps …
DEFAULT_GAMMA = {name: schedule_defaults(name)["gamma"] for name in ("step", "exponential")}  # … by 0.1; 0.95


def schedule_gamma(setup: Setup) -> float | None:
    """The factor the setup's schedule multiplies η by (None for a schedule without one)."""
    if setup.schedule not in DEFAULT_GAMMA:
        return None
    return setup.gamma if setup.gamma is not None else DEFAULT_GAMMA[setup.schedule]


@dataclass(frozen=True)
class Setup:
    """The playground's model: everything but the values the chart's keys move live."""

    text: str  # f in the safe language
    variables: tuple[str, ...] = ("x",)  # ("x",) or ("x", "y")
    x_range: tuple[float, float] = (-5.0, 5.0)
    y_range: tuple[float, float] | None = None
    point: float = 1.5  # 1-D: where the tangent touches (and the secant starts)
    h: float = 0.5  # 1-D: the secant's width
    start: tuple[float, ...] = (4.0,)  # where descent starts: (x₀,) or (x₀, y₀)
    optimizers: tuple[str, ...] = ("sgd",)  # one is a descent, several a race
    lr: float = 0.1  # shared by every optimizer of the race …
    rates: tuple[tuple[str, float], ...] | None = None  # … unless each has its own: ((name, η), …)
    steps: int = 100
    schedule: str = "constant"
    gamma: float | None = None  # the step or exponential schedule's factor; None: the schedule's own default
    step_size: int = 10  # the step schedule cuts η every this many steps
    momentum: float = DEFAULT_MOMENTUM  # momentum and nesterov (other racers take it too once changed)
    alpha: float = 0.99  # rmsprop
    beta1: float = 0.9  # adam
    beta2: float = 0.999  # adam
    tol: float = 1e-4  # ‖∇f‖ below this counts as arrived (the table of steps)
    shown: frozenset[str] = DERIVATIVE_VIEW  # optional layers switched on ("descent" for 1-D paths)
    name: str | None = None  # the preset's title
    note: str = ""  # a sentence about the preset

    @property
    def dim(self) -> int:
        return len(self.variables)

    @property
    def descent(self) -> bool:
        return self.dim == 2 or "descent" in self.shown

    @property
    def own_rates(self) -> bool:
        """In a race, each optimizer runs with its own η (missing ones: the shared lr)."""
        return self.rates is not None and len(self.optimizers) > 1

    def rate(self, name: str) -> float:
        """The η `name` runs with."""
        return dict(self.rates or ()).get(name, self.lr) if self.own_rates else self.lr

    @property
    def signature(self) -> str:
        return f"f({', '.join(self.variables)})"


def default_setup(text: str, variables: tuple[str, ...], *, x_range: tuple[float, float] | None = None,
                  y_range: tuple[float, float] | None = None) -> Setup:
    """A function's first look: derivatives and tangent for f(x), a small race over the contours of f(x, y)."""
    xr = x_range or (-5.0, 5.0)
    if len(variables) == 1:
        return Setup(text, ("x",), xr, None, point=_at(xr, 0.65), start=(_at(xr, 0.9),))
    yr = y_range or xr
    return Setup(text, VARIABLES, xr, yr, start=(_at(xr, 0.2), _at(yr, 0.85)),
                 optimizers=("sgd", "momentum", "adam"), lr=0.05, shown=FIELD_VIEW)


def _at(bounds: tuple[float, float], share: float) -> float:
    return float(f"{bounds[0] + share * (bounds[1] - bounds[0]):.3g}")


def normalised(setup: Setup) -> Setup:
    """The point and the start kept inside the ranges; h kept within its limits."""
    xr, yr = setup.x_range, setup.y_range or setup.x_range
    start = tuple(_clamp(v, r) for v, r in zip(setup.start, (xr, yr)))
    h = min(max(setup.h, H_RANGE[0]), H_RANGE[1])
    return replace(setup, point=_clamp(setup.point, xr), start=start, h=h)


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(float(value), bounds[0]), bounds[1])


# -- reading the learner's function --------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """How the playground read a function: its variables and Unicode form, or what is wrong and where."""

    text: str
    expr: Expr | None = None
    variables: tuple[str, ...] = ("x",)
    error: str = ""  # "column 8: unknown name 'z'; the variables are x, y"
    column: int | None = None  # 1-based, into `text`

    @property
    def ok(self) -> bool:
        return self.expr is not None

    @property
    def read_as(self) -> str:
        return self.expr.unicode() if self.expr is not None else ""


def read_function(text: str) -> Reading:
    """Read f as a lesson's plot would: the safe language over x (and y); one number, not a list."""
    if not text.strip():
        return Reading(text, error=_("type a function of x, or of x and y, such as x**2 - 2*x or x**2 + 3*y**2"))
    try:
        expr = parse(text, VARIABLES)
    except ExprError as exc:
        return Reading(text, error=str(exc), column=exc.column)
    if expr.is_vector:
        return Reading(text, error=_("f must give one number, not a list"))
    return Reading(text, expr, VARIABLES if "y" in expr.names() else ("x",))  # read once: str() and the Unicode
    # form do not depend on the variables declared


# -- the chart's plot ------------------------------------------------------------------------------
def plot_fields(setup: Setup) -> PlotFields:
    """The plot block a lesson author would write for this setup, as typed fields."""
    s = normalised(setup)
    values: dict = {}
    controls: list[Control] = []

    def live(name: str, value: float, bounds: tuple[float, float], share: int) -> None:
        values[name] = value
        controls.append(Control(name, bounds[0], bounds[1], nice_step((bounds[1] - bounds[0]) / share)))

    y_range = None
    if s.dim == 2:
        y_range = s.y_range or s.x_range
        layers = ["contour"] + (["gradient_field"] if "gradient_field" in s.shown else []) + ["path"]
        layers += ["loss"] if "loss" in s.shown else []
        live("x0", s.start[0], s.x_range, 50)
        live("y0", s.start[1], y_range, 50)
    else:
        layers = ["function"] + [name for name in ("derivative", "second_derivative", "tangent", "secant",
                                                   "error_vs_h") if name in s.shown]
        if {"tangent", "secant", "error_vs_h"} & s.shown:
            live("tangent_at", s.point, s.x_range, 100)
        if "secant" in s.shown:
            values["h"] = s.h
            controls.append(Control("h", H_RANGE[0], H_RANGE[1], H_FACTOR, log=True))
        if s.descent:
            layers += ["path", "loss"]
            live("x0", s.start[0], s.x_range, 100)
    optimizers: tuple[str, ...] = ()
    if s.descent:
        descent = descent_values(s)
        optimizers = tuple(descent.pop("optimizers", ()))
        values.update(descent)
    return PlotFields(f=s.text, x_range=s.x_range, y_range=y_range, layers=tuple(layers), values=values,
                      optimizers=optimizers, controls=tuple(controls), id="playground")


def descent_values(s: Setup) -> dict:
    """η, steps, schedule, the optimizer(s) and the hyperparameters the racing optimizers read."""
    values: dict = {"lr": s.lr, "steps": s.steps}
    if s.schedule != "constant":
        values["schedule"] = s.schedule
    if s.schedule in ("step", "exponential") and s.gamma is not None:
        values["gamma"] = s.gamma
    if s.schedule == "step" and s.step_size != DEFAULT_STEP_SIZE:
        values["step_size"] = s.step_size
    if len(s.optimizers) == 1:
        values["optimizer"] = s.optimizers[0]
    else:
        values["optimizers"] = list(s.optimizers)
        if s.own_rates:
            values.update({f"lr_{name}": s.rate(name) for name in s.optimizers if s.rate(name) != s.lr})
    racing = set(s.optimizers)
    if racing & {"momentum", "nesterov"} and s.momentum != DEFAULT_MOMENTUM:
        values["momentum"] = s.momentum  # the chart gives it to every racer that reads it: sgd, rmsprop too
    if "rmsprop" in racing:
        values["alpha"] = s.alpha
    if "adam" in racing:
        values["beta1"], values["beta2"] = s.beta1, s.beta2
    return values


def build_plot(setup: Setup) -> Plot:
    """The setup as a lesson `Plot`, checked and defaulted by the course's `make_plot`; ValueError with its
    messages."""
    return make_plot(plot_fields(setup))


# -- what the learner changes in the settings ------------------------------------------------------
def toggled_optimizer(setup: Setup, name: str) -> Setup:
    """The race with `name` added or taken out (in the engine's order); the last one stays."""
    chosen = set(setup.optimizers) ^ {name}
    if not chosen or name not in OPTIMIZERS:
        return setup
    return replace(setup, optimizers=tuple(o for o in OPTIMIZERS if o in chosen))


def toggled_layer(setup: Setup, name: str) -> Setup:
    return replace(setup, shown=setup.shown ^ {name})


def zoomed(setup: Setup, factor: float) -> Setup:
    """Both ranges scaled by `factor` about their middles (the point and the start kept inside)."""
    def scale(bounds: tuple[float, float] | None) -> tuple[float, float] | None:
        if bounds is None:
            return None
        mid, half = (bounds[0] + bounds[1]) / 2, (bounds[1] - bounds[0]) / 2 * factor
        if not 1e-4 <= half <= 1e5:
            return bounds
        return (float(f"{mid - half:.6g}"), float(f"{mid + half:.6g}"))

    return normalised(replace(setup, x_range=scale(setup.x_range), y_range=scale(setup.y_range)))


def with_function(setup: Setup | None, reading: Reading) -> Setup:
    """A new function in place of the old one: its own first look, keeping the race settings of the same kind
    (and, for f(x), whether descent runs)."""
    fresh = default_setup(reading.text.strip(), reading.variables)
    if setup is None or setup.dim != fresh.dim:
        return fresh
    kept = {name: getattr(setup, name) for name in ("optimizers", "lr", "rates", "steps", "schedule", "gamma",
                                                    "step_size", "momentum", "alpha", "beta1", "beta2", "tol")}
    shown = setup.shown if fresh.dim == 2 else fresh.shown | (setup.shown & {"descent"})
    return replace(fresh, shown=shown, **kept)

