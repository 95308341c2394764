"""The playground's named presets: every surface of the engine and the seeds' experiments, as data.

A preset is a complete starting `Setup` (function, range, point, optimizers, learning rate…), so a teacher
shows one in two keystrokes (`p`, then its key) or by name (`gdtui play rosenbrock`). The settings were
chosen by running them: each race ends somewhere worth talking about (a different minimum, a zig-zag, a
divergence), within the learning rate all its optimizers share.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from gdtui.engine.expr import parse
from gdtui.engine.surfaces import SURFACES
from gdtui.i18n import N_, _
from gdtui.playground.setup import Setup, default_setup

KEYS = "123456789abcdefghijklmno"  # the second keystroke, in the order of PRESETS


@dataclass(frozen=True)
class Preset:
    """A named setup. Its words are kept in English (marked with N_) and shown in the learner's language:
    ``title`` and ``setup`` translate them each time they are asked for."""

    name: str  # what `gdtui play NAME` and the input accept
    heading: str  # the title's words (English)
    formula: str  # shown after the heading for a surface; "" for a seed
    base: Setup  # its name and note in English
    note_values: tuple[tuple[str, str], ...] = ()  # numbers for the note's {placeholders}

    @property
    def title(self) -> str:
        """What the list shows: "Two wells: x⁴ − 3·x² + x" in the learner's language."""
        return f"{_(self.heading)}: {self.formula}" if self.formula else _(self.heading)

    @property
    def setup(self) -> Setup:
        note = _(self.base.note).format(**dict(self.note_values)) if self.base.note else ""
        return replace(self.base, name=_(self.base.name), note=note)


def _surface(name: str, **changes) -> Preset:
    surface = SURFACES[name]
    domain = surface.domain
    base = default_setup(surface.text, surface.variables, x_range=domain[0],
                         y_range=domain[1] if surface.dim == 2 else None)
    setup = replace(base, name=surface.title, note=surface.notes, **changes)
    return Preset(name, surface.title, surface.expr.unicode(), setup, surface.note_values)


def _seed(name: str, title: str, text: str, variables: tuple[str, ...], **changes) -> Preset:
    base = default_setup(text, variables, x_range=(-5.0, 5.0), y_range=(-5.0, 5.0) if len(variables) == 2 else None)
    return Preset(name, title, "", replace(base, name=title, **changes))


RACE = ("sgd", "momentum", "nesterov")
DESCENT_1D = frozenset({"derivative", "tangent", "descent"})

PRESETS: tuple[Preset, ...] = (
    _seed("seed_1d", N_("x² + 2x + 1 from x₀ = 5, η = 0.1"), "x**2 + 2*x + 1", ("x",), x_range=(-6.0, 6.0),
          start=(5.0,), point=5.0, lr=0.1, steps=100, optimizers=("sgd",), shown=DESCENT_1D,
          note=N_("The seeds' first descent: x₁ = 3.8, x₂ = 2.84, then on to the minimum at x = −1.")),
    _seed("seed_bowl", N_("x² + y² from (−3, 4), η = 0.1"), "x**2 + y**2", ("x", "y"), start=(-3.0, 4.0),
          lr=0.1, steps=100, optimizers=("sgd",),
          note=N_("Each step multiplies the point by 1 − 2η = 0.8: straight to the minimum at (0, 0).")),
    _seed("seed_bowl_big", N_("x² + y² from (−3, 4), η = 10 (too big)"), "x**2 + y**2", ("x", "y"),
          start=(-3.0, 4.0), lr=10.0, steps=100, optimizers=("sgd",),
          note=N_("Each step multiplies the point by 1 − 2η = −19: it jumps further out every time and diverges.")),
    _seed("seed_bowl_tiny", N_("x² + y² from (−3, 4), η = 1e−10 (too small)"), "x**2 + y**2", ("x", "y"),
          start=(-3.0, 4.0), lr=1e-10, steps=100, optimizers=("sgd",),
          note=N_("A hundred steps of size 1e−10: the point has not visibly moved (−2.99999994, 3.99999992).")),
    _surface("two_wells", start=(2.0,), point=-1.5, lr=0.02, steps=100, optimizers=("sgd",),
             shown=frozenset({"tangent", "descent"})),
    _surface("sin_bowl", point=2.0, shown=frozenset({"derivative", "second_derivative", "tangent"})),
    _surface("bowl", start=(-4.0, 3.0), lr=0.1, steps=100, optimizers=("sgd", "momentum", "adam")),
    _surface("elongated_bowl", start=(-4.5, 2.0), lr=0.08, steps=100, optimizers=("sgd", "momentum", "adam")),
    _surface("rosenbrock", start=(-1.2, 1.0), lr=0.001, steps=1000, optimizers=RACE, tol=0.01),
    _surface("beale", start=(1.0, 1.5), lr=0.01, steps=1000, optimizers=("sgd", "rmsprop", "adam"), tol=0.01),
    _surface("himmelblau", start=(0.0, 0.0), lr=0.01, steps=200, optimizers=RACE),
    _surface("booth", start=(-8.0, 8.0), lr=0.05, steps=200, optimizers=RACE),
    _surface("matyas", start=(8.0, -6.0), lr=0.5, steps=200, optimizers=RACE),
    _surface("six_hump_camel", start=(-1.5, 1.5), lr=0.02, steps=200, optimizers=RACE),
    _surface("rastrigin", start=(2.2, -3.3), lr=0.002, steps=300, optimizers=("sgd", "momentum", "adam")),
    _surface("saddle", start=(-1.8, 0.05), lr=0.1, steps=40, optimizers=("sgd",)),
)

BY_NAME: dict[str, Preset] = {preset.name: preset for preset in PRESETS}
BY_KEY: dict[str, Preset] = dict(zip(KEYS, PRESETS))
DEFAULT_PRESET = "two_wells"


def preset_named(text: str) -> Preset | None:
    """The preset a learner means by `text` ("rosenbrock", "six-hump camel"), or None."""
    return BY_NAME.get(text.strip().lower().replace("-", "_").replace(" ", "_"))


def key_of(preset: Preset) -> str:
    return KEYS[PRESETS.index(preset)]


def matching_preset(reading) -> Preset | None:
    """The first preset drawing the function just read (so x**2 + y**2 brings the seeds' bowl)."""
    if reading.expr is None:
        return None
    target = str(reading.expr)
    return next((p for p in PRESETS if p.setup.variables == reading.variables and _formula(p) == target), None)


@lru_cache(maxsize=None)
def _formula(preset: Preset) -> str:
    return str(parse(preset.setup.text, preset.setup.variables))
