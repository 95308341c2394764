"""mathtext: LaTeX-ish maths in lesson prose turned into Unicode for the terminal."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.course import mathtext
from gdtui.course.mathtext import render_prose, to_unicode

TABLE = [
    # scripts
    (r"x^2", "x²"),
    (r"x^{10}", "x¹⁰"),
    (r"x_{t+1}", "xₜ₊₁"),
    (r"x_i", "xᵢ"),
    (r"w_0", "w₀"),
    (r"x_{best}", "x_best"),  # no subscript b: falls back to a plain underscore
    (r"x_{i,j}", "x_(i,j)"),  # compound fallbacks get parentheses
    (r"e^{-x^2}", "e^(−x²)"),
    (r"\theta^{(k)}", "θ⁽ᵏ⁾"),
    (r"x^*", "x∗"),
    (r"10^{-4}", "10⁻⁴"),
    # the seeds' formulas
    (r"x_{t+1} = x_t - \eta \nabla f(x_t)", "xₜ₊₁ = xₜ − η∇f(xₜ)"),
    (r"\frac{1}{n}\sum_{i=1}^{n}(y_i - \hat{y}_i)^2", "1/n ∑ᵢ₌₁ⁿ(yᵢ − ŷᵢ)²"),
    (r"\frac{\partial f}{\partial x_0} \quad \text{and} \quad \frac{\partial f}{\partial x_1}", "∂f/∂x₀  and  ∂f/∂x₁"),
    (r"\nabla f = \begin{bmatrix}\frac{\partial f}{\partial x_0} \\ \frac{\partial f}{\partial x_1}\end{bmatrix}",
     "∇f = [∂f/∂x₀; ∂f/∂x₁]"),
    (r"H = \begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix}", "H = (2, 0; 0, 2)"),
    (r"f(x) = x^2 + 2x + 1", "f(x) = x² + 2x + 1"),
    # fractions
    (r"\frac{\partial f}{\partial x}", "∂f/∂x"),
    (r"\frac{\partial^2 f}{\partial x \partial y}", "∂²f/∂x∂y"),
    (r"\frac{df}{dx}", "df/dx"),
    (r"\frac{d}{dx} x^n = n x^{n-1}", "d/dx xⁿ = nxⁿ⁻¹"),
    (r"\frac{x+1}{2}", "(x+1)/2"),
    (r"\frac{1}{2n}", "1/(2n)"),
    (r"\frac{f(x+h) - f(x-h)}{2h}", "(f(x + h) − f(x − h))/(2h)"),
    (r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}", "x = (−b ± √(b² − 4ac))/(2a)"),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1+e⁻ᶻ)"),
    (r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}", "m̂ₜ = mₜ/(1−β₁ᵗ)"),
    (r"\left( \frac{a}{b} \right)^2", "(a/b)²"),
    (r"\lim_{h \to 0} \frac{f(x+h) - f(x)}{h}", "lim_(h→0) (f(x + h) − f(x))/h"),
    # roots, operators, relations
    (r"\sqrt{x}", "√x"),
    (r"\sqrt{2}", "√2"),
    (r"\sqrt{x+1}", "√(x+1)"),
    (r"\sqrt[3]{x}", "∛x"),
    (r"a \cdot b", "a·b"),
    (r"3 \times 4", "3 × 4"),
    (r"a \le b \ge c \ne d \approx e", "a ≤ b ≥ c ≠ d ≈ e"),
    (r"n \to \infty", "n → ∞"),
    (r"\sum_i x_i", "∑ᵢ xᵢ"),
    (r"\prod_{k=1}^{n} k", "∏ₖ₌₁ⁿ k"),
    (r"x \in \mathbb{R}^n", "x ∈ ℝⁿ"),
    (r"\lVert \nabla f \rVert", "‖∇f‖"),
    (r"\|x\|_2", "‖x‖₂"),
    (r"P(A \mid B)", "P(A | B)"),
    # words, text, spacing
    (r"\mathrm{MSE}(w, b)", "MSE(w, b)"),
    (r"\text{loss } L", "loss L"),
    (r"\operatorname{argmin}_x f(x)", "argminₓ f(x)"),
    (r"\sin x + \cos(x)", "sin x + cos(x)"),
    (r"\log x \exp(x)", "log x exp(x)"),
    (r"a\,b\;c\!d", "a b cd"),
    (r"x_1, \ldots, x_n", "x₁, …, xₙ"),
    (r"\quad x", "x"),
    # accents and primes
    (r"\hat{y}", "ŷ"),
    (r"\bar{x}", "x̄"),
    (r"\vec{v}", "v⃗"),
    (r"f'(x) = 2x", "f′(x) = 2x"),
    (r"f''(x)", "f″(x)"),
    # minus signs
    (r"-x", "−x"),
    (r"a = -b", "a = −b"),
    (r"x - y", "x − y"),
    # Greek
    (r"\alpha \beta \gamma \delta \epsilon \theta \lambda \mu \sigma \omega", "αβγδεθλμσω"),
    (r"\Delta \Gamma \Omega \partial \nabla \eta", "ΔΓΩ∂∇η"),
    # odds and ends
    (r"\foo{x}", "foo x"),  # unknown command: its name, without the backslash
    (r"\$5", "$5"),
]


@pytest.mark.parametrize(("latex", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_inline_table(latex: str, expected: str) -> None:
    assert to_unicode(latex) == expected


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 40


def test_display_stacks_a_simple_fraction() -> None:
    assert to_unicode(r"\frac{\partial f}{\partial x}", display=True) == " ∂f\n────\n ∂x"


def test_display_stacks_sum_limits_and_fraction_on_one_baseline() -> None:
    text = to_unicode(r"\frac{1}{n}\sum_{i=1}^{n}(y_i - \hat{y}_i)^2", display=True)
    assert text.splitlines() == [" 1   n", "───  ∑ (yᵢ − ŷᵢ)²", " n  i=1"]


def test_display_matrix_uses_tall_brackets() -> None:
    text = to_unicode(
        r"\nabla f = \begin{bmatrix}\frac{\partial f}{\partial x_0} \\ \frac{\partial f}{\partial x_1}\end{bmatrix}",
        display=True,
    )
    assert text.splitlines() == ["     ⎡ ∂f/∂x₀ ⎤", "∇f = ⎢        ⎥", "     ⎣ ∂f/∂x₁ ⎦"]


def test_display_hessian() -> None:
    text = to_unicode(
        r"H = \begin{bmatrix} \frac{\partial^2 f}{\partial x^2} & \frac{\partial^2 f}{\partial x \partial y} \\"
        r" \frac{\partial^2 f}{\partial y \partial x} & \frac{\partial^2 f}{\partial y^2}\end{bmatrix}",
        display=True,
    )
    assert text.splitlines() == [
        "    ⎡ ∂²f/∂x²   ∂²f/∂x∂y ⎤",
        "H = ⎢                    ⎥",
        "    ⎣ ∂²f/∂y∂x  ∂²f/∂y²  ⎦",
    ]


def test_display_aligned_lines_up_on_the_relation() -> None:
    text = to_unicode(r"\begin{aligned} f(x) &= x^2 + 2x + 1 \\ f'(x) &= 2x + 2 \end{aligned}", display=True)
    assert text.splitlines() == [" f(x) = x² + 2x + 1", "f′(x) = 2x + 2"]


def test_display_of_a_plain_formula_is_one_line() -> None:
    assert to_unicode(r"x_{t+1} = x_t - \eta \nabla f(x_t)", display=True) == "xₜ₊₁ = xₜ − η∇f(xₜ)"


def test_display_tall_parentheses() -> None:
    assert to_unicode(r"\left( \frac{a}{b} \right)^2", display=True).splitlines() == ["⎛ a ⎞²", "⎜───⎟", "⎝ b ⎠"]


def test_templates_are_kept_for_the_variant_step() -> None:
    assert to_unicode(r"f'({a}) = 2 \cdot {a} = {2*a}", templates=["a"]) == "f′({a}) = 2·{a} = {2*a}"
    assert to_unicode(r"\frac{1}{2} x^{10}", templates=["a"]) == "1/2 x¹⁰"


PROSE = r"""The derivative $f'(x)$ of $x^2$ is $2x$. Prices: \$5, or $5 and $10.
Code `$x$` and ``a ` $b$`` stay; so does a lone $ sign.

$$
x_{t+1} = x_t - \eta \nabla f(x_t)
$$

```python
cost = "$x^2$"
```

Inline display $$\frac{\partial f}{\partial x}$$ in a sentence.
"""


def test_render_prose_stacked() -> None:
    assert render_prose(PROSE) == (
        "The derivative f′(x) of x² is 2x. Prices: $5, or $5 and $10.\n"
        "Code `$x$` and ``a ` $b$`` stay; so does a lone $ sign.\n"
        "\n"
        "xₜ₊₁ = xₜ − η∇f(xₜ)\n"
        "\n"
        "```python\n"
        'cost = "$x^2$"\n'
        "```\n"
        "\n"
        "Inline display\n"
        "\n"
        "```math\n"
        " ∂f\n"
        "────\n"
        " ∂x\n"
        "```\n"
        "\n"
        "in a sentence.\n"
    )


