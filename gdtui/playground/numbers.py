"""The numbers beside the playground's chart (pure): exact derivatives in Unicode, and how each run did.

`derivative_sheet` writes f′ and f″ (or ∇f and the Hessian) and their values at the learner's point;
`run_results` reads the chart's trajectories into one row per optimizer: the steps it took to get ‖∇f‖
under the tolerance, where it ended, or the step at which it diverged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gdtui.charts import fmt
from gdtui.i18n import _
from gdtui.engine.calculus import exact_hessian
from gdtui.engine.descent import Trajectory
from gdtui.engine.expr import Expr, ExprError, parse
from gdtui.playground.setup import Setup

HESSIAN_NAMES = (("∂²f/∂x²", "∂²f/∂x∂y"), ("∂²f/∂y∂x", "∂²f/∂y²"))
SHORT = 14  # Hessian entries at most this long are shown as a matrix


@dataclass(frozen=True)
class Sheet:
    """f and its exact derivatives as text, and their values at one point."""

    formulas: tuple[tuple[str, str], ...]  # (name, formula): ("f′(x)", "2·x + 2")
    matrix: tuple[tuple[str, ...], ...] = ()  # 2-D: the Hessian's entries, when all are short
    where: str = ""  # "at x = 0.5", "at (x₀, y₀) = (−3, 4)"
    values: tuple[tuple[str, str], ...] = ()  # (name, value) at that point
    remark: str = ""  # what the Hessian says there: a bowl, a saddle …


@lru_cache(maxsize=32)
def derivatives(text: str, variables: tuple[str, ...]) -> tuple[Expr, tuple[Expr, ...], tuple[tuple[Expr, ...], ...]]:
    """f, its gradient and its Hessian, exact (raises ExprError where the language cannot differentiate)."""
    f = parse(text, variables)
    return f, f.gradient(), exact_hessian(f)


def derivative_sheet(setup: Setup, values: Mapping) -> Sheet:
    try:
        f, grad, hess = derivatives(setup.text, setup.variables)
    except ExprError as exc:
        return Sheet((("f", setup.text), ("", _("no exact derivative: {problem}").format(problem=exc))))
    if setup.dim == 1:
        return _sheet_1d(setup, values, f, grad[0], hess[0][0])
    return _sheet_2d(setup, values, f, grad, hess)


def _sheet_1d(setup: Setup, values: Mapping, f: Expr, df: Expr, d2f: Expr) -> Sheet:
    formulas = (("f(x)", f.unicode()), ("f′(x)", df.unicode()), ("f″(x)", d2f.unicode()))
    key = "tangent_at" if "tangent_at" in values else ("x0" if "x0" in values else None)
    a = _number(values.get(key) if key else None, setup.point)
    numbers = tuple(_at(e, a) for e in (f, df, d2f))
    shown = (("f(x)", fmt.num(numbers[0])), ("f′(x)", fmt.num(numbers[1])), ("f″(x)", fmt.num(numbers[2])))
    return Sheet(formulas, where=_("at x = {x}").format(x=fmt.num(a)), values=shown, remark=_curvature_1d(numbers[2]))


def _sheet_2d(setup: Setup, values: Mapping, f: Expr, grad: tuple[Expr, ...], hess) -> Sheet:
    formulas = [("f(x, y)", f.unicode()), ("∂f/∂x", grad[0].unicode()), ("∂f/∂y", grad[1].unicode())]
    entries = tuple(tuple(e.unicode() for e in row) for row in hess)
    matrix: tuple[tuple[str, ...], ...] = ()
    if max(len(e) for row in entries for e in row) <= SHORT:
        matrix = entries
    else:
        formulas += [(HESSIAN_NAMES[0][0], entries[0][0]), (HESSIAN_NAMES[0][1], entries[0][1]),
                     (HESSIAN_NAMES[1][1], entries[1][1])]
    point = (_number(values.get("x0"), setup.start[0]), _number(values.get("y0"), setup.start[1]))
    g = np.array([_at(e, *point) for e in grad])
    h = np.array([[_at(e, *point) for e in row] for row in hess])
    with np.errstate(all="ignore"):
        norm = float(np.sqrt(g @ g))
    shown = [("f", fmt.num(_at(f, *point))), ("∇f", f"({fmt.num(g[0])}, {fmt.num(g[1])})"), ("‖∇f‖", fmt.num(norm))]
    remark = ""
    if np.isfinite(h).all():
        eig = np.linalg.eigvalsh((h + h.T) / 2)
        shown.append((_("eigenvalues of H"), f"{fmt.num(eig[0])}, {fmt.num(eig[1])}"))
        remark = _curvature_2d(eig)
    where = _("at {point}").format(point=f"(x₀, y₀) = ({fmt.num(point[0])}, {fmt.num(point[1])})")
    return Sheet(tuple(formulas), matrix, where, tuple(shown), remark)


def _curvature_1d(second: float) -> str:
    if not math.isfinite(second):
        return ""
    if second > 0:
        return _("f″ > 0: the curve bends up here")
    if second < 0:
        return _("f″ < 0: the curve bends down here")
    return _("f″ = 0: no bend here")


def _curvature_2d(eig: np.ndarray) -> str:
    lo, hi = float(eig[0]), float(eig[1])
    if lo > 0:
        return _("both curvatures > 0: bowl-shaped here (condition number {kappa})").format(kappa=fmt.num(hi / lo, 3))
    if hi < 0:
        return _("both curvatures < 0: dome-shaped here")
    if lo < 0 < hi:
        return _("curvatures of both signs: saddle-shaped here")
    return _("one curvature is 0: flat along one direction here")


def _at(expr: Expr, *point: float) -> float:
    with np.errstate(all="ignore"):
        try:
            return float(np.asarray(expr(*point), dtype=float).reshape(-1)[0])
        except (ExprError, ValueError, TypeError):
            return math.nan


def _number(value, default: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


# -- how each run did --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunResult:
    optimizer: str
    arrived: int | None  # the first step k with ‖∇f(xₖ)‖ < tol
    steps_run: int
    value: float  # f at the last point reached
    point: tuple[float, ...]
    diverged: bool

    @property
    def outcome(self) -> str:
        if self.diverged:
            return _("diverged at step {k}").format(k=self.steps_run)
        if len(self.point) == 1:
            return f"x = {fmt.num(self.point[0])}"
        return "(" + ", ".join(fmt.num(v, 3) for v in self.point) + ")"

    @property
    def steps_text(self) -> str:
        return str(self.arrived) if self.arrived is not None else f"> {self.steps_run}"


def run_results(runs: Mapping[str, Trajectory], tol: float) -> tuple[RunResult, ...]:
    out = []
    for name, run in runs.items():
        with np.errstate(all="ignore"):
            norms = np.sqrt(np.sum(np.asarray(run.grads, dtype=float) ** 2, axis=1))
        hits = np.flatnonzero(norms < tol)
        value = float(run.values[-1]) if run.values is not None and len(run.values) else math.nan
        out.append(RunResult(name, int(hits[0]) if hits.size else None, run.steps_run, value,
                             tuple(float(v) for v in run.final), run.status == "diverged"))
    return tuple(out)
