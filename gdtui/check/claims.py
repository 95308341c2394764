"""Claims: what the prose says a chart shows, checked by running the chart's own runs.

Some numbers in prose are not values to compute but facts about a chart ("from η = 0.09 to η = 0.13 the
path settles in the deep well", "the held-out error is lowest at degree 2"). A ```` ```claims ```` block
states such facts as YAML, right under the prose that makes them; learners never see it, and `gdtui check`
runs each claim with the same runs the chart draws (gdtui.course.runs) and reports a false one as an error
on the claim's line. docs/authoring.md documents the keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from gdtui.check.reach import reachable
from gdtui.course import runs
from gdtui.course.model import Lesson, Plot
from gdtui.course.parse import claim_blocks
from gdtui.course.yamlines import YamlProblem, YList, YMap, load_yaml

KEYS = ("plot", "at", "racer", "ends", "near", "within", "hops", "lowest_at", "order", "largest_miss", "except",
        "curve", "away_from", "flat_at")
CURVES = ("falls", "bounces")  # a fit's loss per epoch: falls at every epoch, or goes up at least once
ENDS = ("settles", "bounces", "moves", "diverges")
ORDERS = ("falling", "rising")
SETTLED = 1e-3  # a run settles when its last step is shorter than this fraction of its longest step
GROWING = 5  # a run diverges when each of its last this many steps is 0.1 % longer than the one before


class ClaimProblem(Exception):
    """A claim that is false or cannot be checked; the message is ready for an error line."""


def check_claims(lesson: Lesson, text: str | None = None) -> list[tuple[int, str]]:
    """(line, message) errors for the lesson's claims blocks: each claim that is false or malformed."""
    if text is None:
        text = Path(lesson.path).read_text(encoding="utf-8")
    problems: list[tuple[int, str]] = []
    for fence_line, body in claim_blocks(text.splitlines()):
        try:
            data = load_yaml(body, fence_line + 1)
        except YamlProblem as exc:
            problems.append((exc.line, exc.message))
            continue
        claims = data if isinstance(data, YList) else [data]
        lines = data.item_lines if isinstance(data, YList) else [fence_line + 1]
        for claim, line in zip(claims, lines):
            try:
                check_claim(lesson, claim, fence_line)
            except ClaimProblem as exc:
                problems.append((line, f"claim: {exc}"))
    return problems


def check_claim(lesson: Lesson, claim, fence_line: int) -> None:
    """Raise ClaimProblem when the claim is false (or cannot be read)."""
    if not isinstance(claim, Mapping):
        raise ClaimProblem("write each claim as a mapping, such as {at: {lr: 0.5}, ends: settles}")
    unknown = [key for key in claim if key not in KEYS]
    if unknown:
        raise ClaimProblem(f"unknown key '{unknown[0]}' (expected one of {', '.join(KEYS)})")
    plot = _plot(lesson, claim.get("plot"), fence_line)
    if "flat_at" in claim:
        _check_flat(plot, claim)
        if set(claim) <= {"plot", "flat_at", "within"}:
            return
    settings = _settings(plot, claim.get("at") or {})
    outcomes = [_outcome(plot, values, claim) for values in settings]
    for values, outcome in zip(settings, outcomes):
        _check_one(plot, values, outcome, claim)
    for key in ("lowest_at", "order"):
        if key in claim:
            _check_walk(plot, settings, outcomes, claim, key)


def _plot(lesson: Lesson, wanted, fence_line: int) -> Plot:
    plots = lesson.plots
    if wanted is not None:
        found = next((p for p in plots if p.id == str(wanted)), None)
        if found is None:
            raise ClaimProblem(f"plot: no plot has the id '{wanted}' (plots are {', '.join(p.id for p in plots)})")
        return found
    above = [p for p in plots if p.line < fence_line]
    if above:
        return above[-1]
    if plots:
        return plots[0]
    raise ClaimProblem("this lesson has no plot to check the claim on")


