"""Named test functions, written in the safe expression language, with their known critical points.

Each `Surface` keeps its formula as text; `.expr` parses it once (lazily, on first use),
and `f`, `grad` and `hessian` evaluate the exact expressions, vectorised.  Points put the
variables on the last axis: `f(np.array([1.0, 2.0]))` is a number, `f(grid)` with
grid.shape == (m, 2) gives m numbers.  Critical points were found by Newton's method
from a grid at 30 significant digits and classified by the Hessian's eigenvalues; the
1-D `two_wells` minima come from numpy.roots on f′ when this module loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from gdtui.i18n import N_, _

if TYPE_CHECKING:
    from gdtui.engine.expr import Expr

Point = tuple[float, ...]


@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    text: str  # the formula, in the safe expression language
    variables: tuple[str, ...]
    domain: tuple[tuple[float, float], ...]  # (lo, hi) for each variable
    minima: tuple[Point, ...] = ()  # lowest first
    maxima: tuple[Point, ...] = ()
    saddles: tuple[Point, ...] = ()
    notes: str = ""  # marked with N_; {names} in it are filled from note_values where it is shown
    note_values: tuple[tuple[str, str], ...] = ()

    @property
    def note(self) -> str:
        """The notes in the learner's language, numbers filled in."""
        return _(self.notes).format(**dict(self.note_values)) if self.notes else ""

    @property
    def shown_title(self) -> str:
        return _(self.title)

    @property
    def dim(self) -> int:
        return len(self.variables)

    @cached_property
    def expr(self) -> Expr:
        from gdtui.engine.expr import parse  # imported late: the language is parsed on demand

        return parse(self.text, self.variables)

    @cached_property
    def gradient_exprs(self) -> tuple[Expr, ...]:
        return tuple(self.expr.diff(var) for var in self.variables)

    @cached_property
    def hessian_exprs(self) -> tuple[tuple[Expr, ...], ...]:
        from gdtui.engine.calculus import exact_hessian

        return exact_hessian(self.expr)

    def f(self, points) -> np.ndarray:
        """f at each point; the last axis of `points` holds the variables."""
        coords = self._coords(points)
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(self.expr(*coords), dtype=float), coords[0].shape).copy()

    def grad(self, points) -> np.ndarray:
        """The exact gradient, shaped like `points`."""
        coords = self._coords(points)
        return np.stack([self._at(d, coords) for d in self.gradient_exprs], axis=-1)

    def hessian(self, points) -> np.ndarray:
        """The exact Hessian: shape points.shape + (n,)."""
        coords = self._coords(points)
        rows = [np.stack([self._at(d, coords) for d in row], axis=-1) for row in self.hessian_exprs]
        return np.stack(rows, axis=-2)

    def _coords(self, points) -> list[np.ndarray]:
        points = np.asarray(points, dtype=float)
        if points.ndim == 0 and self.dim == 1:
            points = points.reshape(1)
        if points.shape[-1:] != (self.dim,):
            raise ValueError(
                f"{self.name} takes points with {self.dim} coordinate(s) on the last axis, "
                f"got shape {points.shape}"
            )
        return [points[..., i] for i in range(self.dim)]

    @staticmethod
    def _at(expr: Expr, coords: list[np.ndarray]) -> np.ndarray:
        with np.errstate(all="ignore"):  # a constant derivative comes back 0-d: spread it out
            return np.broadcast_to(np.asarray(expr(*coords), dtype=float), coords[0].shape)


XY = ("x", "y")


def quadratic_bowl(kappa: float) -> Surface:
    """x² + κ·y²: a bowl whose Hessian diag(2, 2κ) has condition number κ (κ ≥ 1 elongates it)."""
    kappa = float(kappa)
    if not kappa > 0:
        raise ValueError("the condition number κ must be positive")
    return Surface(
        f"bowl_kappa_{kappa:g}", f"Bowl with condition number {kappa:g}", f"x**2 + {kappa!r}*y**2",
        XY, ((-5.0, 5.0), (-5.0, 5.0)), minima=((0.0, 0.0),),
        notes=f"The curvature along y is {kappa:g} times that along x; a learning rate safe for y "
        "crawls along x, one fast for x makes y zig-zag or blow up (stable only for lr < 1/κ).",
    )


def _two_wells() -> Surface:
    # f = x⁴ − 3x² + x, f′ = 4x³ − 6x + 1, f″ = 12x² − 6
    roots = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
    roots = roots - (4 * roots**3 - 6 * roots + 1) / (12 * roots**2 - 6)  # one Newton polish
    low, mid, high = (float(r) for r in roots)
    value = lambda t: t**4 - 3 * t**2 + t  # noqa: E731
    minima = tuple(sorted(((low,), (high,)), key=lambda p: value(p[0])))
    return Surface(
        "two_wells", N_("Two wells"), "x**4 - 3*x**2 + x", ("x",), ((-2.5, 2.5),),
        minima=minima, maxima=((mid,),),
        notes=N_("Two local minima, x ≈ {low} (the global one, f ≈ {f_low}) and x ≈ {high} (f ≈ {f_high}), "
                 "separated by a local maximum at x ≈ {mid}: where descent ends depends on where it starts."),
        note_values=(("low", f"{low:.6f}"), ("f_low", f"{value(low):.6f}"), ("high", f"{high:.6f}"),
                     ("f_high", f"{value(high):.6f}"), ("mid", f"{mid:.6f}")),
    )


