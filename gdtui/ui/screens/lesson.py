"""One lesson: its prose, live charts and exercises in the author's order, in one scrolling column.

The screen is where the pieces meet: it grades what an `ExercisePanel` submits (through the lesson's
`ExerciseSession`s), saves every attempt at once, and sets the panel's state; an exercise that drives a
chart (its `chart:` field) sets that `ChartView`'s values for the learner's variant and for each answer
the tutor can read. In watch mode it rebuilds itself when its file changes, or shows the file's errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Markdown, Static

from gdtui.i18n import N_, _, ngettext
from gdtui.course.grading import Verdict
from gdtui.course.model import CourseError, Exercise, Lesson, Plot, Prose
from gdtui.course.session import ExerciseSession
from gdtui.ui.library import CourseItem
from gdtui.ui.screens.place import place_of, restore_place
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.choice_list import ChoiceList
from gdtui.ui.widgets.error_card import ErrorCard
from gdtui.ui.widgets.exercise_panel import ExercisePanel, ExerciseState
from gdtui.ui.widgets.key_bar import KeyBar
from gdtui.ui.widgets.objectives import objectives
from gdtui.ui.widgets.title_bar import TitleBar


class LessonScreen(Screen[None]):
    """A lesson, or the error card of a lesson file that cannot be read."""

    BINDINGS = [
        Binding("tab", "answer_or_next", N_("Next part"), show=False),
        Binding("n,right_square_bracket", "neighbour(1)", N_("Next"), key_display="n"),
        Binding("p,left_square_bracket", "neighbour(-1)", N_("Prev"), key_display="p"),
        Binding("escape", "back", N_("Map"), key_display="esc"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.sessions: dict[str, ExerciseSession] = {}
        self.charts: dict[str, ChartView] = {}  # by plot id
        self._shown: tuple | None = None  # (lesson, errors) on screen, to skip reloads that change nothing
        self._generation = 0
        self.built = False  # every block mounted (tests and benchmarks wait for it)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="lesson-title")
        yield VerticalScroll(id="lesson-body")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.watch(self.app, "course_version", self._reloaded, init=False)
        self.watch(self.app, "language", self._relabelled, init=False)
        await self._build(progressive=True)

    @property
    def item(self) -> CourseItem | None:
        return self.app.library.item(self.key)

    # -- building -----------------------------------------------------------------------------------
    async def _build(self, progressive: bool = False) -> None:
        """Show the lesson (or its errors). `progressive`: mount what fills the first screen now and the
        rest just after the first frame, so a long lesson appears at once."""
        self.built = False
        self._generation += 1
        item = self.item
        self._shown = (item.lesson, item.errors) if item else None
        body = self.query_one("#lesson-body", VerticalScroll)
        await body.remove_children()
        if item is None:
            self._set_header(_("This lesson is gone"), "")
            await body.mount(Static(_("The file of this lesson was removed. Press escape for the course map.")))
        elif item.lesson is None or (item.broken and not self.app.watching):
            self._set_header(f"{self.app.library.items.index(item) + 1}. {item.title}", "")
            await body.mount(ErrorCard(item.errors, watching=self.app.watching))
        else:
            self._set_header(f"{self.app.library.items.index(item) + 1}. {item.title}", "")
            lesson = item.lesson
            self.app.progress.opened(lesson)
            try:
                self.sessions = {e.id: self.app.progress.session(lesson, e) for e in lesson.exercises}
                widgets = self._widgets(lesson, item.errors if self.app.watching else ())
            except Exception as exc:  # a lesson the checker let through must still not take the app down
                error = CourseError(lesson.path, lesson.line, f"internal error: {type(exc).__name__}: {exc}")
                await body.mount(ErrorCard([error], watching=self.app.watching))
                self.built = True
                return
            self._update_progress()
            if self.app.watching and item.broken:
                count = sum(e.severity == "error" for e in item.errors)
                shown = ngettext("{n} error in the file, shown at its line",
                                 "{n} errors in the file, shown at their lines", count).format(n=count)
                self.query_one(TitleBar).right = Text(shown, style="bold red")
            first = first_screenful(lesson, self.app.size) if progressive else len(widgets)
            await body.mount_all(widgets[:first])
            if first < len(widgets):
                self.call_after_refresh(self._mount_rest, widgets[first:], self._generation)
                return
        self.built = True

    async def _mount_rest(self, widgets: list[Widget], generation: int) -> None:
        if generation == self._generation:  # not rebuilt meanwhile
            await self.query_one("#lesson-body").mount_all(widgets)
            self.built = True

    def _widgets(self, lesson: Lesson, errors: tuple[CourseError, ...] = ()) -> list[Widget]:
        """The lesson's blocks in order; `errors` (watch mode) each as a card where its line falls, since the
        block it is in was left out of the lesson."""
        widgets: list[Widget] = []
        waiting = sorted(errors, key=lambda e: e.line)
        self.charts = {}
        starts = self._chart_starts(lesson)
        if lesson.objectives:
            widgets.append(Static(objectives(lesson.objectives, self.app.text), classes="objectives"))
        for block in lesson.blocks:
            here = [e for e in waiting if e.line < block.line]
            if here:
                widgets.append(ErrorCard(here, watching=True, inline=True, classes="block-errors"))
                waiting = waiting[len(here):]
            if isinstance(block, Prose):
                widgets.append(Markdown(self.app.text(block.text, markdown=True), classes="prose", open_links=False))
            elif isinstance(block, Plot):
                self.charts[block.id] = ChartView(block, start=starts.get(block.id), classes="chart")
                widgets.append(self.charts[block.id])
            elif isinstance(block, Exercise):
                widgets.append(ExercisePanel(self._state(self.sessions[block.id]), id=f"exercise-{block.id}"))
        if waiting:
            widgets.append(ErrorCard(waiting, watching=True, inline=True, classes="block-errors"))
        for session in self.sessions.values():
            self._hold(session)
        return widgets

    def _chart_starts(self, lesson: Lesson) -> dict[str, dict]:
        """The start values of each chart an exercise drives: the plot's own, then what the exercises
        set for the learner's variants (in lesson order)."""
        starts: dict[str, dict] = {}
        plots = {plot.id: plot for plot in lesson.plots}
        for exercise in lesson.exercises:
            if exercise.chart is not None and exercise.chart.plot in plots:
                start = starts.setdefault(exercise.chart.plot, dict(plots[exercise.chart.plot].start_values()))
                start.update(self.sessions[exercise.id].chart_shown())
        return starts

    def _set_header(self, title: str, progress: str) -> None:
        bar = self.query_one(TitleBar)
        bar.left = Text(self.app.text(title), style="bold")
        bar.right = Text(progress)

    def _update_progress(self) -> None:
        lesson = self.item.lesson
        status, solved, total = self.app.progress.marks([lesson])[lesson.id]
        if total:
            mark = "✓ " if status == "done" else ""
            style = "bold green" if status == "done" else "dim"
            self.query_one(TitleBar).right = Text(mark + _("{solved}/{total} exercises solved").format(
                solved=solved, total=total), style=style)

    async def _relabelled(self) -> None:
        """The interface language changed: build again in its words (the same place; with a bundled course,
        the same lesson in the other language)."""
        self._shown = None
        await self._reloaded()

    async def _reloaded(self) -> None:
        item = self.item
        if item is None:  # the lesson's id changed or its file broke: find it again by its file
            path = getattr(self._shown[0], "path", None) if self._shown and self._shown[0] else None
            item = next((i for i in self.app.library.items if path is not None and i.path == path), None)
            if item is not None:
                self.key = item.key
        if item is not None and self._shown == (item.lesson, item.errors):
            return
        body = self.query_one("#lesson-body", VerticalScroll)
        place = place_of(self, body)
        await self._build()
        restore_place(self, body, place)

    # -- exercises: grade, save, set the panel's state -------------------------------------------------
    def on_exercise_panel_submitted(self, message: ExercisePanel.Submitted) -> None:
        self._handle(self._submitted, message)

    def on_exercise_panel_hint_asked(self, message: ExercisePanel.HintAsked) -> None:
        self._handle(self._hint_asked, message)

    def on_exercise_panel_solution_asked(self, message: ExercisePanel.SolutionAsked) -> None:
        self._handle(self._solution_asked, message)

    def on_exercise_panel_variant_asked(self, message: ExercisePanel.VariantAsked) -> None:
        self._handle(self._variant_asked, message)

    def _handle(self, handler, message: ExercisePanel._Asked) -> None:
        """Run an exercise handler; an error in grading shows on the panel instead of ending the app."""
        message.stop()
        panel = message.panel
        try:
            handler(self.sessions[message.exercise_id], panel, message)
        except Exception as exc:
            if panel.state is not None:
                panel.state = replace(panel.state, note=_(
                    "Something went wrong here ({problem}); please tell your teacher.").format(
                    problem=f"{type(exc).__name__}: {exc}"))

    def _submitted(self, session: ExerciseSession, panel: ExercisePanel, message: ExercisePanel.Submitted) -> None:
        was_solved = session.solved
        verdict = session.submit(message.text)
        self.app.progress.attempted(self.item.lesson, session, message.text, verdict)
        panel.state = self._state(session, verdict)
        self._update_progress()
        if session.solved and not was_solved:
            self._say_if_finished()
        chart = self._chart_of(session)
        answered = {**session.chart_answered(verdict), **session.chart_solved()}
        if chart is not None and answered:  # the learner's answer; once solved, the truth beside it
            chart.values = {**chart.values, **answered}
        self._hold(session)

    def _hint_asked(self, session: ExerciseSession, panel: ExercisePanel, _message: object) -> None:
        note = None
        if session.next_hint() is not None:
            self.app.progress.hinted(self.item.lesson, session)
        else:
            wait = session.attempts_until_next_hint()
            note = (_("No more hints for this one.") if wait is None else
                    ngettext("The next hint comes after {n} more try.", "The next hint comes after {n} more tries.",
                             wait).format(n=wait))
        panel.state = self._state(session, session.last, note=note)

    def _solution_asked(self, session: ExerciseSession, panel: ExercisePanel, _message: object) -> None:
        if not session.finished:
            session.give_up()
            self.app.progress.gave_up(self.item.lesson, session)
        note = None if session.solution is not None else _("This exercise has no written solution.")
        panel.state = self._state(session, session.last, note=note)
        chart = self._chart_of(session)
        if chart is not None and session.chart_solved():  # given up: the truth on the chart too
            chart.values = {**chart.values, **session.chart_solved()}
        self._hold(session)

    def _variant_asked(self, session: ExerciseSession, panel: ExercisePanel, _message: object) -> None:
        before = session.params
        session.new_variant()
        self.app.progress.new_variant(self.item.lesson, session)
        note = (_("New numbers: the attempts and hints start again.") if session.params != before else
                _("This exercise has only these numbers; it starts again from the beginning."))
        panel.state = self._state(session, None, note=note)
        self._update_progress()
        chart = self._chart_of(session)
        if chart is not None:  # the chart takes the new numbers, and drops the last answer
            chart.playing = False
            chart.start = {**chart.plot.start_values(), **session.chart_shown()}
            chart.values = dict(chart.start)
        self._hold(session)

    def _say_if_finished(self) -> None:
        """The answer that solves a lesson's last exercise says so, and the one that ends the course too."""
        lessons = self.app.library.lessons
        marks = self.app.progress.marks(lessons)
        if marks.get(self.item.lesson.id, ("",))[0] != "done":
            return
        if all(marks[lesson.id][0] == "done" for lesson in lessons):
            self.notify(_("That was the last exercise: you have finished the course. Well done!"),
                        title=_("Course finished"), timeout=10)
        else:
            self.notify(_("Every exercise of this lesson is solved. Press n for the next lesson, or escape for "
                          "the map."), title=_("Lesson done"), timeout=6)

    def _hold(self, session: ExerciseSession) -> None:
        """Keep what the exercise's chart would reveal (its `solved` values) still until it is solved or
        given up; then let go."""
        chart = self._chart_of(session)
        if chart is not None:
            revealing = frozenset(value.name for value in session.exercise.chart.solved)
            chart.held = frozenset() if session.finished else revealing

    def _state(self, session: ExerciseSession, verdict: Verdict | None = None, *, note: str | None = None
               ) -> ExerciseState:
        ids = list(self.sessions)
        place = (ids.index(session.exercise.id) + 1, len(ids)) if session.exercise.id in ids else None
        return exercise_state(session, verdict, note=note, text=self.app.text, place=place,
                              markdown=lambda value: self.app.text(value, markdown=True))

    @property
    def offers_new_numbers(self) -> bool:
        """Whether ctrl+r means something here: the focused exercise has other numbers (with no exercise
        focused, some exercise of the lesson has); the help screen asks."""
        focused = self.focused.ancestors_with_self if self.focused is not None else ()
        panel = next((node for node in focused if isinstance(node, ExercisePanel)), None)
        if panel is not None and panel.state is not None:
            return panel.state.variants
        return any(session.has_variants for session in self.sessions.values())

    def _chart_of(self, session: ExerciseSession) -> ChartView | None:
        link = session.exercise.chart
        return self.charts.get(link.plot) if link is not None else None

    # -- navigation -----------------------------------------------------------------------------------
    def action_neighbour(self, offset: int) -> None:
        item = self.app.library.neighbour(self.key, offset)
        if item is None:
            self.notify(_("This is the last lesson.") if offset > 0 else _("This is the first lesson."))
            return
        self.app.open_lesson(item.key)

    def action_answer_or_next(self) -> None:
        """Tab: from the lesson's text, straight into the answer box of the first exercise in view; from
        anywhere else, on to the next part (the Check button is for the mouse and takes no focus)."""
        if self.focused is None or isinstance(self.focused, VerticalScroll):
            body = self.query_one("#lesson-body", VerticalScroll)
            seen = body.region
            for box in body.query(Input):
                if box.region and seen.contains_region(box.region):
                    self.set_focus(box)  # at once: keys already typed after the tab go to the box
                    return
        self.focus_next()

    def action_back(self) -> None:
        if isinstance(self.focused, (Input, ChoiceList)):  # first leave the answer box, so n and q work again …
            self.query_one("#lesson-body", VerticalScroll).focus(scroll_visible=False)  # … and page keys scroll
            return
        self.app.pop_screen()