def _check_flat(plot: Plot, claim) -> None:
    """flat_at: the plot's f has a zero gradient (every partial within `within`) at this point."""
    point = np.atleast_1d(np.asarray(claim["flat_at"], dtype=float))
    if plot.kind == "regression" or point.shape != (len(plot.variables),):
        raise ClaimProblem(f"flat_at: give a point with one coordinate for each of {', '.join(plot.variables)}")
    names = plot.variables + tuple(sorted(plot.params))
    params = tuple((name, float(plot.params[name])) for name in sorted(plot.params))
    slope = np.ravel(runs.evaluate(runs.gradient_vector(plot.f, names, len(plot.variables)), params, *point))
    within = _number(claim.get("within", 0.01), "within")
    if not np.all(np.abs(slope) <= within):
        raise ClaimProblem(f"on plot '{plot.id}' the gradient at {_point(point)} is {_point(slope)}, "
                           f"not within {within:g} of 0")


def _settings(plot: Plot, at) -> list[dict]:
    """Every setting of the plot the claim speaks of: its start values with `at` applied; a [lo, hi] walks the
    control from lo to hi as ← and → do."""
    if not isinstance(at, Mapping):
        raise ClaimProblem("at: expected a mapping of plot values, such as {lr: 0.5} or {lr: [0.09, 0.13]}")
    base = plot.start_values()
    settings = [dict(base)]
    for name, value in at.items():
        if name not in base and name not in runs.DESCENT_DEFAULTS:
            raise ClaimProblem(f"at: '{name}' is not a value of plot '{plot.id}' ({', '.join(base)})")
        if isinstance(value, list):
            options = _walk(plot, name, value)
        else:
            options = [value]
        settings = [{**s, name: v} for s in settings for v in options]
    return settings


def _walk(plot: Plot, name: str, pair) -> list[float]:
    control = next((c for c in plot.controls if c.name == name), None)
    if control is None or control.choices:
        raise ClaimProblem(f"at: {name}: [lo, hi] walks a number control, and plot '{plot.id}' has none named {name}")
    if len(pair) != 2 or not all(isinstance(v, (int, float)) for v in pair):
        raise ClaimProblem(f"at: {name}: expected [lo, hi], got {pair}")
    lo, hi = sorted(float(v) for v in pair)
    tol = 1e-9 * max(1.0, abs(lo), abs(hi))
    walked = [v for v in reachable(control, plot.start_values()[name]) if lo - tol <= v <= hi + tol]
    ends = [v for v in (lo, hi) if not any(abs(w - v) <= tol for w in walked)]
    if ends:
        raise ClaimProblem(f"at: the control {name} of plot '{plot.id}' cannot be set to {ends[0]:g}")
    return walked


def _outcome(plot: Plot, values: dict, claim) -> dict:
    """What the chart shows at these values: the run's end (a descent), its loss, a fit's misses."""
    if plot.kind == "regression":
        return _regression(plot, values, claim.get("racer"))
    names = plot.variables + tuple(sorted(plot.params))
    params = tuple((name, float(values.get(name, plot.params[name]))) for name in sorted(plot.params))
    descents = runs.descents(plot, values)
    racer = claim.get("racer")
    run = descents[0] if racer is None else next((d for d in descents if d.optimizer == racer), None)
    if run is None:
        raise ClaimProblem(f"racer: '{racer}' is not in the race of plot '{plot.id}' "
                           f"({', '.join(d.optimizer for d in descents)})")
    try:
        path = runs.trajectory(plot.f, names, params, run)
    except ValueError as exc:
        raise ClaimProblem(f"the run of plot '{plot.id}' cannot start: {exc}") from None
    return {**_ending(np.asarray(path.xs, dtype=float), path.status == "diverged"),
            "measure": float(path.values[-1]) if path.values is not None and len(path.values) else math.nan}


