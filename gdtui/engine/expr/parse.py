"""Text -> expression tree, through Python's own parser and an allow-list (private).

1. `notation.Source` and `notation.mark_products` rewrite what was typed for Python's
   parser (full-width forms, ², √, ·, products side by side, `sin x`, |x|) while
   remembering, for every character, the column of the user's text it came from.
2. `ast.parse(..., mode="eval")` builds Python's syntax tree; nothing is compiled or run.
   Its complaints are turned into plain words (`_SYNTAX`), never quoted.
3. `_Reader` walks that tree with an allow-list and builds our own nodes through the
   simplifying constructors (or, for the read-back, as typed).  Anything else is refused
   with a column and plain words.
"""

from __future__ import annotations

import ast
import inspect
import keyword
import warnings
from typing import Callable, Mapping, NoReturn, Sequence

from gdtui.engine.expr import simplify as build
from gdtui.engine.expr.nodes import (
    CONSTANTS, FUNCTIONS, Add, Call, Const, Div, ExprError, Mul, Neg, Node, Pow, Sub, Var, arity, num,
)  # fmt: skip
from gdtui.engine.expr.notation import Source, mark_products
from gdtui.i18n import N_, _, ngettext

MAX_CHARS = 1000
MAX_NODES = 400
MAX_DEPTH = 60

_OPERATORS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitOr: "|",
    ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
}  # fmt: skip
_BUILDERS = {"+": build.add, "-": build.sub, "*": build.mul, "/": build.div, "**": build.pow_}


class _AsTyped:
    """Builders that keep the tree exactly as typed, nothing folded or reordered: for the read-back."""

    num = staticmethod(num)
    var = staticmethod(Var)
    const = staticmethod(Const)

    @staticmethod
    def neg(a: Node) -> Node:
        return Neg(None, (a,))

    @staticmethod
    def call(name: str, args: tuple[Node, ...], fn: Callable | None = None) -> Node:
        return Call(name, args, fn)


_AS_TYPED = {op: (lambda cls: lambda a, b: cls(None, (a, b)))(cls)
             for op, cls in (("+", Add), ("-", Sub), ("*", Mul), ("/", Div), ("**", Pow))}
_REFUSALS: dict[type, str] = {
    ast.Attribute: N_("attributes like `{src}` are not allowed"),
    ast.Subscript: N_("indexing like `{src}` is not allowed"),
    ast.Slice: N_("slices are not allowed"),
    ast.Lambda: N_("lambda is not allowed"),
    ast.ListComp: N_("comprehensions are not allowed"),
    ast.SetComp: N_("comprehensions are not allowed"),
    ast.DictComp: N_("comprehensions are not allowed"),
    ast.GeneratorExp: N_("comprehensions are not allowed"),
    ast.Compare: N_("comparisons like `{src}` are not allowed"),
    ast.BoolOp: N_("and/or are not allowed"),
    ast.IfExp: N_("if/else is not allowed"),
    ast.NamedExpr: N_("assignments with := are not allowed"),
    ast.Starred: N_("* unpacking is not allowed"),
    ast.Dict: N_("sets and dictionaries are not allowed"),
    ast.Set: N_("sets and dictionaries are not allowed"),
    ast.JoinedStr: N_("text in quotes is not allowed"),
}


def _python_tree(src: Source) -> ast.expr:
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" and the like: refused below, not printed
            warnings.simplefilter("error")
            return ast.parse(src.text, mode="eval").body
    except (SyntaxError, DeprecationWarning, SyntaxWarning) as err:
        if not isinstance(err, SyntaxError):
            raise ExprError(_("backslashes and escapes are not part of the language"), src.end) from None
        offset = err.offset if err.lineno in (None, 1) and err.offset else 0
        column = src.column(offset - 1) if offset > 0 else src.end
        raise ExprError(_syntax_message(err.msg, src.text[offset - 1 : offset] if offset > 0 else ""), column) from None
    except (ValueError, OverflowError):
        raise ExprError(_("cannot read this expression")) from None
    except (RecursionError, MemoryError):
        raise ExprError(_("the expression is nested too deeply")) from None


_SYNTAX = (  # what Python's parser says -> what a learner reads; anything else: "cannot read ... here"
    ("forgot a comma", N_("two values side by side; is an operator or a comma missing?")),
    ("was never closed", N_("this bracket is never closed")),
    ("unmatched", N_("this closing bracket has no opening one")),
    ("does not match", N_("these brackets do not match")),
    ("leading zeros", N_("a number cannot start with 0")),
    ("unterminated string", N_("text in quotes is not allowed")),
    ("invalid character", N_("the character '{at}' is not part of the language")),
    ("too many nested parentheses", N_("the expression is nested too deeply")),
    ("invalid decimal literal", N_("a number runs into letters here; put an operator between them")),
)


