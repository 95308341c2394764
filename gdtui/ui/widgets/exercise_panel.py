"""One exercise: its prompt, an answer box, and what the tutor made of the last answer.

The panel never grades. It posts what the learner asked for (``Submitted``, ``HintAsked``,
``SolutionAsked``, ``VariantAsked``); the lesson screen grades, saves the attempt, and sets
``state`` down. Everything the panel shows comes from that one attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.markdown import Markdown as RichMarkdown
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Static

from gdtui.i18n import N_, _, ngettext
from gdtui.ui.widgets.choice_list import ChoiceList

MARKS = {"correct": "✓", "close": "≈", "incorrect": "✗", "feedback": "✗", "unreadable": "?"}
HEADLINES = {  # None: the grader's message is the headline (it says what happened and costs nothing)
    "correct": N_("Correct."),
    "close": None,
    "incorrect": N_("Not quite."),
    "feedback": N_("Not quite."),
    "unreadable": None,
}
STYLES = {"correct": "correct", "close": "unreadable", "unreadable": "unreadable"}  # else "wrong"; the
# warning colour says "no attempt counted" for both


@dataclass(frozen=True)
class ExerciseState:
    """What an exercise panel shows. The screen builds it from the grading session."""

    exercise_id: str
    prompt: str
    title: str | None = None  # the exercise's title, shown on its border (its place in the lesson when it has none)
    place: tuple[int, int] | None = None  # (n, of): the lesson's n-th exercise of `of`
    choices: tuple[str, ...] = ()
    attempts: int = 0
    solved: bool = False
    gave_up: bool = False
    verdict: str | None = None  # correct | close | incorrect | feedback | unreadable
    read_as: str | None = None
    message: str | None = None
    hints: tuple[str, ...] = ()  # shown so far, oldest first
    hints_left: bool = True
    solution: str | None = None  # shown when not None
    note: str | None = None  # a word about the last request (no hint yet, no written solution, …)
    variant: int = 0
    precision: str = ""  # what precision the answer wants ("exact, or 3 significant figures"); "" if none
    variants: bool = True  # whether new numbers can be drawn (ctrl+r is offered only then)

    @property
    def finished(self) -> bool:
        return self.solved or self.gave_up


def _markdown(text: str) -> RichMarkdown:
    return RichMarkdown(text, hyperlinks=False)


def _message(verdict: str, text: str) -> RenderableType:
    """What the tutor says about an answer. The author's feedback (and the grader's own sentences) are
    markdown with maths, shown like hints; a message about an unreadable answer quotes the learner's
    typing, so it stays plain text (a `*` they typed is not emphasis)."""
    if verdict == "unreadable":
        return Text(text)
    if "$" in text:  # maths not turned into Unicode yet (the grader usually has done it)
        from gdtui.course.parse import render_prose  # loaded with the lesson already

        text = render_prose(text)
    return _markdown(text)


class _Heading(Text):
    """A hint's or the solution's heading: the text under it follows with no blank line between."""


class _Actions(Static):
    """The clickable 'Hint · Give up · New numbers' line; a click runs the panel's action."""

    async def action_ask(self, what: str) -> None:
        await self.parent.run_action(what)


