"""Reading a formula: a small tokenizer feeds a recursive-descent parser (braces, scripts, ``\\frac``,
environments) that builds the tree of `nodes`; `convert` reads one formula and lays it out.

Unknown commands keep their name; nesting deeper than MAX_DEPTH is read flat; no input makes it raise."""

from __future__ import annotations

import re
import textwrap
import unicodedata

from .layout import render, render_line
from .nodes import Atom, Deco, Fenced, Frac, Group, Matrix, Scripts, Sqrt
from .symbols import (ACCENTS, BIG, BIN, CLOSE, FONTS, IGNORE, LIMIT_WORDS, MAX_DEPTH, MAX_LENGTH, OPEN,
                      ORD, REL, SPACES, TEXTS, TOKEN, WORDS)


class Parser:
    def __init__(self, text: str, templates: frozenset[str]):
        self.toks = [(m.lastindex, m.group(m.lastindex), m.group(0)) for m in TOKEN.finditer(text)]
        self.i = 0
        self.templates = templates

    def peek(self, skip_ws: bool = True):
        while skip_ws and self.i < len(self.toks) and self.toks[self.i][0] == 4:
            self.i += 1
        return self.toks[self.i] if self.i < len(self.toks) else (0, "", "")

    def row(self, depth: int, stops: tuple[str, ...] = ()) -> list:
        items: list = []
        while self.i < len(self.toks):
            kind, val, raw = self.toks[self.i]
            if raw in stops or (kind == 1 and val == "end" and "\\end" in stops):
                return items
            if raw == "}" or (kind == 1 and val == "end"):  # a stray closer: skip it
                self.i += 1
                if raw != "}":
                    self.raw_group()
                continue
            self.item(items, depth)
        return items

    def group(self, depth: int) -> list:
        """After a '{': the contents up to the matching '}', which is consumed."""
        items = self.row(depth + 1, ("}",)) if depth < MAX_DEPTH else self.flat_until_close()
        if self.peek(False)[2] == "}":
            self.i += 1
        return items

    def flat_until_close(self) -> list:
        level, items = 0, []
        while self.i < len(self.toks) and not (self.toks[self.i][2] == "}" and level == 0):
            raw = self.toks[self.i][2]
            level += (raw == "{") - (raw == "}")
            if raw not in "{}":
                items.append(Atom(raw.lstrip("\\")))
            self.i += 1
        return items

    def raw_group(self) -> str:
        """The source text of a braced argument, without its braces ('' when there is none)."""
        if self.peek()[2] != "{":
            return ""
        self.i += 1
        level, out = 0, []
        while self.i < len(self.toks):
            raw = self.toks[self.i][2]
            self.i += 1
            if raw == "}" and level == 0:
                break
            level += (raw == "{") - (raw == "}")
            out.append(raw)
        return "".join(out)

    def arg(self, depth: int) -> list:
        kind, val, raw = self.peek()
        if not raw or raw in "}^_&" or depth > MAX_DEPTH:
            return []
        if raw == "{":
            self.i += 1
            text = self.template()
            return [Atom(text)] if text else self.group(depth)
        if kind == 5 and len(val) > 1:  # \frac12 and x^10 take one digit, as in TeX
            self.toks[self.i] = (5, val[1:], val[1:])
            return [Atom(val[0])]
        items: list = []
        self.item(items, depth)
        return items

    def item(self, items: list, depth: int) -> None:
        kind, val, raw = self.toks[self.i]
        self.i += 1
        if kind == 4:
            return
        if raw in ("^", "_"):
            script = self.arg(depth + 1)
            last = items.pop() if items else None
            if isinstance(last, Scripts) and getattr(last, "sub" if raw == "_" else "sup") is not None:
                items.append(last)  # a double script (x^2^3): start afresh rather than nest
                last = Scripts(None)
            elif not isinstance(last, Scripts):
                last = Scripts(last)
            setattr(last, "sub" if raw == "_" else "sup", script)
            items.append(last)
        elif raw == "'":
            n = 1
            while self.peek(False)[2] == "'":
                self.i, n = self.i + 1, n + 1
            last = items.pop() if items else None
            if isinstance(last, Scripts) and last.sup is not None:
                items.append(last)
                last = Scripts(None)
            elif not isinstance(last, Scripts):
                last = Scripts(last)
            last.primes += n
            items.append(last)
        elif raw == "{":
            text = self.template()
            items.append(Atom(text) if text else Group(self.group(depth)))
        elif kind == 1:
            self.command(val, items, depth)
        elif kind == 2:
            self.symbol(val, items)
        elif kind == 5:
            items.append(Atom(val))
        else:
            items.append(_char(val))

    def template(self) -> str | None:
        """``{a}`` or ``{2*a}`` naming a lesson parameter is kept for the template step."""
        if not self.templates:
            return None
        j, text = self.i, []
        while j < len(self.toks) and self.toks[j][2] not in "{}" and not self.toks[j][2].startswith("\\"):
            text.append(self.toks[j][2])
            j += 1
        if j >= len(self.toks) or self.toks[j][2] != "}":
            return None
        inner = "".join(text)
        if not self.templates.intersection(re.findall(r"[A-Za-z_]\w*", inner)):
            return None
        self.i = j + 1
        return "{" + inner + "}"

    def symbol(self, ch: str, items: list) -> None:
        if ch in SPACES:
            items.append(Atom(SPACES[ch], "space"))
        elif ch == "\\":
            items.append(Atom("\n", "break"))
        elif ch in "{}":
            items.append(Atom(ch, "open" if ch == "{" else "close"))
        else:
            items.append(Atom(ORD.get(ch, ch)))

    def delimiter(self) -> str:
        kind, val, raw = self.peek()
        if not raw or raw == "}":
            return ""
        self.i += 1
        if kind == 1:
            return next((t[val] for t in (OPEN, CLOSE, ORD, REL) if val in t), "")
        return "" if raw == "." else ORD.get(val, val) if kind == 2 else val

    def command(self, name: str, items: list, depth: int) -> None:
        if depth > MAX_DEPTH:
            items.append(Atom(name))
            return
        for table, cls in ((ORD, "ord"), (BIN, "bin"), (REL, "rel"), (OPEN, "open"), (CLOSE, "close")):
            if name in table:
                items.append(Atom(table[name], cls))
                return
        if name in ("cdot", "cdotp", "centerdot"):  # a tight binary dot, as in the engine's 2·x
            items.append(Atom("·", "tbin"))
        elif name in BIG:
            items.append(Atom(BIG[name], "op", limits=not name.endswith("int")))
        elif name in WORDS or name in LIMIT_WORDS:
            items.append(Atom(LIMIT_WORDS.get(name, name), "op", limits=name in LIMIT_WORDS))
        elif name in SPACES:
            items.append(Atom(SPACES[name], "space"))
        elif name in ("frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom"):
            num = self.arg(depth + 1)
            items.append(Frac(num, self.arg(depth + 1), binom="binom" in name))
        elif name == "sqrt":
            index = None
            if self.peek()[2] == "[":
                self.i += 1
                index = self.row(depth + 1, ("]", "}"))
                self.i += self.peek(False)[2] == "]"
            items.append(Sqrt(self.arg(depth + 1), index))
        elif name in ACCENTS or name in FONTS:
            items.append(Deco(self.arg(depth + 1), ACCENTS.get(name, name)))
        elif name in TEXTS:
            items.append(Atom(_text(self.raw_group(), self.templates)))
        elif name in ("operatorname", "mathop"):
            star = self.peek(False)[2] == "*"
            self.i += star
            items.append(Atom(_text(self.raw_group(), self.templates), "op", limits=star))
        elif name == "left":
            left = self.delimiter()
            body = self.row(depth + 1, ("\\right", "}", "\\end"))
            right = ""
            if self.peek(False)[2] == "\\right":
                self.i += 1
                right = self.delimiter()
            items.append(Fenced(left, body, right))
        elif name in ("right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"):
            items.append(Atom(self.delimiter(), "open" if name.endswith("l") else "close"))
        elif name in ("overset", "stackrel", "underset"):
            over = self.arg(depth + 1)
            base = Group(self.arg(depth + 1))
            items.append(Scripts(base, sub=over) if name == "underset" else Scripts(base, sup=over))
        elif name == "not":
            nxt: list = []
            if self.peek()[2]:
                self.item(nxt, depth + 1)
            text = render_line(nxt, True)
            items.append(Atom({"=": "≠", "∈": "∉", "≡": "≢", "<": "≮", ">": "≯"}.get(text, text + "\u0338"), "rel"))
        elif name in ("color", "textcolor", "colorbox", "label", "phantom", "hphantom", "vphantom"):
            self.raw_group()  # for \textcolor{red}{x} the {x} that follows is read as a group
        elif name == "hspace":
            self.raw_group()
            items.append(Atom(" ", "space"))
        elif name == "tag":
            items.append(Atom("    (" + _text(self.raw_group(), self.templates) + ")", "space"))
        elif name == "begin":
            items.append(self.environment(self.raw_group().strip(), depth))
        elif name not in IGNORE:  # unknown: keep the name, never fail
            items.append(Atom(name, "op" if len(name) > 1 else "ord"))

    def environment(self, env: str, depth: int) -> Matrix:
        if env == "array":
            self.raw_group()
        matrix, row = Matrix(env), []
        while True:
            row.append(self.row(depth + 1, ("&", "\\\\", "\\end", "}")) if depth < MAX_DEPTH else [])
            kind, val, raw = self.peek(False)
            if raw == "&":
                self.i += 1
                continue
            matrix.rows.append(row)
            row = []
            if raw == "\\\\":
                self.i += 1
                continue
            if kind == 1 and val == "end":
                self.i += 1
                self.raw_group()
            break
        if len(matrix.rows) > 1 and not any(matrix.rows[-1]):
            matrix.rows.pop()
        return matrix


