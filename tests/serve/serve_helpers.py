"""Real parts for the server tests: a `gdtui serve ssh` subprocess, the OpenSSH client on a PTY or in tmux.

Nothing here mocks SSH. Waiting is always "poll until it shows, or fail after a generous limit"; no test
asserts how long anything took.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SSH = "/usr/bin/ssh"
HERE = Path(__file__).resolve().parent
FAKE_CHILD = HERE / "fake_child.py"
FAKE_COMMAND = f"{{python}} {FAKE_CHILD} {{learner}} {{data_dir}}"
WAIT = 60.0  # the most any single wait may take, on a loaded 2-core CI machine

_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]|\x1bP[^\x1b]*\x1b\\")


def plain(data: bytes) -> str:
    """Terminal output with the escape sequences taken out."""
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


def wait_until(predicate, timeout: float = WAIT, interval: float = 0.05, what="condition"):
    """Poll until `predicate()` is true; `what` (a string, or a function giving one at the time out, so
    the message shows the screen as it was then) says what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
        time.sleep(interval)


def ssh_argv(port: int, user: str = "alice", *options: str, command: list[str] | None = None) -> list[str]:
    # ssh keeps the first value it is given for an option, so the caller's options come first
    return [
        SSH, "-F", "/dev/null", "-p", str(port), *options,
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=30",
        f"{user}@127.0.0.1", *(command or []),
    ]


def client_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SSH_", "TMUX"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    env.update(extra)
    return env


