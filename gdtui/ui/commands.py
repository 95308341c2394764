"""Command palette entries: jump to any lesson, back to the course map, the playground."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from gdtui.i18n import _


class LessonCommands(Provider):
    """'Open 2. Gradients', 'Course map' and 'Playground'."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        commands = [(_("Open {number}. {title}").format(number=number, title=item.title),
                     partial(app.open_lesson, item.key), _("a lesson with errors") if item.broken else _("lesson"))
                    for number, item in enumerate(app.library.items, 1)]
        commands.append((_("Course map"), app.show_map, _("the list of lessons")))
        commands.append((_("Playground"), app.open_playground, _("explore a function and optimizers")))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)  # titles are not markup

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
