"""The playground's settings as rows a list can show, and what ←/→ or space does to each (pure).

`rows(setup)` lists what applies to this function (the race's hyperparameters appear only when an
optimizer that reads them runs); `adjust(setup, key, direction)` returns the changed `Setup`. Numbers move
along ladders a person would choose (η: 0.001, 0.002, 0.005, 0.01 …), so any value is a few presses away;
enter on a number (or the range) types an exact one instead (gdtui.playground.typed).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from gdtui.charts import fmt
from gdtui.charts.words import method_name
from gdtui.i18n import N_, _, pgettext
from gdtui.engine.optimizers import OPTIMIZERS, SCHEDULES, schedule_defaults
from gdtui.playground.setup import (
    DEFAULT_MOMENTUM, Setup, schedule_gamma, toggled_layer, toggled_optimizer, zoomed,
)


def _one_two_five(lo: int, hi: int) -> tuple[float, ...]:
    return tuple(float(f"{m}e{e}") for e in range(lo, hi + 1) for m in (1, 2, 5))


LADDERS: dict[str, tuple[float, ...]] = {
    "lr": _one_two_five(-10, 1)[:-2],  # 1e−10 … 10
    "steps": (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000),
    "tol": tuple(10.0 ** -k for k in range(12, 0, -1)),
    "momentum": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
    "alpha": (0.5, 0.9, 0.95, 0.99, 0.999),
    "beta1": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
    "beta2": (0.9, 0.99, 0.999, 0.9999),
    "gamma": (0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999),
    "step_size": (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
}
BIG = 3  # shift+←/→ moves this many rungs (×10 on the 1-2-5 ladder)
WHOLE = ("steps", "step_size")  # settings that are whole numbers
CHOICES = {"schedule": SCHEDULES}
LAYER_LABELS = {
    "derivative": N_("f′  the derivative"),
    "second_derivative": N_("f″  the second derivative"),
    "tangent": N_("tangent at the point"),
    "secant": N_("secant of width h"),
    "error_vs_h": N_("error of f′ against h"),
    "descent": N_("gradient descent from x₀"),
    "gradient_field": N_("arrows: ∇f"),
    "loss": N_("loss f(xₖ) against k"),
}
HYPER_LABELS = {
    "momentum": N_("β  momentum"),
    "alpha": N_("α  rmsprop"),
    "beta1": N_("β₁  adam"),
    "beta2": N_("β₂  adam"),
}


@dataclass(frozen=True)
class Row:
    """One line of the settings: a heading, an on/off switch, a choice or a number."""

    key: str
    label: str
    kind: str = "number"  # heading | toggle | choice | number
    value: str = ""
    on: bool = False
    note: str = ""

    @property
    def selectable(self) -> bool:
        return self.kind != "heading"

    @property
    def hint(self) -> str:
        """What the keys do on this row, for the list's border."""
        if self.kind == "toggle":
            return _("space or enter: on / off")
        if self.kind == "choice":
            return _("← → or space: the next choice")
        if self.key == "zoom":
            return _("← → zoom · enter: type a range")
        return _("← → change · enter: type a value")


def rows(setup: Setup) -> tuple[Row, ...]:
    out: list[Row] = []
    if setup.dim == 1:
        out.append(Row("h:show", _("Show"), "heading"))
        for name in ("derivative", "second_derivative", "tangent", "secant", "error_vs_h", "descent"):
            out.append(Row(f"show:{name}", _(LAYER_LABELS[name]), "toggle", on=name in setup.shown))
        out.append(Row("zoom", _("x range"), value=_range(setup.x_range)))
    if setup.descent:
        out.append(Row("h:race", _("Optimizers"), "heading"))
        for name in OPTIMIZERS:
            out.append(Row(f"opt:{name}", method_name(name), "toggle", on=name in setup.optimizers))
        out.append(Row("h:settings", _("Settings"), "heading"))
        if len(setup.optimizers) > 1:
            out.append(Row("own_rates", _("each optimizer its own η"), "toggle", on=setup.own_rates))
        if setup.own_rates:
            out.extend(Row(f"lr:{name}", f"η  {method_name(name)}", value=fmt.num(setup.rate(name)))
                       for name in setup.optimizers)
        else:
            out.append(Row("lr", _("η  learning rate"), value=fmt.num(setup.lr),
                           note=_("shared by the race") if len(setup.optimizers) > 1 else ""))
        out.append(Row("schedule", _("schedule of η"), "choice", schedule_name(setup.schedule),
                       note=_schedule_note(setup)))
        if setup.schedule == "step":
            out.append(Row("step_size", _("s  cut η every"), value=_("{n} steps").format(n=setup.step_size)))
        if schedule_gamma(setup) is not None:
            out.append(Row("gamma", _("γ  by the factor"), value=fmt.num(schedule_gamma(setup))))
        out.append(Row("steps", _("steps"), value=str(setup.steps)))
        out.append(Row("tol", _("tolerance on ‖∇f‖"), value=fmt.num(setup.tol)))
        out.extend(_hyper_rows(setup))
    if setup.dim == 2:
        out.append(Row("h:show", _("Show"), "heading"))
        for name in ("gradient_field", "loss"):
            out.append(Row(f"show:{name}", _(LAYER_LABELS[name]), "toggle", on=name in setup.shown))
        out.append(Row("zoom", _("range"), value=f"{_range(setup.x_range)} × {_range(setup.y_range)}"))
    return tuple(out)


