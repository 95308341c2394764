"""Reading lesson files: the model built from a good sample, and every error pinned to its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.course.model import Answer, Control, CourseError, Exercise, Hint, Lesson, ParamSpec, Plot, Prose, TestCase
from gdtui.course.parse import load_course, load_lessons, parse_lesson

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = Path(__file__).resolve().parent.parent.parent


def lesson_from(tmp_path: Path, text: str, name: str = "01-sample.md") -> tuple[Lesson | None, list[CourseError]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_lesson(path)


FRONT = "---\nid: t\ntitle: T\n---\n"


# ---------------------------------------------------------------- the good sample, read back
def test_good_sample_parses_without_errors():
    lesson, errors = parse_lesson(DATA / "good.md")
    assert errors == []
    assert (lesson.id, lesson.title, lesson.order, lesson.lang) == ("sample-good", "A sample lesson", 7, "en")
    assert lesson.objectives == ("read a slope", "estimate with a tangent")
    assert lesson.requires == ()
    kinds = [(type(b).__name__, b.line) for b in lesson.blocks]
    assert kinds == [("Prose", 8), ("Plot", 16), ("Exercise", 30), ("Prose", 51), ("Exercise", 53),
                     ("Exercise", 73), ("Exercise", 90)]


def test_good_sample_prose_keeps_its_source_and_non_block_fences():
    lesson, _ = parse_lesson(DATA / "good.md")
    prose = lesson.blocks[0]
    assert isinstance(prose, Prose)
    assert "$f'(x)$" in prose.source
    assert 'print("not a block")' in prose.source  # a ```python fence is prose, not a block
    assert "$" not in prose.text.split("```")[0]  # maths turned into Unicode (when mathtext is there)


def test_good_sample_plot():
    lesson, _ = parse_lesson(DATA / "good.md")
    plot = lesson.plots[0]
    assert isinstance(plot, Plot)
    assert (plot.id, plot.title, plot.f, plot.variables, plot.kind) == (
        "parabola", "A parabola and its tangent", "x**2", ("x",), "1d")
    assert plot.layers == ("function", "tangent", "secant")
    assert plot.x_range == (-1.0, 1.0) and plot.y_range == (-0.5, 1.5)
    assert dict(plot.values) == {"tangent_at": 0.5, "h": 0.25}
    assert plot.controls == (
        Control("tangent_at", -1.0, 1.0, 0.02, False, line=26),
        Control("h", 0.001, 1.0, pytest.approx(10 ** 0.1), True, line=27),
    )
    assert plot.field_lines["f"] == 19 and plot.field_lines["controls.h"] == 27
    assert plot.optimizers == () and plot.data is None and dict(plot.params) == {}
    hash(plot)  # frozen and hashable


def test_good_sample_exercise_fields():
    lesson, _ = parse_lesson(DATA / "good.md")
    ex = lesson.exercise("slope-at-a")
    assert isinstance(ex, Exercise) and ex.line == 30
    assert ex.prompt.startswith("For $f(x) = x^2$, what is $f'({a})$?")
    assert ex.params == (ParamSpec("a", "choose", 34, choices=(-1.5, -0.5, 0.5, 1.5)),)
    assert ex.answer == Answer("number", "2*a", 35, rtol=1e-4, atol=1e-9, digits=None)  # rtol given: it alone decides
    assert ex.hints == (Hint("The power rule gives $f'(x) = 2x$.", 37), Hint("Double {a}.", 38, after=2))
    assert [(r.when, r.line) for r in ex.feedback] == [("a**2", 40), ("-2*a", 41)]
    assert ex.solution == r"$f'({a}) = 2 \cdot {a} = {2*a}$"
    assert ex.tests[0] == TestCase("2*{a}", "correct", 44)
    assert ex.field_lines["answer.value"] == 35 and ex.field_lines["hints[2].after"] == 38


def test_good_sample_other_answer_types():
    lesson, _ = parse_lesson(DATA / "good.md")
    vector = lesson.exercise("gradient")
    assert vector.answer.type == "vector" and vector.answer.value == "[2*a, 2*b]" and vector.answer.size == 2
    assert vector.params[0] == ParamSpec("a", "int", 57, lo=1.0, hi=4.0, step=1.0)
    assert vector.params[1] == ParamSpec("b", "range", 58, lo=-2.0, hi=2.0, step=0.5)
    expression = lesson.exercise("derivative-expr")
    assert expression.answer.variables == ("x",) and expression.answer.domain == ((-2.0, 2.0),)
    choice = lesson.exercise("which-way")
    assert choice.answer.choices == ("along the gradient", "against the gradient", "sideways")
    assert choice.answer.correct == 1 and choice.answer.value == "against the gradient"


# ---------------------------------------------------------------- every error kind, at its line
def expected_markers(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.search(r"# expect: (.*)$", line)
        if match:
            out.append((number, match.group(1).strip()))
    return out


def test_broken_sample_reports_each_problem_at_its_line():
    path = DATA / "broken.md"
    lesson, errors = parse_lesson(path)
    markers = expected_markers(path)
    # the two errors without a marker: the empty block and the block never closed
    extra = {(230, "this plot block is empty"),
             (233, "this ```exercise block is never closed (add a line ``` after it)")}
    got = [(e.line, e.message) for e in errors]
    assert len(got) == len(markers) + len(extra), "\n".join(map(str, errors))
    for line, part in markers:
        assert any(g_line == line and part in g_message for g_line, g_message in got), (line, part, got)
    for item in extra:
        assert item in got
    # every broken block is left out; the lesson and its one good exercise remain
    assert lesson is not None
    assert [b.id for b in lesson.exercises] == ["dup"]
    assert lesson.plots == ()


def test_python_tags_are_refused_and_never_run(tmp_path):
    target = tmp_path / "pwned"
    text = FRONT + f"```exercise\nid: e\nprompt: !!python/object/apply:os.system [\"touch {target}\"]\n" \
                   "answer: {type: number, value: 1}\n```\n"
    lesson, errors = lesson_from(tmp_path, text)
    assert not target.exists()
    assert [(e.line, e.message) for e in errors] == [
        (7, "YAML tags such as '!!python/object/apply:os.system' are not allowed")]


@pytest.mark.parametrize("text, line, message", [
    ("# no front matter\n", 1, "a lesson starts with front matter"),
    ("---\nid: a\ntitle: b\n", 1, "the front matter is never closed"),
    ("---\ntitle: b\n---\n", 2, "missing 'id'"),
    ("---\nid: a\n---\n", 2, "missing 'title'"),
    ("---\nid: a b\ntitle: b\n---\n", 2, "id: 'a b' is not a usable id"),
    ("---\nid: a\ntitle: b\nauthor: me\n---\n", 4, "unknown key 'author' (expected one of id, title, order, "
                                                   "objectives, lang, requires)"),
    ("---\nid: a\ntitle: b\norder: first\n---\n", 4, "order: expected a number: unknown name 'first'"),
    ("---\nid: a\ntitle: [b\n---\n", 3, "bad YAML: expected ',' or ']'"),
    ("---\n- a\n- b\n---\n", 2, "the front matter holds 'key: value' lines"),
])
def test_front_matter_errors(tmp_path, text, line, message):
    lesson, errors = lesson_from(tmp_path, text)
    assert lesson is None
    assert len(errors) == 1, errors
    assert errors[0].line == line and message in errors[0].message, errors[0]


def test_course_error_reads_like_a_compiler_message():
    assert str(CourseError(Path("03-gradient.md"), 41, "answer.value: unknown name 'z' (params are a, b)")) == \
        "03-gradient.md:41: answer.value: unknown name 'z' (params are a, b)"


def test_yaml_hints_for_common_slips(tmp_path):
    text = FRONT + "```exercise\nid: e\nprompt: Note: this has a colon: here\nanswer: {type: number, value: 1}\n```\n"
    _, errors = lesson_from(tmp_path, text)
    assert errors[0].line == 7 and "put quotes around text that contains ': '" in errors[0].message
    text = FRONT + "```exercise\nid: e\nprompt: What?\nanswer: {type: number, value: {a}}\n```\n"
    _, errors = lesson_from(tmp_path, text)
    assert errors[0].line == 8 and "put quotes around text that starts with '{'" in errors[0].message


def test_numbers_may_be_written_as_constants(tmp_path):
    text = FRONT + "```plot\nf: sin(x)\nx: [-pi, pi]\nlayers: [tangent]\ntangent_at: pi/4\n```\n" \
                   "```exercise\nid: e\nprompt: What?\nanswer: {type: number, value: 1, rtol: 1e-6}\n```\n"
    lesson, errors = lesson_from(tmp_path, text)
    assert errors == []
    assert lesson.plots[0].x_range == pytest.approx((-3.141592653589793, 3.141592653589793))
    assert lesson.plots[0].values["tangent_at"] == pytest.approx(0.7853981633974483)
    assert lesson.exercises[0].answer.rtol == 1e-6  # YAML reads 1e-6 as text; we read it as a number


def test_plot_kinds_defaults_and_races(tmp_path):
    text = FRONT + (
        "```plot\nf: x**2 + 3*y**2\nx: [-2, 2]\ny: [-2, 2]\nlayers: [contour, path]\nx0: 1.5\ny0: 1\n"
        "optimizers: [sgd, momentum, adam]\nmomentum: 0.8\ncontrols:\n  lr: {range: [0.001, 1], log: true}\n"
        "  optimizer: [sgd, adam]\n```\n"
        "```plot\ndata: {kind: linear, n: 50}\nlayers: [data, fit, loss]\nlr: 0.05\n```\n"
        "```plot\nf: a*x**2\nparams: {a: 2}\nx: [-1, 1]\nlayers: [function, error_vs_h]\ntangent_at: 0.3\n"
        "controls:\n  a: [0.5, 3]\n```\n")
    lesson, errors = lesson_from(tmp_path, text)
    assert errors == []
    race, regression, with_param = lesson.plots
    assert race.kind == "2d" and race.variables == ("x", "y") and race.id == "plot-1"
    assert race.optimizers == ("sgd", "momentum", "adam")
    assert dict(race.values) == {"x0": 1.5, "y0": 1.0, "momentum": 0.8, "optimizer": "sgd", "lr": 0.1, "steps": 50}
    assert race.controls[1].choices == ("sgd", "adam")
    assert regression.kind == "regression" and regression.f == "w*x + b" and regression.id == "plot-2"
    assert regression.data["n"] == 50 and regression.data["w"] == 2.0 and regression.data["seed"] == 42
    assert with_param.params == {"a": 2.0} and with_param.values["method"] == "central"
    assert with_param.controls[0].name == "a" and with_param.start_values()["a"] == 2.0


# ---------------------------------------------------------------- courses
def test_course_order_duplicates_and_requires(tmp_path):
    (tmp_path / "10-b.md").write_text("---\nid: b\ntitle: B\norder: 2\nrequires: [a, nowhere]\n---\nText\n")
    (tmp_path / "02-a.md").write_text("---\nid: a\ntitle: A\norder: 2\n---\nText\n")
    (tmp_path / "03-c.md").write_text("---\nid: c\ntitle: C\n---\nText\n")  # order 3 from the file name
    (tmp_path / "05-dup.md").write_text("---\nid: a\ntitle: Again\n---\n")
    (tmp_path / "README.md").write_text("not a lesson")
    course = load_course(tmp_path)
    assert [lesson.id for lesson in course.lessons] == ["a", "b", "c"]
    assert sorted((e.path.name, e.line, e.message) for e in course.errors) == [
        ("05-dup.md", 2, "duplicate lesson id 'a' (also in 02-a.md)"),
        ("10-b.md", 5, "requires: no lesson has the id 'nowhere'"),
    ]


def test_load_course_never_raises(tmp_path):
    course = load_course(tmp_path / "missing")
    assert course.lessons == () and "no such folder" in course.errors[0].message
    (tmp_path / "bin.md").write_bytes(b"---\xff\xfe\x00\n")
    (tmp_path / "big.md").write_text("---\nid: big\ntitle: Big\n---\n" + "x" * 1_100_000)
    course = load_course(tmp_path)
    messages = sorted(e.message for e in course.errors)
    assert messages[0].startswith("not UTF-8 text") and messages[1].startswith("the file is larger than")


def test_yaml_bombs_are_errors_not_hangs(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    lesson, errors = lesson_from(tmp_path, "---\n" + bomb + "---\n")
    assert lesson is None and "too large" in errors[0].message
    deep = "---\nid: " + "[" * 200 + "]" * 200 + "\ntitle: t\n---\n"
    lesson, errors = lesson_from(tmp_path, deep)
    assert lesson is None and errors


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-:[]{}`'\"\n #!&*|>abxyz0123456789.,=$\\")), max_size=300))
def test_parser_never_raises_on_any_text(text):
    for body in (text, "---\nid: t\ntitle: T\n---\n```exercise\n" + text + "\n```\n",
                 "---\nid: t\ntitle: T\n---\n```plot\n" + text + "\n```\n"):
        lesson, errors = parse_lesson(Path("fuzz.md"), body)
        assert all(isinstance(e, CourseError) and e.line >= 1 for e in errors)
        assert all("internal error" not in e.message for e in errors), errors


def test_bundled_course_loads_cleanly():
    course = load_course(ROOT / "lessons" / "en")
    assert course.errors == ()
    assert course.lessons and course.lessons[0].id == "derivative-basics"
    basics = course.lessons[0]
    assert len(basics.exercises) >= 2 and any(c.name == "h" for p in basics.plots for c in p.controls)


def test_load_lessons_checks_files_together(tmp_path):
    one = tmp_path / "one.md"
    two = tmp_path / "two.md"
    one.write_text("---\nid: same\ntitle: One\n---\n")
    two.write_text("---\nid: same\ntitle: Two\n---\n")
    course = load_lessons([one, two])
    assert len(course.lessons) == 1 and "duplicate lesson id 'same'" in course.errors[0].message
