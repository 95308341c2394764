"""Gradient-descent optimizers and learning-rate schedules, as pure functions.

An optimizer is three pure functions, in the style of jax.example_libraries.optimizers:

    init(x0) -> state            the starting state for the point x0
    update(k, g, state) -> state one step, k = 0, 1, 2, … counts the steps already taken,
                                 g is the gradient at the current point
    params(state) -> x           the current point

The state is an explicit NamedTuple of numpy arrays; nothing is hidden in attributes and
nothing is changed in place, so any state can be kept, replayed or plotted.

Every rule here works coordinate by coordinate, so the same three functions also run on one
coordinate as a plain Python float (init(0.5), update(k, 1.25, state)): `descend` does that for
points of a few coordinates, where numpy's per-call cost is most of the work. The numbers are the
same (the same IEEE operations in the same order); where Python raises instead of giving inf or nan
(0/0 with eps = 0, √ of a negative number), the caller goes back to arrays.

The update rules, hyperparameter names and defaults are PyTorch's (torch.optim.SGD,
Adagrad, RMSprop, Adam, non-"maximize", L2 `weight_decay` added to the gradient), checked
against torch itself by tests/tools/make_torch_reference.py.  The learning rate may be a
number or a schedule, a function k -> lr_k; `make_schedule` builds the usual ones.
"""

from __future__ import annotations

import math
from operator import attrgetter
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

Schedule = Callable[[int], float]


class Optimizer(NamedTuple):
    init: Callable[[Any], Any]
    update: Callable[[int, np.ndarray, Any], Any]
    params: Callable[[Any], np.ndarray]


class SGDState(NamedTuple):
    x: np.ndarray
    velocity: np.ndarray | None  # momentum buffer; None until the first step


class AdagradState(NamedTuple):
    x: np.ndarray
    sum_sq: np.ndarray  # running sum of squared gradients


class RMSpropState(NamedTuple):
    x: np.ndarray
    square_avg: np.ndarray  # moving average of g²
    grad_avg: np.ndarray  # moving average of g (used when centered)
    velocity: np.ndarray  # momentum buffer (used when momentum > 0)


class AdamState(NamedTuple):
    x: np.ndarray
    m: np.ndarray  # first moment: moving average of g
    v: np.ndarray  # second moment: moving average of g²
    v_max: np.ndarray  # largest v so far (used by amsgrad)


# ---------------------------------------------------------------- schedules

def constant(lr: float) -> Schedule:
    return lambda k: lr


