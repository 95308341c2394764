"""The tutor app: holds the course, the learner's progress and the screens; screens do the rest."""

from __future__ import annotations

import signal
import sys
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from gdtui.i18n import N_, SOURCE_LANG, _, set_language
from gdtui.settings import (CHART_MODES, Settings, chart_mode, in_browser, language, load_settings, save_settings,
                            settings_path)
from gdtui.store import StoreError
from gdtui.ui.commands import LessonCommands
from gdtui.ui.language import NAMES, course_library, other_languages
from gdtui.ui.library import Library
from gdtui.ui.progress import LearnerProgress, moved_exercises, save_before_ending
from gdtui.ui.screens.course_map import CourseMapScreen
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.screens.too_small import TooSmallScreen, too_small
from gdtui.ui.wrap import use_cell_wrapping

CHART_HELP = {
    "braille": N_("draw charts with braille dots (the sharpest)"),
    "block": N_("draw charts with half blocks (for fonts without braille)"),
    "ascii": N_("plain ASCII everywhere (for terminals without UTF-8)"),
}
WIDE_LANGS = ("zh",)  # languages an ASCII-only screen cannot show (their characters are not ASCII)
CHART_NAMES = {"braille": N_("braille"), "block": N_("block"), "ascii": N_("ascii")}
SYSTEM_COMMANDS = {  # Textual's own palette commands, in the learner's language (matched by their English title)
    "Theme": (N_("Theme"), N_("Change the current theme")),
    "Quit": (N_("Quit"), N_("Quit the application as soon as possible")),
    "Screenshot": (N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen")),
    "Maximize": (N_("Maximize"), N_("Maximize the focused widget")),
    "Minimize": (N_("Minimize"), N_("Minimize the widget and restore to normal size")),
}


class TutorApp(App[int]):
    """Course map first; lessons are pushed on top of it."""

    CSS_PATH = "app.tcss"
    TITLE = "gdtui"
    COMMANDS = App.COMMANDS | {LessonCommands}
    BINDINGS = [  # descriptions are marked here and translated where the key bar draws them
        Binding("question_mark", "help", N_("Help"), key_display="?"),
        Binding("q", "ask_quit", N_("Quit")),
    ]

    course_version: reactive[int] = reactive(0)
    """Goes up each time the lessons are read again (watch mode); screens watch it."""
    chart_mode: reactive[str] = reactive("braille")
    """How charts are drawn: braille, block or ascii (ascii: the whole screen in ASCII). Charts watch it."""
    language: reactive[str] = reactive("en", init=False)
    """The interface language (en, zh); screens watch it and draw their words again."""

    def __init__(self, lessons: Path, data_dir: Path, learner: str, *, watch: bool = False,
                 play: str | None = None, start_in_playground: bool = False, charts: str | None = None,
                 lang: str | None = None, settings_file: Path | None = None, served: bool = False,
                 database: str | None = None) -> None:
        super().__init__()
        use_cell_wrapping()  # Chinese paragraphs break between characters, not only at spaces
        self.served = served  # a classroom session (gdtui serve, or another learner's name): a bare q
        # asks before ending it, no screenshot saved on the server, no job control
        self.settings_file = settings_file  # None: nothing is remembered (tests, a served session)
        self.settings = load_settings(settings_file) if settings_file is not None else Settings()
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.set_reactive(TutorApp.chart_mode, charts if charts in CHART_MODES else "braille")
        # exercises that moved between lessons say so in every language (the twin rule), so the given folder tells
        moved = moved_exercises(Library(lessons, cache_dir=Path(data_dir) / "cache").lessons)
        self.progress = LearnerProgress(data_dir, learner, database, moved)
        chosen = language(lang, self.progress.language, self.settings.lang)
        chosen = set_language(SOURCE_LANG if self.chart_mode == "ascii" and chosen in WIDE_LANGS else chosen)
        self.set_reactive(TutorApp.language, chosen)
        if lang is not None:  # asked for on the command line: remembered like a choice on the map
            self.remember(lang=lang)
            self.progress.remember_language(lang)
        self.lessons = Path(lessons)
        self.library = course_library(self.lessons, chosen, Path(data_dir) / "cache")
        self._cache_dir = Path(data_dir) / "cache"
        self.watching = watch
        self._play = play
        self._start_in_playground = start_in_playground

    def get_default_screen(self) -> CourseMapScreen:
        return CourseMapScreen()

    def on_mount(self) -> None:
        if self.served and hasattr(signal, "SIGTSTP"):
            # Textual's driver has put in its own SIGTSTP handler (suspend the app) by now: a served session
            # has no shell to suspend to, and stray input could stop it mid-shutdown, so ignore the signal
            signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        self.set_interval(0.5, self._tell_saving)
        self.set_class(self.no_color, "-no-color")  # app.tcss marks the focused widget without colour
        self.watch_chart_mode(self.chart_mode)
        self.theme_changed_signal.subscribe(self, lambda theme: self.remember(theme=theme.name))
        if self.watching:
            self.set_interval(1.0, self._poll_lessons)
        if self._start_in_playground:
            self.open_playground(self._play)
        self.on_resize()

    def on_resize(self, event: events.Resize | None = None) -> None:
        size = event.size if event is not None else self.size
        small = too_small(size.width, size.height)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def on_unmount(self) -> None:
        self.progress.close()  # waits a few seconds at most for answers still on their way to the database

    def watch_app_focus(self, focus: bool) -> None:
        """Focus the screen's first widget when the app gets the focus with none focused. In a browser Textual
        starts the app blurred, before the first screen has focused anything (auto focus waits while blurred),
        so without this the course map would not have the keys when the page gives the focus back."""
        screen = self.screen
        selector = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else self.AUTO_FOCUS
        if focus and screen.focused is None and selector:
            for widget in screen.query(selector):
                if widget.focusable:
                    screen.set_focus(widget, scroll_visible=False)
                    break

    def _tell_saving(self) -> None:
        """An answer waiting for the database, or saving again after a wait: say so (the writer keeps it)."""
        notice = self.progress.saving_notice()
        if notice is not None:
            severity, message = notice
            self.notify(message, severity=severity, timeout=8 if severity != "warning" else 20, markup=False)

    def _poll_lessons(self) -> None:
        if self.library.reload_if_changed():
            self.course_version += 1

    # -- settings that stay ----------------------------------------------------------------------------
    def remember(self, **values: str) -> None:
        """Keep a setting for the next run (in the config file, when this app has one)."""
        if all(getattr(self.settings, name) == value for name, value in values.items()):
            return
        self.settings = self.settings.changed(**values)
        if self.settings_file is not None and not save_settings(self.settings, self.settings_file) \
                and self.is_running:
            self.notify(_("Could not write {path}; the setting lasts until you quit.").format(
                path=self.settings_file), severity="warning", markup=False)

    def set_language(self, lang: str, *, remember: bool = True) -> None:
        """Speak ``lang`` from now on: remembered for the learner (and in the config file when this is the
        account's own terminal); a bundled course opens in that language, at the same place. An ASCII-only
        screen cannot show Chinese: there the interface stays English and says why."""
        if self.chart_mode == "ascii" and lang in WIDE_LANGS:
            self.notify(_("Chinese needs a UTF-8 terminal: choose braille or block charts first (ctrl+p)."),
                        severity="warning", markup=False)
            return
        lang = set_language(lang)
        if remember:
            self.remember(lang=lang)
            self.progress.remember_language(lang)
        if lang == self.language:
            return
        self.library = course_library(self.lessons, lang, self._cache_dir)
        self.language = lang  # the screens redraw (a lesson rebuilds itself and keeps its place)
        self.refresh_bindings()

    def watch_chart_mode(self, mode: str) -> None:
        """ASCII mode puts every cell through the ASCII filter and gives widgets ASCII borders."""
        ascii_mode = mode == "ascii"
        self.set_class(ascii_mode, "-ascii")
        filters = [f for f in self._filters if type(f).__name__ == "AsciiFilter"]
        if ascii_mode and not filters:
            from gdtui.ui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())
        for f in filters:
            f.enabled = ascii_mode
        self.refresh(layout=True)

    def set_chart_mode(self, mode: str) -> None:
        if mode in CHART_MODES:
            if mode == "ascii" and self.language in WIDE_LANGS:  # the ASCII screen speaks English (not kept)
                self.set_language(SOURCE_LANG, remember=False)
            self.chart_mode = mode
            self.remember(charts=mode)
            self.screen.refresh(layout=True)

    def text(self, text: str, markdown: bool = False) -> str:
        """Text the tutor writes (prose, prompts, status), as the chart mode shows it (ASCII in ascii mode;
        ``markdown``: a product sign is written ``\\*``, not emphasis)."""
        if self.chart_mode != "ascii" or text.isascii():
            return text
        from gdtui.charts.glyphs import ascii_text

        return ascii_text(text, product="\\*" if markdown else "*")

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the key bar shows them; in ascii mode ⏎ is "enter" and ← "left"."""
        shown = super().get_key_display(binding)
        if self.chart_mode != "ascii" or shown.isascii():
            return shown
        for arrow, name in (("←", "left"), ("→", "right"), ("↑", "up"), ("↓", "down")):
            shown = shown.replace(arrow, name)
        return self.text(shown)

    def get_system_commands(self, screen: Screen):
        """Textual's commands, with Keys opening the tutor's own card of keys (escape closes it), and no
        Screenshot in a served session (it would be saved on the server, where the learner cannot reach it)."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys" and not (self.served and command.title == "Screenshot"):
                title, help_text = SYSTEM_COMMANDS.get(command.title, (command.title, command.help))
                yield SystemCommand(_(title), _(help_text), command.callback, command.discover)
        yield SystemCommand(_("Keys"), _("Every key the tutor answers to (escape closes it)"), self.action_help)
        for lang in other_languages(self.language):
            yield SystemCommand(_("Language: {name}").format(name=NAMES[lang]),
                                _("Speak {name}; a bundled course opens in it too").format(name=NAMES[lang]),
                                partial(self.set_language, lang))
        for mode in CHART_MODES:
            if mode != self.chart_mode:
                yield SystemCommand(_("Charts: {mode}").format(mode=_(CHART_NAMES[mode])), _(CHART_HELP[mode]),
                                    partial(self.set_chart_mode, mode))
        if getattr(screen.focused, "describe", None) is not None:
            yield SystemCommand(_("Describe chart"), _("The focused chart in one sentence, with its numbers (d)"),
                                screen.focused.action_describe)

    def action_command_palette(self) -> None:
        """Textual's palette, its search box in the learner's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    # -- what screens and commands ask for ---------------------------------------------------------
    def open_lesson(self, key: str) -> None:
        """Show a lesson (or its error card) in place of the current lesson, or over the map."""
        from gdtui.ui.screens.lesson import LessonScreen  # charts, numpy, markdown: not needed for the map

        screen = LessonScreen(key)
        if isinstance(self.screen, LessonScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_map(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_playground(self, function: str | None = None) -> None:
        from gdtui.ui.playground.screen import PlaygroundScreen

        self.push_screen(PlaygroundScreen(function))

    def action_ask_quit(self) -> None:
        """q: quit; in a served session first ask (one stray q must not end a student's session; ctrl+q
        quits at once)."""
        if not self.served:
            self.exit()
            return
        from gdtui.ui.screens.confirm import ConfirmScreen

        if not isinstance(self.screen, ConfirmScreen):
            self.push_screen(ConfirmScreen(_("End this session? Your progress is saved."), yes=_("End it"),
                                           no=_("Stay")), lambda yes: self.exit() if yes else None)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(new_numbers=getattr(self.screen, "offers_new_numbers", True)))


def remembers(learner: str) -> bool:
    """Whether this is the account's own session, in a terminal: it keeps its settings in the user's config
    file and q quits at once. A served session (a browser tab, an SSH login under another name) shares the
    server's account with the whole class: its theme and chart mode last until it ends, and q asks first."""
    from gdtui.paths import default_learner

    return not in_browser() and learner == default_learner()


