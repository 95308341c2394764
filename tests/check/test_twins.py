"""The twin rule (a translated lesson is its English twin in other words) and the emphasis warning."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gdtui.check import run_check

EN = """---
id: steps
title: Steps
order: 3
requires: []
objectives:
  - take a step
---
Start at $x_0 = 5$ with η = 0.1: the slope there is {= diff(x**2, x, 5)}, so the step goes to
{= descent(x**2, x, 5, 0.1, 1)}. **Watch** the chart.

```plot
id: walk
title: A walk on x²
f: x**2
x: [-6, 6]
layers: [function, path]
x0: 5
lr: 0.1
steps: 10
```

```exercise
id: one-step
prompt: "From $x_0 = {a}$ with η = 0.1, where is $x_1$?"
params:
  a: {choose: [1, 2, 3]}
answer: {type: number, value: "a - 0.1*2*a"}
hints:
  - "The slope is {2*a}."
feedback:
  - {when: "a + 0.1*2*a", say: "That went uphill."}
solution: "$x_1 = {a - 0.2*a}$."
tests:
  - {input: "{a - 0.2*a}", expect: correct}
```

```exercise
id: which
prompt: Which way?
answer:
  type: choice
  choices: [Left, Right]
  value: Left
hints: [Think of the slope.]
feedback:
  - {when: Right, say: That is uphill.}
solution: Left.
tests:
  - {input: Right, expect: feedback}
```
"""

ZH = """---
id: steps
title: 走一步
order: 3
requires: []
objectives:
  - 走一步
---
从 $x_0 = 5$ 出发，η = 0.1：那里的斜率是 {= diff(x**2, x, 5)}，所以这一步走到
{= descent(x**2, x, 5, 0.1, 1)}。请“**看**”图。

```plot
id: walk
title: 在 x² 上行走
f: x**2
x: [-6, 6]
layers: [function, path]
x0: 5
lr: 0.1
steps: 10
```

```exercise
id: one-step
prompt: "从 $x_0 = {a}$ 出发，η = 0.1，$x_1$ 在哪里？"
params:
  a: {choose: [1, 2, 3]}
answer: {type: number, value: "a - 0.1*2*a"}
hints:
  - "斜率是 {2*a}。"
feedback:
  - {when: "a + 0.1*2*a", say: "这一步走上坡了。"}
solution: "$x_1 = {a - 0.2*a}$。"
tests:
  - {input: "{a - 0.2*a}", expect: correct}
```