def first_screenful(lesson: Lesson, size) -> int:
    """How many widgets roughly fill the first screen (charts and exercises by their usual heights)."""
    rows = len(lesson.objectives) + 2
    for count, block in enumerate(lesson.blocks, 1):
        if isinstance(block, Prose):
            rows += 2 + sum(1 + cell_len(line) // max(20, size.width - 8) for line in block.text.splitlines())
        elif isinstance(block, Plot):
            rows += max(14, min(32, size.height * 6 // 10)) + 1
        else:
            rows += 10
        if rows >= size.height:
            return count + bool(lesson.objectives)
    return len(lesson.blocks) + bool(lesson.objectives)


def exercise_state(session: ExerciseSession, verdict: Verdict | None = None, *, note: str | None = None,
                   text: Callable[[str], str] = str, markdown: Callable[[str], str] = str,
                   place: tuple[int, int] | None = None) -> ExerciseState:
    """What the panel shows; ``text`` (plain) and ``markdown`` (the prompt, hints, messages, solution) write
    each sentence as the screen shows it (ASCII in ascii mode)."""
    def shown(value: str | None, how: Callable[[str], str] = text) -> str | None:
        return None if value is None else how(value)

    plain_message = verdict is not None and verdict.kind == "unreadable"  # it quotes the learner's typing
    return ExerciseState(
        exercise_id=session.exercise.id,
        title=shown(session.exercise.title),
        place=place,
        prompt=markdown(session.prompt),
        choices=tuple(markdown(c) for c in session.choices),
        attempts=session.attempts + (1 if session.solved else 0),
        solved=session.solved,
        gave_up=session.gave_up,
        verdict=verdict.kind if verdict is not None else None,
        read_as=shown(verdict.read_as or None) if verdict is not None else None,
        message=shown(verdict.message or None, text if plain_message else markdown) if verdict is not None else None,
        hints=tuple(markdown(h) for h in session.hints),
        hints_left=session.hints_left > 0,
        solution=shown(session.solution, markdown),
        note=shown(note),
        variant=session.variant,
        precision=session.precision,
        variants=session.has_variants,
    )