def schedule_name(schedule: str) -> str:
    """A learning-rate schedule's name on screen (the key stays the engine's: constant, step, …)."""
    return {
        "constant": pgettext("schedule", "constant"), "step": pgettext("schedule", "step"),
        "exponential": pgettext("schedule", "exponential"), "cosine": pgettext("schedule", "cosine"),
        "inverse_time": pgettext("schedule", "inverse_time"),
    }.get(schedule, schedule)


def _schedule_note(setup: Setup) -> str:
    """The schedule as a formula the learner can check against the chart."""
    return {
        "step": "ηₖ = η·γ^⌊k/s⌋",
        "exponential": "ηₖ = η·γᵏ",
        "cosine": _("{formula}: to 0 at the last step").format(formula=f"ηₖ = ½η(1 + cos(πk/{setup.steps}))"),
        "inverse_time": f"ηₖ = η/(1 + {schedule_defaults('inverse_time')['decay']:g}k)",
    }.get(setup.schedule, "")


def setting(setup: Setup, key: str) -> float:
    """The number a row shows and steps from (γ: the schedule's own default until the learner sets one)."""
    if key.startswith("lr:"):
        return setup.rate(key[3:])
    return schedule_gamma(setup) if key == "gamma" else getattr(setup, key)


def with_setting(setup: Setup, key: str, value: float) -> Setup:
    """The setup with the number of the row `key` set to `value` (lr:adam sets adam's own η)."""
    if key.startswith("lr:"):
        rates = {name: setup.rate(name) for name in setup.optimizers}
        rates[key[3:]] = value
        return replace(setup, rates=tuple(rates.items()))
    return replace(setup, **{key: int(value) if key in WHOLE else value})


def _hyper_rows(setup: Setup) -> list[Row]:
    racing = set(setup.optimizers)
    out = []
    if racing & {"momentum", "nesterov"}:
        others = [name for name in ("sgd", "rmsprop") if name in racing]
        changed = setup.momentum != DEFAULT_MOMENTUM
        note = ""
        if others and changed:
            names = [method_name(name) for name in others]
            note = (_("{name} takes it too").format(name=names[0]) if len(names) == 1
                    else _("{first} and {second} take it too").format(first=names[0], second=names[1]))
        out.append(Row("momentum", _(HYPER_LABELS["momentum"]), value=fmt.num(setup.momentum), note=note))
    if "rmsprop" in racing:
        out.append(Row("alpha", _(HYPER_LABELS["alpha"]), value=fmt.num(setup.alpha)))
    if "adam" in racing:
        out.append(Row("beta1", _(HYPER_LABELS["beta1"]), value=fmt.num(setup.beta1)))
        out.append(Row("beta2", _(HYPER_LABELS["beta2"]), value=fmt.num(setup.beta2)))
    return out


def _range(bounds: tuple[float, float] | None) -> str:
    lo, hi = bounds or (-1.0, 1.0)
    return f"{fmt.num(lo)}…{fmt.num(hi)}"


def adjust(setup: Setup, key: str, direction: int, big: bool = False) -> Setup:
    """The setup after ← (−1), → (+1) or space/enter (0) on the row `key`; `big` for shift.

    Switches: → turns on, ← off, space flips. Choices cycle (space too). Numbers climb their ladder and
    the range zooms (→ shows more, ← less); space leaves them as they are.
    """
    kind, _, name = key.partition(":")
    if key == "own_rates":  # each its own η: every racer starts from the shared one
        if direction and (direction > 0) == setup.own_rates:
            return setup
        return replace(setup, rates=None if setup.own_rates else ())
    if kind in ("opt", "show"):
        on = name in (setup.optimizers if kind == "opt" else setup.shown)
        if direction and (direction > 0) == on:
            return setup
        return toggled_optimizer(setup, name) if kind == "opt" else toggled_layer(setup, name)
    if key in CHOICES:
        choices = CHOICES[key]
        current = getattr(setup, key)
        index = choices.index(current) if current in choices else 0
        changed = replace(setup, **{key: choices[(index + (direction or 1)) % len(choices)]})
        return replace(changed, gamma=None) if key == "schedule" else changed  # γ: the new schedule's own
    if not direction:
        return setup
    if key == "zoom":
        return zoomed(setup, (4.0 if big else 2.0) ** direction)
    ladder = LADDERS.get("lr" if kind == "lr" else key)
    if ladder is not None:
        return with_setting(setup, key, climb(ladder, setting(setup, key), direction * (BIG if big else 1)))
    return setup


def climb(ladder: tuple[float, ...], value: float, rungs: int) -> float:
    """The value `rungs` rungs up (or down) the ladder; a value between rungs first lands on its neighbour,
    and a typed value beyond the ladder's end stays where it is when asked to go further out."""
    if not rungs:
        return value
    eps = 1e-9 * max(abs(value), 1e-300)
    if rungs > 0:
        index = bisect.bisect_right(ladder, value + eps) + rungs - 1
    else:
        index = bisect.bisect_left(ladder, value - eps) + rungs
    rung = ladder[min(max(index, 0), len(ladder) - 1)]
    return value if (rung - value) * rungs < 0 else rung

