"""How precisely a typed number must match: the one rule for numbers and each component of a vector.

The rule a maths teacher uses (WeBWorK, PrairieLearn's significant-figure mode):

* An exact form (`5/3`, `sqrt(13)*2`, `2pi`, anything that is not a plain decimal) is judged with the
  answer's tight tolerance, |given − right| ≤ atol + rtol·|right|.
* A plain decimal (`1.67`, `-0.667`, `1.20e-3`, `1.20×10⁻³`) is also right when it is the right value
  rounded to the digits typed: within half a unit in its last digit (plus a hair of float slack) — if it
  has at least `digits` significant figures (3 unless the author says otherwise). With fewer it is
  "close": right as far as it goes, so the learner is asked for more figures and loses no attempt.
* The right value cut off (truncated) instead of rounded is wrong, with a hint to round.

Significant figures are counted from the text typed (after NFKC, so full-width digits count): leading
zeros never count (`0.00120` has 3); the zeros at the end of a whole number without a decimal point do not
either (`120` has 2, `120.` has 3, the scientist's convention); a number whose digits are all zero has
none. An exponent does not change them (`1.20e-3` has 3). A whole number typed with fewer figures than
wanted (`1`, `10`, `120` without a point) is taken as meant exactly: it is right only within the tight
tolerance, never "close" — a decimal point or an exponent is what shows that a learner rounded. So is any
whole number when the right answer is a whole number (a count: `1560` is not 1563 updates).

When the author sets `rtol` or `atol` without `digits`, the tolerance alone decides (`digits` is None).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from gdtui.course.model import DEFAULT_ATOL, DEFAULT_RTOL
from gdtui.i18n import _

SLACK = 1e-9  # relative float slack on the half unit: 0.1 + 0.2 is not exactly 0.3
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_MINUSES = str.maketrans({"−": "-", "‒": "-", "–": "-", "﹣": "-", "－": "-"})
_DECIMAL = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?"  # mantissa: 1.67, .5, 120, 120.
    r"(?:[eE](?P<e>[+-]?\d+)|(?:\*|×|·)10(?:\*\*|\^)\(?(?P<p>[+-]?\d+)\)?)?"  # 1.2e-3, 1.2*10^-3, 1.2×10^(-3)
)


@dataclass(frozen=True)
class Decimal:
    """A plain decimal as typed: its significant figures and the size of a unit in its last digit."""

    figures: int
    unit: float
    whole: bool  # written without a decimal point or an exponent


def normal(text: str) -> str:
    """The typed text as the engine reads it: NFKC, one kind of minus, superscript exponents, no spaces."""
    text = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), str(text))
    text = unicodedata.normalize("NFKC", text).translate(_MINUSES)  # after: NFKC reads ³ as a plain 3
    return "".join(text.split())


def read_decimal(text: str) -> Decimal | None:
    """The figures and last-digit unit of `text` when it is one plain decimal, else None (an exact form)."""
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        text = text[1:-1]  # `(-0.667)` is still a typed decimal
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return None
    whole, frac = match["int"], match["frac"]
    if not whole and not frac:
        return None  # "", ".", "e5"
    exponent = int(match["e"] or match["p"] or 0)
    if abs(exponent) > 300:
        return None
    digits = whole + (frac or "")
    if match["frac"] is None:  # a whole number: its trailing zeros are place holders
        kept = whole.rstrip("0")
        unit_power = len(whole) - len(kept) if kept else 0
        figures = len(kept.lstrip("0"))
    else:
        unit_power = -len(frac)
        figures = len(digits.lstrip("0"))
    whole = match["frac"] is None and not (match["e"] or match["p"])
    return Decimal(figures, 10.0 ** (unit_power + exponent), whole)


def split_components(text: str) -> list[str]:
    """The top-level components of a typed vector `[a, b]`, `(a, b)` or `a, b`; one item for a number."""
    text = normal(text)
    if len(text) >= 2 and (text[0], text[-1]) in (("[", "]"), ("(", ")")):
        inner = text[1:-1]
        if "," in inner or text[0] == "[":
            text = inner
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def judge(typed: str | None, given: float, right: float, *, digits: int | None, rtol: float,
          atol: float) -> str:
    """One number: "correct", "close" (right to fewer than `digits` figures), "truncated" (cut off
    instead of rounded) or "wrong". `typed` is that number's text, or None when it is not known."""
    if not (math.isfinite(given) and math.isfinite(right)):
        return "wrong"
    if abs(given - right) <= atol + rtol * abs(right):
        return "correct"
    decimal = read_decimal(normal(typed)) if typed is not None and digits is not None else None
    if decimal is None or (decimal.whole and (decimal.figures < digits or float(right).is_integer())):
        return "wrong"  # a short whole number (`1`, `120`), or one for a whole answer (a count), is exact
    half = 0.5 * decimal.unit * (1 + SLACK) + 1e-12 * abs(right)
    if abs(given - right) <= half:
        return "correct" if decimal.figures >= digits else "close"
    cut = math.copysign(math.floor(abs(right) / decimal.unit * (1 + 1e-12)) * decimal.unit, right)
    if given != 0 and abs(given - cut) <= 1e-6 * decimal.unit:
        return "truncated"
    return "wrong"


def judge_all(texts: list[str] | None, given, right, *, digits: int | None, rtol: float,
              atol: float) -> str:
    """Every component judged; the answer is the weakest of them: wrong < truncated < close < correct."""
    given, right = [float(v) for v in given], [float(v) for v in right]
    if texts is not None and len(texts) != len(given):
        texts = None
    marks = [judge(texts[i] if texts is not None else None, g, r, digits=digits, rtol=rtol, atol=atol)
             for i, (g, r) in enumerate(zip(given, right))]
    for mark in ("wrong", "truncated", "close"):
        if mark in marks:
            return mark
    return "correct"


def describe(digits: int | None, rtol: float, atol: float, *, vector: bool = False) -> str:
    """The precision an answer wants, in words for the exercise box."""
    if digits is not None:
        said = (_("exact, or {digits} significant figures in each number") if vector
                else _("exact, or {digits} significant figures"))
        return said.format(digits=digits)
    parts = []
    if atol != DEFAULT_ATOL:
        parts.append(f"±{atol:g}")
    if rtol != DEFAULT_RTOL or not parts:
        parts.append(f"{rtol * 100:g}%")
    said = _("within {tolerance} in each number") if vector else _("within {tolerance}")
    return said.format(tolerance=" + ".join(parts))