def test_render_prose_single_line_displays() -> None:
    out = render_prose(PROSE, stacked=False)
    assert "Inline display\n\n∂f/∂x\n\nin a sentence.\n" in out
    assert "```math" not in out


def test_render_prose_leaves_tilde_fences_and_unclosed_fences_alone() -> None:
    text = "~~~\n$x^2$\n~~~\n$x^2$\n```\n$y$\n"
    assert render_prose(text) == "~~~\n$x^2$\n~~~\nx²\n```\n$y$\n"


def test_render_prose_keeps_other_escapes_and_plain_text() -> None:
    assert render_prose(r"a \* b and $a \$ b$") == r"a \* b and a$b"
    assert render_prose("no maths here\n") == "no maths here\n"
    assert render_prose("") == ""


def test_render_prose_rejects_dollars_with_spaces_inside() -> None:
    assert render_prose("between $ 1 and 2 $ here") == "between $ 1 and 2 $ here"


def test_render_prose_templates() -> None:
    assert render_prose("What is $f'({a})$?", templates=("a",)) == "What is f′({a})?"


def test_deep_nesting_and_long_input_do_not_fail() -> None:
    for text in ("{" * 5000, r"\frac" * 500, r"\left(" * 500, "x^" * 3000, r"\sqrt[" * 500, "x" * 10000):
        assert isinstance(to_unicode(text), str)
        assert isinstance(to_unicode(text, display=True), str)


_PIECES = st.sampled_from(
    list("xy12{}^_\\$&'()[]|,.=+-* \n`~") + [
        r"\frac", r"\left", r"\right", r"\begin{bmatrix}", r"\end{bmatrix}", r"\begin{aligned}", r"\\",
        r"\sqrt[", "]", r"\hat", r"\text{", r"\not", r"\sum", r"\operatorname*", r"\overset", r"\mathbb",
        r"\alpha", r"\cdot", "$$", "```", r"\end", r"\begin{cases}",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=40).map("".join)))
def test_random_text_never_raises(text: str) -> None:
    for display in (False, True):
        assert isinstance(mathtext.convert(text, display), str)  # the unguarded converter
    assert isinstance(render_prose(text), str)
    assert isinstance(render_prose(text, stacked=False), str)
