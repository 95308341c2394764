"""Text -> expression tree, through Python's own parser and an allow-list (private).

1. `_Source` rewrites the text for Python's parser while remembering, for every
   character, the column of the user's text it came from: `^` -> `**` (done in the
   text, because Python's `^` binds looser than `+`), − × · π -> - * * pi, and a `*`
   is inserted where a number touches a name or a parenthesis (`2x`, `3(x+1)`, `2pi`),
   found with the tokenize module.
2. `ast.parse(..., mode="eval")` builds Python's syntax tree; nothing is compiled or run.
3. `_Reader` walks that tree with an allow-list and builds our own nodes through the
   simplifying constructors.  Anything else is refused with a column and plain words.
"""

from __future__ import annotations

import ast
import inspect
import io
import keyword
import re
import tokenize
import warnings
from typing import Callable, Mapping, NoReturn, Sequence

from gdtui.engine.expr import simplify as build
from gdtui.engine.expr.nodes import CONSTANTS, FUNCTIONS, ExprError, Node, arity

MAX_CHARS = 1000
MAX_NODES = 400
MAX_DEPTH = 60

_REPLACEMENTS = {"^": "**", "\u2212": "-", "×": "*", "·": "*", "π": "pi"}
_SPACES = "\t\n\r\f\v"
_TOUCHING = re.compile(r"[0-9.](?=[^\W\d]|\()")
_OPERATORS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitOr: "|",
    ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
}  # fmt: skip
_BUILDERS = {"+": build.add, "-": build.sub, "*": build.mul, "/": build.div, "**": build.pow_}
_REFUSALS: dict[type, str] = {
    ast.Attribute: "attributes like `{src}` are not allowed",
    ast.Subscript: "indexing like `{src}` is not allowed",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons like `{src}` are not allowed",
    ast.BoolOp: "and/or are not allowed",
    ast.IfExp: "if/else is not allowed",
    ast.NamedExpr: "assignments with := are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.Dict: "sets and dictionaries are not allowed",
    ast.Set: "sets and dictionaries are not allowed",
    ast.JoinedStr: "text in quotes is not allowed",
}