def step_decay(lr: float, step_size: int = 10, gamma: float = 0.1) -> Schedule:
    # lr_k = lr · γ^⌊k / step_size⌋   (torch StepLR)
    if step_size < 1:
        raise ValueError("step_size must be a whole number of steps, at least 1")
    return lambda k: lr * gamma ** (k // step_size)


def exponential_decay(lr: float, gamma: float = 0.95) -> Schedule:
    # lr_k = lr · γ^k   (torch ExponentialLR)
    return lambda k: lr * gamma**k


def cosine_decay(lr: float, T_max: int = 100, eta_min: float = 0.0) -> Schedule:
    # lr_k = η_min + (lr − η_min)·(1 + cos(π·k / T_max)) / 2 for k ≤ T_max, then η_min
    # (torch CosineAnnealingLR up to T_max; it stays at the bottom rather than rising again)
    if T_max < 1:
        raise ValueError("T_max must be a whole number of steps, at least 1")
    return lambda k: eta_min + (lr - eta_min) * (1 + math.cos(math.pi * min(k, T_max) / T_max)) / 2


def inverse_time_decay(lr: float, decay: float = 0.01) -> Schedule:
    # lr_k = lr / (1 + decay·k)
    return lambda k: lr / (1 + decay * k)


_SCHEDULE_FACTORIES = {
    "constant": constant,
    "step": step_decay,
    "exponential": exponential_decay,
    "cosine": cosine_decay,
    "inverse_time": inverse_time_decay,
}
SCHEDULES = tuple(_SCHEDULE_FACTORIES)


def schedule_options(name: str) -> tuple[str, ...]:
    """The options `make_schedule(name, lr, …)` accepts: ("step_size", "gamma") for "step"."""
    return _keywords(_lookup(_SCHEDULE_FACTORIES, name, "schedule"))


def schedule_defaults(name: str) -> dict[str, float]:
    """The options' defaults: {"step_size": 10, "gamma": 0.1} for "step"."""
    factory = _lookup(_SCHEDULE_FACTORIES, name, "schedule")
    names, defaults = _keywords(factory), factory.__defaults__ or ()
    return dict(zip(names[len(names) - len(defaults):], defaults))


def make_schedule(name: str, lr: float, **kw) -> Schedule:
    """The named schedule starting at `lr`, e.g. make_schedule("step", 0.1, step_size=5, gamma=0.5)."""
    factory = _lookup(_SCHEDULE_FACTORIES, name, "schedule")
    _check_names(kw, _keywords(factory), f"schedule {name!r}")
    return factory(float(lr), **kw)


def _as_schedule(lr: float | Schedule) -> Schedule:
    if callable(lr):
        return lr
    lr = float(lr)
    if not lr >= 0:
        raise ValueError(f"the learning rate must be a number ≥ 0, not {lr}")
    return constant(lr)


def _as_point(x0) -> np.ndarray | float:
    return x0 if type(x0) is float else np.array(x0, dtype=float)


def _filled(x0: np.ndarray | float, value: float) -> np.ndarray | float:
    """A buffer the shape of x0 (an array, or one float coordinate) holding `value`."""
    return float(value) if type(x0) is float else np.full_like(x0, float(value))


def _sqrt(a):
    return math.sqrt(a) if type(a) is float else np.sqrt(a)


def _maximum(a, b):
    if type(a) is float and type(b) is float:
        return b if (b > a or b != b) else a  # as np.maximum: a nan on either side wins
    return np.maximum(a, b)


_point = attrgetter("x")  # params(state): every state keeps the point as its field x


def _l2(g: np.ndarray, x: np.ndarray, weight_decay: float) -> np.ndarray:
    # L2 penalty (λ/2)‖x‖² adds λ·x to the gradient
    return g + weight_decay * x if weight_decay else g


# ---------------------------------------------------------------- optimizers

def sgd(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0) -> Optimizer:
    """x ← x − lr·g, or with momentum μ: b ← μ·b + (1 − dampening)·g, x ← x − lr·b."""
    rate = _as_schedule(lr)
    if momentum < 0 or dampening < 0 or weight_decay < 0:
        raise ValueError("momentum, dampening and weight_decay must be ≥ 0")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("nesterov needs momentum > 0 and dampening = 0")

    def init(x0):
        return SGDState(_as_point(x0), None)

    def update(k, g, state):
        x, b = state
        g = _l2(g, x, weight_decay)
        if momentum:
            # the buffer starts as the first gradient itself (no dampening on step 0)
            b = g if b is None else momentum * b + (1 - dampening) * g
            # Nesterov looks ahead: step along g + μ·b instead of b
            g = g + momentum * b if nesterov else b
        return SGDState(x - rate(k) * g, b)

    return Optimizer(init, update, _point)


def momentum(lr, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0) -> Optimizer:
    """Heavy-ball momentum: SGD with μ = 0.9 unless told otherwise."""
    return sgd(lr, momentum, dampening, nesterov, weight_decay)


def nesterov(lr, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0) -> Optimizer:
    """Nesterov momentum: SGD with μ = 0.9 and the look-ahead gradient."""
    return sgd(lr, momentum, dampening, nesterov, weight_decay)


def adagrad(lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10) -> Optimizer:
    """Per-coordinate rates: s ← s + g², x ← x − lr_k/(1 + k·lr_decay) · g/(√s + ε)."""
    rate = _as_schedule(lr)
    if lr_decay < 0 or weight_decay < 0 or initial_accumulator_value < 0:
        raise ValueError("lr_decay, weight_decay and initial_accumulator_value must be ≥ 0")

    def init(x0):
        x0 = _as_point(x0)
        return AdagradState(x0, _filled(x0, initial_accumulator_value))

    def update(k, g, state):
        x, s = state
        g = _l2(g, x, weight_decay)
        clr = rate(k) / (1 + k * lr_decay)  # the rate itself decays with the step count
        s = s + g * g
        return AdagradState(x - clr * (g / (_sqrt(s) + eps)), s)

    return Optimizer(init, update, _point)


def rmsprop(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False) -> Optimizer:
    """s ← α·s + (1 − α)·g², x ← x − lr · g/(√s + ε); optionally centred and with momentum."""
    rate = _as_schedule(lr)
    if not 0 <= alpha <= 1 or momentum < 0 or weight_decay < 0 or eps < 0:
        raise ValueError("alpha must lie in [0, 1]; momentum, weight_decay and eps must be ≥ 0")

    def init(x0):
        x0 = _as_point(x0)
        zeros = _filled(x0, 0.0)
        return RMSpropState(x0, zeros, zeros, zeros)

    def update(k, g, state):
        x, s, mean_g, b = state
        g = _l2(g, x, weight_decay)
        s = alpha * s + (1 - alpha) * g * g
        if centered:
            # divide by an estimate of the standard deviation of g, not its root mean square
            mean_g = mean_g + (1 - alpha) * (g - mean_g)
            avg = _sqrt(s - mean_g * mean_g) + eps
        else:
            avg = _sqrt(s) + eps
        if momentum > 0:
            b = momentum * b + g / avg
            return RMSpropState(x - rate(k) * b, s, mean_g, b)
        return RMSpropState(x - rate(k) * (g / avg), s, mean_g, b)

    return Optimizer(init, update, _point)


def adam(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
         decoupled_weight_decay=False) -> Optimizer:
    """m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂."""
    rate = _as_schedule(lr)
    beta1, beta2 = (float(b) for b in betas)
    if not (0 <= beta1 < 1 and 0 <= beta2 < 1) or eps < 0 or weight_decay < 0:
        raise ValueError("betas must lie in [0, 1); eps and weight_decay must be ≥ 0")

    def init(x0):
        x0 = _as_point(x0)
        zeros = _filled(x0, 0.0)
        return AdamState(x0, zeros, zeros, zeros)

    def update(k, g, state):
        x, m, v, v_max = state
        lr_k, t = rate(k), k + 1
        if decoupled_weight_decay:
            x = x * (1 - lr_k * weight_decay)  # AdamW: shrink x directly
        else:
            g = _l2(g, x, weight_decay)
        m = m + (1 - beta1) * (g - m)  # = β₁m + (1−β₁)g, written as torch's lerp
        v = beta2 * v + (1 - beta2) * g * g
        # bias correction: m and v start at 0, so early averages are too small by 1 − βᵗ
        step_size = lr_k / (1 - beta1**t)
        root_bc2 = (1 - beta2**t) ** 0.5
        if amsgrad:
            v_max = _maximum(v_max, v)  # never let the denominator shrink
            denom = _sqrt(v_max) / root_bc2 + eps
        else:
            denom = _sqrt(v) / root_bc2 + eps
        return AdamState(x - step_size * (m / denom), m, v, v_max)

    return Optimizer(init, update, _point)


_OPTIMIZER_FACTORIES = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}
OPTIMIZERS = tuple(_OPTIMIZER_FACTORIES)
_BOOLEAN_HYPER = {"nesterov", "amsgrad", "centered", "decoupled_weight_decay"}


