"""``gdtui serve ssh``: the classroom gateway. Each SSH login gets a private tutor on its own PTY.

    gdtui --data-dir /srv/gdtui serve ssh --listen 0.0.0.0:2222 --auth password --password-file class.txt

The SSH user name is the learner (``ssh -p 2222 alice@server``). The server owns a host key in the data dir
(``ssh_host_ed25519_key``, created on first start, mode 0600). For each interactive session it starts
``python -m gdtui.serve.launch --learner NAME --data-dir DIR ...`` (see ``launch.py``) in a new session on a
new PTY, with an environment built from an allow-list; everything else a client can ask for (commands,
sftp, forwarding of ports, agents or X11) is refused with a message. It reaps its children itself (SIGCHLD),
and as a Linux child subreaper it also adopts and ends anything a child left behind.

Logs go to stderr, one line per connect, disconnect and refusal, with the learner and the client address;
a line repeated within ``log_interval`` (a flood) is held back and counted. Connections are capped in all
and per client address (and in all below the open-file limit, so accept() never runs out of descriptors);
sessions are capped in all, per connection and per learner. See docs/classroom.md for running it in a class.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import signal
import sys
import time
from collections import Counter

import asyncssh

from gdtui.i18n import _
from gdtui.serve import _pty
from gdtui.serve._auth import Passwords, PasswordFileError, printable
from gdtui.serve._child import child_env, launch_argv, prepare_data_dir
from gdtui.serve._connection import LearnerConnection
from gdtui.serve._gateway import SessionOwner
from gdtui.serve._hostkey import load_or_create_host_key
from gdtui.serve._logthrottle import Throttle, accept_error_handler
from gdtui.serve._prefork import Prefork
from gdtui.serve._session import PtySession
from gdtui.serve.config import ServeConfig

__all__ = ["ClassroomServer", "ServeConfig", "StartError", "run_server"]

log = logging.getLogger("gdtui.serve.ssh")


class StartError(RuntimeError):
    """The server cannot start (address taken, data dir not writable); str() is the message."""


FD_RESERVE = 32  # descriptors kept free for the listening socket, logs, the PTYs being opened
BACKLOG = 64  # connections accepted in one go (before any over the cap is closed), and the kernel's queue


class ClassroomServer:
    """The gateway: listens, counts sessions, builds each child's command and environment, reaps children."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.connections: set[LearnerConnection] = set()
        self.per_address: Counter[str] = Counter()
        self.max_connections = config.max_connections
        self.sessions: set[PtySession] = set()
        self.starting: set[PtySession] = set()  # asked of the zygote, not running yet: they count against the caps
        self.children: dict[int, PtySession] = {}
        self.port = config.port
        self.prefork: Prefork | None = None  # the zygote sessions are forked from (not with --child-command)
        self._unclaimed: dict[int, int] = {}  # pid -> status of children reaped before their session knew them
        self._acceptor: asyncssh.SSHAcceptor | None = None

    # -- starting and stopping -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen; raises StartError with a message for the teacher when that cannot be done."""
        config = self.config
        problem = prepare_data_dir(config.data_dir)
        if problem:
            raise StartError(problem)
        try:
            host_key = load_or_create_host_key(config.data_dir)
        except (OSError, asyncssh.KeyImportError) as error:
            raise StartError(f"cannot use the data dir {config.data_dir}: {error}") from None
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGCHLD, self._reap)
        loop.set_exception_handler(accept_error_handler(log))
        if _pty.become_subreaper() and config.prefork and config.child_argv is None:
            self.prefork = Prefork(config.data_dir, config.lessons)
            self.prefork.start()
        self.max_connections = self._connections_within_fd_limit()
        try:
            self._acceptor = await self._listen(host_key)
        except OSError as error:
            raise StartError(f"cannot listen on {config.host}:{config.port}: {error.strerror or error}") from None
        self.port = self._acceptor.get_port()
        log.info(
            "listening on %s:%d (auth %s, at most %d sessions, %d connections); host key %s",
            config.host, self.port, config.auth, config.max_sessions, self.max_connections,
            host_key.get_fingerprint(),
        )

    def _connections_within_fd_limit(self) -> int:
        """max_connections, lowered if the open-file limit cannot hold them with every session's PTY."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != hard:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
                soft = hard
            except (ValueError, OSError):
                pass
        # a connection's socket, a session's PTY master, and two bursts accepted before the caps close them (the
        # sockets of one burst are closed on the loop's next turn, while the next burst may already be accepted)
        room = soft - FD_RESERVE - 2 * BACKLOG - self.config.max_sessions
        if soft == resource.RLIM_INFINITY or room >= self.config.max_connections:
            return self.config.max_connections
        room = max(room, 1)
        log.warning("the open-file limit (%d) allows only %d connections with %d sessions; raise `ulimit -n`",
                    soft, room, self.config.max_sessions)
        return room
    async def _listen(self, host_key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
        config = self.config
        return await asyncssh.create_server(
            lambda: LearnerConnection(self),
            config.host,
            config.port,
            backlog=BACKLOG,
            server_host_keys=[host_key],
            encoding=None,
            line_editor=False,
            login_timeout=config.login_timeout or None,
            keepalive_interval=30,
            keepalive_count_max=4,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            host_based_auth=False,
            gss_host=None,
            password_auth=config.auth == "password",
            kbdint_auth=config.auth == "password",
            public_key_auth=config.auth == "keys",
        )

    async def close(self, message: str = "gdtui: the server is shutting down. Your progress is saved.") -> None:
        """Stop listening, end every session and its child, and close every connection."""
        if self._acceptor is not None:
            self._acceptor.close()
        if self.prefork is not None:
            self.prefork.stop()
        for session in list(self.sessions):
            session.end(message, "server shutdown")
        if self.sessions:
            await asyncio.wait([asyncio.ensure_future(s.done.wait()) for s in self.sessions],
                               timeout=3 * self.config.limits.kill_grace + 35)
        closing = [c.conn for c in self.connections if c.conn is not None]
        for conn in closing:
            conn.close()
        if closing:
            await asyncio.wait([asyncio.ensure_future(conn.wait_closed()) for conn in closing], timeout=5)
        self._reap()
        self.sweep_orphans()

    # -- connections and sessions: the caps ----------------------------------------------------------------
    def connection_opened(self, connection: LearnerConnection) -> str | None:
        self.connections.add(connection)
        self.per_address[connection.host] += 1
        if len(self.connections) > self.max_connections:
            return f"too many connections ({self.max_connections})"
        if self.per_address[connection.host] > self.config.max_per_address:
            return f"too many connections from {connection.host} ({self.config.max_per_address})"
        return None

    def connection_closed(self, connection: LearnerConnection) -> None:
        if connection in self.connections:
            self.connections.discard(connection)
            self.per_address[connection.host] -= 1
            if self.per_address[connection.host] <= 0:
                del self.per_address[connection.host]

    def session_refusal(self, owner: SessionOwner) -> tuple[str, str] | None:
        config = self.config
        counted = self.sessions | self.starting
        if len(counted) >= config.max_sessions:
            return (_("gdtui: the classroom is full ({n} sessions); please try again in a minute.").format(
                    n=config.max_sessions), "server full")
        on_connection = owner.live_sessions() + sum(session.owner is owner for session in self.starting)
        if on_connection >= config.max_sessions_per_connection:
            return (_("gdtui: at most {n} sessions per connection.").format(n=config.max_sessions_per_connection),
                    "sessions per connection")
        mine = sum(1 for session in counted if session.learner == owner.learner)
        if mine >= config.max_sessions_per_learner:
            return (_("gdtui: {learner} already has {n} sessions open; close one (or wait a minute "
                      "for a dropped one to end) and log in again.").format(learner=owner.learner, n=mine),
                    "sessions per learner")
        return None

    def reserve(self, session: PtySession) -> None:
        """Count a session from the moment it is asked of the zygote (the caps see it while it is forked)."""
        self.starting.add(session)

    def unreserve(self, session: PtySession) -> None:
        self.starting.discard(session)

    def adopt(self, session: PtySession) -> None:
        self.starting.discard(session)
        self.sessions.add(session)
        self.children[session.pid] = session
        if session.pid in self._unclaimed:  # a forked session that ended before the zygote's answer came
            session.child_exited(self._unclaimed.pop(session.pid))
        self._reap()  # in case it ended before it was registered

    def release(self, session: PtySession) -> None:
        self.sessions.discard(session)
        if session.pid is not None:
            self.children.pop(session.pid, None)
        elapsed = time.monotonic() - session.started
        status = ""
        if session.exit_status is not None:
            status = str(os.waitstatus_to_exitcode(session.exit_status))
        self.log_event("disconnect", session.learner, session.owner.peer, pid=session.pid,
                       after=f"{elapsed:.1f}s", reason=session.end_reason or "-", status=status or "-")
        self.sweep_orphans()

    def _reap(self) -> None:
        """Collect every child that has ended (ours, and orphans we adopted as subreaper)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            session = self.children.get(pid)
            if session is not None:
                session.child_exited(status)
            elif self.prefork is not None and not self.prefork.claims(pid, status) and self.prefork.pending:
                self._unclaimed[pid] = status  # maybe the session the zygote is about to name
                while len(self._unclaimed) > 64:
                    del self._unclaimed[next(iter(self._unclaimed))]

    def sweep_orphans(self) -> None:
        """End processes re-parented to us whose session is over (a child's own children left behind)."""
        if self.prefork is not None and self.prefork.pending:
            return  # a session just forked may be ours already, and not yet known: sweep next time
        live_groups = {session.pid for session in self.sessions}
        for pid in _pty.direct_children(os.getpid()):
            if pid in self.children or (self.prefork is not None and pid == self.prefork.pid):
                continue
            try:
                if os.getpgid(pid) in live_groups:
                    continue
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                continue

    # -- the child's command and environment ---------------------------------------------------------------
    def child_argv(self, learner: str) -> list[str]:
        config = self.config
        return launch_argv(learner, config.data_dir, config.lessons, config.limits, parent_pid=os.getpid(),
                           child_argv=config.child_argv)

    def child_env(self, term_type: str, client_env) -> dict[str, str]:
        return child_env(term_type, client_env, self.config.data_dir)

    def log_event(self, event: str, learner: str, peer: str, **fields: object) -> None:
        extra = " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
        address = peer.rpartition(":")[0]  # the kind of a line: a flood from one address is one kind
        log.info("%s user=%s addr=%s%s", event, printable(learner) if learner else "-", peer,
                 f" {extra}" if extra else "", extra={"kind": (event, learner, address, fields.get("reason"))})


