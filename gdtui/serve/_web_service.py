"""One browser tab's tutor, as textual-serve's ``AppService`` runs it, made safe to end.

textual-serve passes a page's resize on as it comes and, on close, asks the app to quit and waits for it with
no limit. A hung or hostile tutor could then grow without bound or outlive its page. Here a resize is clamped
as the SSH side clamps it, and :meth:`stop` gives the app ``grace`` seconds to quit, then ends its whole
process group (the child leads its own, see ``launch.py --new-session``): SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import os
import signal

from textual_serve.app_service import AppService

from gdtui.serve._pty import clamp_size, group_exists, signal_group


def as_int(value: object, default: int) -> int:
    """A number a page sent (any JSON value) as an int; ``default`` when it is not one."""
    if isinstance(value, bool):
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default


class TutorService(AppService):
    def __init__(self, command: str, *, grace: float, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.grace = grace
        self._ending: asyncio.Future | None = None

    @property
    def pid(self) -> int | None:
        process = self._process  # textual-serve keeps the process here; it has no public accessor
        return process.pid if process is not None else None

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(as_int(width, 80), as_int(height, 24)))

    async def stop(self) -> None:
        """End the tutor, however it behaves; safe to call more than once (textual-serve does)."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        process = self._process
        if process is None:
            return
        try:  # textual-serve's own stop (tell the app to quit, wait for its output to end), then its exit
            await asyncio.wait_for(asyncio.shield(self._quit(process)), self.grace)
        except (asyncio.TimeoutError, OSError, RuntimeError):
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if process.returncode is not None and not group_exists(process.pid):
                return
            if not signal_group(process.pid, sig):  # not a group leader yet: the process alone
                try:
                    os.kill(process.pid, sig)
                except ProcessLookupError:
                    pass
            try:
                await asyncio.wait_for(process.wait(), self.grace if sig == signal.SIGTERM else 30.0)
            except asyncio.TimeoutError:
                continue
        signal_group(process.pid, signal.SIGKILL)  # anything the tutor started and left in its group

    async def _quit(self, process) -> None:
        await super().stop()
        await process.wait()
