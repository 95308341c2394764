"""``gdtui serve ssh``: the classroom gateway. Each SSH login gets a private tutor on its own PTY.

    gdtui --data-dir /srv/gdtui serve ssh --listen 0.0.0.0:2222 --auth password --password-file class.txt

The SSH user name is the learner (``ssh -p 2222 alice@server``). The server owns a host key in the data dir
(``ssh_host_ed25519_key``, created on first start, mode 0600). For each interactive session it starts
``python -m gdtui.serve.launch --learner NAME --data-dir DIR ...`` (see ``launch.py``) in a new session on a
new PTY, with an environment built from an allow-list; everything else a client can ask for (commands,
sftp, forwarding of ports, agents or X11) is refused with a message. It reaps its children itself (SIGCHLD),
and as a Linux child subreaper it also adopts and ends anything a child left behind.

Logs go to stderr, one line per connect, disconnect and refusal, with the learner and the client address.
See docs/classroom.md for running it in a class.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from gdtui.serve import _pty
from gdtui.serve._auth import Passwords, PasswordFileError, printable
from gdtui.serve._child import child_env, launch_argv
from gdtui.serve._connection import LearnerConnection
from gdtui.serve._session import PtySession

log = logging.getLogger("gdtui.serve.ssh")

HOST_KEY_NAME = "ssh_host_ed25519_key"


class StartError(RuntimeError):
    """The server cannot start (address taken, data dir not writable); str() is the message."""


@dataclass(frozen=True)
class ServeConfig:
    data_dir: Path
    lessons: Path | None = None
    host: str = "127.0.0.1"
    port: int = 2222
    auth: str = "open"  # open | password | keys
    password_file: Path | None = None
    authorized_keys: Path | None = None
    max_sessions: int = 60
    idle_timeout: float = 1800.0  # seconds without input; 0: never
    login_timeout: float = 60.0
    memory_limit: int = 1024  # MB of address space per session; 0: none
    cpu_limit: int = 3600  # CPU seconds per session; 0: none
    nice: int = 5
    kill_grace: float = 2.0  # seconds between SIGHUP, SIGTERM and SIGKILL
    child_argv: tuple[str, ...] | None = None  # instead of the tutor; {learner} {data_dir} {lessons} {python}


def load_or_create_host_key(data_dir: Path) -> asyncssh.SSHKey:
    """The server's ed25519 host key, created (mode 0600) on first start and reused after."""
    path = data_dir / HOST_KEY_NAME
    if not path.exists():
        key = asyncssh.generate_private_key("ssh-ed25519", comment="gdtui host key")
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.export_private_key())
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temp, path)  # atomic; loses cleanly to a server started at the same moment
            except FileExistsError:
                pass
        finally:
            os.unlink(temp)
        pub = path.with_name(path.name + ".pub")
        if not pub.exists():
            pub.write_bytes(key.export_public_key())
    if path.stat().st_mode & 0o077:
        log.warning("host key %s was readable by others; setting its mode to 0600", path)
        os.chmod(path, 0o600)
    return asyncssh.read_private_key(str(path))


