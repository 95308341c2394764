"""Switching the language while the tutor runs: the map's key and the command palette change the interface at
once, a bundled course opens the same lesson in the other language, and each learner's choice is remembered."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from gdtui.i18n import current_language
from gdtui.paths import bundled_lessons
from gdtui.settings import load_settings
from gdtui.store import open_store
from gdtui.ui.app import TutorApp
from gdtui.ui.screens.lesson import LessonScreen
from gdtui.ui.widgets.key_bar import KeyBar
from gdtui.ui.widgets.title_bar import TitleBar
from test_i18n_zh_screens import palette_lists
from ui_helpers import lesson_built, open_lesson

SIZE = (80, 24)
EN = bundled_lessons("en")


def key_bar(app: TutorApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_l_on_the_map_switches_the_interface_at_once_and_back(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Open lesson" in key_bar(app) and "中文 / English" in key_bar(app)
        await pilot.press("l")
        await pilot.pause()
        assert app.language == current_language() == "zh"
        assert "打开" in key_bar(app) and "Open lesson" not in key_bar(app)
        assert "学习者" in app.screen.query_one(TitleBar).right.plain
        assert app.library.folder == app.lessons  # a course of its own (--lessons): only the interface changes
        await pilot.press("l")
        await pilot.pause()
        assert app.language == current_language() == "en" and "Open lesson" in key_bar(app)
        await pilot.press("l")
        await pilot.pause()
    with open_store(None, data_dir) as store:
        assert store.learner_language("ada") == "zh"  # kept with the learner's progress


async def test_the_palette_switches_the_language(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Language")
        await palette_lists(pilot, "Language: 中文")
        await pilot.press("enter")
        await pilot.pause()
        assert app.language == "zh"
        await pilot.press("ctrl+p", *"English")  # the command is "语言：English" now
        await palette_lists(pilot, "语言：English")
        await pilot.press("enter")
        await pilot.pause()
        assert app.language == "en"


async def test_switching_in_a_bundled_lesson_opens_its_twin_at_the_same_place(tmp_path):
    app = TutorApp(EN, tmp_path / "data", "ann", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        first = app.library.items[0]
        screen = await open_lesson(pilot, first.key)
        body = screen.query_one("#lesson-body", VerticalScroll)
        body.scroll_to(y=12, animate=False)
        await pilot.pause()
        app.set_language("zh")
        await pilot.pause()
        screen = await lesson_built(pilot)
        assert isinstance(screen, LessonScreen) and screen.key == first.key  # the same lesson (ids are shared)
        assert app.library.folder.name == "zh" and app.library.source.name == "en"
        assert "道练习" in screen.query_one(TitleBar).right.plain  # the chrome speaks Chinese
        assert screen.query_one("#lesson-body", VerticalScroll).scroll_y == 12  # the same place
        await pilot.press("escape")
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "导数与梯度下降" in shown


async def test_each_learner_of_one_account_starts_in_their_own_language(tmp_path):
    data = tmp_path / "data"
    ann = TutorApp(EN, data, "ann", served=True)  # a served class: no config file, the store remembers
    async with ann.run_test(size=SIZE) as pilot:
        assert ann.language == "en"
        await pilot.press("l")
        await pilot.pause()
    bo = TutorApp(EN, data, "bo", served=True)
    async with bo.run_test(size=SIZE):
        assert bo.language == "en" and "Open lesson" in key_bar(bo)
    again = TutorApp(EN, data, "ann", served=True)
    async with again.run_test(size=SIZE):
        assert again.language == current_language() == "zh" and "打开" in key_bar(again)
        assert again.library.folder.name == "zh"


async def test_the_accounts_own_terminal_also_writes_the_config_file(make_app, tmp_path):
    config = tmp_path / "config.toml"
    app = make_app(settings_file=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
    assert load_settings(config).lang == "zh"
    fresh = make_app(settings_file=config, learner="new")  # a learner with no choice of their own yet
    async with fresh.run_test(size=SIZE):
        assert fresh.language == "zh"


async def test_lang_on_the_command_line_beats_the_learners_choice(make_app, data_dir):
    with open_store(None, data_dir) as store:
        store.set_learner_language("ada", "zh")
    app = make_app(lang="en")
    async with app.run_test(size=SIZE):
        assert app.language == "en"
    with open_store(None, data_dir) as store:
        assert store.learner_language("ada") == "en"  # and it is remembered as the learner's choice


def test_help_lists_the_language_key():
    from gdtui.ui.screens.help import KEYS

    assert any(bound == "l" for _where, rows in KEYS for _keys, _what, bound in rows)


async def test_fallback_lessons_are_marked_on_the_map(tmp_path):
    app = TutorApp(EN, tmp_path / "data", "ann", lang="zh")
    async with app.run_test(size=(100, 30)):
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        missing = app.library.fallbacks
        if missing:
            assert f"有 {missing} 课还没有翻译" in shown and "（英文）" in shown
        else:
            assert "还没有翻译" not in shown
    assert Path(app.library.folder).name == "zh"


async def test_an_ascii_screen_speaks_english_and_keeps_the_learners_choice(make_app, data_dir):
    app = make_app(lang="zh", charts="ascii")  # e.g. LANG=zh_CN.GB18030: not UTF-8, so the screen is ASCII
    async with app.run_test(size=SIZE) as pilot:
        assert app.language == current_language() == "en" and "Open lesson" in key_bar(app)
        await pilot.press("l")
        await pilot.pause()
        assert app.language == "en"  # Chinese would be ?? in every cell
        app.set_chart_mode("braille")
        await pilot.press("l")
        await pilot.pause()
        assert app.language == "zh"
        app.set_chart_mode("ascii")  # back to ASCII: English for now, the choice kept for next time
        await pilot.pause()
        assert app.language == "en" and all(strip.text.isascii() for strip in app.screen._compositor.render_strips())
    with open_store(None, data_dir) as store:
        assert store.learner_language("ada") == "zh"


async def test_switching_in_the_playground_relabels_it_in_place(make_app):
    from gdtui.ui.playground.screen import PlaygroundScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen) and screen.setup is not None
        setup = screen.setup
        app.set_language("zh")
        await pilot.pause()
        assert app.screen is screen and screen.setup == setup  # the same function and settings
        assert screen.query_one("#play-settings-part").border_title == "设置"
        assert screen.query_one(TitleBar).left.plain.startswith("练习场")
        assert "函数" in key_bar(app)
