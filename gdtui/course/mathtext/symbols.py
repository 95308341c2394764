"""The symbol tables: what each LaTeX command or character stands for, and the class TeX spaces it by.

Atom classes: ord (ordinary), bin (binary operator), rel (relation), open, close, punct, op (a big operator
or a function name such as sin), space. No code here but the tables and the tokenizer's pattern."""

from __future__ import annotations

import re

MAX_DEPTH = 25  # nesting beyond this is read flat
MAX_LENGTH = 3000  # a longer "formula" is shown as plain text


def _table(spec: str) -> dict[str, str]:
    words = spec.split()
    return dict(zip(words[::2], words[1::2], strict=True))


ORD = _table(
    "alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η theta θ vartheta ϑ iota ι kappa κ "
    "lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi φ varphi φ "
    "chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω "
    "nabla ∇ partial ∂ infty ∞ ell ℓ hbar ℏ emptyset ∅ varnothing ∅ forall ∀ exists ∃ neg ¬ lnot ¬ prime ′ "
    "angle ∠ top ⊤ bot ⊥ Re ℜ Im ℑ aleph ℵ ldots … dots … cdots ⋯ vdots ⋮ ddots ⋱ | ‖ Vert ‖ vert | "
    "degree ° surd √ checkmark ✓ triangle △ square □ dagger † $ $ % % & & # # _ _ backslash \\ "
)
BIN = _table(
    "times × div ÷ pm ± mp ∓ circ ∘ bullet ∙ ast ∗ star ⋆ cup ∪ cap ∩ setminus ∖ "
    "wedge ∧ land ∧ vee ∨ lor ∨ oplus ⊕ otimes ⊗ odot ⊙"
)
REL = _table(
    "le ≤ leq ≤ leqslant ≤ ge ≥ geq ≥ geqslant ≥ ne ≠ neq ≠ approx ≈ sim ∼ simeq ≃ cong ≅ equiv ≡ propto ∝ "
    "to → rightarrow → leftarrow ← gets ← Rightarrow ⇒ implies ⇒ Leftarrow ⇐ impliedby ⇐ Leftrightarrow ⇔ "
    "iff ⇔ leftrightarrow ↔ mapsto ↦ longrightarrow ⟶ longmapsto ⟼ uparrow ↑ downarrow ↓ in ∈ notin ∉ "
    "ni ∋ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇ ll ≪ gg ≫ mid | parallel ∥ perp ⊥ coloneqq := "
    "eqqcolon =: doteq ≐ triangleq ≜ lt < gt > colon :"
)
OPEN = _table("langle ⟨ lVert ‖ lvert | lfloor ⌊ lceil ⌈ { {")
CLOSE = _table("rangle ⟩ rVert ‖ rvert | rfloor ⌋ rceil ⌉ } }")
BIG = _table("sum ∑ prod ∏ coprod ∐ bigcup ⋃ bigcap ⋂ bigoplus ⨁ bigotimes ⨂ int ∫ iint ∬ iiint ∭ oint ∮")
WORDS = set("sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth log ln lg exp det dim ker deg "
            "gcd hom arg Pr".split())
LIMIT_WORDS = {"lim": "lim", "limsup": "lim sup", "liminf": "lim inf", "max": "max", "min": "min",
               "sup": "sup", "inf": "inf", "argmax": "argmax", "argmin": "argmin"}
SPACES = {",": " ", ":": " ", ">": " ", ";": " ", "!": "", " ": " ", "\n": " ", "quad": "  ",
          "qquad": "    ", "enspace": " ", "thinspace": " ", "medspace": " ", "thickspace": " ",
          "negthinspace": "", "hfill": "  "}
IGNORE = set("big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm displaystyle textstyle "
             "scriptstyle limits nolimits nonumber notag mathstrut strut allowbreak middle".split())
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "check": "\u030c", "tilde": "\u0303", "widetilde": "\u0303",
           "bar": "\u0304", "overline": "\u0305", "underline": "\u0332", "vec": "\u20d7",
           "overrightarrow": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "acute": "\u0301", "grave": "\u0300",
           "breve": "\u0306", "mathring": "\u030a"}
FONTS = {"mathbb": dict(zip("CHNPQRZE1", "ℂℍℕℙℚℝℤ𝔼𝟙", strict=True)),
         "mathcal": dict(zip("BEFHILMR", "ℬℰℱℋℐℒℳℛ", strict=True)),
         "mathrm": {}, "mathit": {}, "mathbf": {}, "mathsf": {}, "mathtt": {}, "boldsymbol": {}, "bm": {},
         "mathfrak": {}, "mathnormal": {}, "boxed": {}}
FONTS["mathscr"] = FONTS["mathcal"]
TEXTS = set("text textrm textit textbf textsf texttt textnormal mbox hbox".split())
SUP = dict(zip("0123456789+−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ′″‴∗⊤",
               "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ′″‴∗ᵀ", strict=True))
SUB = dict(zip("0123456789+−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
PRIMES = {1: "′", 2: "″", 3: "‴"}
ENVS = {"matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
        "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", ""),
        "array": ("", "")}
TALL = {"(": "⎛⎜⎝", ")": "⎞⎟⎠", "[": "⎡⎢⎣", "]": "⎤⎥⎦", "{": "⎧⎪⎨⎩", "}": "⎫⎪⎬⎭", "|": "│││", "‖": "‖‖‖"}
TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(\\)$|(\s+)|(\d+(?:\.\d+)?)|(.)", re.S)
