"""A chart in one sentence, with its numbers: for a screen reader, or for anyone who wants the figures.

    describe(plot, values) -> "f(x) = x² + 2·x + 1 on [−3, 6]; the path from x₀ = 5 with η = 0.1 reaches
    x = −0.9926 (f = 5.517e−5) after 30 steps, converged at step 30."

Like the status line it never raises: a chart that cannot be computed is described by its problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from gdtui.i18n import _, ngettext, pgettext

from . import fmt
from .data import ChartInputError, compute, number, samples_1d, unicode_text
from .words import method_name


def describe(spec: Any, values: Mapping[str, Any] | None = None) -> str:
    try:
        data = compute(spec, values)
    except ChartInputError as exc:
        return _("This chart cannot be drawn: {problem}.").format(problem=exc)
    except Exception:  # informative only, like the status line
        return _("This chart cannot be drawn with these values.")
    if data.kind == "regression":
        return _regression(data)
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    names = variables + tuple(name for name, _name in data.params)
    lo, hi = (float(v) for v in spec.x_range)
    where = f"[{fmt.num(lo)}, {fmt.num(hi)}]"
    if data.kind == "2d":
        y_range = getattr(spec, "y_range", None) or spec.x_range
        where += f" × [{fmt.num(float(y_range[0]))}, {fmt.num(float(y_range[1]))}]"
    f = f"f({', '.join(variables)}) = {unicode_text(str(spec.f), names)}"
    parts = [_("{f} on {range}").format(f=f, range=where)]
    if data.params:
        parts.append(", ".join(f"{name} = {fmt.num(value)}" for name, value in data.params))
    if data.kind == "1d" and not data.runs:
        parts.append(_extent(spec, names, data.params, lo, hi))
    if data.tangent is not None:
        t = data.tangent
        said = _("at x = {x} f = {fx} and the slope f′ = {slope}")
        parts.append(said.format(x=fmt.num(t.x), fx=fmt.num(t.fx), slope=fmt.num(t.slope)))
    if data.secant is not None:
        said = _("the secant with h = {h} has slope {slope}")
        parts.append(said.format(h=fmt.num(data.secant.h), slope=fmt.num(data.secant.slope)))
    if len(data.runs) == 1:
        parts.append(_path(data))
    elif data.runs:
        parts.append(_race(data))
    parts.extend(data.problems)
    return _sentence(parts)


def _sentence(parts: list[str]) -> str:
    """Parts joined by semicolons into one sentence (Chinese punctuation in Chinese)."""
    joined = pgettext("between parts of a sentence", "; ").join(p for p in parts if p)
    return _("{sentence}.").format(sentence=joined)


def _extent(spec: Any, names: tuple[str, ...], params: tuple, lo: float, hi: float) -> str:
    x, y = samples_1d(str(spec.f), names, params, lo, hi, 401, 0)
    finite = np.isfinite(y)
    if not finite.any():
        return _("f is undefined on the whole range")
    i, j = int(np.argmin(np.where(finite, y, np.inf))), int(np.argmax(np.where(finite, y, -np.inf)))
    said = _("its lowest value there is {low} at x = {x_low}, its highest {high} at x = {x_high}")
    return said.format(low=fmt.num(y[i]), x_low=fmt.num(x[i]), high=fmt.num(y[j]), x_high=fmt.num(x[j]))


def _point(xs: np.ndarray) -> str:
    return fmt.num(xs[0]) if xs.size == 1 else "(" + ", ".join(fmt.num(v) for v in xs) + ")"


def _outcome(traj) -> str:
    if traj.status == "converged":
        return _("converged at step {k}").format(k=traj.steps_run)
    if traj.status == "diverged":
        return _("diverged at step {k}").format(k=traj.steps_run)
    return ""


def _where(traj, k: int) -> str:
    where = f"{'x = ' if traj.xs.shape[1] == 1 else ''}{_point(traj.xs[k])}"
    return f"{where} (f = {fmt.num(traj.values[k])})" if traj.values is not None else where


def _path(data) -> str:
    name, traj = next(iter(data.runs.items()))
    k = min(data.step, traj.steps_run)
    start = "x₀" if traj.xs.shape[1] == 1 else "(x₀, y₀)"
    lr = number(data.values, f"lr_{name}", number(data.values, "lr", traj.lr))
    fill = dict(start=f"{start} = {_point(traj.xs[0])}", lr=fmt.num(lr), where=_where(traj, k), k=k,
                n=traj.steps_run, method=method_name(name), outcome=_outcome(traj))
    if name == "sgd":
        text = ngettext("the path from {start} with η = {lr} is at {where} after {k} step",
                        "the path from {start} with η = {lr} is at {where} after {k} steps", k).format(**fill)
    else:
        text = ngettext("the path ({method}) from {start} with η = {lr} is at {where} after {k} step",
                        "the path ({method}) from {start} with η = {lr} is at {where} after {k} steps", k).format(**fill)
    if k < traj.steps_run:
        return _("{text} of {n}").format(text=text, n=traj.steps_run)
    if fill["outcome"]:
        return _("{text}, {outcome}").format(text=text, outcome=fill["outcome"])
    return _("{text}, the last step, not converged").format(text=text)


def _race(data) -> str:
    first = next(iter(data.runs.values()))
    start = "x₀" if first.xs.shape[1] == 1 else "(x₀, y₀)"
    each = []
    for name, traj in data.runs.items():
        k = min(data.step, traj.steps_run)
        outcome = _outcome(traj) if k >= traj.steps_run else ""
        said = _("{name} is at {where}, {outcome}") if outcome else _("{name} is at {where}")
        each.append(said.format(name=method_name(name), where=_where(traj, k), outcome=outcome))
    said = _("a race of {n} optimizers from {start}, at step {k}: {each}")
    return said.format(n=len(data.runs), start=f"{start} = {_point(first.xs[0])}", k=data.step,
                       each=pgettext("between parts of a sentence", "; ").join(each))


def _regression(data) -> str:
    fit = data.fit
    k = min(data.step, len(fit.path) - 1)
    theta = fit.path[k]
    model = (f"w = {fmt.num(theta[0])}, b = {fmt.num(theta[-1])}" if fit.degree is None
             else "θ = (" + ", ".join(fmt.num(t, 3) for t in theta) + ")")
    losses = fit.losses.get(fit.method)
    if losses is not None and k < len(losses):
        model = _("{model}, {loss} = {value}").format(model=model, loss=fit.loss.upper(), value=fmt.num(losses[k]))
    if fit.status == "diverged":
        model = _("{model}, diverged").format(model=model)
    fill = dict(n=fit.X.shape[0], method=method_name(fit.method), k=k, model=model, degree=fit.degree)
    if fit.degree is None:
        said = _("linear regression on {n} points by {method} gradient descent: after epoch {k}, {model}.")
    else:
        said = _("degree-{degree} polynomial regression on {n} points by {method} gradient descent: "
                 "after epoch {k}, {model}.")
    return said.format(**fill)