def optimizer_hyperparameters(name: str) -> tuple[str, ...]:
    """The hyperparameter names `make_optimizer(name, …)` accepts (beta1/beta2 for adam too)."""
    names = _keywords(_lookup(_OPTIMIZER_FACTORIES, name, "optimizer"))
    return names + (("beta1", "beta2") if "betas" in names else ())


def make_optimizer(name: str, lr: float | Schedule, **hyper) -> Optimizer:
    """The named optimizer with PyTorch's defaults, e.g. make_optimizer("adam", 0.1, betas=(0.8, 0.99)).

    `lr` is a number or a schedule k -> lr_k.  Adam also takes `beta1` and `beta2`
    separately (as lesson plots name them).  Unknown names raise ValueError.
    """
    factory = _lookup(_OPTIMIZER_FACTORIES, name, "optimizer")
    _check_names(hyper, optimizer_hyperparameters(name), f"optimizer {name!r}")
    if "beta1" in hyper or "beta2" in hyper:
        if "betas" in hyper:
            raise ValueError("give either betas or beta1/beta2, not both")
        hyper["betas"] = (hyper.pop("beta1", 0.9), hyper.pop("beta2", 0.999))
    for key, value in hyper.items():
        if key in _BOOLEAN_HYPER:
            hyper[key] = bool(value)
        elif key == "betas":
            hyper[key] = _numbers(key, value, 2)
        else:
            hyper[key] = _numbers(key, value, 1)[0]
    return factory(lr, **hyper)


def _numbers(key: str, value, count: int) -> tuple[float, ...]:
    try:
        numbers = tuple(float(v) for v in np.atleast_1d(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        numbers = ()
    if len(numbers) != count or not all(math.isfinite(v) for v in numbers):
        wanted = "a finite number" if count == 1 else f"{count} finite numbers"
        raise ValueError(f"{key} must be {wanted}, not {value!r}")
    return numbers


def _lookup(table: dict, name: str, kind: str):
    try:
        return table[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown {kind} {name!r}; choose one of {', '.join(table)}") from None


def _keywords(factory) -> tuple[str, ...]:
    code = factory.__code__
    return code.co_varnames[1 : code.co_argcount]  # every argument after lr


def _check_names(given: dict, valid: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(given) - set(valid))
    if unknown:
        listing = ", ".join(valid) if valid else "none"
        raise ValueError(
            f"{what} has no hyperparameter {', '.join(map(repr, unknown))}; valid ones: {listing}"
        )
