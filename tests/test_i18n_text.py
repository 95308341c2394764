"""The Chinese edition outside the app: grading, the expression reader, charts, the report and the command line.

In zh the messages a learner reads are Chinese, full-width input from a Chinese keyboard is read, charts lay
Chinese text out in terminal cells without ever cutting a number, the report fits 80 columns, and the
command line's help (argparse's own words included) has no English sentence.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from gdtui.charts import render_plot
from gdtui.charts.canvas import Canvas
from gdtui.charts.fmt import clip_words, wrap_cells
from gdtui.course.grading import Grader
from gdtui.course.parse import parse_lesson
from gdtui.engine.expr import ExprError, parse
from gdtui.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def exercise(answer: str):
    text = "---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\nanswer: " + answer + "\n```\n"
    lesson, errors = parse_lesson(Path("t.md"), text)
    assert errors == [], errors
    return lesson.exercises[0]


def grade(answer: str, typed: str):
    return Grader(exercise(answer), {}).grade(typed)


# -- grading ---------------------------------------------------------------------------------------------
def test_a_wrong_shaped_answer_is_read_back_in_chinese(zh):
    verdict = grade("{type: vector, value: [6, 8]}", "6")
    assert verdict.kind == "unreadable"
    assert verdict.message == "我读到的是 6：1 个数，但答案有 2 个数。"
    verdict = grade("{type: number, value: 2}", "(1, 2, 3)")
    assert verdict.message == "我读到的是 (1, 2, 3)：3 个数，但答案只是一个数。"


def test_a_close_answer_asks_for_more_figures_in_chinese(zh):
    verdict = grade("{type: number, value: 1/3}", "0.33")
    assert verdict.kind == "close" and not verdict.counts
    assert verdict.message == "接近了：请至少给出 3 位有效数字（这次不算尝试次数）。"
    cut = grade("{type: number, value: 2/3}", "0.666")
    assert cut.kind == "incorrect" and cut.message.startswith("最后一位要四舍五入")
    assert Grader(exercise("{type: number, value: 1/3}"), {}).precision() == "精确值，或 3 位有效数字"
    assert Grader(exercise("{type: vector, value: [1, 2]}"), {}).precision() == "精确值，或每个数 3 位有效数字"


def test_unreadable_input_is_explained_in_chinese_with_the_caret_under_it(zh):
    verdict = grade("{type: number, value: 2}", "2 +* 3")
    assert verdict.kind == "unreadable" and verdict.message.startswith("我读不懂这个答案：")
    assert HAN.search(verdict.message.splitlines()[0].split("：", 1)[1])  # the reader's own words too
    assert grade("{type: number, value: 2}", " ").message == "请先输入答案。"
    assert grade("{type: choice, choices: [up, down], value: up}", "z").message == "请输入字母 a, b 之一，或某个选项的文字。"


@pytest.mark.parametrize(("answer", "typed", "read_as"), [
    ("{type: number, value: 0.5}", "０．５", "0.5"),
    ("{type: vector, value: [1, 2]}", "（１，２）", "(1, 2)"),
    ("{type: expression, value: x**2, variables: [x]}", "ｘ＾２", "x²"),
])
def test_full_width_input_from_a_chinese_keyboard_is_read(zh, answer, typed, read_as):
    verdict = grade(answer, typed)
    assert verdict.kind == "correct", verdict
    assert verdict.read_as == read_as


@pytest.mark.parametrize(("typed", "said"), [
    ("x y z", "未知的名字"), ("1 2", "两个数挨在一起"), ("sin(", "这个括号没有闭合"), ("x = 2", "不能用 ="),
    ("x.real", "不能使用 `x.real` 这样的属性"), ("max(x)", "max 需要"),
])
def test_the_expression_reader_refuses_in_chinese(zh, typed, said):
    with pytest.raises(ExprError) as caught:
        parse(typed, ("x",))
    assert said in caught.value.message


def test_the_english_messages_are_unchanged_outside_zh():
    assert grade("{type: vector, value: [6, 8]}", "6").message == "I read that as 6: 1 number, but the answer has 2."
    assert grade("{type: number, value: 1/3}", "0.33").message.startswith("Close: give at least 3 significant")


# -- charts: cells, never a cut number ----------------------------------------------------------------------
def test_the_canvas_gives_a_wide_character_two_cells_and_never_half_of_one():
    canvas = Canvas(12, 2)
    assert canvas.put(0, 1, "学习率 η") == 8
    assert canvas.put(1, 7, "中文字") == 5  # 5 cells left: two characters and a blank, not two and a half
    text = canvas.to_text()
    assert [cell_len(line) for line in text.plain.split("\n")] == [12, 12]
    assert text.plain.split("\n")[1] == " " * 7 + "中文" + " "


def test_clipping_and_wrapping_measure_cells_and_keep_numbers_whole():
    assert clip_words("学习率为0.5的轨迹：下降", 12) == "学习率为0.5…"
    assert clip_words("学习率为0.5的轨迹", 9) == "学习率为…"  # not "学习率为0.…"
    lines = wrap_cells("生成一个课程骨架（FILE.md）或课程文件夹（DIR），作为起点", 46)
    assert all(cell_len(line) <= 46 for line in lines)
    assert not any(line[0] in "，。）" for line in lines) and not any(line[-1] in "（“" for line in lines)


def test_a_chinese_chart_message_wraps_in_cells(zh):
    text = render_plot(None, {}, 20, 6)
    assert all(cell_len(line) <= 20 for line in text.plain.split("\n"))
    assert HAN.search(text.plain)


# -- the report ------------------------------------------------------------------------------------------
def test_the_report_in_chinese_fits_80_columns(zh, tmp_path):
    from gdtui.report import run_report
    from gdtui.store import SqliteStore

    with SqliteStore(tmp_path) as store:
        for learner, answers in (("ann", ("x**2", "2*x")), ("李明", ("2", "3", "2*x")), ("bob", ("x",))):
            store.open_lesson(learner, "derivative-basics")
            for i, answer in enumerate(answers):
                verdict = "correct" if i == len(answers) - 1 else "incorrect"
                store.record_attempt(learner, "derivative-basics", "slope", variant=0, input=answer, read_as=answer,
                                     verdict=verdict)
    out = io.StringIO()
    assert run_report(tmp_path, out=out, width=80, colour=False) == 0
    text = out.getvalue()
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    for header in ("学习者（3）", "最近活动（UTC）", "完成课数", "尝试次数", "各练习，按课程顺序", "错误答案："):
        assert header in text
    assert "Learners" not in text and "tried" not in text
    csv = io.StringIO()
    assert run_report(tmp_path, fmt="csv", out=csv) == 0
    assert csv.getvalue().startswith("section,learner,")  # data keys stay English


# -- the command line -------------------------------------------------------------------------------------
ENGLISH_RUN = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,}){2,}\b")  # three English words in a row: a sentence


@pytest.mark.parametrize("args", [["--help"], ["play", "--help"], ["report", "--help"], ["serve", "ssh", "--help"]])
def test_the_help_in_chinese_has_no_english_sentence(args):
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "80",
           "XDG_CONFIG_HOME": "/nonexistent-config"}
    run = subprocess.run([sys.executable, "-m", "gdtui", *args], capture_output=True, text=True, env=env,
                         cwd=ROOT)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert text.startswith("用法：") and "选项：" in text
    for english in ("usage", "options", "show this help", "positional arguments", "default:"):
        assert english not in text
    prose = text.replace("gdtui " + " ".join(a for a in args if a != "--help"), "gdtui")  # the command's own name
    assert not ENGLISH_RUN.findall(prose), ENGLISH_RUN.findall(prose)
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_argparse_speaks_english_again_after_the_command_line():
    import argparse

    from gdtui.cli import build_parser
    from gdtui.cli_words import argparse_words

    set_language("zh")
    try:
        with argparse_words():
            assert build_parser().format_help().startswith("用法：")
    finally:
        set_language("en")
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")


@pytest.mark.parametrize("typed, index", [("ａ", 0), ("Ｂ）", 1), ("２", 1), ("只有MSE的那个（均值）", 2),
                                          ("只有 MSE 的那个（均值）", 2), ("恰好一个", 0)])
def test_a_chinese_keyboard_picks_a_choice(typed, index):
    from gdtui.course.grading import pick_choice

    choices = ("恰好一个", "两个都是", "只有 MSE 的那个（均值）")
    assert pick_choice(typed, choices) == index
