"""The real tutor over real SSH: the course map appears, a resize reaches it, an answer reaches the report.

Skipped only while gdtui.ui.app cannot be imported (the app is built alongside the server).
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from serve_helpers import (
    WAIT,
    PtyClient,
    Tmux,
    needs_ssh_client,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

COURSE = Path(__file__).resolve().parent / "data" / "course"


def _app_importable() -> bool:
    try:
        return importlib.util.find_spec("gdtui.ui.app") is not None and bool(__import__("gdtui.ui.app"))
    except Exception:
        return False


pytestmark = [
    needs_ssh_client(),
    pytest.mark.skipif(not _app_importable(), reason="gdtui.ui.app is not importable yet"),
]


@pytest.fixture
def tmux(tmp_path_factory):
    terminal = Tmux(tmp_path_factory.mktemp("tmux") / "socket")
    yield terminal
    terminal.kill()


def report(data_dir: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "gdtui", "--data-dir", str(data_dir), "report", "--format", "json"],
                            capture_output=True, text=True, timeout=WAIT, check=True)
    return json.loads(result.stdout)


def escape_until(tmux: Tmux, name: str, pattern: str) -> None:
    """Press escape (the first may only leave the answer box) until the screen shows ``pattern``.

    Waiting after each press also keeps an escape from merging with the next key into an alt+key.
    """
    for _ in range(4):
        tmux.keys(name, "Escape")
        try:
            tmux.wait_for(name, pattern, timeout=2)
            return
        except AssertionError:
            continue
    tmux.wait_for(name, pattern)


def test_the_tutor_over_ssh(start_server, tmux):
    server = start_server("--lessons", str(COURSE), child=None)
    tmux.start("zoe", ssh_argv(server.port, "zoe", "-tt"), cols=100, rows=30)
    tmux.wait_for("zoe", r"The slope of a square")  # the course map
    tmux.wait_for("zoe", r"zoe")

    def width_used() -> int:
        return max(len(line.rstrip()) for line in tmux.screen("zoe").splitlines())

    assert width_used() <= 100
    tmux.resize("zoe", 130, 34)
    wait_until(lambda: width_used() > 100, what="the app to redraw at the new width")

    tmux.keys("zoe", "Enter")
    tmux.wait_for("zoe", r"what is f′\(2\)\?")
    tmux.keys("zoe", "Tab")
    time.sleep(0.3)  # let focus settle before typing (the screen does not show focus as text)
    tmux.keys("zoe", "4")
    tmux.keys("zoe", "Enter")
    tmux.wait_for("zoe", r"1 attempt")

    learners = {row["learner"]: row for row in report(server.data_dir)["learners"]}
    assert learners["zoe"]["attempts"] == 1  # saved at the attempt, while the session is still open

    escape_until(tmux, "zoe", r"Open lesson")  # back on the course map (its footer)
    time.sleep(0.3)  # so the last escape cannot merge with the q into alt+q on a busy machine
    tmux.keys("zoe", "q")
    tmux.wait_for("zoe", r"End this session\?")  # a served session asks before a bare q ends it
    tmux.keys("zoe", "y")
    tmux.wait_for("zoe", r"ssh exited 0")
    server.wait_no_children()
    server.wait_log(r"disconnect user=zoe .*reason=quit status=0")


def test_a_dropped_connection_keeps_what_was_submitted(start_server, tmux):
    server = start_server("--lessons", str(COURSE), child=None)
    tmux.start("yan", ssh_argv(server.port, "yan", "-tt"), cols=100, rows=30)
    tmux.wait_for("yan", r"The slope of a square")
    tmux.keys("yan", "Enter")
    tmux.wait_for("yan", r"what is f′\(2\)\?")
    tmux.keys("yan", "Tab")
    time.sleep(0.3)
    tmux.keys("yan", "5")
    tmux.keys("yan", "Enter")
    tmux.wait_for("yan", r"1 attempt")
    tmux.kill()  # the terminal disappears: ssh is hung up, the server ends the session
    server.wait_no_children()
    learners = {row["learner"]: row for row in report(server.data_dir)["learners"]}
    assert learners["yan"]["attempts"] == 1


def answer_twice(port: int, learner: str) -> None:
    client = PtyClient(ssh_argv(port, learner, "-tt"), cols=100, rows=30)
    try:
        client.wait_for(r"The slope of a square")
        client.send(b"\r")
        client.wait_for(r"what is f′\(2\)\?")
        client.send(b"\t")
        time.sleep(0.3)
        client.send(b"5\r")
        client.wait_for(r"1 attempt")
        client.send(b"\x7f")  # backspace: the box keeps the last answer
        time.sleep(0.1)
        client.send(b"4\r")
        client.wait_for(r"2 attempts")
    finally:
        client.close()


def test_concurrent_learners_each_attempt_is_stored_once(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    learners = [f"pupil{n}" for n in range(10)]
    with ThreadPoolExecutor(len(learners)) as pool:
        list(pool.map(lambda name: answer_twice(server.port, name), learners))
    server.wait_no_children()
    rows = {row["learner"]: row for row in report(server.data_dir)["learners"]}
    assert {name: (rows[name]["attempts"], rows[name]["exercises_solved"]) for name in learners} == {
        name: (2, 1) for name in learners
    }



def keep_sending(client: PtyClient, data: bytes, until) -> None:
    """Send ``data`` again and again (as a learner mashing keys) until ``until()`` is true."""
    def done():
        if until():
            return True
        try:
            client.send(data)
        except OSError:
            return True
        return False

    wait_until(done, interval=0.02, what=lambda: f"the session to go on; got {client.text[-300:]!r}")


def test_ctrl_z_and_ctrl_c_while_the_tutor_starts_and_quits(start_server):
    """Before the tutor takes the terminal, and after it gives it back, ctrl+z must not stop it (a session
    stopped for good) nor ctrl+c kill it: the served terminal generates no signals."""
    server = start_server("--lessons", str(COURSE), child=None)
    client = PtyClient(ssh_argv(server.port, "rex", "-tt", "-e", "none"), cols=100, rows=30)
    try:
        keep_sending(client, b"\x1a", lambda: "The slope of a square" in client.text)
        client.send(b"q")
        client.wait_for(r"End this session\?")  # a served session asks before a bare q ends it
        client.send(b"y")
        keep_sending(client, b"\x1a\x03", lambda: client.proc.poll() is not None)
        assert client.wait_exit() == 0
        server.wait_no_children()
        server.wait_log(r"disconnect user=rex .*reason=quit status=0")
    finally:
        client.close()


def test_a_megabyte_of_random_bytes_does_not_hang_the_session(start_server):
    """Noise quits the tutor (a `q` in it) and goes on arriving while it shuts down: ctrl+s (XOFF) in it stopped
    the tutor's last output, ctrl+z stopped the tutor, ctrl+c killed it. It must simply quit."""
    server = start_server("--lessons", str(COURSE), child=None)
    client = PtyClient(ssh_argv(server.port, "rex", "-tt", "-e", "none"), cols=100, rows=30)
    try:
        client.wait_for(r"The slope of a square")
        noise = random.Random(11).randbytes(1 << 20)
        for start in range(0, len(noise), 4096):
            if client.proc.poll() is not None:
                break
            try:
                client.send(noise[start:start + 4096])
            except OSError:
                break
        for _ in range(int(WAIT / 0.5)):  # then quit, as a learner would
            if client.proc.poll() is not None:
                break
            try:
                client.send(b"\x11")  # ctrl+q
            except OSError:
                break
            time.sleep(0.5)
        assert client.wait_exit() == 0  # the tutor quit (a key in the noise, or ctrl+q), was not killed
        server.wait_no_children()
        server.wait_log(r"disconnect user=rex .*reason=quit status=0")
    finally:
        client.close()
