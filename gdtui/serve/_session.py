"""One SSH session channel: refuse what is not an interactive terminal, else relay it to a child on a PTY.

Bytes go both ways without blocking the event loop: the PTY master is non-blocking and watched with
``loop.add_reader``; when the SSH channel's send buffer fills (a slow client) we stop reading the master, so
only that learner's child waits; input the PTY cannot take yet is queued and the channel paused.

Every way a session can end — the learner quits, the client disconnects or is killed, idle timeout, server
shutdown — goes through :meth:`PtySession.end`/``child_exited`` and :meth:`PtySession._end_group`, which ends
the child's whole process group (SIGHUP, then SIGTERM, then SIGKILL, a grace period apart) and waits until
the gateway has reaped it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import asyncssh

from gdtui.i18n import _
from gdtui.serve._gateway import Gateway, SessionOwner
from gdtui.serve._pty import clamp_size, group_exists, read_available, set_window_size, signal_group, spawn_on_pty

# Put the learner's terminal back in order when the app could not do it itself (killed, timed out):
# mouse and paste modes off, cursor shown, colours reset, back to the main screen.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l"
    b"\x1b[0m\x1b[?25h\x1b[?1049l\r\n"
)
INPUT_QUEUE_HIGH = 256 * 1024  # bytes typed/pasted that the PTY has not taken yet


class PtySession(asyncssh.SSHServerSession):
    def __init__(self, gateway: Gateway, owner: SessionOwner) -> None:
        self.gateway = gateway
        self.owner = owner
        self.learner = owner.learner
        self.chan: asyncssh.SSHServerChannel | None = None
        self.loop = asyncio.get_running_loop()
        self.term_type: str | None = None
        self.size = (80, 24)
        self.kind = "shell"
        self.detail = ""
        self.pid: int | None = None
        self.master: int | None = None
        self.started = 0.0
        self.last_input = time.monotonic()
        self.exit_status: int | None = None
        self.end_reason: str | None = None
        self.done = asyncio.Event()  # the child and its whole group are gone
        self._reaped = asyncio.Event()
        self._reading = False
        self._pty_closed = False
        self._chan_open = False
        self._pending = bytearray()  # typed, not yet taken by the PTY (or typed while the session is forked)
        self._forking = False  # asked of the zygote, no PTY yet: input waits in _pending
        self._input_paused = False
        self._idle_handle: asyncio.TimerHandle | None = None
        self._ender: asyncio.Task | None = None

    # -- what the client asks for ------------------------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan
        self._chan_open = True

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes) -> bool:
        self.term_type = term_type
        self.size = clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        self.kind = "shell"
        return True

    def exec_requested(self, command: str) -> bool:
        self.kind, self.detail = "exec", command
        return True  # accepted only to answer with a message and exit status 1

    def subsystem_requested(self, subsystem: str) -> bool:
        self.kind, self.detail = "subsystem", subsystem
        return True

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal_name: str) -> None:
        pass

    def session_started(self) -> None:
        port = self.gateway.port
        if self.kind == "exec":
            self._refuse(
                _("gdtui: running commands is not allowed here. Log in with `ssh -t -p {port} NAME@HOST` "
                  "to start the tutor.").format(port=port),
                f"exec request {self.detail[:80]!r}",
            )
        elif self.kind == "subsystem":
            self._refuse(_("gdtui: the {name} subsystem (file transfer) is not available here.").format(
                name=repr(self.detail[:40])),
                         f"subsystem {self.detail[:40]!r}")
        elif self.term_type is None:
            self._refuse(_("gdtui needs a terminal: run ssh with -t"), "no pty")
        else:
            refusal = self.gateway.session_refusal(self.owner)
            if refusal is not None:
                self._refuse(*refusal)
            else:
                self._start()

    # -- refusing -------------------------------------------------------------------------------------
    def _refuse(self, message: str, reason: str) -> None:
        self.gateway.log_event("refuse", self.learner, self.owner.peer, reason=reason)
        self.owner.session_refused()
        try:
            self.chan.write_stderr((message + "\r\n").encode())
            self.chan.exit(1)
        except (OSError, asyncssh.Error):
            pass

    # -- the child ----------------------------------------------------------------------------------------
    def _start(self) -> None:
        prefork = self.gateway.prefork
        if prefork is not None and prefork.usable():
            self.gateway.reserve(self)  # counted now: the next login's caps see this one while it is forked
            self._forking = True
            asyncio.ensure_future(self._start_forked(prefork))
        else:
            self._spawn()

    async def _start_forked(self, prefork) -> None:
        """Ask the zygote for the session (see _prefork.py); fall back to spawning when it cannot give one."""
        env = self.gateway.child_env(self.term_type or "", self.chan.get_environment())
        try:
            started = await prefork.fork_session(self.learner, self.gateway.config.limits, env, *self.size)
        except OSError as error:
            prefork.fell_back(f"no terminal for a forked session: {error}")
            started = None
        finally:
            self._forking = False
            self.gateway.unreserve(self)  # from here on it is adopted (counted as running) or refused
        if started is None:
            self._spawn()
            return
        self.pid, self.master = started
        try:
            set_window_size(self.master, *self.size)  # the window may have changed meanwhile
        except OSError:
            pass
        self._running()
        if not self._chan_open:  # the learner left while the session was being forked
            self.end_reason = self.end_reason or "client closed"
            self._start_ending()

    def _spawn(self) -> None:
        argv = self.gateway.child_argv(self.learner)
        env = self.gateway.child_env(self.term_type or "", self.chan.get_environment())
        try:
            self.pid, self.master = spawn_on_pty(argv, env, *self.size)
        except OSError as error:
            self._refuse("gdtui: the server could not start a session just now; please try again.",
                         f"spawn failed: {error}")
            return
        self._running()

    def _running(self) -> None:
        self.started = time.monotonic()
        self.owner.session_started(self)
        self.gateway.log_event("connect", self.learner, self.owner.peer, pid=self.pid)
        self._resume_output()
        self._flush_input()  # what the learner typed while the session was forked
        self._schedule_idle_check(self.gateway.config.idle_timeout)
        self.gateway.adopt(self)  # last: it may find the child already ended and start the ending

    def _resume_output(self) -> None:
        if self.master is not None and not self._reading and not self._pty_closed:
            self.loop.add_reader(self.master, self._on_output)
            self._reading = True

    def _pause_output(self) -> None:
        if self.master is not None and self._reading:
            self.loop.remove_reader(self.master)
            self._reading = False

    def _on_output(self) -> None:
        data, closed = read_available(self.master, limit=256 * 1024)
        if data:
            self._send(data)
        if closed:
            self._pause_output()
            self._pty_closed = True

    def _send(self, data: bytes) -> None:
        if self._chan_open:
            try:
                self.chan.write(data)
            except (OSError, asyncssh.Error):
                self._chan_open = False

    def pause_writing(self) -> None:
        self._pause_output()

    def resume_writing(self) -> None:
        self._resume_output()

    # -- input --------------------------------------------------------------------------------------------
    def data_received(self, data: bytes, datatype) -> None:
        self.last_input = time.monotonic()
        if self._pty_closed or self.end_reason or (self.master is None and not self._forking):
            return
        self._pending += data
        if self.master is None:  # the session is being forked: keep the keys until it has its PTY
            self._pause_input_if_full()
        else:
            self._flush_input()

    def _pause_input_if_full(self) -> None:
        if len(self._pending) > INPUT_QUEUE_HIGH and not self._input_paused:
            self.chan.pause_reading()
            self._input_paused = True

    def _flush_input(self) -> None:
        while self._pending and self.master is not None:
            try:
                written = os.write(self.master, self._pending[:65536])
            except BlockingIOError:
                break
            except OSError:  # the child is gone: drop what it would never read
                self._pending.clear()
                break
            del self._pending[:written]
        if self._pending and self.master is not None:
            self.loop.add_writer(self.master, self._flush_input)
            self._pause_input_if_full()
        else:
            if self.master is not None:
                self.loop.remove_writer(self.master)
            if self._input_paused:
                self._input_paused = False
                self.chan.resume_reading()

    def eof_received(self) -> bool:
        return True  # keep showing the screen; the session ends when the app quits or the link drops

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = clamp_size(width, height)
        if self.master is not None:
            try:
                set_window_size(self.master, width, height, pixwidth, pixheight)
            except OSError:
                pass

    # -- idle timeout ---------------------------------------------------------------------------------------
    def _schedule_idle_check(self, delay: float) -> None:
        if self.gateway.config.idle_timeout > 0:
            self._idle_handle = self.loop.call_later(max(delay, 0.5), self._check_idle)

    def _check_idle(self) -> None:
        self._idle_handle = None
        if self.end_reason is not None:
            return
        timeout = self.gateway.config.idle_timeout
        idle = time.monotonic() - self.last_input
        if idle >= timeout:
            self.end(f"gdtui: no input for {_duration(timeout)}; goodbye. Your progress is saved.", "idle")
        else:
            self._schedule_idle_check(timeout - idle)

    # -- ending ---------------------------------------------------------------------------------------------
    def end(self, message: str, reason: str) -> None:
        """End the session from the server's side: tell the learner why, close the channel, end the child."""
        if self.end_reason is None:
            self.end_reason = reason
        if self._chan_open and message:
            self._send(TERMINAL_RESET + message.encode() + b"\r\n")
        self._close_channel(0)
        self._start_ending()

    def connection_lost(self, exc: Exception | None) -> None:
        """The channel closed: the learner quit, or the client went away (cleanly or not)."""
        self._chan_open = False
        if self.pid is None:
            return
        if self.end_reason is None:
            self.end_reason = "client closed" if exc is None else f"connection lost ({exc})"
        self._start_ending()

    def child_exited(self, status: int) -> None:
        """Called by the gateway after it reaped our child (``status`` as from ``waitpid``)."""
        self.exit_status = status
        self._reaped.set()
        if self.master is not None:
            data, _closed = read_available(self.master)  # what the app printed last (its goodbye, a traceback)
            if data:
                self._send(data)
        code = os.waitstatus_to_exitcode(status)
        if self.end_reason is None:
            self.end_reason = "quit" if code == 0 else f"child ended ({_describe(code)})"
        if code < 0 and self._chan_open:
            why = (_("its time limit") if -code == signal.SIGXCPU else _describe(code))
            said = _("gdtui: the session was ended ({why}). Your progress is saved.").format(why=why)
            self._send(TERMINAL_RESET + (said + "\r\n").encode())
        self._close_channel(code if code >= 0 else 128 - code)
        self._start_ending()

    def _close_channel(self, status: int) -> None:
        if self._chan_open:
            self._chan_open = False
            try:
                self.chan.exit(status)
            except (OSError, asyncssh.Error):
                pass

    def _start_ending(self) -> None:
        if self._idle_handle is not None:
            self._idle_handle.cancel()
            self._idle_handle = None
        if self._ender is None and self.pid is not None:
            self._ender = asyncio.ensure_future(self._end_group())

    async def _end_group(self) -> None:
        """End the child's whole process group, escalating, and wait until it is reaped."""
        grace = self.gateway.config.limits.kill_grace
        pgid = self.pid
        try:
            for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
                if self._reaped.is_set() and not group_exists(pgid):
                    break
                signal_group(pgid, sig)
                if sig != signal.SIGKILL:
                    signal_group(pgid, signal.SIGCONT)  # a stopped process must run to die of SIGHUP/SIGTERM
                if await self._wait_gone(pgid, grace if sig != signal.SIGKILL else 30.0):
                    break
        finally:
            self._pause_output()
            if self.master is not None:
                self.loop.remove_writer(self.master)
                os.close(self.master)
                self.master = None
            self.gateway.release(self)
            self.owner.session_ended(self)
            self.done.set()

    async def _wait_gone(self, pgid: int, timeout: float) -> bool:
        deadline = self.loop.time() + timeout
        while True:
            if self._reaped.is_set() and not group_exists(pgid):
                return True
            remaining = deadline - self.loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._reaped.wait(), min(remaining, 0.05))
            except asyncio.TimeoutError:
                pass
            if self._reaped.is_set():
                await asyncio.sleep(min(0.02, max(remaining, 0)))


def _describe(code: int) -> str:
    if code >= 0:
        return f"exit status {code}"
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _duration(seconds: float) -> str:
    """1800 -> "30 minutes", 90 -> "1.5 minutes", 1 -> "1 second"."""
    value, unit = (seconds / 60, "minute") if seconds >= 60 else (seconds, "second")
    return f"{value:g} {unit}" + ("" if value == 1 else "s")