def _ending(xs: np.ndarray, diverged: bool) -> dict:
    """How a run of points ends: it settles (its last step is tiny beside its longest), diverges (the engine
    says so, or each of its last GROWING steps is longer than the one before by 0.1 %), bounces (neither, and its
    last step turns back against the one before) or moves (neither, and it goes on its way)."""
    steps = np.linalg.norm(np.diff(xs, axis=0), axis=1) if len(xs) > 1 else np.zeros(1)
    longest = float(steps.max(initial=0.0))
    tail = steps[-GROWING - 1:]
    growing = len(tail) > GROWING and bool(np.all(tail[1:] > tail[:-1] * (1 + 1e-3)))
    if diverged or not np.isfinite(steps).all() or growing:
        ends = "diverges"
    elif longest == 0 or steps[-1] <= SETTLED * longest:
        ends = "settles"
    else:  # still moving: back and forth, or on along its way
        turn = float(np.dot(xs[-1] - xs[-2], xs[-2] - xs[-3])) if len(xs) > 2 else 1.0
        ends = "bounces" if turn < 0 else "moves"
    return {"ends": ends, "last": xs[-1], "before": xs[-2] if len(xs) > 1 else xs[-1]}


def _regression(plot: Plot, values: dict, racer=None) -> dict:
    if "capacity" in plot.layers:
        table = runs.sweep(runs.data_key(plot.data))
        degree = int(runs.number(values, "degree", 1))
        return {"measure": float(np.interp(degree, table.degrees, table.held_out_mse)), "what": "held-out error"}
    method, fits = runs.fit_runs(plot, values)
    run = next((f for f in fits if f.method == (racer or method)), None)
    if run is None:
        raise ClaimProblem(f"racer: '{racer}' is not a method plot '{plot.id}' fits ({', '.join(f.method for f in fits)})")
    result = runs.fit(run)
    X, y = runs.dataset(run.data)
    from gdtui.engine.regression import make_model  # the same model the fit used

    predicted = make_model(run.model, run.degree or 2).features(X) @ np.asarray(result.params, dtype=float)
    return {**_ending(np.asarray(result.path, dtype=float), result.status == "diverged"),
            "curve": _curve(np.asarray(result.loss_per_epoch, dtype=float)),
            "measure": float(result.loss_per_epoch[-1]), "points": (np.asarray(X).reshape(-1), np.asarray(y)),
            "predicted": predicted}


def _check_one(plot: Plot, values: dict, outcome: dict, claim) -> None:
    where = _where(plot, values, claim)
    within = _number(claim.get("within", 0.01), "within")
    if "ends" in claim:
        if claim["ends"] not in ENDS:
            raise ClaimProblem(f"ends: expected one of {', '.join(ENDS)}, got {claim['ends']}")
        if outcome.get("ends") != claim["ends"]:
            raise ClaimProblem(f"{where} the run {_ends_text(outcome.get('ends'))}, not {claim['ends']}")
    if "near" in claim:
        want = np.atleast_1d(np.asarray(claim["near"], dtype=float))
        last = outcome.get("last")
        if last is None or not np.all(np.abs(last - want) <= within):
            raise ClaimProblem(f"{where} the run ends at {_point(last)}, not within {within:g} of {_point(want)}")
    if "away_from" in claim:
        away = np.atleast_1d(np.asarray(claim["away_from"], dtype=float))
        last = outcome.get("last")
        if last is None or np.all(np.abs(last - away) <= within):
            raise ClaimProblem(f"{where} the run ends at {_point(last)}, within {within:g} of {_point(away)}")
    if "hops" in claim:
        a, b = (np.atleast_1d(np.asarray(v, dtype=float)) for v in claim["hops"])
        pair = (outcome.get("before"), outcome.get("last"))
        if pair[0] is None or not any(np.all(np.abs(p - a) <= within) and np.all(np.abs(q - b) <= within)
                                      for p, q in (pair, pair[::-1])):
            raise ClaimProblem(f"{where} the last two points are {_point(pair[0])} and {_point(pair[1])}, "
                               f"not {_point(a)} and {_point(b)}")
    if "curve" in claim:
        if claim["curve"] not in CURVES:
            raise ClaimProblem(f"curve: expected one of {', '.join(CURVES)}, got {claim['curve']}")
        if outcome.get("curve") != claim["curve"]:
            raise ClaimProblem(f"{where} the loss curve {outcome.get('curve', 'is not drawn')}, not {claim['curve']}")
    if "largest_miss" in claim:
        if "points" not in outcome:
            raise ClaimProblem(f"largest_miss: plot '{plot.id}' fits no points")
        X, y = outcome["points"]
        keep = np.ones(len(X), dtype=bool)
        for point in claim.get("except") or []:
            keep &= ~((np.abs(X - float(point[0])) < 1e-9) & (np.abs(y - float(point[1])) < 1e-9))
        miss = float(np.max(np.abs(outcome["predicted"] - y)[keep]))
        if not _same_to_figures(miss, claim, "largest_miss"):
            raise ClaimProblem(f"{where} the fit's largest miss is {miss:.4g}, not about {claim['largest_miss']}")


