"""How plot values are named on screen: η for lr, x₀ for x0 (`gdtui.charts.fmt.value` writes their values)."""

from __future__ import annotations

LABELS = {
    "lr": "η",
    "x0": "x₀",
    "y0": "y₀",
    "step": "k",
    "steps": "steps",
    "tangent_at": "x",
    "momentum": "β",
    "beta1": "β₁",
    "beta2": "β₂",
    "alpha": "α",
    "eps": "ε",
    "batch_size": "batch",
    "step_size": "s",
    "gamma": "γ",
    "T_max": "T",
    "eta_min": "η_min",
    "decay": "decay",
}


def value_label(name: str) -> str:
    if name.startswith("lr_"):  # one optimizer's own η in a race: lr_adam -> "η adam"
        return f"η {name[3:]}"
    return LABELS.get(name, name)