class _Source:
    """The text handed to Python's parser, with a map back to the user's columns."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.end = len(original) + 1  # the column just past the text
        if original.isascii() and original.isprintable() and "^" not in original and "#" not in original:
            text = original.lstrip(" ")  # the common case: nothing to rewrite
            first = len(original) - len(text)
            self.chars, self.cols, self.text = list(text), list(range(first + 1, self.end)), text
            return
        chars: list[str] = []
        cols: list[int] = []
        for i, ch in enumerate(original):
            if (ord(ch) < 32 and ch not in _SPACES) or ch == "\x7f":
                raise ExprError(f"unexpected character U+{ord(ch):04X}", i + 1)
            if ch == "#":  # Python would silently drop the rest as a comment
                raise ExprError("unexpected character '#'", i + 1)
            text = " " if ch in _SPACES else _REPLACEMENTS.get(ch, ch)
            if chars or text != " ":  # leading spaces would be an "unexpected indent"
                chars.extend(text)
                cols.extend([i + 1] * len(text))
        self.chars, self.cols = chars, cols
        self.text = "".join(chars)

    def insert(self, index: int, ch: str) -> None:
        self.chars.insert(index, ch)
        self.cols.insert(index, self.cols[index] if index < len(self.cols) else self.end)
        self.text = "".join(self.chars)

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


def _insert_implicit_products(src: _Source) -> None:
    """2x -> 2*x, 3(x+1) -> 3*(x+1), 2pi -> 2*pi: a number touching a name or '('."""
    if not _TOUCHING.search(src.text):
        return  # no digit touches a letter or "(": nothing to insert
    positions: list[int] = []
    try:
        prev = None
        for tok in tokenize.generate_tokens(io.StringIO(src.text).readline):
            touches = prev is not None and prev.type == tokenize.NUMBER and prev.end == tok.start
            if touches and (
                (tok.type == tokenize.NAME and not keyword.iskeyword(tok.string)) or tok.string == "("
            ):
                positions.append(tok.start[1])
            prev = tok
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # the parser reports the real problem below
    for index in reversed(positions):
        src.insert(index, "*")


def _python_tree(src: _Source) -> ast.expr:
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" and the like: refused below, not printed
            warnings.simplefilter("error")
            return ast.parse(src.text, mode="eval").body
    except (SyntaxError, DeprecationWarning, SyntaxWarning) as err:
        if not isinstance(err, SyntaxError):
            raise ExprError("backslashes and escapes are not part of the language", src.end) from None
        offset = err.offset if err.lineno in (None, 1) and err.offset else 0
        column = src.column(offset - 1) if offset > 0 else src.end
        raise ExprError(_syntax_message(err.msg), column) from None
    except (ValueError, OverflowError) as err:
        raise ExprError(f"cannot read this: {err}") from None
    except (RecursionError, MemoryError):
        raise ExprError("the expression is nested too deeply") from None


def _syntax_message(msg: str) -> str:
    if "forgot a comma" in msg:
        return "two values side by side; is an operator missing?"
    if msg.startswith("invalid syntax"):
        return "cannot read the expression here"
    return msg


def _check_size(tree: ast.expr, src: _Source) -> None:
    """Refuse more than MAX_NODES nodes, pointing where, reading left to right, the cap is passed."""
    if len(src.text) <= MAX_NODES:
        return  # every node takes at least one character, so it cannot be too big
    ends = sorted(n.end_col_offset or 0 for n in ast.walk(tree) if isinstance(n, ast.expr))
    if len(ends) > MAX_NODES:
        column = src.column(src.index_of_byte(ends[MAX_NODES]) - 1)
        raise ExprError(f"the expression is too big (more than {MAX_NODES} parts)", column)


def _arity_of(fn: Callable) -> tuple[int, int | None]:
    """(fewest, most) positional arguments; most is None for *args."""
    nin = getattr(fn, "nin", None)  # numpy ufuncs carry their arity
    if isinstance(nin, int):
        return nin, nin
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 0, None
    fewest, most = 0, 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return fewest, None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            fewest += p.default is p.empty
    return fewest, most


def check_names(
    variables: Sequence[str], functions: Mapping[str, Callable] | None
) -> tuple[tuple[str, ...], dict[str, tuple[Callable, int, int | None]]]:
    """Validate the variable names and extra functions a caller hands to parse."""
    if isinstance(variables, str):
        variables = (variables,)
    try:
        names = tuple(variables)
    except TypeError:
        raise ExprError("variables must be a sequence of names") from None
    try:
        extra = dict(functions or {})
    except (TypeError, ValueError):
        raise ExprError("functions must map names to functions") from None
    taken = set(CONSTANTS) | set(FUNCTIONS)
    for name in names + tuple(extra):
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ExprError(f"{name!r} cannot be used as a name")
        if name in taken:
            raise ExprError(f"'{name}' is already taken (a constant, function or variable)")
        taken.add(name)
    table = {}
    for name, fn in extra.items():
        if not callable(fn):
            raise ExprError(f"function '{name}' is not callable")
        table[name] = (fn, *_arity_of(fn))
    return names, table


def _plural(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


class _Reader:
    """Walks Python's syntax tree with an allow-list and builds our nodes."""

    def __init__(self, src: _Source, variables: tuple[str, ...], functions: dict) -> None:
        self.src = src
        self.variables = variables
        self.functions = functions

    def fail(self, message: str, node: ast.AST, column: int | None = None) -> NoReturn:
        if "{src}" in message:
            message = message.replace("{src}", self.src.segment(node))
        raise ExprError(message, column or self.src.span(node)[0])

    def top(self, node: ast.expr) -> tuple[list[Node], bool]:
        if isinstance(node, (ast.Tuple, ast.List)):  # a vector: [6, 8], (6, 8) or 6, 8
            if not node.elts:
                self.fail("an empty vector has no entries", node)
            return [self.read(e, 2, in_vector=True) for e in node.elts], True
        return [self.read(node, 1)], False

    def read(self, node: ast.expr, depth: int, in_vector: bool = False) -> Node:
        if depth > MAX_DEPTH:
            self.fail(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", node)
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, (ast.Tuple, ast.List)):
            where = "vectors cannot be nested" if in_vector else "a vector must be the whole expression"
            self.fail(where, node)
        self.fail(_REFUSALS.get(type(node), "this kind of expression is not allowed"), node)

    def number(self, node: ast.Constant) -> Node:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.fail(f"{value!r} is not allowed", node)
        if isinstance(value, complex):
            self.fail("complex numbers are not allowed", node)
        if not isinstance(value, (int, float)):
            self.fail("text in quotes is not allowed", node)
        try:
            v = float(value)  # ints become float64
        except OverflowError:
            v = float("inf")
        if v != v or v in (float("inf"), float("-inf")):
            self.fail("the number `{src}` is too large", node)
        return build.num(v)

    def name(self, node: ast.Name) -> Node:
        name = node.id
        if name in self.variables:
            return build.var(name)
        if name in CONSTANTS:
            return build.const(name)
        if name in FUNCTIONS or name in self.functions:
            self.fail(f"{name} is a function; write {name}(...)", node)
        if not self.variables:
            self.fail(f"unknown name '{name}'; this expression has no variables", node)
        listed = ", ".join(self.variables)
        where = f"the variable is {listed}" if len(self.variables) == 1 else f"the variables are {listed}"
        self.fail(f"unknown name '{name}'; {where}", node)

    def binary(self, node: ast.BinOp, depth: int) -> Node:
        symbol = _OPERATORS.get(type(node.op), "?")
        if symbol not in ("+", "-", "*", "/", "**"):
            start = self.src.index_of_byte(node.left.end_col_offset or 0)
            at = self.src.text.find(symbol, start)
            self.fail(f"the operator {symbol} is not allowed", node, self.src.column(at) if at >= 0 else None)
        left = self.read(node.left, depth + 1)
        right = self.read(node.right, depth + 1)
        return _BUILDERS[symbol](left, right)

    def unary(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.Not):
            self.fail("not is not allowed", node)
        if isinstance(node.op, ast.Invert):
            self.fail("the operator ~ is not allowed", node)
        inner = self.read(node.operand, depth + 1)
        return build.neg(inner) if isinstance(node.op, ast.USub) else inner

    def call(self, node: ast.Call, depth: int) -> Node:
        func = node.func
        if isinstance(func, ast.Constant) and isinstance(func.value, (int, float)):
            self.fail("a number followed by ( reads as a call; write `{src}*(...)`", func)
        if not isinstance(func, ast.Name):
            self.fail("calls like `{src}` are not allowed", func)
        name, fn, fewest, most = self.lookup(func)
        for kw in node.keywords:
            self.fail("keyword arguments like `{src}` are not allowed", kw)
        args = node.args
        if len(args) < fewest or (most is not None and len(args) > most):
            if most == fewest:
                wanted = _plural(fewest)
            else:
                wanted = f"at least {_plural(fewest)}" if most is None else f"{fewest} to {most} arguments"
            self.fail(f"{name} takes {wanted}, got {len(args)}", node)
        return build.call(name, tuple(self.read(a, depth + 1) for a in args), fn)

    def lookup(self, func: ast.Name) -> tuple[str, Callable | None, int, int | None]:
        name = func.id
        if name in FUNCTIONS:
            return name, None, arity(name), arity(name)
        if name in self.functions:
            return (name, *self.functions[name])
        if name in self.variables or name in CONSTANTS:
            self.fail(f"{name} is not a function; write {name}*(...) to multiply", func)
        known = ", ".join(list(FUNCTIONS) + list(self.functions))
        self.fail(f"unknown function '{name}'; the functions are {known}", func)


def read(
    text: str, variables: tuple[str, ...], functions: dict
) -> tuple[list[Node], bool]:
    """Parse `text`: (component trees, is_vector).  Raises ExprError only."""
    if not isinstance(text, str):
        raise ExprError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ExprError(
            f"the expression is too long ({len(text)} characters; the limit is {MAX_CHARS})", MAX_CHARS + 1
        )
    if not text.strip():
        raise ExprError("the expression is empty", 1)
    src = _Source(text)
    _insert_implicit_products(src)
    tree = _python_tree(src)
    _check_size(tree, src)
    return _Reader(src, variables, functions).top(tree)
