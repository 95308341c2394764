"""A value the learner types into the playground's settings (pure): η, the steps … or the view's range.

`prefill(setup, key)` is the text the editor opens with: the exact value, so enter alone changes nothing.
`read_typed(setup, key, text)` reads the text with the engine's safe language (never `eval`), so `1e-3`,
`0.0015` and `1/3` all work, and checks it against the limits a lesson's plot has (η > 0, steps a whole
number from 1 to 10000 …). It gives the changed `Setup`, or a message the learner can act on.

A range reads as `lo…hi` (or `lo..hi`, `lo, hi`, `lo to hi`, `[lo, hi]`); a 2-D one as `xlo…xhi × ylo…yhi`
(`x` or a comma between the two works too, and so do four numbers `xlo, xhi, ylo, yhi`). Typing one is how
the learner pans the view or sets an exact window; ←/→ keep zooming about the middle.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from gdtui.charts import fmt
from gdtui.course.plots import LIMITS
from gdtui.i18n import _
from gdtui.engine.expr import ExprError, parse
from gdtui.playground.settings import WHOLE, setting, with_setting
from gdtui.playground.setup import Setup, normalised

SYMBOLS = {"lr": "η", "steps": "steps", "tol": "tol", "momentum": "β", "alpha": "α",
           "beta1": "β₁", "beta2": "β₂", "gamma": "γ", "step_size": "s"}
EXAMPLES = {"lr": "0.0015, 1e-3 or 1/3", "steps": "150", "tol": "1e-6", "momentum": "0.9", "alpha": "0.99",
            "beta1": "0.9", "beta2": "0.999", "gamma": "0.5", "step_size": "25"}
# (lo, hi, lo_open, hi_open), as a plot checks them; the tolerance is the playground's own.
BOUNDS = {**{key: LIMITS[key] for key in SYMBOLS if key in LIMITS}, "tol": (0, None, True, False)}
RANGE_END = 1e6  # a typed range stays within ±RANGE_END …
RANGE_WIDTH = 1e-6  # … and is at least this wide (the chart needs room between its ticks)
_X = re.compile(r"×|(?<![A-Za-z_])[xX](?![A-Za-z_(])")  # between a 2-D range's x and y parts
_TO = re.compile(r"\.\.\.|…|\s+to\s+")


@dataclass(frozen=True)
class Typed:
    """How the playground read a typed value: the setup with it in place, or what is wrong."""

    text: str
    setup: Setup | None = None
    read_as: str = ""  # "1/3 = 0.3333333333", "x: −2…2,  y: −1…3"
    error: str = ""  # "η must be greater than 0"

    @property
    def ok(self) -> bool:
        return self.setup is not None


def prefill(setup: Setup, key: str) -> str:
    """The exact value of the row `key` as text; the range as the row shows it: "−2…2 × −1…3"."""
    if key == "zoom":
        return " × ".join(_range_text(r) for r in (setup.x_range, setup.y_range) if r is not None)
    return exact(setting(setup, key))


def example(setup: Setup, key: str) -> str:
    """What to type, in one line under the box."""
    if key == "zoom":
        if setup.dim == 1:
            return _("lo…hi, such as −2…3 (-2..3, -2, 3 and -2 to 3 work too)")
        return _("xlo…xhi × ylo…yhi, such as −2…2 × −1…3 (or -2..2 x -1..3)")
    key = _base(key)
    lo, hi, lo_open, hi_open = BOUNDS[key]
    if key in WHOLE:
        return _("a whole number from {lo} to {hi}, such as {example}").format(lo=lo, hi=hi, example=EXAMPLES[key])
    symbol = SYMBOLS[key]
    if hi is None:
        rule = f"{symbol} {'>' if lo_open else '≥'} {lo:g}"
    else:
        rule = f"{lo:g} {'<' if lo_open else '≤'} {symbol} {'<' if hi_open else '≤'} {hi:g}"
    return _("{rule}, such as {example}").format(rule=rule, example=EXAMPLES[key])


def read_typed(setup: Setup, key: str, text: str) -> Typed:
    """The setup with the text typed into the row `key` (a number, or "zoom": the range), or what is wrong."""
    try:
        if key == "zoom":
            ranges = read_ranges(text, setup.dim)
            changed = replace(setup, x_range=ranges[0], y_range=ranges[1] if setup.dim == 2 else None)
            shown = ",  ".join(f"{axis}: {_range_text(r, shown=True)}" for axis, r in zip("xy", ranges))
            return Typed(text, normalised(changed), shown)
        value, shown = read_number(text)
        _check(key, value)
    except ValueError as exc:
        return Typed(text, error=str(exc))
    return Typed(text, with_setting(setup, key, value), shown)


# -- one number ---------------------------------------------------------------------------------------
def read_number(text: str) -> tuple[float, str]:
    """The number a text stands for and how it reads ("1/3 = 0.3333333333"); ValueError with what is wrong."""
    text = text.strip()
    if not text:
        raise ValueError(_("type a number first"))
    try:
        expr = parse(text.replace(fmt.MINUS, "-"), ())
        value = np.asarray(expr(), dtype=float)
    except ExprError as exc:
        said = _("I could not read '{text}': {problem}")
        raise ValueError(said.format(text=text, problem=exc.message.split(';')[0])) from None
    if expr.is_vector:
        raise ValueError(_("type one number, not {n}").format(n=value.size))
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(_("'{text}' is {value}, not a finite number").format(text=text, value=fmt.num(number)))
    shown = fmt.num(number, 10)
    written = expr.unicode()
    return number, shown if written == shown else f"{written} = {shown}"


def _base(key: str) -> str:
    """The setting whose limits a row has: an optimizer's own η (lr:adam) is an η."""
    return "lr" if key.startswith("lr:") else key


