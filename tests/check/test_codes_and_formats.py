"""Problem codes (one table, the same list in docs/authoring.md) and the json and github output formats."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gdtui.check import run_check
from gdtui.check.codes import BY_CODE, CODES, code_of
from gdtui.check.report import Report

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CORPUS = [DATA / "broken.md", DATA / "check_fails.md", ROOT / "tests" / "ui" / "data" / "course"]
EXTRA = """---
id: more-broken
title: More problems, for the codes
---
Some prose {= 1/0} here.

```plot
id: p
f: x**2
x: [-1, 1]
layers: [function, path]
x0: 0.5
controls: {lr: [0.01, 1]}
```

```plot
id: q
f: log(x)
x: [-2, -1]
```

```exercise
id: e
prompt: What is {a}?
params:
  a: {choose: [1, 2]}
answer: {type: vector, value: "[a, 2*a]"}
hints: [Look.]
solution: It is {a}.
feedback:
  - {when: "[a, a]", say: "Half."}
  - {when: "[a, a]", say: "Also half."}
chart: {plot: p, shown: {x0: a}}
```

```exercise
id: f
prompt: What is {a}?
params:
  a: {choose: [1, 2]}
answer: {type: number, value: a}
hints: [Look.]
solution: It is {a}.
chart: {plot: p, shown: {x0: a / 4}}
```
"""


def problems(tmp_path: Path) -> list[dict]:
    (tmp_path / "more.md").write_text(EXTRA, encoding="utf-8")
    out = io.StringIO()
    run_check(CORPUS + [tmp_path / "more.md", tmp_path / "missing.md"], out, fmt="json")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_codes_are_unique_and_well_formed():
    codes = [c.code for c in CODES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[EW]\d{3}", c) for c in codes)
    assert [c.code for c in CODES if c.pattern == ""] == ["E100", "W100"]  # the last row of each kind


HEAD = "---\nid: x\ntitle: T\n---\n"
EXERCISE = "```exercise\nid: e\nprompt: P\nanswer: {type: number, value: 1}\nhints: [h]\nsolution: s\n"
PLOT = "```plot\nid: p\nf: x**2\nx: [-1, 1]\nlayers: [function, path]\nx0: 0.5\n"


@pytest.mark.parametrize("text, code", [
    (HEAD + "```exercise\nid: e\nprompt: " + "[" * 40 + "]" * 40 + "\n```\n", "E103"),
    ("Hello, no front matter.\n", "E104"),
    ("---\n- a list\n---\n", "E105"),
    ("---\nid: x\ntitle: T\nrequires: [nowhere]\n---\n", "E109"),
    (HEAD + EXERCISE.replace("answer: {type: number, value: 1}", "params:\n  a: {choose: [1], int: [1, 2]}\n"
                             "answer: {type: number, value: a}") + "```\n", "E208"),
    (HEAD + PLOT + "```\n" + EXERCISE + "chart: {plot: p}\n```\n", "E210"),
    (HEAD + PLOT.replace("x: [-1, 1]", "x: [-1, 1]\nsteps: 5\nstep: 9") + "```\n", "E204"),
    (HEAD + PLOT + "```\n" + EXERCISE.replace("value: 1}", "value: 5}") + "chart: {plot: p, answered: {guess: answer}}"
     "\n```\n", "W107"),
    (HEAD + PLOT + "controls: {x0: [-1, 1]}\n```\n\nNow try x₀ = 3 on it.\n", "W109"),
])
def test_each_row_is_the_code_of_a_real_problem(tmp_path, text, code):
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    run_check([path], out, fmt="json")
    found = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [p["code"] for p in found] == [code], found


@pytest.mark.parametrize("message, code", [  # problems no small lesson makes: the checker's own words
    ("the adam path cannot run: lr must be positive", "E403"),
    ("data: cannot build this regression: X has 3 rows but y has 2 values", "E403"),
    ("internal error in the checker: KeyError: 'x'", "E900"),
])
def test_rows_for_rare_problems(message, code):
    assert code_of(message) == code


def test_every_problem_in_the_corpus_has_a_code_of_its_own(tmp_path):
    found = problems(tmp_path)
    assert len(found) >= 50
    fallthrough = [p["message"] for p in found if p["code"] in ("E100", "W100")]
    assert fallthrough == []
    assert all(BY_CODE[p["code"]].severity == p["severity"] for p in found)
    assert len({p["code"] for p in found}) >= 25  # the corpus exercises most of the table


@pytest.mark.parametrize("message, severity, code", [
    ("bad YAML: expected ',' or '}', but got ':'", "error", "E101"),
    ("unknown key 'hint' (did you mean 'hints'? expected one of id, title)", "error", "E201"),
    ("answer.value: unknown name 'z' (params are a, b)", "error", "E301"),
    ("answer.type: unknown answer type 'integer' (expected one of number)", "error", "E205"),
    ("tests[2]: '3' is incorrect, read as 3, expected feedback (when a = 1)", "error", "E401"),
    ("exercise 'x' has no hints (add hints: [...])", "warning", "W101"),
    ("feedback[2]: 'when' coincides with feedback[1] (when a = 1), so it never fires", "warning", "W104"),
])
def test_a_message_gets_its_code(message, severity, code):
    assert code_of(message, severity) == code


def test_the_guide_lists_the_codes_of_the_table():
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([EW]\d{3})` \| (.+?) \|$", guide, flags=re.MULTILINE)
    assert listed == [(c.code, c.title) for c in CODES]


def test_json_lines_carry_path_line_column_severity_code_message(tmp_path):
    found = problems(tmp_path)
    assert all(list(p) == ["path", "line", "column", "severity", "code", "message"] for p in found)
    first = next(p for p in found if p["path"].endswith("broken.md"))
    assert first == {"path": str(DATA / "broken.md"), "line": 12, "column": 6, "severity": "error", "code": "E101",
                     "message": "bad YAML: expected ',' or '}', but got ':'"}
    missing = [p for p in found if p["path"].endswith("missing.md")]
    assert missing == [{"path": str(tmp_path / "missing.md"), "line": None, "column": None, "severity": "error",
                        "code": "E110", "message": "no such file or folder"}]


def test_github_annotations(tmp_path):
    lesson = tmp_path / "a,b.md"
    lesson.write_text("---\nid: x\ntitle: T\n---\n```exercise\nid: e\nprompt: 100% sure?\nanswer: {type: number, value: z}\n```\n")
    result = subprocess.run([sys.executable, "-m", "gdtui", "check", "--format", "github", str(lesson)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={str(lesson).replace(',', '%2C')},line=8,title=E301::"
        "answer.value: unknown name 'z' (there are no params)"]


def test_github_escapes_what_would_end_a_field():
    report = Report()
    report.add(Path("c:d,e.md"), 3, "100% sure\nnext line", column=7)
    assert report.lines("github") == ["::error file=c%3Ad%2Ce.md,line=3,col=7,title=E100::100%25 sure%0Anext line"]
    report.add(Path("f.md"), 0, "no solution at all here", "warning")
    assert report.lines("github")[1] == "::warning file=f.md,title=W100::no solution at all here"


def test_the_default_text_format_is_unchanged(tmp_path):
    out = io.StringIO()
    assert run_check([DATA / "check_fails.md"], out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{DATA / 'check_fails.md'}:17: error: tests[2]: ")
    assert re.fullmatch(r"1 lesson, \d+ exercises: \d+ errors, \d+ warnings", lines[-1])
