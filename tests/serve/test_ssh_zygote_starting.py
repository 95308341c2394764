"""A session while the zygote forks it: it counts against the caps from the moment it is asked for, and the keys
the learner types meanwhile reach the tutor once it runs.

The gateway here is the real ``ClassroomServer`` and the sessions real ``PtySession``s; only the zygote is held
back by the test (it answers when the test says so, with a real process on a real PTY), so "while it is being
forked" is a state the test controls, not a race it hopes to win. No test here times anything.
"""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

pytest.importorskip("asyncssh")

from gdtui.serve._connection import LearnerConnection  # noqa: E402
from gdtui.serve._pty import spawn_on_pty  # noqa: E402
from gdtui.serve._session import PtySession  # noqa: E402
from gdtui.serve.config import ServeConfig  # noqa: E402
from gdtui.serve.ssh import ClassroomServer  # noqa: E402

# the session's stand-in tutor: reads one line from its terminal and keeps it in a file
READ_A_LINE = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.readline())"


class HeldZygote:
    """A zygote that answers each request only when the test lets it, with a process on a new PTY."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.asked: list[str] = []
        self.asked_once = asyncio.Event()
        self.gate = asyncio.Event()

    def usable(self) -> bool:
        return True

    def fell_back(self, why: str) -> None:
        raise AssertionError(f"no fall-back expected here: {why}")

    async def fork_session(self, learner, limits, env, cols, rows):
        self.asked.append(learner)
        self.asked_once.set()
        await self.gate.wait()
        return spawn_on_pty(self.argv, {"PATH": os.environ.get("PATH", "")}, cols, rows)


class Channel:
    """The SSH channel's side a session uses: what it was sent, and whether it was told to stop reading."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.errors = bytearray()
        self.exit_status: int | None = None

    def write(self, data: bytes) -> None:
        self.output += data

    def write_stderr(self, data: bytes) -> None:
        self.errors += data

    def exit(self, status: int) -> None:
        self.exit_status = status

    def get_environment(self) -> dict[str, str]:
        return {}

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def connection(server: ClassroomServer, learner: str, port: int) -> LearnerConnection:
    owner = LearnerConnection(server)
    owner.learner, owner.host, owner.peer, owner.authenticated = learner, "127.0.0.2", f"127.0.0.2:{port}", True
    return owner


def open_session(server: ClassroomServer, owner: LearnerConnection) -> tuple[PtySession, Channel]:
    """What asyncssh does for `ssh -t`: a channel, a PTY request, a shell, then the session starts."""
    session, channel = PtySession(server, owner), Channel()
    session.connection_made(channel)
    session.pty_requested("xterm-256color", (80, 24, 0, 0), {})
    session.shell_requested()
    session.session_started()
    return session, channel


async def wait_for_exit(pid: int) -> int:
    _, status = await asyncio.get_running_loop().run_in_executor(None, os.waitpid, pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_keys_typed_while_the_session_is_forked_reach_the_tutor(tmp_path):
    typed = tmp_path / "typed"

    async def scenario() -> None:
        server = ClassroomServer(ServeConfig(data_dir=tmp_path))
        zygote = HeldZygote([sys.executable, "-c", READ_A_LINE, str(typed)])
        server.prefork = zygote
        session, channel = open_session(server, connection(server, "ada", 40001))
        await zygote.asked_once.wait()
        assert session.master is None and session.pid is None  # asked for, not forked yet
        session.data_received(b"2*x", None)  # the learner starts typing at once
        session.data_received(b" + 1\r", None)
        zygote.gate.set()
        while session.pid is None:
            await asyncio.sleep(0.01)
        session.data_received(b"typed once it runs\r", None)  # a second line: had the first been lost, the
        assert await wait_for_exit(session.pid) == 0  # stand-in reads this one instead (and never waits forever)
        os.close(session.master)
        session.master = None
        assert channel.errors == b"" and channel.exit_status is None  # it was never refused

    asyncio.run(scenario())
    assert typed.read_bytes() == b"2*x + 1\n"  # every key, in order (the terminal turns the return into a newline)


def test_a_session_being_forked_counts_against_every_cap(tmp_path):
    config = ServeConfig(data_dir=tmp_path, max_sessions=2, max_sessions_per_connection=1,
                         max_sessions_per_learner=1)

    async def scenario() -> None:
        server = ClassroomServer(config)
        zygote = HeldZygote([sys.executable, "-c", READ_A_LINE, str(tmp_path / "typed")])
        server.prefork = zygote
        ada = connection(server, "ada", 40001)
        first, _ = open_session(server, ada)
        await zygote.asked_once.wait()
        assert server.starting == {first} and server.sessions == set()

        _, same_connection = open_session(server, ada)
        assert b"at most 1 sessions per connection" in same_connection.errors
        _, same_learner = open_session(server, connection(server, "ada", 40002))
        assert b"ada already has 1 sessions open" in same_learner.errors
        second, _ = open_session(server, connection(server, "bo", 40003))  # the class has room for one more
        _, third = open_session(server, connection(server, "cy", 40004))
        assert b"the classroom is full (2 sessions)" in third.errors
        assert server.starting == {first, second}
        while len(zygote.asked) < 2:
            await asyncio.sleep(0.01)
        assert zygote.asked == ["ada", "bo"]  # the refused ones never reached the zygote

        zygote.gate.set()
        while first.pid is None or second.pid is None:
            await asyncio.sleep(0.01)
        assert server.starting == set() and server.sessions == {first, second}  # now counted as running
        for session in (first, second):
            session.data_received(b"done\r", None)
            assert await wait_for_exit(session.pid) == 0
            os.close(session.master)
            session.master = None

    asyncio.run(scenario())


def test_a_session_whose_fork_is_abandoned_frees_its_place(tmp_path):
    async def scenario() -> None:
        server = ClassroomServer(ServeConfig(data_dir=tmp_path, max_sessions=1))
        zygote = HeldZygote([sys.executable, "-c", READ_A_LINE, str(tmp_path / "typed")])
        server.prefork = zygote
        open_session(server, connection(server, "ada", 40001))
        await zygote.asked_once.wait()
        assert len(server.starting) == 1
        forking = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in forking:  # the server shuts down while the zygote is still forking
            task.cancel()
        await asyncio.gather(*forking, return_exceptions=True)
        assert server.starting == set()
        _, channel = open_session(server, connection(server, "bo", 40002))
        assert channel.errors == b""  # the place was free again
        for task in [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]:
            task.cancel()

    asyncio.run(scenario())

