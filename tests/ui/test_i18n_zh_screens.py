"""The app in Chinese: a Pilot run walks the map, a lesson, an exercise's verdict, the help card and the
playground, and finds no English word on any screen outside maths, numbers, key names and learner input.

The course is a small Chinese one of our own (tests/ui/data/zh-course), so every word on screen is either the
interface's (the catalogue) or the lesson's (Chinese). A word counts as English when it is two or more ASCII
letters in a row; ``ALLOWED`` lists what may still appear, and why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gdtui.i18n import current_language
from gdtui.ui.app import TutorApp
from gdtui.ui.playground.screen import PlaygroundScreen
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.widgets.exercise_panel import ExercisePanel
from ui_helpers import answer, lesson_built, right_answer

ZH_COURSE = Path(__file__).parent / "data" / "zh-course"
SIZE = (80, 24)

ALLOWED = {
    # key names, as the key bar and the help card print them
    "tab", "Tab", "shift", "ctrl", "enter", "Enter", "esc", "Esc", "escape", "space", "pgup", "pgdn", "home",
    "end",
    # the program's name, and each language named in its own words on the language key
    "gdtui", "English",
    # names of character sets and file formats (the chart modes and the screenshot command name them)
    "ASCII", "UTF", "SVG",
    # maths: the expression language's functions and constants, and the optimizers' names
    "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "min", "max", "pi",
    "sgd", "SGD", "Adam", "AdaGrad", "RMSProp", "Nesterov", "MSE", "MAE",
    "adam", "adagrad", "rmsprop", "nesterov",  # as the playground's optimizer list names them (what a learner types)
    # the playground's example input (a preset's name is typed as it is: rosenbrock), and the test surfaces'
    # proper names
    "rosenbrock", "Rosenbrock", "Beale", "Booth", "Himmelblau", "Matyas", "Rastrigin",
    # the learner's name (learner input)
    "ann",
}
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """The ASCII words on screen that are not allowed (maths variables are single letters: x, y, f, h, η)."""
    return [word for word in WORD.findall(text) if word not in ALLOWED]


def screen_text(app: TutorApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_chinese(app: TutorApp, where: str) -> str:
    shown = screen_text(app)
    assert re.search(r"[\u4e00-\u9fff]", shown), f"{where}: no Chinese at all\n{shown}"
    assert english_words(shown) == [], f"{where}:\n{shown}"
    return shown


def test_the_filter_finds_english_and_passes_maths_keys_and_names():
    assert english_words("按 enter 检查   x² + 2·x   f′(x) = 2x   ctrl+p 命令面板   sgd η = 0.1") == []
    assert english_words("x**4 - 3*x**2 + x   sqrt(2)/2   [6, 8]   学习者 ann") == []
    assert english_words("Next lesson  下一课") == ["Next", "lesson"]
    assert english_words("已完成 2/4 道练习  solved as 2.25") == ["solved", "as"]


async def palette_lists(pilot, title: str) -> None:
    """Wait until the command palette shows ``title`` (its providers answer in the background)."""
    for _ in range(400):
        if title in screen_text(pilot.app):
            return
        await pilot.pause(0.02)


async def walk(app: TutorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert current_language() == "zh" and app.language == "zh"
        shown = assert_chinese(app, "the map")
        assert "课程目录" not in shown and "导数与梯度下降" in shown  # the map's title bar
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "任何地方" in assert_chinese(app, "the help card")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await palette_lists(pilot, "搜索命令")
        assert_chinese(app, "the command palette")  # its own commands, some of them (the list scrolls)
        await pilot.press(*"English")
        await palette_lists(pilot, "语言：English")
        assert "语言：English" in assert_chinese(app, "the command palette")
        await pilot.press("escape")
        await pilot.press("R")
        await pilot.pause()
        assert "要清除" in assert_chinese(app, "the reset question")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        assert "调大" in assert_chinese(app, "the terminal-too-small card")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        await pilot.press("enter")
        screen = await lesson_built(pilot)
        assert "在这一课中，你将" in assert_chinese(app, "the lesson")
        panel = screen.query_one(ExercisePanel)
        await answer(pilot, panel, "1")
        assert "不太对" in assert_chinese(app, "a wrong answer's verdict")
        await answer(pilot, panel, "2*")  # cannot be read: the verdict says so and costs nothing
        assert_chinese(app, "an unreadable answer")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "提示 1" in assert_chinese(app, "a hint")
        await answer(pilot, panel, right_answer(screen, "first-step"))
        await pilot.pause()
        assert "正确" in assert_chinese(app, "the right answer's verdict")
        notices = [f"{notice.title} {notice.message}" for notice in app._notifications]
        assert any("课程完成" in notice for notice in notices)  # the course-end notice
        assert english_words(" ".join(notices)) == [], notices
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        assert "练习场" in assert_chinese(app, "the empty playground")
        await pilot.press("question_mark")
        await pilot.pause()
        assert_chinese(app, "the playground's help card")
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        assert "设置" in assert_chinese(app, "the playground's settings")
        await pilot.press("escape", "p")
        await pilot.pause()
        assert "预设" in assert_chinese(app, "the preset picker")
        await pilot.press("escape")
        await pilot.pause()


async def test_lang_zh_speaks_chinese_everywhere(tmp_path):
    await walk(TutorApp(ZH_COURSE, tmp_path / "data", "ann", lang="zh"))


async def test_a_chinese_locale_speaks_chinese_everywhere(tmp_path, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    await walk(TutorApp(ZH_COURSE, tmp_path / "data", "ann"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_chinese_objectives_wrap_whole_with_a_hanging_indent(tmp_path, size):
    app = TutorApp(ZH_COURSE, tmp_path / "data", "ann", lang="zh")
    async with app.run_test(size=size) as pilot:
        map_text = screen_text(app)
        await pilot.press("enter")
        await lesson_built(pilot)
        lesson_text = screen_text(app)
    lesson = app.library.items[0].lesson
    for objective in lesson.objectives:  # every character of every objective is on the map and in the lesson
        for shown in (map_text, lesson_text):
            assert re.sub(r"[\s▌│·]", "", objective) in re.sub(r"[\s▌│·]", "", shown.replace("•", ""))
    bullets = [line.strip(" ▌") for line in lesson_text.splitlines()]
    first = next(i for i, line in enumerate(bullets) if line.startswith("• 亲手"))
    if bullets[first + 1] and not bullets[first + 1].startswith("•"):  # wrapped: under the text, not the bullet
        line = next(row for row in lesson_text.splitlines() if bullets[first + 1] in row)
        bullet_row = next(row for row in lesson_text.splitlines() if "• 亲手" in row)
        assert line.index(bullets[first + 1]) == bullet_row.index("亲手")


async def test_a_served_session_asks_in_chinese_before_ending(tmp_path):
    from gdtui.ui.screens.confirm import ConfirmScreen

    app = TutorApp(ZH_COURSE, tmp_path / "data", "ann", lang="zh", served=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "要结束本次学习吗" in assert_chinese(app, "the quit question")
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
