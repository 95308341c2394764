"""The maths people type -> text for Python's parser, with a map back to their columns (private).

Two passes, each linear in the text:

1. `Source(original)`, character by character: NFKC (full-width `３ｘ（，）` become `3x(,)`), superscripts
   (`x²` -> `x**2`, `x⁻¹` -> `x**-1`), `^` -> `**`, `− × · ⋅ ÷` -> `- * * * /`, `π` -> `pi`, `√` -> `sqrt`.
   Every character it produces remembers the column of the character typed, so an error points there.
2. `mark_products(src, ...)`, token by token (Python's tokenize): a product is written by putting factors
   side by side, with or without a space (`2x`, `12 x^2 y`, `(x+1)(x-1)`, `x(x+1)`, `3x² sin x`); a
   function of one argument takes, without brackets, the factors that follow it up to the next
   operator or function (`sin x`, `sin 3x` is sin(3x), `sin x^2` is sin(x²), `sin x cos x` is
   sin(x)·cos(x), `√2x` is √(2x)); `|u|` is abs(u); `ln` is log; `9.54×10⁻⁷` is the number 9.54e-7.
   Two numbers side by side (`2 3`) are refused: they are more often a slip than a product.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
import unicodedata

from gdtui.engine.expr.nodes import ExprError
from gdtui.i18n import _

_SPACES = "\t\n\r\f\v"
_MAYBE_IMPLICIT = re.compile(r"[ (|]|[0-9.][^\W\d]|\b0\d")  # or a leading zero, 27,04
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
_REPLACEMENTS = {
    "^": "**", "\u2212": "-", "×": "*", "·": "*", "⋅": "*", "∙": "*", "÷": "/", "∕": "/",
    "π": " pi ", "√": " sqrt ",
}  # fmt: skip


class Source:
    """The text handed to Python's parser, with a map back to the user's columns."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.end = len(original) + 1  # the column just past the text
        chars: list[str] = []
        cols: list[int] = []
        superscript = False
        for i, ch in enumerate(original):
            if (ord(ch) < 32 and ch not in _SPACES) or ch == "\x7f":
                raise ExprError(_("unexpected character {code}").format(code=f"U+{ord(ch):04X}"), i + 1)
            text = _plain(ch, superscript)
            if ch == "#" or text == "#":  # Python would silently drop the rest as a comment
                raise ExprError(_("unexpected character {code}").format(code="'#'"), i + 1)
            if superscript and ch not in _SUPERSCRIPTS:
                text = " " + text  # x²3 is not x**23
            superscript = ch in _SUPERSCRIPTS
            if not chars:
                text = text.lstrip()  # leading spaces would be an "unexpected indent"
            chars.extend(text)
            cols.extend([i + 1] * len(text))
        self.chars, self.cols = chars, cols
        self.text = "".join(chars)

    def column(self, index: int) -> int:
        """1-based column in the user's text of the character at `index` here."""
        return self.cols[index] if 0 <= index < len(self.cols) else self.end

    def index_of_byte(self, offset: int) -> int:
        return len(self.text.encode("utf-8")[:offset].decode("utf-8", "ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        """(first column, column past the end) of an ast node, in the user's text."""
        start = self.column(self.index_of_byte(node.col_offset))  # type: ignore[attr-defined]
        stop = self.index_of_byte(node.end_col_offset or 0)  # type: ignore[attr-defined]
        return start, (self.column(stop) if stop < len(self.cols) else self.end)

    def segment(self, node: ast.AST, limit: int = 40) -> str:
        start, stop = self.span(node)
        text = self.original[start - 1 : stop - 1]
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def edit(self, edits: list[tuple[int, int, int, str]]) -> None:
        """Apply (index, order, length replaced, new text) edits; new text takes the column of what it replaces."""
        chars: list[str] = []
        cols: list[int] = []
        at = 0
        for index, _, length, text in sorted(edits):
            chars.extend(self.chars[at:index])
            cols.extend(self.cols[at:index])
            at = max(at, index)
            col = self.column(index if length else max(index - 1, 0)) if self.chars else self.end
            chars.extend(text)
            cols.extend([col] * len(text))
            at += length
        chars.extend(self.chars[at:])
        cols.extend(self.cols[at:])
        self.chars, self.cols, self.text = chars, cols, "".join(chars)


def _plain(ch: str, superscript: bool) -> str:
    """One typed character in Python's notation (a run of superscripts continues one `**`)."""
    if ch in _SPACES:
        return " "
    if ch in _SUPERSCRIPTS:
        return ("" if superscript else " **") + _SUPERSCRIPTS[ch]
    if ch.isascii():
        return _REPLACEMENTS.get(ch, ch)
    if ch in _REPLACEMENTS:
        return _REPLACEMENTS[ch]
    folded = unicodedata.normalize("NFKC", ch)  # full-width digits, letters, brackets, commas
    return "".join(_REPLACEMENTS.get(c, c) for c in folded)


# --------------------------------------------------------------------------- the token pass

_NUM, _NAME, _FUNC, _OPEN, _CLOSE, _BAR, _OP = range(7)


class _Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: int, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end


def _tokens(text: str, functions: frozenset[str]) -> list[_Tok] | None:
    """The tokens of `text`; None when it cannot be tokenized. An unclosed bracket is closed for the reading
    only, so `10x cos(5x²` still has its implicit products and then hears that the bracket is never closed
    (not that "10x" runs into letters)."""
    unclosed = text.count("(") + text.count("[") - text.count(")") - text.count("]")
    for closing in ("", ")" * min(max(unclosed, 0), 60)) if unclosed > 0 else ("",):
        out = _read_tokens(text + closing, functions)
        if out is not None:
            return [t for t in out if t.start < len(text)]
    return None


def _read_tokens(text: str, functions: frozenset[str]) -> list[_Tok] | None:
    out: list[_Tok] = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(text).readline):
            if t.type == tokenize.NUMBER:
                out.append(_Tok(_NUM, t.string, t.start[1], t.end[1]))
            elif t.type == tokenize.NAME and not keyword.iskeyword(t.string):
                kind = _FUNC if t.string in functions else _NAME
                out.append(_Tok(kind, t.string, t.start[1], t.end[1]))
            elif t.type == tokenize.OP:
                kind = {"(": _OPEN, ")": _CLOSE, "|": _BAR}.get(t.string, _OP)
                out.append(_Tok(kind, t.string, t.start[1], t.end[1]))
            elif t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                                tokenize.DEDENT):
                out.append(_Tok(_OP, t.string, t.start[1], t.end[1]))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None  # the parser reports the real problem
    return out