```exercise
id: which
prompt: 往哪边走？
answer:
  type: choice
  choices: [左, 右]
  value: 左
hints: [想想斜率。]
feedback:
  - {when: 右, say: 那是上坡。}
solution: 左。
tests:
  - {input: 右, expect: feedback}
```
"""


def course(tmp_path: Path, zh: str, en: str = EN) -> Path:
    for lang, text in (("en", en), ("zh", zh)):
        folder = tmp_path / "lessons" / lang
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "03-steps.md").write_text(text, encoding="utf-8")
    return tmp_path / "lessons" / "zh"


def problems(path: Path) -> list[dict]:
    out = io.StringIO()
    run_check([path], out, fmt="json")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_faithful_translation_passes(tmp_path):
    assert problems(course(tmp_path, ZH)) == []


@pytest.mark.parametrize("change, needle, words", [
    (("a - 0.1*2*a\"}", "a - 0.2*a + 1\"}"), "answer:", "exercise 'one-step': the field 'answer' is not"),
    (("a: {choose: [1, 2, 3]}", "a: {choose: [1, 2, 4]}"), "params:", "exercise 'one-step': the field 'params' is not"),
    (("when: \"a + 0.1*2*a\"", "when: \"a + 0.1*a\""), "feedback:", "exercise 'one-step': the field 'feedback' is not"),
    (("lr: 0.1\nsteps", "lr: 0.2\nsteps"), "```plot", "plot 'walk': the field 'values' is not"),
    (("value: 左", "value: 右"), "answer:\n  type: choice", "exercise 'which': the field 'answer' is not"),
    (("order: 3", "order: 4"), "order: 4", "order: 4 is not"),
    (("\"斜率是 {2*a}。\"", "\"斜率是 {3*a}。\""), "```exercise\nid: one-step", "fill in other values"),
    (("{= descent(x**2, x, 5, 0.1, 1)}", "{= descent(x**2, x, 5, 0.1, 2)}"), "{= descent", "not in the English"),
])
def test_the_maths_of_a_twin_may_not_drift(tmp_path, change, needle, words):
    zh = ZH.replace(*change)
    assert zh != ZH
    found = problems(course(tmp_path, zh))
    assert found, zh
    assert ("E501", "error") in {(p["code"], p["severity"]) for p in found}
    first = next(p for p in found if words in p["message"])
    assert first["line"] == line_of(zh, needle if needle in zh else change[1])


def test_a_left_out_value_and_a_missing_exercise_are_errors(tmp_path):
    zh = ZH.replace("那里的斜率是 {= diff(x**2, x, 5)}，", "")
    messages = [p["message"] for p in problems(course(tmp_path, zh))]
    assert any("leaves out {= …} values" in m and "diff(x**2,x,5)" in m for m in messages)
    cut = ZH[: ZH.index("```exercise\nid: which")]
    messages = [p["message"] for p in problems(course(tmp_path, cut))]
    assert any("not the English twin's, in its order" in m for m in messages)


def test_missing_twins_are_warnings(tmp_path):
    zh_folder = course(tmp_path, ZH)
    (tmp_path / "lessons" / "en" / "04-more.md").write_text(EN.replace("id: steps", "id: more").replace(
        "order: 3", "order: 4"), encoding="utf-8")
    (zh_folder / "09-extra.md").write_text(ZH.replace("id: steps", "id: extra"), encoding="utf-8")
    found = problems(zh_folder)
    assert sorted((p["code"], p["severity"]) for p in found) == [("W110", "warning"), ("W110", "warning")]
    assert any("no en twin" in p["message"] or "no English twin" in p["message"] for p in found)
    assert any("04-more.md" in p["message"] and "not all translated" in p["message"] for p in found)
    # one file checked alone says nothing of the lessons not checked
    assert [p["code"] for p in problems(zh_folder / "03-steps.md")] == []


def test_a_number_the_english_never_states_is_a_warning(tmp_path):
    zh = ZH.replace("η = 0.1：", "η = 0.01：")
    found = problems(course(tmp_path, zh))
    assert [(p["code"], p["line"]) for p in found] == [("W111", line_of(zh, "η = 0.01"))]
    assert "0.01" in found[0]["message"]


def test_english_lessons_are_not_compared_with_anything(tmp_path):
    course(tmp_path, ZH.replace("order: 3", "order: 9"))
    assert problems(tmp_path / "lessons" / "en") == []


@pytest.mark.parametrize("text, warned", [
    ("这是**“重点”**的。", True),
    ("**注意：**这里要小心。", True),
    ("这是“**重点**”的。", False),
    ("**注意**：这里要小心。", False),
    ("*重点*。", False),
    ("Type it as (2*{h}) / 3.", False),  # a times sign, not emphasis
    ("$$\\eta^* = 2$$ and $a^*$ too.", False),  # maths
    ("Code `x**2 + y**2` is fine.", False),
])
def test_emphasis_that_will_not_render_is_a_warning(tmp_path, text, warned):
    path = tmp_path / "a.md"
    path.write_text("---\nid: a\ntitle: A\n---\nFirst line.\n\n" + text + "\n", encoding="utf-8")
    found = problems(path)
    assert [(p["code"], p["line"]) for p in found] == ([("W112", 7)] if warned else [])


def test_emphasis_in_an_exercise_text_is_checked_too(tmp_path):
    zh = ZH.replace("say: \"这一步走上坡了。\"", "say: \"这一步走**上坡：**了。\"")
    found = problems(course(tmp_path, zh))
    assert [(p["code"], p["line"]) for p in found] == [("W112", line_of(zh, "这一步走**上坡"))]


def test_two_course_folders_checked_together_are_two_courses(tmp_path):
    """`gdtui check lessons/en lessons/zh`: the twins share ids, and that is no duplicate."""
    zh_folder = course(tmp_path, ZH)
    out = io.StringIO()
    assert run_check([tmp_path / "lessons" / "en", zh_folder], out) == 0
    assert out.getvalue().strip().splitlines()[-1] == "2 lessons, 4 exercises: 0 errors, 0 warnings"


def test_the_bundled_chinese_course_is_the_english_course_in_other_words():
    root = Path(__file__).resolve().parents[2] / "lessons"
    out = io.StringIO()
    status = run_check([root / "en", root / "zh"], out)
    assert status == 0 and out.getvalue().strip().endswith(": 0 errors, 0 warnings"), out.getvalue()[-3000:]