def _syntax_message(msg: str, at: str) -> str:
    if at == "=" or "'=='" in msg or "assign" in msg:
        return _("= is not allowed; type only the value or the expression")
    for python, plain in _SYNTAX:
        if python in msg:
            return _(plain).format(at=at)
    if at and not (at.isalnum() or at in " +-*/().,[]|_"):
        return _("the character '{at}' is not part of the language").format(at=at)
    return _("cannot read the expression here")


def _check_size(tree: ast.expr, src: Source) -> None:
    """Refuse more than MAX_NODES nodes, pointing where, reading left to right, the cap is passed."""
    if len(src.text) <= MAX_NODES:
        return  # every node takes at least one character, so it cannot be too big
    ends = sorted(n.end_col_offset or 0 for n in ast.walk(tree) if isinstance(n, ast.expr))
    if len(ends) > MAX_NODES:
        column = src.column(src.index_of_byte(ends[MAX_NODES]) - 1)
        raise ExprError(_("the expression is too big (more than {n} parts)").format(n=MAX_NODES), column)


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


def _arguments_wanted(name: str, fewest: int, most: int | None, got: int) -> str:
    """"{name} takes 2 arguments, got 1" as one sentence a translator can reorder."""
    if most == fewest:
        said = ngettext("{name} takes {n} argument, got {got}", "{name} takes {n} arguments, got {got}", fewest)
    elif most is None:
        said = ngettext("{name} takes at least {n} argument, got {got}",
                        "{name} takes at least {n} arguments, got {got}", fewest)
    else:
        said = _("{name} takes {n} to {most} arguments, got {got}")
    return said.format(name=name, n=fewest, most=most, got=got)


