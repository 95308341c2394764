"""Every terminal and every eye, driven with Pilot: focus and keys a newcomer gets right first time, ASCII mode,
NO_COLOR, settings that stay, a chart described in a sentence."""

from __future__ import annotations

from textual.widgets import Button, Input

from gdtui.settings import load_settings
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.exercise_panel import ExercisePanel

from ui_helpers import SIZE, open_lesson, plain

SMALL = (80, 24)


async def test_one_tab_reaches_the_answer_box_in_view(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        panel.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        assert app.focused is None or not isinstance(app.focused, Input)
        await pilot.press("tab")
        assert app.focused is panel.query_one(Input)
        await pilot.press("3", "enter")  # Enter checks
        await pilot.pause()
        assert panel.state.solved
        await pilot.press("tab")  # on to the next part, never the Check button
        assert not isinstance(app.focused, Button)


async def test_typing_after_a_click_on_check_goes_to_the_answer(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        box = panel.query_one(Input)
        box.focus()
        panel.scroll_visible(animate=False, immediate=True)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.click(panel.query_one(Button))  # an empty answer: nothing to read, no attempt counted
        await pilot.pause()
        assert panel.state.verdict == "unreadable"  # the click was a Check (of nothing yet)
        await pilot.press("3")
        assert not isinstance(app.focused, Button)
        assert box.value == "3" and app.focused is box


async def test_a_chart_scrolled_away_comes_back_when_its_keys_are_used(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        chart.focus()
        await pilot.pause()
        body = screen.query_one("#lesson-body")
        body.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert not body.region.contains_region(chart.region)  # off screen, still focused
        before = chart.values["tangent_at"]
        await pilot.press("right")
        await pilot.pause()
        assert chart.values["tangent_at"] > before
        assert body.region.overlaps(chart.region) and app.focused is chart


async def test_keys_from_the_palette_open_a_card_escape_closes_and_quit_is_listed_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Keys")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = plain(app.screen.query_one("#help-keys")).lower()
        assert listed.count("quit") == 1 and "ctrl+q" in listed
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_exercise_box_shows_its_title(make_app, course):
    lesson = course / "01-slopes.md"
    lesson.write_text(lesson.read_text().replace("id: slope\n", "id: slope\ntitle: The slope of a parabola\n"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        assert screen.query_one("#exercise-slope", ExercisePanel).border_title == \
            "Exercise · The slope of a parabola"
        # an untitled exercise is named by its place in the lesson, never by the id in its file
        assert screen.query_one("#exercise-direction", ExercisePanel).border_title == "Exercise 2 of 2"


async def test_under_no_color_the_focused_widget_is_plainly_marked(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        assert app.no_color and app.has_class("-no-color")
        chart = screen.query_one(ChartView)
        assert chart.styles.border_top[0] == "round"
        chart.focus()
        await pilot.pause()
        assert chart.styles.border_top[0] == "double"  # a double line, not only another colour
        panel = screen.query_one("#exercise-slope", ExercisePanel)
        panel.query_one(Input).focus()
        await pilot.pause()
        assert panel.styles.border_top[0] == "double" and chart.styles.border_top[0] == "round"


async def test_theme_and_chart_mode_are_remembered(make_app, tmp_path):
    config = tmp_path / "config" / "config.toml"
    app = make_app(settings_file=config)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "solarized-light"
        await pilot.pause()
        app.set_chart_mode("block")
        await pilot.pause()
    assert load_settings(config).theme == "solarized-light" and load_settings(config).charts == "block"
    again = make_app(settings_file=config, lang="en")
    async with again.run_test(size=SIZE):
        assert again.theme == "solarized-light"
    assert load_settings(config).lang == "en"  # a language given on the command line is kept too
    assert make_app().settings_file is None  # tests and served sessions write no file


async def test_ascii_mode_sends_only_ascii_to_the_terminal(make_app):
    app = make_app(charts="ascii")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_lesson(pilot, "slopes")
        screen.query_one(ChartView).focus()
        await pilot.pause()
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert all(line.isascii() for line in lines), [line for line in lines if not line.isascii()]
        shown = "\n".join(lines)
        assert "f'(x)" in shown and "x^2" in shown  # the prose and the chart in ASCII stand-ins
        app.set_chart_mode("braille")
        await pilot.pause()
        assert not all(strip.text.isascii() for strip in app.screen._compositor.render_strips())


async def test_d_describes_the_focused_chart_in_a_sentence(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        chart = screen.query_one(ChartView)
        chart.focus()
        await pilot.press("d")
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Describe chart" in titles and "Charts: ascii" in titles and titles.count("Keys") == 1
        said = [n.message for n in app._notifications]
        assert said and said[-1].startswith("f(x) = x² on [−2, 2]")
        assert "the slope f′ = 1" in said[-1] and "x₀ = 1.5" in said[-1] and "after 20 steps" in said[-1]


def test_the_controls_line_leaves_out_whole_values_never_cuts_one():
    from gdtui.course.model import Control
    from gdtui.ui.controls import controls_line

    controls = (Control("tangent_at", -2, 2, None), Control("lr", 0.001, 1, None), Control("x0", -5, 5, None))
    values = {"tangent_at": 0.5432, "lr": 0.0125, "x0": -3.25}
    line, spans = controls_line(controls, values, 1, True, 200)
    assert "x = 0.5432" in line.plain and "◂ η = 0.0125 ▸" in line.plain and "x₀ = −3.25" in line.plain
    for width in range(10, 60):
        line, spans = controls_line(controls, values, 1, True, width)
        text = line.plain.rstrip()
        assert "◂ η = 0.0125 ▸" in text  # the selected value stays
        assert len(text) <= width or text == "◂ η = 0.0125 ▸"
        for whole in ("x = 0.5432", "x₀ = −3.25"):
            head = whole.split(" = ")[0] + " = "
            assert head not in text.replace(whole, "") or whole in text
        assert all(spans[i] == (-1, -1) or line.plain[spans[i][0]:spans[i][1]].strip() for i in range(3))
    line, _ = controls_line(controls, values, 0, False, 80, mode="ascii")
    assert line.plain.isascii() and "x0 = -3.25" in line.plain and "eta = 0.0125" in line.plain


async def test_a_bare_q_in_a_served_session_asks_first(make_app):
    from gdtui.ui.screens.confirm import ConfirmScreen

    app = make_app(served=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # a stray q: the session goes on
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running
    own = make_app()
    async with own.run_test(size=SIZE) as pilot:  # in your own terminal q quits at once
        await pilot.press("q")
        await pilot.pause()
    assert not own.is_running
