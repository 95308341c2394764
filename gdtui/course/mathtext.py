"""LaTeX-ish maths in lesson prose, turned into readable Unicode for a terminal.

``to_unicode(r"x_{t+1} = x_t - \\eta \\nabla f(x_t)")`` gives ``xₜ₊₁ = xₜ − η∇f(xₜ)``. A small tokenizer feeds a
recursive-descent parser (braces, scripts, ``\\frac``, environments); the tree is laid out as text boxes so
display maths can stack a fraction, the limits of a sum or a matrix over several lines. Spacing follows TeX's
atom classes (ordinary, binary, relation, operator, punctuation, ...). Unknown commands keep their name; no
input makes it raise. ``render_prose`` converts every ``$…$`` and ``$$…$$`` of a markdown text and leaves code
alone. No Textual or rich here.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["to_unicode", "render_prose"]

_MAX_DEPTH = 25  # nesting beyond this is read flat
_MAX_LENGTH = 3000  # a longer "formula" is shown as plain text


def _table(spec: str) -> dict[str, str]:
    words = spec.split()
    return dict(zip(words[::2], words[1::2], strict=True))


_ORD = _table(
    "alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η theta θ vartheta ϑ iota ι kappa κ "
    "lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi φ varphi φ "
    "chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω "
    "nabla ∇ partial ∂ infty ∞ ell ℓ hbar ℏ emptyset ∅ varnothing ∅ forall ∀ exists ∃ neg ¬ lnot ¬ prime ′ "
    "angle ∠ top ⊤ bot ⊥ Re ℜ Im ℑ aleph ℵ ldots … dots … cdots ⋯ vdots ⋮ ddots ⋱ | ‖ Vert ‖ vert | "
    "degree ° surd √ checkmark ✓ triangle △ square □ dagger † $ $ % % & & # # _ _ backslash \\ "
)
_BIN = _table(
    "times × div ÷ pm ± mp ∓ circ ∘ bullet ∙ ast ∗ star ⋆ cup ∪ cap ∩ setminus ∖ "
    "wedge ∧ land ∧ vee ∨ lor ∨ oplus ⊕ otimes ⊗ odot ⊙"
)
_REL = _table(
    "le ≤ leq ≤ leqslant ≤ ge ≥ geq ≥ geqslant ≥ ne ≠ neq ≠ approx ≈ sim ∼ simeq ≃ cong ≅ equiv ≡ propto ∝ "
    "to → rightarrow → leftarrow ← gets ← Rightarrow ⇒ implies ⇒ Leftarrow ⇐ impliedby ⇐ Leftrightarrow ⇔ "
    "iff ⇔ leftrightarrow ↔ mapsto ↦ longrightarrow ⟶ longmapsto ⟼ uparrow ↑ downarrow ↓ in ∈ notin ∉ "
    "ni ∋ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇ ll ≪ gg ≫ mid | parallel ∥ perp ⊥ coloneqq := "
    "eqqcolon =: doteq ≐ triangleq ≜ lt < gt > colon :"
)
_OPEN = _table("langle ⟨ lVert ‖ lvert | lfloor ⌊ lceil ⌈ { {")
_CLOSE = _table("rangle ⟩ rVert ‖ rvert | rfloor ⌋ rceil ⌉ } }")
_BIG = _table("sum ∑ prod ∏ coprod ∐ bigcup ⋃ bigcap ⋂ bigoplus ⨁ bigotimes ⨂ int ∫ iint ∬ iiint ∭ oint ∮")
_WORDS = set("sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth log ln lg exp det dim ker deg "
             "gcd hom arg Pr".split())
_LIMIT_WORDS = {"lim": "lim", "limsup": "lim sup", "liminf": "lim inf", "max": "max", "min": "min",
                "sup": "sup", "inf": "inf", "argmax": "argmax", "argmin": "argmin"}
_SPACES = {",": " ", ":": " ", ">": " ", ";": " ", "!": "", " ": " ", "\n": " ", "quad": "  ",
           "qquad": "    ", "enspace": " ", "thinspace": " ", "medspace": " ", "thickspace": " ",
           "negthinspace": "", "hfill": "  "}
_IGNORE = set("big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm displaystyle textstyle "
              "scriptstyle limits nolimits nonumber notag mathstrut strut allowbreak middle".split())
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "check": "\u030c", "tilde": "\u0303", "widetilde": "\u0303",
            "bar": "\u0304", "overline": "\u0305", "underline": "\u0332", "vec": "\u20d7",
            "overrightarrow": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "acute": "\u0301", "grave": "\u0300",
            "breve": "\u0306", "mathring": "\u030a"}
_FONTS = {"mathbb": dict(zip("CHNPQRZE1", "ℂℍℕℙℚℝℤ𝔼𝟙", strict=True)),
          "mathcal": dict(zip("BEFHILMR", "ℬℰℱℋℐℒℳℛ", strict=True)),
          "mathrm": {}, "mathit": {}, "mathbf": {}, "mathsf": {}, "mathtt": {}, "boldsymbol": {}, "bm": {},
          "mathfrak": {}, "mathnormal": {}, "boxed": {}}
_FONTS["mathscr"] = _FONTS["mathcal"]
_TEXTS = set("text textrm textit textbf textsf texttt textnormal mbox hbox".split())
_SUP = dict(zip("0123456789+−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ′″‴∗⊤",
                "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ′″‴∗ᵀ", strict=True))
_SUB = dict(zip("0123456789+−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
_PRIMES = {1: "′", 2: "″", 3: "‴"}
_ENVS = {"matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
         "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", ""),
         "array": ("", "")}
_ALIGNED = set("aligned align align* alignat alignat* split eqnarray eqnarray* gathered gather gather* equation "
               "equation* multline".split())
_TALL = {"(": "⎛⎜⎝", ")": "⎞⎟⎠", "[": "⎡⎢⎣", "]": "⎤⎥⎦", "{": "⎧⎪⎨⎩", "}": "⎫⎪⎬⎭", "|": "│││", "‖": "‖‖‖"}
_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(\\)$|(\s+)|(\d+(?:\.\d+)?)|(.)", re.S)


@dataclass
class _Atom:
    text: str
    cls: str = "ord"  # ord bin rel open close punct op space mark
    limits: bool = False


@dataclass
class _Group:
    items: list


@dataclass
class _Scripts:
    base: object
    sub: list | None = None
    sup: list | None = None
    primes: int = 0


@dataclass
class _Frac:
    num: list
    den: list
    binom: bool = False


@dataclass
class _Sqrt:
    arg: list
    index: list | None = None


@dataclass
class _Deco:  # accent (mark is a combining character) or font (mark is a font name)
    arg: list
    mark: str


@dataclass
class _Fenced:  # \left( … \right): delimiters that grow with what they hold
    left: str
    items: list
    right: str


@dataclass
class _Matrix:
    env: str
    rows: list = field(default_factory=list)


class _Parser:
    def __init__(self, text: str, templates: frozenset[str]):
        self.toks = [(m.lastindex, m.group(m.lastindex), m.group(0)) for m in _TOKEN.finditer(text)]
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
        items = self.row(depth + 1, ("}",)) if depth < _MAX_DEPTH else self.flat_until_close()
        if self.peek(False)[2] == "}":
            self.i += 1
        return items

    def flat_until_close(self) -> list:
        level, items = 0, []
        while self.i < len(self.toks) and not (self.toks[self.i][2] == "}" and level == 0):
            raw = self.toks[self.i][2]
            level += (raw == "{") - (raw == "}")
            if raw not in "{}":
                items.append(_Atom(raw.lstrip("\\")))
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
        if not raw or raw in "}^_&" or depth > _MAX_DEPTH:
            return []
        if raw == "{":
            self.i += 1
            text = self.template()
            return [_Atom(text)] if text else self.group(depth)
        if kind == 5 and len(val) > 1:  # \frac12 and x^10 take one digit, as in TeX
            self.toks[self.i] = (5, val[1:], val[1:])
            return [_Atom(val[0])]
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
            if isinstance(last, _Scripts) and getattr(last, "sub" if raw == "_" else "sup") is not None:
                items.append(last)  # a double script (x^2^3): start afresh rather than nest
                last = _Scripts(None)
            elif not isinstance(last, _Scripts):
                last = _Scripts(last)
            setattr(last, "sub" if raw == "_" else "sup", script)
            items.append(last)
        elif raw == "'":
            n = 1
            while self.peek(False)[2] == "'":
                self.i, n = self.i + 1, n + 1
            last = items.pop() if items else None
            if isinstance(last, _Scripts) and last.sup is not None:
                items.append(last)
                last = _Scripts(None)
            elif not isinstance(last, _Scripts):
                last = _Scripts(last)
            last.primes += n
            items.append(last)
        elif raw == "{":
            text = self.template()
            items.append(_Atom(text) if text else _Group(self.group(depth)))
        elif kind == 1:
            self.command(val, items, depth)
        elif kind == 2:
            self.symbol(val, items)
        elif kind == 5:
            items.append(_Atom(val))
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
        if ch in _SPACES:
            items.append(_Atom(_SPACES[ch], "space"))
        elif ch == "\\":
            items.append(_Atom("\n", "break"))
        elif ch in "{}":
            items.append(_Atom(ch, "open" if ch == "{" else "close"))
        else:
            items.append(_Atom(_ORD.get(ch, ch)))

    def delimiter(self) -> str:
        kind, val, raw = self.peek()
        if not raw or raw == "}":
            return ""
        self.i += 1
        if kind == 1:
            return next((t[val] for t in (_OPEN, _CLOSE, _ORD, _REL) if val in t), "")
        return "" if raw == "." else _ORD.get(val, val) if kind == 2 else val

    def command(self, name: str, items: list, depth: int) -> None:
        if depth > _MAX_DEPTH:
            items.append(_Atom(name))
            return
        for table, cls in ((_ORD, "ord"), (_BIN, "bin"), (_REL, "rel"), (_OPEN, "open"), (_CLOSE, "close")):
            if name in table:
                items.append(_Atom(table[name], cls))
                return
        if name in ("cdot", "cdotp", "centerdot"):  # a tight binary dot, as in the engine's 2·x
            items.append(_Atom("·", "tbin"))
        elif name in _BIG:
            items.append(_Atom(_BIG[name], "op", limits=not name.endswith("int")))
        elif name in _WORDS or name in _LIMIT_WORDS:
            items.append(_Atom(_LIMIT_WORDS.get(name, name), "op", limits=name in _LIMIT_WORDS))
        elif name in _SPACES:
            items.append(_Atom(_SPACES[name], "space"))
        elif name in ("frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom"):
            num = self.arg(depth + 1)
            items.append(_Frac(num, self.arg(depth + 1), binom="binom" in name))
        elif name == "sqrt":
            index = None
            if self.peek()[2] == "[":
                self.i += 1
                index = self.row(depth + 1, ("]", "}"))
                self.i += self.peek(False)[2] == "]"
            items.append(_Sqrt(self.arg(depth + 1), index))
        elif name in _ACCENTS or name in _FONTS:
            items.append(_Deco(self.arg(depth + 1), _ACCENTS.get(name, name)))
        elif name in _TEXTS:
            items.append(_Atom(_text(self.raw_group(), self.templates)))
        elif name in ("operatorname", "mathop"):
            star = self.peek(False)[2] == "*"
            self.i += star
            items.append(_Atom(_text(self.raw_group(), self.templates), "op", limits=star))
        elif name == "left":
            left = self.delimiter()
            body = self.row(depth + 1, ("\\right", "}", "\\end"))
            right = ""
            if self.peek(False)[2] == "\\right":
                self.i += 1
                right = self.delimiter()
            items.append(_Fenced(left, body, right))
        elif name in ("right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"):
            items.append(_Atom(self.delimiter(), "open" if name.endswith("l") else "close"))
        elif name in ("overset", "stackrel", "underset"):
            over = self.arg(depth + 1)
            base = _Group(self.arg(depth + 1))
            items.append(_Scripts(base, sub=over) if name == "underset" else _Scripts(base, sup=over))
        elif name == "not":
            nxt: list = []
            if self.peek()[2]:
                self.item(nxt, depth + 1)
            text = _render_line(nxt, True)
            items.append(_Atom({"=": "≠", "∈": "∉", "≡": "≢", "<": "≮", ">": "≯"}.get(text, text + "\u0338"), "rel"))
        elif name in ("color", "textcolor", "colorbox", "label", "phantom", "hphantom", "vphantom"):
            self.raw_group()  # for \textcolor{red}{x} the {x} that follows is read as a group
        elif name == "hspace":
            self.raw_group()
            items.append(_Atom(" ", "space"))
        elif name == "tag":
            items.append(_Atom("    (" + _text(self.raw_group(), self.templates) + ")", "space"))
        elif name == "begin":
            items.append(self.environment(self.raw_group().strip(), depth))
        elif name not in _IGNORE:  # unknown: keep the name, never fail
            items.append(_Atom(name, "op" if len(name) > 1 else "ord"))

    def environment(self, env: str, depth: int) -> _Matrix:
        if env == "array":
            self.raw_group()
        matrix, row = _Matrix(env), []
        while True:
            row.append(self.row(depth + 1, ("&", "\\\\", "\\end", "}")) if depth < _MAX_DEPTH else [])
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


def _char(ch: str) -> _Atom:
    if ch == "-":
        return _Atom("−", "bin")
    if ch in "+*":
        return _Atom("∗" if ch == "*" else ch, "bin")
    if ch in "=<>:":
        return _Atom(ch, "rel")
    if ch in ",;":
        return _Atom(ch, "punct")
    if ch in "([":
        return _Atom(ch, "open")
    if ch in ")]!":
        return _Atom(ch, "close")
    if ch == "~":
        return _Atom(" ", "space")
    return _Atom(ch)


def _text(raw: str, templates: frozenset[str]) -> str:
    """The contents of \\text{…}: words kept as typed, with any $…$ inside converted."""
    parts = re.split(r"(?<!\\)\$", raw)
    for k, part in enumerate(parts):
        if k % 2:
            parts[k] = _convert(part, False, templates)
        else:
            part = re.sub(r"\\([A-Za-z]+)\s*", lambda m: _ORD.get(m[1], m[1]), part)
            part = re.sub(r"\\(.)", lambda m: " " if m[1] in " ,;:" else m[1], part)
            parts[k] = part.replace("{", "").replace("}", "")
    return "".join(parts)


# ---------------------------------------------------------------- layout: a box is (lines, baseline)

@lru_cache(maxsize=4096)
def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(lines: list[str]) -> list[str]:
    w = max(map(_width, lines), default=0)
    return [line + " " * (w - _width(line)) for line in lines]


def _fit(text: str, w: int, how: str = "c") -> str:
    room = w - _width(text)
    left = 0 if how == "l" else room if how == "r" else room // 2
    return " " * left + text + " " * (room - left)


def _hcat(boxes: list[tuple[list[str], int]]) -> tuple[list[str], int]:
    if not boxes:
        return [""], 0
    up = max(b for _, b in boxes)
    down = max(len(lines) - 1 - b for lines, b in boxes)
    out = [""] * (up + down + 1)
    for lines, base in boxes:
        blank = [" " * _width(lines[0])]
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


def _render(items: list, display: bool, tight: bool) -> tuple[list[str], int]:
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


def _render_line(items: list | None, tight: bool) -> str:
    return _render(items or [], False, tight)[0][0]


def _unwrap(items: list) -> list:
    while len(items) == 1 and isinstance(items[0], _Group):
        items = items[0].items
    return [n for n in items if not (isinstance(n, _Atom) and not n.text)]


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
    if any(isinstance(n, _Frac) and not n.binom for n in items):
        return True
    loose = [n for k, n in enumerate(items) if isinstance(n, _Atom) and n.cls in ("bin", "rel", "punct", "space")
             and not (k == 0 and n.cls == "bin") and n.text not in "·×÷∗"]
    if loose or not den:
        return bool(loose)
    if text.startswith("∂") or (text[:1] in ("d", "δ", "Δ") and num[:1] == text[:1]):
        return False
    return len(items) > 1 or any(isinstance(n, _Atom) and n.cls == "op" for n in items)


def _part(items: list, tight: bool) -> str:
    text = _render_line(items, True)
    return text if tight or _width(text) <= 5 else _render_line(items, False)


def _script(text: str, table: dict[str, str]) -> str | None:
    return "".join(table[c] for c in text) if all(c in table for c in text) else None


def _node(node, display: bool, tight: bool) -> tuple[list[str], int, str]:
    if isinstance(node, _Atom):
        return ([node.text], 0, node.cls) if node.cls != "break" else (["; "], 0, "space")
    if isinstance(node, _Group):
        if len(node.items) == 1:
            lines, base, cls = _node(node.items[0], display, tight)
            return lines, base, "ord" if cls in ("bin", "rel", "punct", "open", "close", "unary") else cls
        return (*_render(node.items, display, tight), "ord")
    if isinstance(node, _Scripts):
        return _scripts(node, display, tight)
    if isinstance(node, _Frac):
        if display and not tight and not node.binom:
            num, den = _render_line(node.num, False), _render_line(node.den, False)
            w = max(_width(num), _width(den)) + 2
            return [_fit(num, w), "─" * w, _fit(den, w)], 1, "inner"
        num, den = _part(node.num, tight), _part(node.den, tight)
        if node.binom:
            return [f"C({num}, {den})"], 0, "ord"
        num = f"({num})" if _compound(node.num, False, num) else num
        den = f"({den})" if _compound(node.den, True, den, num) else den
        return [f"{num}/{den}"], 0, "inner"
    if isinstance(node, _Sqrt):
        arg, items = _part(node.arg, tight), _unwrap(node.arg)
        simple = len(items) == 1 and (isinstance(items[0], _Deco) or (isinstance(items[0], _Atom)
                                                                       and items[0].cls == "ord"))
        arg = arg if simple or _wrapped(arg) else f"({arg})"
        index = _render_line(node.index, True)
        sign = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index) or (_script(index, _SUP) or f"({index})") + "√"
        return [sign + arg], 0, "ord"
    if isinstance(node, _Deco):
        text = _render_line(node.arg, tight)
        if node.mark in _FONTS:
            return ["".join(_FONTS[node.mark].get(c, c) for c in text)], 0, "ord"
        return [_accent(text, node.mark)], 0, "ord"
    if isinstance(node, _Matrix):
        return _matrix(node, display and not tight)
    if isinstance(node, _Fenced):
        lines, base = _render(node.items, display, tight)
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


def _scripts(node: _Scripts, display: bool, tight: bool) -> tuple[list[str], int, str]:
    base = node.base
    lines, bbase, cls = _node(base, display, tight) if base is not None else ([""], 0, "ord")
    primes = _PRIMES.get(node.primes, "′" * node.primes)
    sub = _render_line(node.sub, True) if node.sub is not None else None
    sup = _render_line(node.sup, True) if node.sup is not None else None
    if display and not tight and isinstance(base, _Atom) and base.limits and (sub or sup) and not primes:
        w = max(_width(t) for t in (sub or "", sup or "", base.text))
        stack = [t for t in (sup, base.text, sub) if t]
        return [_fit(t, w) for t in stack], 1 if sup else 0, "op"
    if len(lines) > 1:  # a tall base: scripts beside its top and bottom lines
        out = _pad(lines)
        out[0] += primes + ("" if sup is None else _script(sup, _SUP) or "^" + sup)
        out[-1] += "" if sub is None else _script(sub, _SUB) or "_" + sub
        return _pad(out), bbase, cls
    text = lines[0]
    if (isinstance(base, (_Frac, _Sqrt)) and not _wrapped(text)) or (
            isinstance(base, _Group) and _compound(base.items, text=text)):
        text = f"({text})"
    text += primes
    loose = False
    for part, table, mark in ((sub, _SUB, "_"), (sup, _SUP, "^")):
        if part is None:
            continue
        converted = _script(part, table)
        if converted is None:
            plain = part.isalnum() or _width(part) == 1 or _wrapped(part)
            loose = loose or (plain and not _wrapped(part))
            converted = mark + (part if plain else f"({part})")
        text += converted
    return [text], 0, "ordx" if loose and cls == "ord" else cls


def _delim(ch: str, height: int, k: int) -> str:
    if not ch or height == 1:
        return ch
    parts = _TALL.get(ch, ch * 3)
    if len(parts) == 4:  # braces: top, filler, middle, bottom
        return parts[0] if k == 0 else parts[3] if k == height - 1 else parts[2] if k == height // 2 else parts[1]
    return parts[0] if k == 0 else parts[2] if k == height - 1 else parts[1]


def _matrix(node: _Matrix, display: bool) -> tuple[list[str], int, str]:
    left, right = _ENVS.get(node.env, ("", ""))
    aligned = node.env not in _ENVS
    if aligned:
        texts = []
        for row in node.rows:
            items: list = []
            for k, cell in enumerate(row):
                items += ([_Atom("\x00", "mark")] if k else []) + cell
            texts.append(_render_line(items, False))
        grid = [t.split("\x00") for t in texts]
    else:
        grid = [[_render_line(cell, False) for cell in row] for row in node.rows]
    if not any(any(row) for row in grid):
        return [left + right], 0, "ord"
    if not display:
        sep = "" if aligned else ", "
        return [left + "; ".join(sep.join(row).strip() for row in grid) + right], 0, "ord"
    how = "c" if node.env.startswith(("gather", "equation", "multline")) else "rl" if aligned else \
        "l" if node.env == "cases" else "c"
    ncols = max(len(row) for row in grid)
    widths = [max(_width(row[k]) if k < len(row) else 0 for row in grid) for k in range(ncols)]
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


# ---------------------------------------------------------------- public functions

def _convert(latex: str, display: bool, templates: frozenset[str] = frozenset()) -> str:
    if len(latex) > _MAX_LENGTH:
        return _plain(latex)
    items = _Parser(latex, templates).row(0)
    if display and any(isinstance(n, _Atom) and n.cls == "break" for n in items):
        rows: list = [[]]
        for n in items:
            if isinstance(n, _Atom) and n.cls == "break":
                rows.append([])
            else:
                rows[-1].append(n)
        items = [_Matrix("gathered", [[r] for r in rows if r])]
    lines, _ = _render(items, display, False)
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
        return _convert(str(latex), display, frozenset(templates))
    except Exception:  # a last guard: a formula must never take a lesson down
        return _plain(str(latex))


def _plain(latex: str) -> str:
    return re.sub(r"\\([A-Za-z]+)", r"\1", latex)


_SPECIAL = re.compile(r"[`\\$]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_INLINE_END = re.compile(r"(?<![\s\\])\$(?!\d)")


def render_prose(markdown: str, *, stacked: bool = True, templates=()) -> str:
    """Replace every ``$…$`` and ``$$…$$`` of a markdown text with Unicode; code is left alone.

    Display maths becomes a paragraph of its own. When it needs several lines (a stacked fraction, a matrix)
    it is put in a fenced block with the info string ``math`` so that markdown keeps its layout; with
    ``stacked=False`` every formula is a single line. ``\\$`` is a literal dollar sign.
    """
    out: list[str] = []
    chunk: list[str] = []
    fence = None
    for line in markdown.splitlines(keepends=True):
        if fence is None and (m := _FENCE.match(line)):
            out.append(_prose("".join(chunk), stacked, templates))
            chunk, fence = [], m[1]
            out.append(line)
        elif fence is not None:
            out.append(line)
            if re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*", line):
                fence = None
        else:
            chunk.append(line)
    out.append(_prose("".join(chunk), stacked, templates))
    return "".join(out)


def _prose(text: str, stacked: bool, templates) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        i = m.start()
        c = text[i]
        if c == "`":
            run = re.match(r"`+", text[i:])[0]
            close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, i + len(run))
            end = close.end() if close else i + len(run)
            out.append(text[i:end])
            i = end
        elif c == "\\":
            out.append("$" if text[i + 1:i + 2] == "$" else text[i:i + 2])
            i += 2
        elif text.startswith("$$", i):
            close = re.compile(r"(?<!\\)\$\$").search(text, i + 2)
            body = text[i + 2:close.start()] if close else ""
            if not close or not body.strip() or re.search(r"\n\s*\n", body):
                out.append("$$")
                i += 2
                continue
            formula = to_unicode(body, display=stacked, templates=templates)
            before = "".join(out).rstrip()
            out = [before + "\n\n"] if before else []
            out.append(f"```math\n{formula}\n```" if "\n" in formula else formula)
            rest = text[close.end():]
            i = n - len(rest.lstrip())
            out.append("\n\n" if i < n else rest)
        else:
            close = _INLINE_END.search(text, i + 1)
            body = text[i + 1:close.start()] if close else ""
            if close and body and not body[0].isspace() and "`" not in body and not re.search(r"\n\s*\n", body):
                out.append(to_unicode(body, templates=templates))
                i = close.end()
            else:
                out.append("$")
                i += 1
    return "".join(out)