SIN_BOWL_MINIMUM = -0.7390851332151607  # solves f′ = cos x + x = 0

_SURFACE_LIST = (
    Surface("bowl", N_("Round bowl"), "x**2 + y**2", XY, ((-5.0, 5.0), (-5.0, 5.0)),
            minima=((0.0, 0.0),), notes=N_("Σx², the textbook's first example: ∇f = (2x, 2y).")),
    Surface("elongated_bowl", N_("Elongated bowl"), "x**2 + 10*y**2", XY, ((-5.0, 5.0), (-5.0, 5.0)),
            minima=((0.0, 0.0),), notes=N_("Condition number 10: plain descent zig-zags across the valley.")),
    Surface("rosenbrock", N_("Rosenbrock's banana"), "(1 - x)**2 + 100*(y - x**2)**2", XY,
            ((-2.0, 2.0), (-1.0, 3.0)), minima=((1.0, 1.0),),
            notes=N_("A long curved valley: easy to reach, slow to follow to (1, 1).")),
    Surface("beale", N_("Beale"), "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
            XY, ((-4.5, 4.5), (-4.5, 4.5)), minima=((3.0, 0.5),),
            saddles=((0.0, 1.0), (0.1005379373, -2.6445135850)),
            notes=N_("Flat plateaus and steep walls; the minimum sits in a narrow valley.")),
    Surface("himmelblau", N_("Himmelblau"), "(x**2 + y - 11)**2 + (x + y**2 - 7)**2", XY,
            ((-5.0, 5.0), (-5.0, 5.0)),
            minima=((3.0, 2.0), (-2.8051180870, 3.1313125183), (-3.7793102534, -3.2831859913),
                    (3.5844283403, -1.8481265270)),
            maxima=((-0.2708445907, -0.9230385565),),
            saddles=((0.0866775046, 2.8842547012), (-3.0730257508, -0.0813530443),
                     (3.3851541836, 0.0738518798), (-0.1279613467, -1.9537149802)),
            notes=N_("Four minima, all with f = 0: the start decides which one descent finds.")),
    Surface("booth", N_("Booth"), "(x + 2*y - 7)**2 + (2*x + y - 5)**2", XY, ((-10.0, 10.0), (-10.0, 10.0)),
            minima=((1.0, 3.0),), notes=N_("A tilted quadratic bowl.")),
    Surface("matyas", N_("Matyas"), "0.26*(x**2 + y**2) - 0.48*x*y", XY, ((-10.0, 10.0), (-10.0, 10.0)),
            minima=((0.0, 0.0),), notes=N_("A shallow quadratic with condition number 25 along the diagonal.")),
    Surface("six_hump_camel", N_("Six-hump camel"), "(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
            XY, ((-3.0, 3.0), (-2.0, 2.0)),
            minima=((0.0898420131, -0.7126564030), (-0.0898420131, 0.7126564030),
                    (1.7036067150, -0.7960835687), (-1.7036067150, 0.7960835687),
                    (1.6071047529, 0.5686514549), (-1.6071047529, -0.5686514549)),
            maxima=((1.2302298765, 0.1623345845), (-1.2302298765, -0.1623345845)),
            saddles=((0.0, 0.0), (1.1092053368, -0.7682680925), (-1.1092053368, 0.7682680925),
                     (1.6380679842, 0.2286740690), (-1.6380679842, -0.2286740690),
                     (1.2960702672, 0.6050843880), (-1.2960702672, -0.6050843880)),
            notes=N_("Six local minima; the first two are the global ones (f ≈ −1.031628), "
            "the next two have f ≈ −0.215464, the last two f ≈ 2.104250.")),
    Surface("rastrigin", N_("Rastrigin"), "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)", XY,
            ((-5.12, 5.12), (-5.12, 5.12)), minima=((0.0, 0.0),),
            notes=N_("Only the global minimum is listed; there is a local minimum near every point "
            "with integer coordinates, so descent stops in the nearest one.")),
    Surface("saddle", N_("Saddle"), "x**2 - y**2", XY, ((-2.0, 2.0), (-2.0, 2.0)), saddles=((0.0, 0.0),),
            notes=N_("No minimum: up along x, down along y. Started exactly on y = 0, descent stops at "
            "the saddle point; any tiny y grows.")),
    _two_wells(),
    Surface("sin_bowl", N_("Sine in a bowl"), "sin(x) + 0.5*x**2", ("x",), ((-6.0, 6.0),),
            minima=((SIN_BOWL_MINIMUM,),),
            notes=N_("Exactly one minimum, at x ≈ −0.739085 (where cos x + x = 0): f″ = 1 − sin x ≥ 0 "
            "everywhere, so the function is convex. Seed 003 presents it as having several local "
            "minima; that is wrong. Use two_wells to show local minima.")),
)

SURFACES: dict[str, Surface] = {surface.name: surface for surface in _SURFACE_LIST}