class ExercisePanel(Vertical, can_focus=False):
    """A prompt and the precision wanted, an answer box with Check (a choice exercise: its list of choices),
    feedback, and Hint / Solution / New numbers (only where the exercise has other numbers)."""

    BINDINGS = [
        Binding("ctrl+g", "hint", N_("Hint")),
        Binding("ctrl+o", "solution", N_("Solution")),
        Binding("ctrl+r", "variant", N_("New numbers")),
    ]

    COMPONENT_CLASSES = {
        "exercise-panel--correct",
        "exercise-panel--wrong",
        "exercise-panel--unreadable",
        "exercise-panel--hint",
        "exercise-panel--solution",
        "exercise-panel--action",
    }

    DEFAULT_CSS = """
    ExercisePanel {
        height: auto;
        border: round $primary 50%;
        border-title-color: $text-primary;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        margin: 1 0;
    }
    ExercisePanel:focus-within { border: round $primary; }
    ExercisePanel.-solved { border: round $success; border-subtitle-color: $text-success; }
    ExercisePanel > .prompt { height: auto; }
    ExercisePanel > .precision { height: auto; color: $text-muted; }
    ExercisePanel > ChoiceList { margin-top: 1; }
    ExercisePanel > .answer-row { height: auto; margin-top: 1; }
    ExercisePanel > .answer-row > Input { width: 1fr; }
    ExercisePanel > .answer-row > Button { margin-left: 1; min-width: 9; }
    ExercisePanel > .feedback { height: auto; margin-top: 1; }
    ExercisePanel > .actions { height: auto; margin-top: 1; color: $text-muted; link-style: none; }
    ExercisePanel > .exercise-panel--correct { color: $text-success; text-style: bold; }
    ExercisePanel > .exercise-panel--wrong { color: $text-error; text-style: bold; }
    ExercisePanel > .exercise-panel--unreadable { color: $text-warning; text-style: bold; }
    ExercisePanel > .exercise-panel--hint { color: $text-accent; }
    ExercisePanel > .exercise-panel--solution { color: $text-success; text-style: bold; }
    ExercisePanel > .exercise-panel--action { color: $text-primary; text-style: underline; }
    """

    state: reactive[ExerciseState | None] = reactive(None, init=False, layout=True)
    """The panel's one model: set by the screen after every action."""

    class _Asked(Message):
        def __init__(self, panel: ExercisePanel) -> None:
            super().__init__()
            self.panel = panel

        @property
        def exercise_id(self) -> str:
            return self.panel.exercise_id

        @property
        def control(self) -> ExercisePanel:
            return self.panel

    class Submitted(_Asked):
        """The learner pressed Enter or Check with some text."""

        def __init__(self, panel: ExercisePanel, text: str) -> None:
            super().__init__(panel)
            self.text = text

    class HintAsked(_Asked):
        """The learner wants the next hint."""

    class SolutionAsked(_Asked):
        """The learner gives up (or, once solved, wants to read the solution)."""

    class VariantAsked(_Asked):
        """The learner wants the exercise again with new numbers."""

    def __init__(self, state: ExerciseState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exercise_id = state.exercise_id
        self.set_reactive(ExercisePanel.state, state)
        self._variant = state.variant

    def watch_state(self, state: ExerciseState | None) -> None:
        if state is not None:
            self._show(state)
            # bring the feedback into view, below the answer box
            self.call_after_refresh(self.query_one(".actions").scroll_visible, animate=False)

    def compose(self) -> ComposeResult:
        yield Static(classes="prompt")
        yield Static(classes="precision")
        if self.state is not None and self.state.choices:  # chosen, not typed
            yield ChoiceList(self.state.choices)
        else:
            with Horizontal(classes="answer-row"):
                yield Input(placeholder=_("your answer, e.g. 2*x, sqrt(2)/2 or [6, 8]"), select_on_focus=False,
                            compact=True)
                check = Button(_("Check"), classes="check", variant="primary", compact=True)
                check.can_focus = False  # for the mouse: Enter checks, Tab goes on, typing stays in the answer
                yield check
        yield Static(classes="feedback")
        yield _Actions(classes="actions")

    def on_mount(self) -> None:
        if self.state is not None:
            self._show(self.state)

    def _show(self, state: ExerciseState) -> None:
        if state.title:
            self.border_title = _("Exercise · {title}").format(title=state.title)
        elif state.place is not None:
            self.border_title = _("Exercise {n} of {total}").format(n=state.place[0], total=state.place[1])
        else:
            self.border_title = _("Exercise")
        tries = "" if not state.attempts else ngettext("{n} attempt", "{n} attempts", state.attempts).format(
            n=state.attempts)
        done = _("solved ✓") if state.solved else (_("gave up") if state.gave_up else "")
        self.border_subtitle = " · ".join(t for t in (tries, done) if t)
        self.set_class(state.solved, "-solved")

        self.query_one(".prompt", Static).update(_markdown(state.prompt))
        precision = self.query_one(".precision", Static)
        precision.update(_("Precision: {precision}").format(precision=state.precision) if state.precision else "")
        precision.display = bool(state.precision)
        for choices in self.query(ChoiceList):
            choices.show(state.choices)
        feedback = self._feedback(state)
        self.query_one(".feedback", Static).update(Group(*feedback) if feedback else "")
        self.query_one(".feedback").display = bool(feedback)
        self.query_one(_Actions).update(self._actions(state))
        if state.variant != self._variant:
            for box in self.query(Input):
                box.value = ""
        self._variant = state.variant
        self.refresh_bindings()  # ctrl+r comes and goes with the exercise's variants

    def _feedback(self, state: ExerciseState) -> list[RenderableType]:
        style = self.get_component_rich_style
        parts: list[RenderableType] = []
        if state.verdict:
            kind = STYLES.get(state.verdict, "wrong")
            headline, message = HEADLINES[state.verdict], state.message
            headline = _(headline) if headline is not None else None
            if headline is None:  # the message says it, once: its first line is the headline
                headline, _sep, message = (message or "").partition("\n")
            line = Text.assemble((f"{MARKS[state.verdict]} {headline}", style(f"exercise-panel--{kind}")))
            if state.read_as:
                line.append("  " + _("read as {expression}").format(expression=state.read_as), style="dim")
            parts.append(Group(line, _message(state.verdict, message)) if message else line)
        if state.note:
            parts.append(Text(state.note, style="italic dim"))
        for number, hint in enumerate(state.hints, 1):
            parts.append(_Heading(_("Hint {n}.").format(n=number),
                                  style=style("exercise-panel--hint") + Style(bold=True)))
            parts.append(_markdown(hint))
        if state.solution is not None:
            parts.append(_Heading(_("Solution"), style=style("exercise-panel--solution")))
            parts.append(_markdown(state.solution))
        spaced: list[RenderableType] = []
        for part in parts:  # a blank line between the verdict, the note, the hints and the solution
            if spaced and not isinstance(spaced[-1], _Heading):
                spaced.append(Text())
            spaced.append(part)
        return spaced

    def _actions(self, state: ExerciseState) -> Text:
        link = self.get_component_rich_style("exercise-panel--action")
        items = []
        if state.hints_left and not state.finished:
            items.append((_("Hint"), "ctrl+g", "hint"))
        items.append((_("Solution") if state.finished else _("Give up"), "ctrl+o", "solution"))
        if state.variants:
            items.append((_("New numbers"), "ctrl+r", "variant"))
        line = Text()
        for index, (label, key, action) in enumerate(items):
            if index:
                line.append("   ")
            line.append(label, link + Style.on(click=f"ask({action!r})"))
            line.append(f" {key}", "dim")
        return line

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.letter))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No ctrl+r where the exercise has only one set of numbers."""
        if action == "variant":
            return self.state is None or self.state.variants
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.call_after_refresh(self.query_one(Input).focus)  # what the learner types next goes to the answer
        self.post_message(self.Submitted(self, self.query_one(Input).value))

    def action_hint(self) -> None:
        self.post_message(self.HintAsked(self))

    def action_solution(self) -> None:
        self.post_message(self.SolutionAsked(self))

    def action_variant(self) -> None:
        self.post_message(self.VariantAsked(self))