def run_app(lessons: Path, data_dir: Path, learner: str, watch: bool = False, play: str | None = None,
            start_in_playground: bool = False, charts: str | None = None, lang: str | None = None,
            database: str | None = None, served: bool = False) -> int:
    """Run the tutor in this terminal until the learner quits; the exit status."""
    own = remembers(learner) and not served
    settings_file = settings_path() if own else None
    saved = load_settings(settings_file).charts if settings_file is not None else None
    try:
        app = TutorApp(Path(lessons), Path(data_dir), learner, watch=watch, play=play,
                       start_in_playground=start_in_playground, charts=chart_mode(charts, saved), lang=lang,
                       settings_file=settings_file, served=served or not own, database=database)
        if charts is not None:  # asked for on the command line: the next run starts with it too
            app.remember(charts=charts)
    except StoreError as exc:  # a progress file that cannot be opened: say so, no traceback
        print(_("gdtui: {problem}").format(problem=exc), file=sys.stderr)
        return 1
    save_before_ending(app.progress)
    try:
        app.run()
    finally:
        unsaved = app.progress.close()
        if unsaved:
            print(_("gdtui: {n} change(s) to your progress could not be saved: {why}").format(
                n=unsaved, why=app.progress.writer.problem or _("the database did not answer")), file=sys.stderr)
    return app.return_code or 0
