"""How plot values are named and written on screen: η for lr, x₀ for x0, a real minus sign."""

from __future__ import annotations

from typing import Any

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
    "batch_size": "B",  # the batch size, as the lessons write it (not "batch", which names a method)
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


def value_text(name: str, value: Any) -> str:
    if isinstance(value, str) or value is None:
        return str(value if value is not None else "—")
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v)).replace("-", "−")
    text = f"{v:.4g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}e{int(exp)}"
    return text.replace("-", "−")