class _Reader:
    """Walks Python's syntax tree with an allow-list and builds our nodes."""

    def __init__(self, src: Source, variables: tuple[str, ...], functions: dict, as_typed: bool = False) -> None:
        self.src = src
        self.variables = variables
        self.functions = functions
        self.build = _AsTyped if as_typed else build
        self.operators = _AS_TYPED if as_typed else _BUILDERS

    def fail(self, message: str, node: ast.AST, column: int | None = None) -> NoReturn:
        if "{src}" in message:
            message = message.replace("{src}", self.src.segment(node))
        raise ExprError(message, column or self.src.span(node)[0])

    def top(self, node: ast.expr) -> tuple[list[Node], bool]:
        if isinstance(node, (ast.Tuple, ast.List)):  # a vector: [6, 8], (6, 8) or 6, 8
            if not node.elts:
                self.fail(_("an empty vector has no entries"), node)
            return [self.read(e, 2, in_vector=True) for e in node.elts], True
        return [self.read(node, 1)], False

    def read(self, node: ast.expr, depth: int, in_vector: bool = False) -> Node:
        if depth > MAX_DEPTH:
            self.fail(_("the expression is nested too deeply (more than {n} levels)").format(n=MAX_DEPTH), node)
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
            self.fail(_("vectors cannot be nested") if in_vector else _("a vector must be the whole expression"), node)
        refused = _(_REFUSALS[type(node)]) if type(node) in _REFUSALS else _("this kind of expression is not allowed")
        self.fail(refused, node)

    def number(self, node: ast.Constant) -> Node:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.fail(_("{word} is not allowed").format(word=repr(value)), node)
        if isinstance(value, complex):
            self.fail(_("complex numbers are not allowed"), node)
        if not isinstance(value, (int, float)):
            self.fail(_("text in quotes is not allowed"), node)
        try:
            v = float(value)  # ints become float64
        except OverflowError:
            v = float("inf")
        if v != v or v in (float("inf"), float("-inf")):
            self.fail(_("the number `{src}` is too large"), node)
        return self.build.num(v)

    def name(self, node: ast.Name) -> Node:
        name = node.id
        if name in self.variables:
            return self.build.var(name)
        if name in CONSTANTS:
            return self.build.const(name)
        if name in FUNCTIONS or name in self.functions:
            self.fail(_("{name} is a function; write {name}(...)").format(name=name), node)
        if not self.variables:
            self.fail(_("unknown name '{name}'; this expression has no variables").format(name=name), node)
        listed = ", ".join(self.variables)
        parts = _split_name(name, set(self.variables) | set(CONSTANTS))
        if parts:  # xy: a product written without a space
            said = (_("unknown name '{name}'; the variable is {listed}; to multiply, write {spaced} or {starred}")
                    if len(self.variables) == 1 else
                    _("unknown name '{name}'; the variables are {listed}; to multiply, write {spaced} or {starred}"))
        else:
            said = (_("unknown name '{name}'; the variable is {listed}") if len(self.variables) == 1
                    else _("unknown name '{name}'; the variables are {listed}"))
        parts = parts or []
        self.fail(said.format(name=name, listed=listed, spaced=" ".join(parts), starred="*".join(parts)), node)

    def binary(self, node: ast.BinOp, depth: int) -> Node:
        symbol = _OPERATORS.get(type(node.op), "?")
        if symbol not in ("+", "-", "*", "/", "**"):
            start = self.src.index_of_byte(node.left.end_col_offset or 0)
            at = self.src.text.find(symbol, start)
            said = _("the operator {symbol} is not allowed").format(symbol=symbol)
            self.fail(said, node, self.src.column(at) if at >= 0 else None)
        left = self.read(node.left, depth + 1)
        right = self.read(node.right, depth + 1)
        return self.operators[symbol](left, right)

    def unary(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.Not):
            self.fail(_("not is not allowed"), node)
        if isinstance(node.op, ast.Invert):
            self.fail(_("the operator {symbol} is not allowed").format(symbol="~"), node)
        inner = self.read(node.operand, depth + 1)
        return self.build.neg(inner) if isinstance(node.op, ast.USub) else inner

    def call(self, node: ast.Call, depth: int) -> Node:
        func = node.func
        if isinstance(func, ast.Constant) and isinstance(func.value, (int, float)):
            self.fail(_("a number followed by ( reads as a call; write `{src}*(...)`"), func)
        if not isinstance(func, ast.Name):
            self.fail(_("calls like `{src}` are not allowed"), func)
        name, fn, fewest, most = self.lookup(func)
        for kw in node.keywords:
            self.fail(_("keyword arguments like `{src}` are not allowed"), kw)
        args = node.args
        if len(args) < fewest or (most is not None and len(args) > most):
            self.fail(_arguments_wanted(name, fewest, most, len(args)), node)
        return self.build.call(name, tuple(self.read(a, depth + 1) for a in args), fn)

    def lookup(self, func: ast.Name) -> tuple[str, Callable | None, int, int | None]:
        name = func.id
        if name in FUNCTIONS:
            return name, None, arity(name), arity(name)
        if name in self.functions:
            return (name, *self.functions[name])
        if name in self.variables or name in CONSTANTS:
            self.fail(_("{name} is not a function; write {name}*(...) to multiply").format(name=name), func)
        known = ", ".join(list(FUNCTIONS) + list(self.functions))
        self.fail(_("unknown function '{name}'; the functions are {known}").format(name=name, known=known), func)


def _split_name(name: str, known: set[str]) -> list[str] | None:
    """'xy' -> ['x', 'y'] when the name is known names run together; None otherwise."""
    ways: list[list[str] | None] = [[]] + [None] * len(name)
    for end in range(1, len(name) + 1):
        for start in range(max(0, end - 8), end):
            if ways[start] is not None and name[start:end] in known:
                ways[end] = ways[start] + [name[start:end]]  # type: ignore[operator]
                break
    return ways[-1] if ways[-1] and len(ways[-1]) > 1 else None


def read(
    text: str, variables: tuple[str, ...], functions: dict, *, as_typed: bool = False
) -> tuple[list[Node], bool]:
    """Parse `text`: (component trees, is_vector), simplified, or `as_typed` for the read-back.

    Raises ExprError only."""
    if not isinstance(text, str):
        raise ExprError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        said = _("the expression is too long ({n} characters; the limit is {limit})")
        raise ExprError(said.format(n=len(text), limit=MAX_CHARS), MAX_CHARS + 1)
    if not text.strip():
        raise ExprError(_("the expression is empty"), 1)
    src = Source(text)
    functions_named = (set(FUNCTIONS) | set(functions) | {"ln"}) - set(variables)
    one_arg = {n for n in functions_named if n == "ln" or (n in FUNCTIONS and arity(n) == 1)}
    mark_products(src, frozenset(variables) | frozenset(CONSTANTS), frozenset(functions_named), frozenset(one_arg))
    tree = _python_tree(src)
    _check_size(tree, src)
    return _Reader(src, variables, functions, as_typed).top(tree)