class ClassroomServer:
    """The gateway: listens, counts sessions, builds each child's command and environment, reaps children."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.connections: set[LearnerConnection] = set()
        self.sessions: set[PtySession] = set()
        self.children: dict[int, PtySession] = {}
        self.port = config.port
        self._acceptor: asyncssh.SSHAcceptor | None = None

    # -- starting and stopping -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen; raises StartError with a message for the teacher when that cannot be done."""
        config = self.config
        try:
            config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            host_key = load_or_create_host_key(config.data_dir)
        except (OSError, asyncssh.KeyImportError) as error:
            raise StartError(f"cannot use the data dir {config.data_dir}: {error}") from None
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGCHLD, self._reap)
        _pty.become_subreaper()
        try:
            self._acceptor = await self._listen(host_key)
        except OSError as error:
            raise StartError(f"cannot listen on {config.host}:{config.port}: {error.strerror or error}") from None
        self.port = self._acceptor.get_port()
        log.info(
            "listening on %s:%d (auth %s, at most %d sessions); host key %s",
            config.host, self.port, config.auth, config.max_sessions, host_key.get_fingerprint(),
        )

    async def _listen(self, host_key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
        config = self.config
        return await asyncssh.create_server(
            lambda: LearnerConnection(self),
            config.host,
            config.port,
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
        for session in list(self.sessions):
            session.end(message, "server shutdown")
        if self.sessions:
            await asyncio.wait([asyncio.ensure_future(s.done.wait()) for s in self.sessions],
                               timeout=3 * self.config.kill_grace + 35)
        closing = [c.conn for c in self.connections if c.conn is not None]
        for conn in closing:
            conn.close()
        if closing:
            await asyncio.wait([asyncio.ensure_future(conn.wait_closed()) for conn in closing], timeout=5)
        self._reap()
        self.sweep_orphans()

    # -- sessions ---------------------------------------------------------------------------------------
    def full(self) -> bool:
        return len(self.sessions) >= self.config.max_sessions

    def adopt(self, session: PtySession) -> None:
        self.sessions.add(session)
        self.children[session.pid] = session
        self._reap()  # in case it ended before it was registered

    def release(self, session: PtySession) -> None:
        self.sessions.discard(session)
        if session.pid is not None:
            self.children.pop(session.pid, None)
        elapsed = time.monotonic() - session.started
        status = ""
        if session.exit_status is not None:
            status = str(os.waitstatus_to_exitcode(session.exit_status))
        self.log_event("disconnect", session.learner, session.connection.peer, pid=session.pid,
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

    def sweep_orphans(self) -> None:
        """End processes re-parented to us whose session is over (a child's own children left behind)."""
        live_groups = {session.pid for session in self.sessions}
        for pid in _pty.direct_children(os.getpid()):
            if pid in self.children:
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
        return launch_argv(learner, config.data_dir, config.lessons, memory_limit=config.memory_limit,
                           cpu_limit=config.cpu_limit, nice=config.nice, parent_pid=os.getpid(),
                           child_argv=config.child_argv)

    def child_env(self, term_type: str, client_env) -> dict[str, str]:
        return child_env(term_type, client_env, self.config.data_dir)

    def log_event(self, event: str, learner: str, peer: str, **fields: object) -> None:
        extra = " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
        log.info("%s user=%s addr=%s%s", event, printable(learner) if learner else "-", peer,
                 f" {extra}" if extra else "")


def config_from_args(args, lessons: Path | None) -> ServeConfig:
    import shlex

    child = getattr(args, "child_command", None)
    host, port = args.listen
    return ServeConfig(
        data_dir=Path(args.data_dir).expanduser().resolve(),
        lessons=Path(lessons).expanduser().resolve() if lessons else None,
        host=host, port=port, auth=args.auth,
        password_file=args.password_file, authorized_keys=args.authorized_keys,
        max_sessions=args.max_sessions, idle_timeout=args.idle_timeout, login_timeout=args.login_timeout,
        memory_limit=args.memory_limit, cpu_limit=args.cpu_limit,
        kill_grace=getattr(args, "kill_grace", 2.0),
        child_argv=tuple(shlex.split(child)) if child else None,
    )


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
    if config.max_sessions < 1:
        return "--max-sessions must be at least 1"
    return None


def run_server(args, lessons: Path | None) -> int:
    """The ``gdtui serve ssh`` command: serve until SIGINT/SIGTERM/SIGHUP, then end every session."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s gdtui-ssh %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    config = config_from_args(args, lessons)
    problem = _check(config)
    if problem:
        print(f"gdtui serve ssh: {problem}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(config))
    except StartError as error:
        print(f"gdtui serve ssh: {error}", file=sys.stderr)
        return 1
    return 0


async def _serve(config: ServeConfig) -> None:
    server = ClassroomServer(config)
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
    log.info("stopped")


def _kill_leftovers(server: ClassroomServer) -> None:
    """Last resort: nothing we started may outlive us."""
    for pid in list(server.children):
        _pty.signal_group(pid, signal.SIGKILL)
    for pid in list(server.children):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
