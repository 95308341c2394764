"""How plot values are named on screen: η for lr, x₀ for x0 (`gdtui.charts.fmt.value` writes their values).

The names live in `gdtui.course.controls`, beside the keys' rule, so `gdtui check` reads the same ones."""

from __future__ import annotations

from gdtui.course.controls import LABELS, value_label

__all__ = ["LABELS", "value_label"]