def _curve(losses: np.ndarray) -> str:
    """Whether a fit's loss per epoch falls (or stays flat) at every epoch, or goes up somewhere."""
    rises = np.diff(losses) > 1e-9 * max(float(np.max(np.abs(losses), initial=0.0)), 1.0)
    return "bounces" if bool(np.any(rises)) or not np.isfinite(losses).all() else "falls"


def _check_walk(plot: Plot, settings: list[dict], outcomes: list[dict], claim, key: str) -> None:
    walked = [name for name, value in (claim.get("at") or {}).items() if isinstance(value, list)]
    if len(walked) != 1:
        raise ClaimProblem(f"{key}: give one value of at as [lo, hi] to walk")
    name = walked[0]
    measures = [o["measure"] for o in outcomes]
    if key == "order":
        if claim["order"] not in ORDERS:
            raise ClaimProblem(f"order: expected one of {', '.join(ORDERS)}, got {claim['order']}")
        sign = -1 if claim["order"] == "falling" else 1
        for before, after, setting in zip(measures, measures[1:], settings[1:]):
            if not sign * (after - before) > 0:
                raise ClaimProblem(f"at {name} = {setting[name]:g} the {_what(outcomes)} is {after:.4g}, after "
                                   f"{before:.4g}: not {claim['order']}")
        return
    want = claim["lowest_at"]
    if not isinstance(want, Mapping) or list(want) != [name]:
        raise ClaimProblem(f"lowest_at: expected {{{name}: value}}")
    clean = [m if math.isfinite(m) else math.inf for m in measures]
    best = float(settings[int(np.argmin(clean))][name])
    if not _same_to_figures(best, want, name):
        raise ClaimProblem(f"the {_what(outcomes)} is lowest at {name} = {best:g}, not at {name} = {want[name]}")


def _same_to_figures(actual: float, mapping, key: str) -> bool:
    """Whether `actual`, rounded to as many significant figures as mapping[key] is written with, is that value."""
    written = (getattr(mapping, "raw", {}) or {}).get(key) or str(mapping[key])
    digits = re.sub(r"[eE].*$", "", written.lstrip("+-−")).replace(".", "").lstrip("0") or "0"
    figures = max(1, len(digits))
    want = _number(mapping[key], key)
    return float(f"{actual:.{figures}g}") == float(f"{want:.{figures}g}")


def _what(outcomes: list[dict]) -> str:
    """What a walk compares: the loss at the run's end, or a capacity chart's held-out error."""
    return outcomes[0].get("what", "loss at the end") if outcomes else "loss at the end"


def _number(value, key: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ClaimProblem(f"{key}: expected a number, got {value}") from None
    if not math.isfinite(out):
        raise ClaimProblem(f"{key}: expected a finite number, got {value}")
    return out


def _where(plot: Plot, values: dict, claim) -> str:
    at = claim.get("at") or {}
    shown = ", ".join(f"{name} = {values[name]:g}" if isinstance(values[name], (int, float)) else f"{name} = {values[name]}"
                      for name in at)
    return f"on plot '{plot.id}'" + (f" at {shown}" if shown else "") + ","


def _ends_text(ends) -> str:
    return {"settles": "settles", "bounces": "keeps bouncing", "moves": "is still on its way",
            "diverges": "diverges"}.get(ends, "has no end state")


def _point(value) -> str:
    if value is None:
        return "nothing"
    array = np.atleast_1d(np.asarray(value, dtype=float))
    return f"{array[0]:.4g}" if array.size == 1 else "(" + ", ".join(f"{v:.4g}" for v in array) + ")"
