"""`{…}` templates in prompts, hints, feedback, solutions and test inputs.

The brace rule: `{…}` is a template only when what is inside is an expression of the safe language over
the params (helpers allowed) that names at least one param. Then it is replaced by its value, formatted readably (`{2*a}` with a = 0.1 → `0.2`, vectors as `(6, 8)`). Every other brace is left
alone, so LaTeX such as `\\frac{1}{2}`, `x^{10}` or `\\nabla f` stays maths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from gdtui.course.exprs import ValueProblem, compile_value, evaluate, names_in, number_text, value_text

_BRACES = re.compile(r"(?<!\\)\{([^{}]*)(?<!\\)\}")


def templates_in(text: str, params: Sequence[str]) -> list[re.Match]:
    """The `{…}` spans of `text` that are templates under the brace rule."""
    if not params or "{" not in text:
        return []
    params = tuple(params)
    return [m for m in _BRACES.finditer(text) if is_template(m.group(1), params)]


def is_template(content: str, params: tuple[str, ...]) -> bool:
    if "\\" in content or not set(params).intersection(names_in(content)):
        return False
    try:
        expr = compile_value(content, params)
    except ValueProblem:
        return False
    return bool(expr.names())


def render(text: str, env: Mapping[str, float], *, for_input: bool = False) -> str:
    """Fill in the templates of `text` with the params in `env`.

    A negative value gets parentheses where it would otherwise misread: after an operator (`2 \\cdot {a}`
    → `2 \\cdot (-1)`) or before a power (`{a}^2` → `(-1)^2`); with `for_input=True` (for `tests` inputs)
    always. A template that is a LaTeX argument (`x^{n}`, `\\frac{1}{n}`) keeps its braces.
    Raises `ValueProblem` when a template is not finite."""
    names = tuple(env)
    matches = templates_in(text, names)
    if not matches:
        return text
    out, last = [], 0
    for match in matches:
        before, after = text[:match.start()], text[match.end():]
        content = match.group(1)
        value = evaluate(compile_value(content, names), env)
        if not np.all(np.isfinite(value)):
            raise ValueProblem(f"template {{{content}}} is {value_text(value)} when {params_text(env)}")
        argument = bool(_ARGUMENT_BEFORE.search(before))
        if value.ndim == 0:
            operator = bool(_OPERATOR_BEFORE.search(before)) or after.startswith(("^", "**"))
            shown = number_text(float(value), for_input=for_input or (operator and not argument))
        else:
            shown = value_text(value)
        if argument:
            shown = "{" + shown + "}"
        out.append(text[last:match.start()])
        out.append(shown)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


_OPERATOR_BEFORE = re.compile(r"(?:[-+*/^·×−]|\\cdot|\\times)\s*$")
_ARGUMENT_BEFORE = re.compile(r"(?:\\(?!(?:cdot|times|div|pm|mp)\b)[A-Za-z]+\s*|[\^_}])$")


def params_text(env: Mapping[str, float]) -> str:
    """The params for a message: "a = 0.5, b = 2"."""
    return ", ".join(f"{k} = {number_text(v)}" for k, v in env.items()) or "there are no params"


# ---------------------------------------------------------------- {= …} values in prose
_PROSE_VALUE = re.compile(r"\{=\s*([^{}]+?)\s*\}")


def prose_values(text: str) -> list[str]:
    """The expressions of the `{= expression}` values in a prose line, as written."""
    return _PROSE_VALUE.findall(text)


def fill_prose_values(text: str) -> str:
    """Replace each `{= expression}` in a prose line by its value, computed by the engine.

    Prose has no params, so these are constant expressions with the helpers (`diff(x**2, x, 0.5)`,
    `descent(x**2 + 2*x + 1, x, 5, 0.1, 2)`, `0.25**10`). Raises `ValueProblem` when one cannot be computed."""
    def value(match: re.Match) -> str:
        content = match.group(1)
        try:
            result = evaluate(compile_value(content), {})
        except ValueProblem as exc:
            raise ValueProblem(f"{{= {content}}}: {exc.message}") from None
        if not np.all(np.isfinite(result)):
            raise ValueProblem(f"{{= {content}}} is {value_text(result)}, not a finite number")
        return display_number(value_text(result))

    return _PROSE_VALUE.sub(value, text)


_E_NOTATION = re.compile(r"(\d+(?:\.\d+)?)e([+-]?)(\d+)")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def display_number(text: str) -> str:
    """A number for reading rather than typing: `-6.1e-10` → `−6.1×10⁻¹⁰` (also inside `$…$`)."""
    def power(match: re.Match) -> str:
        mantissa, sign, exponent = match.groups()
        ten = "10" + ((("-" if sign == "-" else "") + exponent).translate(_SUPERSCRIPT))
        return ten if mantissa == "1" else f"{mantissa}×{ten}"

    return _E_NOTATION.sub(power, text).replace("-", "−")
