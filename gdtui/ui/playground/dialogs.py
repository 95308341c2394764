"""The playground's dialogs (the presets, one key each; its keys, in the help screen's look) and palette entries."""

from __future__ import annotations

from functools import partial

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gdtui.i18n import N_, _
from gdtui.playground.presets import BY_KEY, PRESETS, key_of
from gdtui.ui.screens.help import KEYS, HelpScreen

# The playground's keys, in the help screen's format: (where, ((keys as shown, what they do, bound keys), …)).
PLAYGROUND_KEYS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        N_("Playground"),
        (
            ("/", N_("type a function of x, or of x and y (enter draws it; a preset's name works too)"), "slash"),
            (N_("p, then a key"), N_("a preset: every surface of the engine and the seeds' experiments"), "p"),
            ("o", N_("the settings (on a small terminal: switch between chart and settings)"), "o"),
            ("escape", N_("leave the function box or the settings; again: back"), "escape"),
        ),
    ),
    (
        N_("Playground chart"),
        (
            ("← →", N_("move the point x, or the start x₀ (tab picks another value)"), "left,right"),
            ("↑ ↓", N_("move the start y₀ (f of x and y), or make the secant's h bigger / smaller"), "up,down"),
            (N_("shift+arrows"), N_("ten steps at a time"), "shift+left,shift+right,shift+up,shift+down"),
            ("space", N_("play / pause the descent; with no descent, shrink h until the secant is the tangent"),
             "space"),
            ("s  r", N_("one step of the descent; reset the point and the playback"), "s,r"),
        ),
    ),
    (
        N_("Playground settings"),
        (
            ("↑ ↓", N_("choose a setting"), "up,down"),
            ("← →", N_("change it: η, steps, schedule, zoom … (shift: bigger steps)"), "left,right"),
            ("enter", N_("on a number: type an exact value (0.0015, 1e-3, 1/3); on the range: type the window, "
                      "such as −1…3 × −2…2, to pan the view"), "enter"),
            ("space", N_("switch an optimizer or a layer on or off (enter too)"), "space"),
        ),
    ),
)


def keys_table(sections) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for index, (where, rows) in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row("", Text(_(where), style="bold underline"))
        for keys, what, _bound in rows:
            table.add_row(_(keys), _(what))
    return table


class PlaygroundHelp(HelpScreen):
    """The help card with the playground's keys first, then the keys that work everywhere."""

    def compose(self) -> ComposeResult:
        everywhere = [section for section in KEYS if section[0] == "Everywhere"]
        with VerticalScroll(id="help-card") as card:
            card.border_title = _("Keys in the playground")
            card.border_subtitle = _("escape closes")
            yield Static(keys_table((*PLAYGROUND_KEYS, *everywhere)), id="help-keys")


class PresetPicker(ModalScreen[str | None]):
    """Every preset with its key: that key picks it at once (↑/↓ and enter work too; escape cancels)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    DEFAULT_CSS = """
    PresetPicker { align: center middle; }
    PresetPicker > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PresetPicker OptionList, PresetPicker OptionList:focus {
        border: none; padding: 0; height: auto; max-height: 100%; background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Presets: press a key")
            box.border_subtitle = _("escape cancels")
            yield OptionList(*(Option(self._prompt(p), id=p.name) for p in PRESETS))

    @staticmethod
    def _prompt(preset) -> Text:
        return Text.assemble((f"{key_of(preset)}  ", "bold"), preset.title, no_wrap=True, overflow="ellipsis")

    def on_key(self, event: events.Key) -> None:
        preset = BY_KEY.get(event.character or "")
        if preset is not None:
            event.stop()
            self.dismiss(preset.name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PresetCommands(Provider):
    """'Preset: Rosenbrock's banana …' in the command palette, while the playground is open."""

    def _commands(self):
        screen = self.screen
        return [(_("Preset: {title}").format(title=p.title), partial(screen.load_preset, p.name)) for p in PRESETS]

    async def discover(self) -> Hits:
        for name, callback in self._commands():
            yield DiscoveryHit(name, callback, help=_("load it in the playground"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=_("load it in the playground"))