def processes_mentioning(marker: str) -> list[tuple[int, str]]:
    """Every live process (zombies too) whose command line contains ``marker``: orphans cannot hide."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if marker in cmdline:
            found.append((int(entry), stat[stat.rfind(")") + 2:].split()[0] + " " + cmdline.strip()))
    return found


def children_of(pid: int) -> list[int]:
    from gdtui.serve._pty import direct_children

    return direct_children(pid)


class Server:
    """`gdtui serve ssh` in a subprocess on 127.0.0.1 with a free port (port 0, read back from its log)."""

    def __init__(self, data_dir: Path, *args: str, child: str | None = FAKE_COMMAND, env: dict | None = None,
                 nofile: int | None = None):
        self.data_dir = data_dir
        argv = [sys.executable, "-m", "gdtui", "serve", "ssh", "--listen", "127.0.0.1:0",
                "--data-dir", str(data_dir), "--kill-grace", "1", *args]
        if child is not None:
            argv += ["--child-command", child]
        if nofile is not None:  # as under `ulimit -n NOFILE`
            argv = ["prlimit", f"--nofile={nofile}", *argv]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=env)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        match = wait_until(lambda: re.search(r"listening on 127\.0\.0\.1:(\d+)", self.log)
                           or self.proc.poll() is not None, what="the server to listen")
        if self.proc.poll() is not None:
            raise AssertionError(f"server did not start:\n{self.log}")
        self.port = int(match.group(1))

    def _read_log(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.decode(errors="replace"))

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_log(self, pattern: str) -> re.Match:
        return wait_until(lambda: re.search(pattern, self.log), what=lambda: f"{pattern!r} in the server log:\n{self.log}")

    def children(self) -> list[int]:
        return children_of(self.proc.pid)

    def wait_no_children(self) -> None:
        wait_until(lambda: not self.children(), what=lambda: f"the server's children to end: {self.children()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(WAIT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._reader.join(5)


_AS_TERMINAL_OWNER = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); os.execv(sys.argv[1], sys.argv[1:])"
)


class PtyClient:
    """A program (the OpenSSH client) on a PTY of our own; its output is collected by a thread."""

    def __init__(self, argv: list[str], cols: int = 80, rows: int = 24, env: dict | None = None):
        from gdtui.serve._pty import set_window_size

        self.master, slave = os.openpty()
        set_window_size(slave, cols, rows)
        argv = [sys.executable, "-c", _AS_TERMINAL_OWNER, *argv]  # so a hang-up or a resize reaches ssh
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                     env=env or client_env())
        os.close(slave)
        self.output = bytearray()
        self.reader_error = ""
        self._hang_up = False
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        import select

        # poll, not select: late in a long test run this process's descriptors pass 1024, where
        # select.select raises ValueError and the reader thread died with nothing read (a CI failure)
        try:
            poller = select.poll()
            poller.register(self.master, select.POLLIN)
            while not self._hang_up:
                if not poller.poll(100):
                    continue
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    break
                if not data:
                    break
                with self._lock:
                    self.output += data
        except Exception as error:  # never die unseen: wait_for says what stopped the reading
            self.reader_error = repr(error)
            raise
        finally:
            os.close(self.master)  # only here: a read in progress would keep the PTY open

    def hang_up(self) -> None:
        """Close our side of the terminal, as when the learner closes the window (ssh gets SIGHUP)."""
        self._hang_up = True
        self._reader.join(5)

    def resize(self, cols: int, rows: int) -> None:
        from gdtui.serve._pty import set_window_size

        set_window_size(self.master, cols, rows)  # the kernel sends ssh SIGWINCH

    @property
    def text(self) -> str:
        with self._lock:
            return plain(bytes(self.output))

    def wait_for(self, pattern: str, timeout: float = WAIT) -> re.Match:
        return wait_until(lambda: re.search(pattern, self.text), timeout,
                          what=lambda: f"{pattern!r} on screen; got {self.text[-500:]!r} {self.reader_error}".rstrip())

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_exit(self, timeout: float = WAIT) -> int:
        return self.proc.wait(timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(WAIT)
        if not self._hang_up:
            self.hang_up()


class Tmux:
    """A private tmux server: what the screen shows is what a person would see."""

    def __init__(self, socket: Path):
        self.socket = str(socket)

    def _run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True,
                              check=True, timeout=30).stdout

    def start(self, name: str, argv: list[str], cols: int = 80, rows: int = 24, env: dict | None = None) -> None:
        script = f"{shlex.join(argv)}; echo \"ssh exited $?\"; sleep 600"
        environment = [item for key, value in (env or {}).items() for item in ("-e", f"{key}={value}")]
        self._run("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), *environment, script)

    def screen(self, name: str) -> str:
        return self._run("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, pattern: str, timeout: float = WAIT) -> re.Match:
        return wait_until(lambda: re.search(pattern, self.screen(name)), timeout, interval=0.1,
                          what=lambda: f"{pattern!r} in tmux; screen:\n{self.screen(name)}")

    def keys(self, name: str, *keys: str) -> None:
        self._run("send-keys", "-t", name, *keys)

    def resize(self, name: str, cols: int, rows: int) -> None:
        self._run("resize-window", "-t", name, "-x", str(cols), "-y", str(rows))

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=30)


def needs_ssh_client():
    import pytest

    if not sys.platform.startswith("linux"):
        return pytest.mark.skip(reason="the server tests read /proc (Linux)")
    return pytest.mark.skipif(not os.path.exists(SSH), reason="needs the OpenSSH client at /usr/bin/ssh")


def _start_server_fixture():
    import pytest

    @pytest.fixture
    def start_server(tmp_path):
        """Start servers in tmp_path; afterwards stop them and check that nothing they started is left."""
        servers: list[Server] = []

        def start(*args: str, child: str | None = FAKE_COMMAND, data_dir: Path | None = None) -> Server:
            server = Server(data_dir or tmp_path / "data", *args, child=child)
            servers.append(server)
            return server

        yield start
        codes = [server.stop() for server in servers]
        for server in servers:  # shown with a failing test's output: what the server saw
            print(f"server log:\n{server.log}")
        wait_until(lambda: not processes_mentioning(str(tmp_path)),
                   what=lambda: f"no process left: {processes_mentioning(str(tmp_path))}")
        assert codes == [0] * len(codes), "\n".join(server.log for server in servers)

    return start_server


start_server = _start_server_fixture()
