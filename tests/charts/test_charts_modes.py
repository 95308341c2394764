"""Charts anywhere: braille, half blocks or plain ASCII; readable at 80×24; status lines that never cut a number."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.charts import ChartTheme, render_plot, status_line
from gdtui.charts.axes import y_ticks
from gdtui.charts.canvas import Scale
from gdtui.charts.glyphs import CHARS, ascii_cells, ascii_text, pixel_chars
from gdtui.charts.layers_2d import MAX_LIT, contour_cells, lit_share
from gdtui.charts.status import fit_status

HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
RASTRIGIN = "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)"
SIX = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
PRINTABLE = re.compile(r"[\x20-\x7e\n]*")
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def scenes(plot):
    return [
        plot("x**2 + 2*x + 1", layers=("function", "tangent", "path"), x_range=(-3, 6),
             values={"x0": 5, "lr": 0.1, "steps": 30, "tangent_at": 2}),
        plot(HIMMELBLAU, variables=("x", "y"), layers=("contour", "gradient_field", "path"), x_range=(-5, 5),
             y_range=(-5, 5), values={"x0": 0.5, "y0": -0.5, "lr": 0.01, "steps": 40}),
        plot("x**2 + 2*y**2", variables=("x", "y"), layers=("contour", "race"), x_range=(-3, 3), y_range=(-3, 3),
             optimizers=SIX, values={"x0": -2.5, "y0": 2, "lr": 0.1, "steps": 30}),
        plot("x**2", layers=("function", "secant", "error_vs_h"), values={"tangent_at": 1, "h": 0.5}),
    ]


def test_ascii_mode_draws_only_printable_ascii(plot):
    for spec in scenes(plot):
        for width, height in ((80, 20), (60, 14), (120, 36)):
            text = render_plot(spec, None, width, height, ChartTheme(mode="ascii")).plain
            assert PRINTABLE.fullmatch(text), [ch for ch in text if not ch.isascii()]
            assert all(len(line) == width for line in text.split("\n"))


def test_ascii_mode_keeps_what_the_markers_and_labels_say(plot):
    spec = scenes(plot)[0]
    text = render_plot(spec, None, 80, 20, ChartTheme(mode="ascii", colour=False)).plain
    assert "x30" in text and "O start" in text and "f(x) = x^2 + 2*x + 1" in text  # x₃₀, ○, x²
    status = ascii_text(status_line(spec, None))
    assert "x0 = 5" in status and "eta = 0.1" in status and "|f'| = " in status


def test_block_mode_uses_half_blocks_and_no_braille(plot):
    for spec in scenes(plot)[:3]:
        text = render_plot(spec, None, 80, 20, ChartTheme(mode="block")).plain
        assert not any("\u2800" <= ch <= "\u28ff" for ch in text)
        assert set(text) & set("▀▄█")


def test_the_pixel_tables():
    braille, block, plain = (pixel_chars(m) for m in ("braille", "block", "ascii"))
    assert braille[0] == block[0] == plain[0] == " " and braille[0xFF] == "⣿"
    assert block[0x01] == "▀" and block[0x40] == "▄" and block[0x41] == "█"  # top dot, bottom dot, both
    assert plain[0x01 | 0x02 | 0x04 | 0x40] == "|"  # a column of dots
    assert plain[0x02 | 0x10] == "-" and plain[0x40 | 0x80] == "_"  # across the middle, across the bottom
    assert plain[0x01 | 0x10 | 0x20] == "\\" and plain[0x08 | 0x02 | 0x04] == "/"  # slopes
    assert all(ch.isascii() and ch.isprintable() for ch in plain)


def test_ascii_stand_ins_named_by_the_issue():
    assert ascii_text("x₀") == "x0" and ascii_text("‖∇f‖ = 2.76e−9") == "|grad f| = 2.76e-9"
    assert ascii_text("◆") == "*" and ascii_text("✓ solved") == "ok solved"
    assert ascii_text("f(x) = x² + 2·x") == "f(x) = x^2 + 2*x" and ascii_text("10⁻³") == "10^-3"
    assert ascii_text("xₜ₊₁ = xₜ − ηf′(xₜ)") == "x_(t+1) = xt - eta*f'(xt)"
    assert ascii_text("╭─ a · b ─╮") == "+- a - b -+"
    assert all(len(v) == 1 for v in CHARS.values())  # one cell for one cell


@SETTINGS
@given(st.text(max_size=40))
def test_any_text_becomes_printable_ascii(text):
    out = ascii_text(text)
    assert out.isascii()
    assert ascii_text(out) == out  # twice changes nothing
    cells = ascii_cells(text.replace("\n", " "))
    assert cells.isascii()


def test_contours_of_bumpy_functions_are_thinned_to_what_the_cells_show():
    for f, box in ((HIMMELBLAU, 5.0), (RASTRIGIN, 5.12)):
        for mode in ("braille", "block", "ascii"):
            bits, level = contour_cells(f, ("x", "y"), (), (-box, box), (-box, box), 16, 70, mode)
            assert lit_share(bits, mode) <= MAX_LIT, (f, mode)
            assert (bits > 0).any() and level.max() > 0  # still lines, still several levels
    # Rastrigin's 100 bowls in 16 rows: fewer levels leave most of the panel blank, even in braille
    bits, _ = contour_cells(RASTRIGIN, ("x", "y"), (), (-5.12, 5.12), (-5.12, 5.12), 16, 70, "braille")
    assert (bits == 0xFF).mean() < 0.05 and lit_share(bits) <= MAX_LIT


@SETTINGS
@given(lo=st.floats(-1e6, 1e6), span=st.floats(1e-6, 1e7), rows=st.integers(2, 40), log=st.booleans())
def test_every_y_axis_has_at_least_two_tick_labels(lo, span, rows, log):
    scale = Scale(abs(lo) + 1e-3, abs(lo) + 1e-3 + span, log=True) if log else Scale(lo, lo + span)
    ticks = y_ticks(scale, rows)
    assert len(ticks) >= 2


def test_short_charts_at_80x24_label_their_y_axis_twice(plot):
    for spec in scenes(plot):
        for height in (8, 10, 12, 14):
            lines = render_plot(spec, None, 78, height, ChartTheme()).plain.split("\n")
            assert sum("┤" in line for line in lines) >= 2, (spec.f, height)


def test_one_dimensional_status_says_f_prime_not_gradient(plot):
    line = status_line(scenes(plot)[0], None)
    assert "|f′| = " in line and "∇" not in line
    assert "‖∇f‖ = " in status_line(scenes(plot)[1], None)


parts = st.lists(st.text(alphabet="abcxyz=0123456789.−e ‖∇f", min_size=1, max_size=24).map(str.strip)
                 .filter(lambda p: p and "  " not in p), max_size=12)


@SETTINGS
@given(parts=parts, width=st.integers(1, 200), most=st.integers(1, 3))
def test_a_status_line_drops_whole_fields_never_characters(parts, width, most):
    lines = fit_status("  ".join(parts), width, most)
    assert len(lines) <= most and all(len(line) <= width for line in lines)
    shown = [p for line in lines for p in line.split("  ") if p]
    assert all(p in parts for p in shown)  # each field whole
    it = iter(parts)
    assert all(p in it for p in shown)  # and in order


def test_the_cut_numbers_of_the_issue_are_gone(plot):
    """At 120×40 ‖∇f‖ = 2.76e−9 was shown as 2.76; at 60×20 step k = 100 as 1; six racers lost two."""
    spec = plot("x**2 + y**2", variables=("x", "y"), layers=("contour", "path"), x_range=(-4, 4),
                values={"x0": -3, "y0": 4, "lr": 0.1, "steps": 100})
    status = status_line(spec, None)
    fields = set(status.split("  "))
    assert "step k = 100" in fields and any(f.startswith("‖∇f‖ = ") and ("e−" in f or "×10⁻" in f) for f in fields)
    for width in range(20, 200):
        for line in fit_status(status, width):
            assert set(line.split("  ")) <= fields, line
    race = plot("x**2 + 2*x + 1", layers=("function", "race"), x_range=(-3, 6), optimizers=SIX,
                values={"x0": 5, "lr": 0.1, "steps": 30})
    full = status_line(race, None)
    for width in (60, 78, 100, 160):
        shown = "  ".join(fit_status(full, width))
        for name in SIX:  # every racer with its whole value, or not at all
            match = re.search(rf"{name}: f = (\S+)", shown)
            if match:
                assert re.search(rf"{name}: f = {re.escape(match.group(1))}(  |$)", full)
    assert all(f"{name}: f = " in "  ".join(fit_status(full, 78)) for name in SIX)


def test_contour_levels_keep_their_colour_ramp(plot):
    spec = scenes(plot)[1]
    text = render_plot(spec, None, 78, 18, ChartTheme())
    colours = {span.style.color.name for span in text.spans if span.style.color is not None}
    assert len(colours) >= 4  # thinned to fewer levels, they still spread over the ramp


def test_no_derivative_where_f_is_undefined(plot, chart):
    """(log x)′ = 1/x has values for x < 0; log x has none there, so neither is drawn (nor its slope given)."""
    spec = plot("log(x)", layers=("function", "derivative", "tangent"), x_range=(-2, 2), values={"tangent_at": -1})
    theme = ChartTheme(background="#121212")
    drawn = chart(render_plot(spec, None, 80, 20, theme))
    zero = drawn.axis_col + 1 + (drawn.right - drawn.axis_col - 1) // 2  # the column of x = 0
    colour = theme.series_colour(2)  # f′
    cells = [(r, c) for r in range(drawn.top, drawn.axis_row) for c in range(drawn.axis_col + 1, drawn.right)
             if drawn.lines[r][c] != " " and (style := drawn.style_at(r, c)) is not None
             and style.color is not None and style.color.triplet is not None and style.color.triplet.hex == colour]
    assert cells and all(c >= zero - 1 for _, c in cells)
    line = status_line(spec, None)
    assert "f(x) = undefined" in line and "f′(x) = undefined" in line
