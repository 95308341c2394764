"""The numpy engine: safe expressions, derivatives, optimizers, descent, regression, surfaces.

Everything a lesson, a chart or the playground computes comes from here. This package imports numpy
only, never textual, rich or plotext (tests/test_boundaries.py checks it in a fresh interpreter).
"""

from gdtui.engine.calculus import (
    DIFFERENCE_METHODS,
    difference_error,
    directional_derivative,
    exact_hessian,
    numerical_derivative,
    numerical_gradient,
    numerical_gradient_at,
    numerical_gradient_batch,
    numerical_hessian,
    tangent_line,
)
from gdtui.engine.descent import Trajectory, descend, race
from gdtui.engine.expr import Expr, ExprError, format_number, parse
from gdtui.engine.optimizers import OPTIMIZERS, SCHEDULES, Optimizer, make_optimizer, make_schedule
from gdtui.engine.surfaces import SURFACES, Surface, quadratic_bowl

__all__ = [
    "DIFFERENCE_METHODS", "OPTIMIZERS", "SCHEDULES", "SURFACES",
    "Expr", "ExprError", "Optimizer", "Surface", "Trajectory",
    "descend", "difference_error", "directional_derivative", "exact_hessian", "format_number",
    "make_optimizer", "make_schedule", "numerical_derivative", "numerical_gradient",
    "numerical_gradient_at", "numerical_gradient_batch", "numerical_hessian", "parse", "quadratic_bowl", "race", "tangent_line",
]
