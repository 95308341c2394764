"""The gateway's side of the zygote (``zygote.py``): start it at boot, ask it for sessions, notice when it is gone.

``Prefork.start`` spawns ``python -m gdtui.serve.zygote`` with one end of a socket pair; it is usable once it
said "ready" (it warms up for a second or two; logins meanwhile take the old path). ``fork_session`` opens a
PTY, sends the slave and the request, and waits for the session's pid. Whenever the zygote cannot give a
session (it died, was killed, answered with an error), the caller falls back to ``spawn_on_pty``; the first such
fall-back is logged, later ones are not. The zygote is the gateway's child: ``claims`` tells the reaper so.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from gdtui.serve._child import child_env
from gdtui.serve._pty import served_terminal_modes, set_window_size
from gdtui.serve.config import SessionLimits

log = logging.getLogger("gdtui.serve.ssh")

REPLY_TIMEOUT = 30.0  # seconds for the zygote to fork a session, on a loaded machine


class Prefork:
    def __init__(self, data_dir: Path, lessons: Path | None) -> None:
        self.data_dir, self.lessons = data_dir, lessons
        self.pid: int | None = None
        self.ready = False
        self.pending = 0  # requests sent and not answered: their sessions may be our children already
        self._sock: socket.socket | None = None
        self._lock = asyncio.Lock()
        self._warned = False

    def start(self) -> None:
        """Spawn the zygote (it warms up in the background); on failure, log it and go on without."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [sys.executable, "-m", "gdtui.serve.zygote", "--socket-fd=3", f"--gateway-pid={os.getpid()}",
                f"--data-dir={self.data_dir}"]
        if self.lessons is not None:
            argv.append(f"--lessons={self.lessons}")
        env = child_env("xterm-256color", {}, self.data_dir)
        try:
            self.pid = os.posix_spawn(argv[0], argv, env, setpgroup=0, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, theirs.fileno(), 3)])
        except OSError as error:
            ours.close()
            self.fell_back(f"the zygote could not be started: {error}")
            return
        finally:
            theirs.close()
        log.info("zygote %d started; until it is ready, sessions start as new processes", self.pid)
        ours.setblocking(False)
        self._sock = ours
        asyncio.get_running_loop().add_reader(ours.fileno(), self._on_ready)

    def _on_ready(self) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(self._sock.fileno())
        try:
            message = json.loads(self._sock.recv(4096) or b"{}")
        except (OSError, ValueError):
            message = {}
        if message.get("ready") == self.pid:
            self.ready = True
            log.info("zygote %d ready: sessions are forked from it", self.pid)
        else:
            self.stop("the zygote ended while warming up")

    def usable(self) -> bool:
        return self.ready and self._sock is not None

    def claims(self, pid: int, status: int) -> bool:
        """The reaper collected ``pid``: True if it was the zygote (which is then gone for good)."""
        if pid != self.pid:
            return False
        self.pid = None
        if self._sock is not None:  # not stopped by us: killed, or it crashed
            self.stop(f"the zygote ended ({os.waitstatus_to_exitcode(status)})")
        return True

    async def fork_session(self, learner: str, limits: SessionLimits, env: Mapping[str, str],
                           cols: int, rows: int) -> tuple[int, int] | None:
        """``(pid, master_fd)`` of a session forked by the zygote; None when it cannot (then fall back)."""
        request = json.dumps({"learner": learner, "data_dir": str(self.data_dir),
                              "lessons": str(self.lessons) if self.lessons else None,
                              "limits": {"memory_limit": limits.memory_limit, "cpu_limit": limits.cpu_limit,
                                         "nice": limits.nice},
                              "env": dict(env), "size": [cols, rows]}).encode()
        master, slave = os.openpty()
        try:
            set_window_size(slave, cols, rows)
            served_terminal_modes(slave)
            reply = await self._ask(request, slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        if reply is None or not isinstance(reply.get("pid"), int):
            os.close(master)
            if reply is not None:
                self.fell_back(f"the zygote could not fork a session: {reply.get('error', reply)}")
            return None
        os.set_blocking(master, False)
        return reply["pid"], master

    async def _ask(self, request: bytes, slave: int) -> dict | None:
        async with self._lock:  # one request at a time: the zygote answers in order
            if not self.usable():
                return None
            loop = asyncio.get_running_loop()
            self.pending += 1
            try:
                socket.send_fds(self._sock, [request], [slave])
                answer = await asyncio.wait_for(loop.sock_recv(self._sock, 4096), REPLY_TIMEOUT)
                if not answer:
                    raise ConnectionError("the zygote closed its socket")
                return json.loads(answer)
            except (OSError, ValueError, asyncio.TimeoutError) as error:
                self.stop(f"the zygote stopped answering ({type(error).__name__}: {error})")
                return None
            finally:
                self.pending -= 1

    def fell_back(self, why: str) -> None:
        """Log, once, that sessions start the old way (a fresh process each)."""
        if not self._warned:
            self._warned = True
            log.warning("%s; sessions now start as new processes (slower, more memory)", why)

    def stop(self, why: str | None = None) -> None:
        """Close the socket (the zygote exits on seeing it closed) and end the zygote."""
        self.ready = False
        if self._sock is not None:
            try:
                asyncio.get_running_loop().remove_reader(self._sock.fileno())
            except RuntimeError:
                pass
            self._sock.close()
            self._sock = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if why:
            self.fell_back(why)