# edit order at one index: a closing bracket, then a `*`, then an opening one
_CLOSES, _TIMES, _OPENS = 0, 1, 2


class _Marker:
    """Finds the implicit products, bracketless arguments and |…| bars in one left-to-right pass."""

    def __init__(self, src: Source, toks: list[_Tok], multipliable: frozenset[str], one_arg: frozenset[str]) -> None:
        self.src, self.toks = src, toks
        self.multipliable = multipliable  # names that multiply a bracket after them: variables, constants
        self.one_arg = one_arg
        self.edits: list[tuple[int, int, int, str]] = []
        self.closing_bar: set[int] = set()
        self.match: dict[int, int] = {}  # an opening bracket or bar -> its closing partner
        self.arguments: dict[int, int | None] = {}

    def run(self) -> None:
        toks = self.toks
        self.pair_bars()
        for i, tok in enumerate(toks):
            if tok.kind == _BAR:
                self.edits.append((tok.start, _OPENS, 1, ")" if i in self.closing_bar else "abs("))
            elif tok.kind == _FUNC and tok.text == "ln":
                self.edits.append((tok.start, _OPENS, 2, "log"))
            if i and self.ends(i - 1) and self.starts(i):
                self.juxtapose(toks[i - 1], tok)
            if tok.kind == _FUNC and tok.text in self.one_arg and i + 1 < len(toks) and toks[i + 1].kind != _OPEN:
                last = self.argument(i + 1)
                if last is not None:
                    self.edits.append((tok.end, _OPENS, 0, "("))
                    self.edits.append((toks[last].end, _CLOSES, 0, ")"))

    def pair_bars(self) -> None:
        """A bar after a factor closes the innermost open bar; any other bar opens one. Pairs every
        bracket and bar with its partner (`match`) in the same pass."""
        bars = 0
        stack: list[int] = []
        for i, tok in enumerate(self.toks):
            if tok.kind == _BAR:
                if bars and i and self.ends(i - 1):
                    self.closing_bar.add(i)
                    bars -= 1
                else:
                    bars += 1
            if tok.kind == _OPEN or (tok.kind == _BAR and i not in self.closing_bar):
                stack.append(i)
            elif (tok.kind == _CLOSE or i in self.closing_bar) and stack:
                self.match[stack.pop()] = i

    def ends(self, i: int) -> bool:
        tok = self.toks[i]
        return tok.kind in (_NUM, _NAME, _CLOSE) or i in self.closing_bar

    def starts(self, i: int) -> bool:
        tok = self.toks[i]
        if tok.kind == _BAR:
            return i not in self.closing_bar
        return tok.kind in (_NUM, _NAME, _FUNC, _OPEN)

    def juxtapose(self, left: _Tok, right: _Tok) -> None:
        if left.kind == _NUM and right.kind == _NUM:
            self.two_numbers(left, right)
        if right.kind == _OPEN and left.kind == _NAME and left.text not in self.multipliable:
            return  # f(x) with an unknown f: the reader names the unknown function
        self.edits.append((right.start, _TIMES, 0, "*"))

    def two_numbers(self, left: _Tok, right: _Tok) -> None:
        column = self.src.column(right.start)
        if left.text == "0" and left.end == right.start:  # 27,04 or 04: a leading zero
            i = self.toks.index(left)
            before = self.toks[i - 2].text if i >= 2 and self.toks[i - 1].text == "," else None
            if before is not None and before.isdigit():
                said = _("a number cannot start with 0: for the decimal write {decimal}; for two values, {pair}")
                raise ExprError(said.format(decimal=f"{before}.0{right.text}", pair=f"{before}, {right.text}"),
                                self.src.column(left.start))
            raise ExprError(_("a number cannot start with 0"), self.src.column(left.start))
        raise ExprError(_("two numbers side by side; put an operator between them, or a comma between two values"),
                        column)

    def unit(self, i: int) -> int | None:
        """The last token of one factor starting at i (a number, a name, a bracket, a |…|, f x), or None."""
        toks = self.toks
        if i >= len(toks):
            return None
        tok = toks[i]
        if tok.kind in (_NUM, _NAME):
            return i
        if tok.kind in (_OPEN, _BAR) and self.starts(i):
            return self.match.get(i)
        if tok.kind == _FUNC:  # sin cos x is sin(cos(x)); sin(x) is a call
            if i + 1 < len(toks) and toks[i + 1].kind == _OPEN:
                return self.unit(i + 1)
            return self.argument(i + 1)
        return None

    def argument(self, i: int) -> int | None:
        """The last token of a bracketless argument: a sign, then factors side by side with their powers,
        up to an operator or the next function (found once per start: `sin sin … x` stays linear)."""
        if i not in self.arguments:
            self.arguments[i] = self.find_argument(i)
        return self.arguments[i]

    def find_argument(self, i: int) -> int | None:
        toks = self.toks
        if i + 1 < len(toks) and toks[i].text == "-" and toks[i].end == toks[i + 1].start:  # sin -x
            i += 1
        last = self.unit(i)
        while last is not None:
            if last + 2 < len(toks) and toks[last + 1].text == "**":  # x^2, x^-1, x^(1/2)
                j = last + 2 + (toks[last + 2].text in ("-", "+"))
                power = self.unit(j) if j < len(toks) and toks[j].kind != _FUNC else None
                if power is None:
                    return last
                last = power
                continue
            if last + 1 < len(toks) and toks[last + 1].kind != _FUNC and self.starts(last + 1):
                following = self.unit(last + 1)
                if following is None:
                    return last
                last = following
                continue
            return last
        return None


