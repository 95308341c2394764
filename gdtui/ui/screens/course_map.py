"""Home: the course in order with each lesson's progress; Enter opens, R resets (after asking)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from gdtui.i18n import N_, _, ngettext
from gdtui.ui.library import CourseItem
from gdtui.ui.progress import Marks
from gdtui.ui.screens.confirm import ConfirmScreen
from gdtui.ui.widgets.error_card import error_lines
from gdtui.ui.widgets.key_bar import KeyBar
from gdtui.ui.widgets.lesson_list import LessonEntry, LessonList
from gdtui.ui.widgets.title_bar import TitleBar


class CourseMapScreen(Screen[None]):
    """The lessons as cards; the one the learner last opened is highlighted."""

    AUTO_FOCUS = "#lessons"

    BINDINGS = [
        Binding("R", "reset_progress", N_("Reset progress")),
        Binding("P", "playground", N_("Playground")),
        Binding("l", "switch_language", N_("中文 / English")),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar(id="map-title")
        yield Static(id="resume-hint")
        yield LessonList(id="lessons")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "course_version", self._refresh, init=False)
        self.watch(self.app, "language", self._refresh, init=False)
        self._refresh()
        self._highlight_next()
        self._shown_once = False

    def on_screen_resume(self) -> None:
        if self._shown_once:  # back from a lesson: its marks may have changed, and so may where to go next
            self._refresh()
            self._highlight_next()
        self._shown_once = True

    def _highlight_next(self) -> None:
        lessons = self.query_one(LessonList)
        key, _where = carry_on(lessons.entries, self.app.progress.last_lesson())
        if key is not None:
            lessons.highlight_key(key)

    def _refresh(self) -> None:
        library, progress = self.app.library, self.app.progress
        marks = progress.marks(library.lessons)
        entries = tuple(map_entry(number, item, marks, self.app.text)
                        for number, item in enumerate(library.items, 1))
        self.query_one(LessonList).entries = entries
        done = sum(entry.status == "done" for entry in entries)
        total = sum(entry.status != "broken" for entry in entries)
        title = self.query_one(TitleBar)
        title.left = Text.assemble(("gdtui", "bold"), ("  " + _("derivatives and gradient descent"), "dim"))
        title.right = Text.assemble((_("learner") + " ", "dim"), (progress.learner, "bold"),
                                    ("  ·  " + _("{done} of {total} done").format(done=done, total=total), "dim"))
        last = library.item(progress.last_lesson() or "")
        key, where = carry_on(entries, last.key if last is not None else None)
        resume = self.query_one("#resume-hint", Static)
        if where == "finished":
            hint = Text.assemble((_("You have finished the course: "), "bold green"),
                                 _("every exercise of every lesson is solved. Open any lesson to revisit it."))
        elif where == "last":
            hint = Text.assemble(_("Last read: "), (last.title, "bold"), "  " + _("(enter carries on)"))
        elif where == "next":
            hint = Text.assemble(_("Next: "), (library.item(key).title, "bold"), "  " + _("(enter opens it)"))
        elif entries:
            hint = Text(_("Choose a lesson and press enter. Press ? for every key."))
        else:
            hint = Text(_("There are no lessons in {folder}.").format(folder=library.folder))
        if library.fallbacks:  # a translation still being written: say which lessons are in English
            hint.append("\n" + ngettext("{n} lesson is not translated yet: it is shown in English.",
                                         "{n} lessons are not translated yet: they are shown in English.",
                                         library.fallbacks).format(n=library.fallbacks), style="dim")
        resume.update(hint)
        errors = self.query("#course-errors")
        if library.loose_errors and not errors:  # rare: a course folder that cannot be read at all
            self.mount(Static(error_lines(library.loose_errors), id="course-errors"), before=self.query_one(KeyBar))
        elif errors:
            errors.first(Static).update(error_lines(library.loose_errors))
            errors.first().display = bool(library.loose_errors)

    def on_lesson_list_opened(self, event: LessonList.Opened) -> None:
        event.stop()
        self.app.open_lesson(event.key)

    def action_reset_progress(self) -> None:
        def reset(confirmed: bool | None) -> None:
            if confirmed:
                self.app.progress.reset()
                self._refresh()
                self.notify(_("Progress of {learner} was reset.").format(learner=self.app.progress.learner),
                            markup=False)

        before, _sep, after = _("Forget all progress of {learner}?").partition("{learner}")
        question = Text.assemble(before, (self.app.progress.learner, "bold"), after, "\n\n",
                                 _("Every attempt, hint and solved exercise is deleted. This cannot be undone."))
        self.app.push_screen(ConfirmScreen(question, yes=_("Reset"), no=_("Keep it")), reset)

    def action_playground(self) -> None:
        self.app.open_playground()

    def action_switch_language(self) -> None:
        """l: the interface (and a bundled course) in the next language, at once."""
        from gdtui.ui.language import next_language

        self.app.set_language(next_language(self.app.language))


def carry_on(entries: Sequence[LessonEntry], last: str | None) -> tuple[str | None, str]:
    """Where Enter on the map carries on, and why: the lesson read last while it is unfinished ("last");
    once it is done, the next unfinished lesson after it, then from the top ("next"); nothing when every
    lesson is done ("finished") or none was read yet ("start")."""
    lessons = [entry for entry in entries if entry.status != "broken"]
    if lessons and all(entry.status == "done" for entry in lessons):
        return None, "finished"
    keys = [entry.key for entry in lessons]
    if last not in keys:
        return None, "start"
    at = keys.index(last)
    if lessons[at].status != "done":
        return last, "last"
    after = lessons[at + 1:] + lessons[:at]
    return next(entry.key for entry in after if entry.status != "done"), "next"


def map_entry(number: int, item: CourseItem, marks: dict[str, Marks], text: Callable[[str], str] = str
              ) -> LessonEntry:
    """A card of the map; ``text`` writes titles and objectives as the screen shows them (ASCII mode)."""
    if item.lesson is None or item.broken:
        return LessonEntry(item.key, number, text(item.title), status="broken",
                           errors=tuple(text(f"{e.path.name}:{e.line}: {e.message}") for e in item.errors))
    status, solved, total = marks[item.lesson.id]
    return LessonEntry(item.key, number, text(item.title), tuple(text(o) for o in item.lesson.objectives),
                       status, solved, total, fallback=item.fallback)