def _char(ch: str) -> Atom:
    if ch == "-":
        return Atom("−", "bin")
    if ch in "+*":
        return Atom("∗" if ch == "*" else ch, "bin")
    if ch in "=<>:":
        return Atom(ch, "rel")
    if ch in ",;":
        return Atom(ch, "punct")
    if ch in "([":
        return Atom(ch, "open")
    if ch in ")]!":
        return Atom(ch, "close")
    if ch == "~":
        return Atom(" ", "space")
    return Atom(ch)


def _text(raw: str, templates: frozenset[str]) -> str:
    """The contents of \\text{…}: words kept as typed, with any $…$ inside converted."""
    parts = re.split(r"(?<!\\)\$", raw)
    for k, part in enumerate(parts):
        if k % 2:
            parts[k] = convert(part, False, templates)
        else:
            part = re.sub(r"\\([A-Za-z]+)\s*", lambda m: ORD.get(m[1], m[1]), part)
            part = re.sub(r"\\(.)", lambda m: " " if m[1] in " ,;:" else m[1], part)
            parts[k] = part.replace("{", "").replace("}", "")
    return "".join(parts)

# ---------------------------------------------------------------- public functions

def convert(latex: str, display: bool, templates: frozenset[str] = frozenset()) -> str:
    if len(latex) > MAX_LENGTH:
        return _plain(latex)
    items = Parser(latex, templates).row(0)
    if display and any(isinstance(n, Atom) and n.cls == "break" for n in items):
        rows: list = [[]]
        for n in items:
            if isinstance(n, Atom) and n.cls == "break":
                rows.append([])
            else:
                rows[-1].append(n)
        items = [Matrix("gathered", [[r] for r in rows if r])]
    lines, _ = render(items, display, False)
    if len(lines) == 1:
        return unicodedata.normalize("NFC", lines[0]).strip()
    text = textwrap.dedent("\n".join(line.rstrip() for line in lines)).strip("\n")
    return unicodedata.normalize("NFC", text)


def to_unicode(latex: str, display: bool = False, *, templates=()) -> str:
    """One formula (without its dollars) as Unicode text; ``display=True`` may give several lines.

    ``templates`` names lesson parameters: a brace group such as ``{a}`` or ``{2*a}`` that mentions one is
    kept as it is, for the template step that fills it in later.
    """
    try:
        return convert(str(latex), display, frozenset(templates))
    except Exception:  # a last guard: a formula must never take a lesson down
        return _plain(str(latex))


def _plain(latex: str) -> str:
    return re.sub(r"\\([A-Za-z]+)", r"\1", latex)
