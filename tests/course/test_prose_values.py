"""`{= …}` values in prose and the descent(...) helper: numbers in prose come from the engine."""

import pytest

from gdtui.course.exprs import ValueProblem, compile_value, evaluate
from gdtui.course.parse import parse_lesson
from gdtui.course.templates import fill_prose_values


def value(text, **params):
    return float(evaluate(compile_value(text, tuple(params)), params))


def test_descent_reproduces_the_seed_iterates():
    assert value("descent(x**2 + 2*x + 1, x, 5, 0.1, 1)") == pytest.approx(3.8)
    assert value("descent(x**2 + 2*x + 1, x, 5, 0.1, 2)") == pytest.approx(2.84)
    assert value("descent(x**2 + 2*x + 1, x, 5, 0.1, 500)") == pytest.approx(-1)


def test_descent_with_params_is_written_out():
    assert value("descent(x**2, x, a, lr, 3)", a=5.0, lr=0.1) == pytest.approx(5 * 0.8**3)
    with pytest.raises(ValueProblem, match="0 to 8 steps"):
        compile_value("descent(x**2, x, a, 0.1, 50)", ("a",))


def test_descent_refuses_a_divergent_run():
    with pytest.raises(ValueProblem, match="diverges"):
        compile_value("descent(x**2, x, 1, 10, 5000)")


def test_prose_values_are_filled_and_formatted():
    line = "x₂ = {= descent(x**2 + 2*x + 1, x, 5, 0.1, 2)}, f′(0.5) = {= diff(x**2, x, 0.5)}, v = {= [6, 8]}"
    assert fill_prose_values(line) == "x₂ = 2.84, f′(0.5) = 1, v = (6, 8)"
    assert fill_prose_values("braces {a} and $x^{10}$ stay") == "braces {a} and $x^{10}$ stay"


def test_a_bad_prose_value_is_an_error_on_its_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\nid: bad\ntitle: Bad\n---\nFine line.\nBroken {= zz + 1} here.\n\n```python\nx = {= 1}\n```\n")
    lesson, errors = parse_lesson(path)
    assert [(e.line, e.message) for e in errors] == [(6, "{= zz + 1}: unknown name 'zz' (there are no params)")]
    assert "x = {= 1}" in lesson.blocks[0].text  # code blocks are left alone


def test_param_names_ending_in_digits_are_names():
    from gdtui.course.exprs import names_in

    assert names_in("x0 - lr*2*x0 + 1e-4") == ["x0", "lr"]
    assert value("2*x0", x0=1.5) == 3.0


def test_checking_one_file_resolves_requires_against_its_folder(tmp_path):
    import io

    from gdtui.check import run_check

    (tmp_path / "01-a.md").write_text("---\nid: first\ntitle: First\n---\nHello.\n")
    (tmp_path / "02-b.md").write_text("---\nid: second\ntitle: Second\nrequires: [first]\n---\nHi.\n")
    (tmp_path / "03-c.md").write_text("---\nid: third\ntitle: Third\nrequires: [nowhere]\n---\nHi.\n")
    out = io.StringIO()
    assert run_check([tmp_path / "02-b.md"], out) == 0
    out = io.StringIO()
    assert run_check([tmp_path / "03-c.md"], out) == 1
    assert "03-c.md:4: error: requires: no lesson has the id 'nowhere'" in out.getvalue()