def _check(config: ServeConfig) -> str | None:
    """A problem with the configuration, as a message for the teacher; None when it can start."""
    if os.name != "posix":
        return "serve ssh needs a POSIX system (Linux, macOS)"
    if config.auth == "password":
        if config.password_file is None:
            return "--auth password needs --password-file FILE"
        try:
            Passwords.load(config.password_file)
        except PasswordFileError as error:
            return str(error)
        if config.password_file.stat().st_mode & 0o077:
            log.warning("%s can be read by other users; consider chmod 600", config.password_file)
    if config.auth == "keys":
        if config.authorized_keys is None or not config.authorized_keys.exists():
            return "--auth keys needs --authorized-keys FILE (or a folder of NAME.pub files)"
    for option, value in (("--max-sessions", config.max_sessions), ("--max-connections", config.max_connections),
                          ("--max-per-address", config.max_per_address),
                          ("--max-sessions-per-connection", config.max_sessions_per_connection),
                          ("--max-sessions-per-learner", config.max_sessions_per_learner)):
        if value < 1:
            return f"{option} must be at least 1"
    return None


def _log_to_stderr(interval: float) -> Throttle:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s gdtui-ssh %(levelname)s %(message)s"))
    throttle = Throttle(interval)
    handler.addFilter(throttle)
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    return throttle