def _check(key: str, value: float) -> None:
    key = _base(key)
    lo, hi, lo_open, hi_open = BOUNDS[key]
    whole = key not in WHOLE or value == int(value)
    low_bad = lo is not None and (value <= lo if lo_open else value < lo)
    high_bad = hi is not None and (value >= hi if hi_open else value > hi)
    if low_bad or high_bad or not whole:
        raise ValueError(_limit_words(key).format(symbol=SYMBOLS[key]))


def _limit_words(key: str) -> str:
    """"{symbol} must be greater than 0", "… at least 0 and less than 1", "… a whole number from 1 to 10000":
    one sentence with {symbol} left to fill."""
    lo, hi, lo_open, hi_open = BOUNDS[key]
    if key in WHOLE:
        return _("{symbol} must be a whole number from {lo} to {hi}").replace("{lo}", str(lo)).replace("{hi}", str(hi))
    low = f"{lo:g}" if lo is not None else ""
    high = f"{hi:g}" if hi is not None else ""
    if lo is not None and hi is not None:
        said = {(True, True): _("{symbol} must be greater than {lo} and less than {hi}"),
                (True, False): _("{symbol} must be greater than {lo} and at most {hi}"),
                (False, True): _("{symbol} must be at least {lo} and less than {hi}"),
                (False, False): _("{symbol} must be at least {lo} and at most {hi}")}[(bool(lo_open), bool(hi_open))]
    elif lo is not None:
        said = _("{symbol} must be greater than {lo}") if lo_open else _("{symbol} must be at least {lo}")
    else:
        said = _("{symbol} must be less than {hi}") if hi_open else _("{symbol} must be at most {hi}")
    return said.replace("{lo}", low).replace("{hi}", high)


# -- a range ------------------------------------------------------------------------------------------
def read_ranges(text: str, dim: int) -> tuple[tuple[float, float], ...]:
    """(x range,) or (x range, y range) from what the learner typed; ValueError with what is wrong."""
    t = _TO.sub("..", text.replace(fmt.MINUS, "-")).strip()
    if not t:
        raise ValueError(_("type a range first, such as {example}").format(example="−2…3" if dim == 1 else "−2…2 × −1…3"))
    if dim == 1:
        return (_pair(t, ""),)
    parts = _X.split(t)
    if len(parts) == 1:  # "−2…2, −1…3" or "−2, 2, −1, 3"
        parts = _split_top(t)
        if len(parts) == 4:
            parts = [f"{parts[0]}, {parts[1]}", f"{parts[2]}, {parts[3]}"]
    if len(parts) != 2:
        raise ValueError(_("write the range as xlo…xhi × ylo…yhi, such as −2…2 × −1…3"))
    return _pair(parts[0], "x: "), _pair(parts[1], "y: ")


def _pair(text: str, axis: str) -> tuple[float, float]:
    text = _unwrapped(text.strip())
    pieces = text.split("..") if ".." in text else _split_top(text)
    if len(pieces) != 2 or not all(p.strip() for p in pieces):
        raise ValueError(axis + _("write a range as lo…hi, such as −2…3"))
    try:
        lo, hi = (read_number(p)[0] for p in pieces)
    except ValueError as exc:
        raise ValueError(f"{axis}{exc}") from None
    if not lo < hi:
        said = _("{range} is reversed or empty: write lo…hi with lo < hi").format(range=_range_text((lo, hi)))
        raise ValueError(axis + said)
    if max(abs(lo), abs(hi)) > RANGE_END:
        said = _("keep the range within {range}").format(range=f"{fmt.num(-RANGE_END)}…{fmt.num(RANGE_END)}")
        raise ValueError(axis + said)
    if hi - lo < RANGE_WIDTH:
        said = _("the range is too narrow to draw: make it at least {width} wide").format(width=fmt.num(RANGE_WIDTH))
        raise ValueError(axis + said)
    return lo, hi


def _split_top(text: str) -> list[str]:
    """The text split at commas outside brackets: "max(1, 2), 3" -> ["max(1, 2)", "3"]."""
    pieces, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            pieces.append(text[last:i])
            last = i + 1
    return [p.strip() for p in pieces + [text[last:]]]


def _unwrapped(text: str) -> str:
    """"[−2, 2]" or "(−2, 2)" without the brackets around the whole; "(1)..(2)" as it is."""
    while len(text) > 1 and text[0] in "([" and text[-1] in ")]":
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch in "([") - (ch in ")]")
            if depth == 0 and i < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


def _range_text(bounds: tuple[float, float], shown: bool = False) -> str:
    """"−2…3": exact (to type into), or as the learner reads it (`shown`: ten digits at most)."""
    if shown:
        return f"{fmt.num(bounds[0], 10)}…{fmt.num(bounds[1], 10)}"
    return f"{exact(bounds[0])}…{exact(bounds[1])}".replace("-", fmt.MINUS)


def exact(value: float) -> str:
    """The shortest text that reads back as exactly this number: 0.1 -> "0.1", 2.0 -> "2", 1e-05 -> "1e-5"."""
    text = repr(float(value) + 0.0)
    text = text[:-2] if text.endswith(".0") else text
    mantissa, e, power = text.partition("e")
    return f"{mantissa}e{int(power)}" if e else text