def _merge_scientific(toks: list[_Tok]) -> tuple[list[_Tok], list[tuple[int, int, int, str]]]:
    """m×10⁻ᵏ (m * 10 ** -k) is the number m e-k exactly as typed, one token, not a product of two roundings."""
    out: list[_Tok] = []
    edits: list[tuple[int, int, int, str]] = []
    i = 0
    while i < len(toks):
        m = toks[i]
        merged = None
        if m.kind == _NUM and i + 4 < len(toks) and not (out and out[-1].text in ("**", "/", "*")):
            merged = _scientific(toks, i)
        if merged is None:
            out.append(m)
            i += 1
            continue
        j, text = merged
        out.append(_Tok(_NUM, text, m.start, toks[j].end))
        edits.append((m.start, _OPENS, toks[j].end - m.start, text))
        i = j + 1
    return out, edits


def _scientific(toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """(index of the exponent's token, the number as Python writes it) when toks[i:] read m * 10 ** ±k."""
    m, times, ten, power = toks[i : i + 4]
    if times.text != "*" or ten.text != "10" or power.text != "**" or not m.text.replace(".", "").isdigit():
        return None
    j, sign = i + 4, ""
    if toks[j].text in ("-", "+") and j + 1 < len(toks):
        sign, j = toks[j].text.replace("+", ""), j + 1
    k = toks[j]
    if k.kind != _NUM or not k.text.isdigit() or (j + 1 < len(toks) and toks[j + 1].text == "**"):
        return None
    return j, f"{m.text}e{sign}{k.text}"


def mark_products(src: Source, multipliable: frozenset[str], functions: frozenset[str],
                  one_arg: frozenset[str]) -> None:
    """Write out the products, brackets and bars the learner left implicit (see the module docstring)."""
    if not _MAYBE_IMPLICIT.search(src.text):
        return  # no space, bracket, bar, digit touching a letter: nothing implicit
    toks = _tokens(src.text, functions)
    if toks is None:
        return
    toks, edits = _merge_scientific(toks)
    marker = _Marker(src, toks, multipliable, one_arg)
    marker.run()
    if edits or marker.edits:
        src.edit(edits + marker.edits)
