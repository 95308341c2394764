"""Laying a formula's tree out as text: a box is (lines, baseline).

Inline, a fraction reads a/b (with parentheses where a part is compound) and scripts become Unicode super- and
subscripts where every character has one. In display maths a fraction stacks over a rule, a sum or a limit
carries its limits above and below, a matrix lines its columns up and its brackets grow with it. Spacing
follows TeX's atom classes (`_gap`)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .nodes import Atom, Deco, Fenced, Frac, Group, Matrix, Scripts, Sqrt
from .symbols import ENVS, FONTS, PRIMES, SUB, SUP, TALL


@lru_cache(maxsize=4096)
def width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(lines: list[str]) -> list[str]:
    w = max(map(width, lines), default=0)
    return [line + " " * (w - width(line)) for line in lines]


def _fit(text: str, w: int, how: str = "c") -> str:
    room = w - width(text)
    left = 0 if how == "l" else room if how == "r" else room // 2
    return " " * left + text + " " * (room - left)


def _hcat(boxes: list[tuple[list[str], int]]) -> tuple[list[str], int]:
    if not boxes:
        return [""], 0
    up = max(b for _, b in boxes)
    down = max(len(lines) - 1 - b for lines, b in boxes)
    out = [""] * (up + down + 1)
    for lines, base in boxes:
        blank = [" " * width(lines[0])]
        column = blank * (up - base) + lines + blank * (down - (len(lines) - 1 - base))
        out = [a + b for a, b in zip(out, column, strict=True)]
    return out, up


def _gap(left: str, right: str, tight: bool) -> str:
    """The space TeX would put between two atoms of these classes, in whole characters."""
    if left in ("unary", "open", "tbin") or right in ("close", "punct", "tbin"):
        return ""
    if tight:
        return " " if left == "op" and right in ("ord", "ordx", "op", "inner") else ""
    if left == "rel" and right == "rel":
        return ""
    if "rel" in (left, right) or "bin" in (left, right) or left == "punct":
        return " "
    if left == "op":
        return "" if right == "open" else " "
    if right == "op" or "inner" in (left, right):
        return " "
    return " " if left == "ordx" and right in ("ord", "ordx") else ""


def render(items: list, display: bool, tight: bool) -> tuple[list[str], int]:
    pieces = [_node(n, display, tight) for n in items]
    prev = None
    for k, (lines, base, cls) in enumerate(pieces):
        if cls == "bin" and prev in (None, "bin", "tbin", "rel", "open", "punct", "op", "unary"):
            pieces[k] = (lines, base, "unary")
        if cls not in ("space", "mark"):
            prev = pieces[k][2]
    boxes: list[tuple[list[str], int]] = []
    prev = None
    for lines, base, cls in pieces:
        if cls == "mark":
            boxes.append((lines, 0))
            continue
        if lines == [""] and cls != "space":
            continue
        if prev not in (None, "space") and cls != "space":
            gap = _gap(prev, cls, tight)
            if gap:
                boxes.append(([gap], 0))
        boxes.append((_pad(lines), base))
        prev = cls
    return _hcat(boxes)


def render_line(items: list | None, tight: bool) -> str:
    return render(items or [], False, tight)[0][0]


def _unwrap(items: list) -> list:
    while len(items) == 1 and isinstance(items[0], Group):
        items = items[0].items
    return [n for n in items if not (isinstance(n, Atom) and not n.text)]


def _wrapped(text: str) -> bool:
    if len(text) < 2 or text[0] + text[-1] not in ("()", "[]", "‖‖", "||", "{}", "⟨⟩"):
        return False
    level = 0
    for k, c in enumerate(text):
        level += (c == text[0]) - (c == text[-1]) if text[0] != text[-1] else 0
        if level == 0 and k < len(text) - 1 and text[0] != text[-1]:
            return False
    return True


def _compound(items: list, den: bool = False, text: str = "", num: str = "") -> bool:
    """Whether a part of an inline fraction (or a script base) needs parentheses around it."""
    items = _unwrap(items)
    if _wrapped(text):
        return False
    if any(isinstance(n, Frac) and not n.binom for n in items):
        return True
    loose = [n for k, n in enumerate(items) if isinstance(n, Atom) and n.cls in ("bin", "rel", "punct", "space")
             and not (k == 0 and n.cls == "bin") and n.text not in "·×÷∗"]
    if loose or not den:
        return bool(loose)
    if text.startswith("∂") or (text[:1] in ("d", "δ", "Δ") and num[:1] == text[:1]):
        return False
    return len(items) > 1 or any(isinstance(n, Atom) and n.cls == "op" for n in items)


def _part(items: list, tight: bool) -> str:
    text = render_line(items, True)
    return text if tight or width(text) <= 5 else render_line(items, False)


def _script(text: str, table: dict[str, str]) -> str | None:
    return "".join(table[c] for c in text) if all(c in table for c in text) else None


def _node(node, display: bool, tight: bool) -> tuple[list[str], int, str]:
    if isinstance(node, Atom):
        return ([node.text], 0, node.cls) if node.cls != "break" else (["; "], 0, "space")
    if isinstance(node, Group):
        if len(node.items) == 1:
            lines, base, cls = _node(node.items[0], display, tight)
            return lines, base, "ord" if cls in ("bin", "rel", "punct", "open", "close", "unary") else cls
        return (*render(node.items, display, tight), "ord")
    if isinstance(node, Scripts):
        return _scripts(node, display, tight)
    if isinstance(node, Frac):
        if display and not tight and not node.binom:
            num, den = render_line(node.num, False), render_line(node.den, False)
            w = max(width(num), width(den)) + 2
            return [_fit(num, w), "─" * w, _fit(den, w)], 1, "inner"
        num, den = _part(node.num, tight), _part(node.den, tight)
        if node.binom:
            return [f"C({num}, {den})"], 0, "ord"
        num = f"({num})" if _compound(node.num, False, num) else num
        den = f"({den})" if _compound(node.den, True, den, num) else den
        return [f"{num}/{den}"], 0, "inner"
    if isinstance(node, Sqrt):
        arg, items = _part(node.arg, tight), _unwrap(node.arg)
        simple = len(items) == 1 and (isinstance(items[0], Deco) or (isinstance(items[0], Atom)
                                                                     and items[0].cls == "ord"))
        arg = arg if simple or _wrapped(arg) else f"({arg})"
        index = render_line(node.index, True)
        sign = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index) or (_script(index, SUP) or f"({index})") + "√"
        return [sign + arg], 0, "ord"
    if isinstance(node, Deco):
        text = render_line(node.arg, tight)
        if node.mark in FONTS:
            return ["".join(FONTS[node.mark].get(c, c) for c in text)], 0, "ord"
        return [_accent(text, node.mark)], 0, "ord"
    if isinstance(node, Matrix):
        return _matrix(node, display and not tight)
    if isinstance(node, Fenced):
        lines, base = render(node.items, display, tight)
        if len(lines) == 1:
            return [node.left + lines[0] + node.right], 0, "ord"
        h = len(lines)
        return [_delim(node.left, h, k) + line + _delim(node.right, h, k) for k, line in enumerate(_pad(lines))], \
            base, "ord"
    return [""], 0, "ord"


def _accent(text: str, mark: str) -> str:
    out: list[str] = []
    for c in text:
        if unicodedata.combining(c) and out:
            out[-1] = out[-1][:-1] + c + mark  # keep the new mark outermost
        else:
            out.append(c if c.isspace() else c + mark)
    return unicodedata.normalize("NFC", "".join(out))


def _scripts(node: Scripts, display: bool, tight: bool) -> tuple[list[str], int, str]:
    base = node.base
    lines, bbase, cls = _node(base, display, tight) if base is not None else ([""], 0, "ord")
    primes = PRIMES.get(node.primes, "′" * node.primes)
    sub = render_line(node.sub, True) if node.sub is not None else None
    sup = render_line(node.sup, True) if node.sup is not None else None
    if display and not tight and isinstance(base, Atom) and base.limits and (sub or sup) and not primes:
        w = max(width(t) for t in (sub or "", sup or "", base.text))
        stack = [t for t in (sup, base.text, sub) if t]
        return [_fit(t, w) for t in stack], 1 if sup else 0, "op"
    if len(lines) > 1:  # a tall base: scripts beside its top and bottom lines
        out = _pad(lines)
        out[0] += primes + ("" if sup is None else _script(sup, SUP) or "^" + sup)
        out[-1] += "" if sub is None else _script(sub, SUB) or "_" + sub
        return _pad(out), bbase, cls
    text = lines[0]
    if (isinstance(base, (Frac, Sqrt)) and not _wrapped(text)) or (
            isinstance(base, Group) and _compound(base.items, text=text)):
        text = f"({text})"
    text += primes
    loose = False
    for part, table, mark in ((sub, SUB, "_"), (sup, SUP, "^")):
        if part is None:
            continue
        converted = _script(part, table)
        if converted is None:
            plain = part.isalnum() or width(part) == 1 or _wrapped(part)
            loose = loose or (plain and not _wrapped(part))
            converted = mark + (part if plain else f"({part})")
        text += converted
    return [text], 0, "ordx" if loose and cls == "ord" else cls


def _delim(ch: str, height: int, k: int) -> str:
    if not ch or height == 1:
        return ch
    parts = TALL.get(ch, ch * 3)
    if len(parts) == 4:  # braces: top, filler, middle, bottom
        return parts[0] if k == 0 else parts[3] if k == height - 1 else parts[2] if k == height // 2 else parts[1]
    return parts[0] if k == 0 else parts[2] if k == height - 1 else parts[1]


def _matrix(node: Matrix, display: bool) -> tuple[list[str], int, str]:
    left, right = ENVS.get(node.env, ("", ""))
    aligned = node.env not in ENVS
    if aligned:
        texts = []
        for row in node.rows:
            items: list = []
            for k, cell in enumerate(row):
                items += ([Atom("\x00", "mark")] if k else []) + cell
            texts.append(render_line(items, False))
        grid = [t.split("\x00") for t in texts]
    else:
        grid = [[render_line(cell, False) for cell in row] for row in node.rows]
    if not any(any(row) for row in grid):
        return [left + right], 0, "ord"
    if not display:
        sep = "" if aligned else ", "
        return [left + "; ".join(sep.join(row).strip() for row in grid) + right], 0, "ord"
    how = "c" if node.env.startswith(("gather", "equation", "multline")) else "rl" if aligned else \
        "l" if node.env == "cases" else "c"
    ncols = max(len(row) for row in grid)
    widths = [max(width(row[k]) if k < len(row) else 0 for row in grid) for k in range(ncols)]
    sep = "" if aligned else "  " if node.env != "cases" else "   "
    lines = [sep.join(_fit(row[k] if k < len(row) else "", widths[k], how[k % len(how)]) for k in range(ncols))
             for row in grid]
    if len(lines) == 2 and (left or right):
        lines.insert(1, "")
    lines, h = _pad(lines), len(lines)
    if left or right:
        lines = [_delim(left, h, k) + " " * bool(left) + line + " " * bool(right) + _delim(right, h, k)
                 for k, line in enumerate(lines)]
    return _pad(lines), (h - 1) // 2, "ord"