def run_server(config: ServeConfig) -> int:
    """The ``gdtui serve ssh`` command: serve until SIGINT/SIGTERM/SIGHUP, then end every session."""
    throttle = _log_to_stderr(config.log_interval)
    problem = _check(config)
    if problem:
        print(f"gdtui serve ssh: {problem}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(config, throttle))
    except StartError as error:
        print(f"gdtui serve ssh: {error}", file=sys.stderr)
        return 1
    return 0


async def _serve(config: ServeConfig, throttle: Throttle) -> None:
    server = ClassroomServer(config)
    flusher = asyncio.ensure_future(_flush_every(throttle, logging.getLogger().handlers))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
        await stop.wait()
        log.info("shutting down: ending %d session(s)", len(server.sessions))
    finally:
        await server.close()
        _kill_leftovers(server)
        flusher.cancel()
    log.info("stopped")


async def _flush_every(throttle: Throttle, handlers: list[logging.Handler]) -> None:
    """Write the counts of held-back log lines once their interval is over."""
    while throttle.interval > 0:
        await asyncio.sleep(throttle.interval / 2)
        for handler in handlers:
            throttle.flush(handler)


def _kill_leftovers(server: ClassroomServer) -> None:
    """Last resort: nothing we started may outlive us."""
    for pid in list(server.children):
        _pty.signal_group(pid, signal.SIGKILL)
    for pid in list(server.children):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
