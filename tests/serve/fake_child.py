"""A stand-in for the tutor in the server tests: ``python fake_child.py LEARNER DATA_DIR``.

It shows ``gdtui ready LEARNER COLSxROWS`` (kept up to date on resize) and ``pressed N``; the key ``a``
appends ``LEARNER N`` to DATA_DIR/actions.log (like an answer saved at each attempt), ``q`` quits. At start it
writes what it can see of its world (environment, session, terminal, limits) to DATA_DIR/facts-LEARNER-PID.json.
Misbehaving on purpose: ``g`` starts a process in its group that sleeps (``sleeper DATA_DIR``), ``h`` shows
``hanging``, then ignores SIGTERM and spins on the UI thread for good (a tutor hung by an endless answer).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import Static


def facts() -> dict:
    tty_pgrp = None
    try:
        tty_pgrp = os.tcgetpgrp(0)
    except OSError:
        pass
    return {
        "env": dict(os.environ),
        "pid": os.getpid(),
        "pgid": os.getpgrp(),
        "sid": os.getsid(0),
        "tty_pgrp": tty_pgrp,
        "isatty": os.isatty(0),
        "cwd": os.getcwd(),
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "rlimit_as": resource.getrlimit(resource.RLIMIT_AS),
        "rlimit_cpu": resource.getrlimit(resource.RLIMIT_CPU),
        "rlimit_core": resource.getrlimit(resource.RLIMIT_CORE),
        "umask": os.umask(0o077),
    }


class FakeTutor(App):
    BINDINGS = [("a", "act", "act"), ("q", "quit", "quit"), ("g", "grandchild", "grandchild"), ("h", "hang", "hang")]

    def __init__(self, learner: str, data_dir: Path) -> None:
        super().__init__()
        self.learner = learner
        self.data_dir = data_dir
        self.pressed = 0

    def compose(self) -> ComposeResult:
        yield Static(id="size")
        yield Static("pressed 0", id="pressed")

    def on_mount(self) -> None:
        path = self.data_dir / f"facts-{self.learner}-{os.getpid()}.json"
        path.write_text(json.dumps(facts()))
        self.show_size()

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size)  # the App's own size is updated only after this handler

    def show_size(self, size: Size | None = None) -> None:
        size = size or self.size
        self.query_one("#size", Static).update(f"gdtui ready {self.learner} {size.width}x{size.height}")

    def action_act(self) -> None:
        self.pressed += 1
        with open(self.data_dir / "actions.log", "a", encoding="utf-8") as log:
            log.write(f"{self.learner} {self.pressed}\n")
        self.query_one("#pressed", Static).update(f"pressed {self.pressed}")

    def action_grandchild(self) -> None:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "sleeper", str(self.data_dir)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.query_one("#pressed", Static).update("grandchild started")

    def action_hang(self) -> None:
        self.query_one("#pressed", Static).update("hanging")
        self.call_after_refresh(self._spin)

    def _spin(self) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.set_timer(0.5, _spin_forever)  # once "hanging" has been drawn


def _spin_forever() -> None:
    while True:
        pass


if __name__ == "__main__":
    FakeTutor(sys.argv[1], Path(sys.argv[2])).run()
