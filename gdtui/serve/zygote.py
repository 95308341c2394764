"""The pre-forking session server: ``python -m gdtui.serve.zygote --socket-fd N --gateway-pid PID ...``.

The SSH gateway starts this once, at boot (see ``_prefork.Prefork``). It imports what every session needs —
Textual, numpy, the engine, the course (the lessons parsed once and kept), every screen of ``gdtui.ui`` —
then ``gc.freeze()`` so that those objects stay in pages shared with every session, and says "ready".

For each login the gateway sends one message on the AF_UNIX socket: a small JSON request (learner, data dir,
lessons, limits, environment, size) with the PTY's slave fd attached (SCM_RIGHTS). The zygote forks an
intermediate process, which forks the session and exits at once: the session is re-parented to the gateway
(a Linux child subreaper), which reaps it and ends its process group exactly as it does a spawned child. The
zygote answers with the session's pid (or an error). What the session does first is in ``_forked.py``.

The zygote never runs an app and never reads a terminal: a session starts from the zygote's state, which holds
nothing of any learner. It ends when the gateway dies (PR_SET_PDEATHSIG) or closes the socket.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import socket
import sys
from pathlib import Path

from gdtui.serve._forked import become_session
from gdtui.serve._pty import die_with_parent

MAX_REQUEST = 64 * 1024  # bytes of one JSON request
# What a session would otherwise import only once it runs (found by listing sys.modules in a forked session
# that opened a lesson): Textual's terminal driver and parsers, and what the standard library pulls in for them.
RUN_TIME_MODULES = (
    "textual.drivers.linux_driver", "textual.drivers._writer_thread", "textual._xterm_parser",
    "textual._keyboard_protocol", "textual.layouts.factory", "textual.layouts.horizontal",
    "textual.layouts.stream", "textual.scrollbar", "importlib.metadata", "importlib.resources", "email.message",
    "csv", "zipfile", "queue", "concurrent.futures.thread", "tty", "calendar", "pygments.lexers.special",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gdtui.serve.zygote", description=__doc__.split("\n")[0])
    parser.add_argument("--socket-fd", type=int, required=True, help="the AF_UNIX socket to the gateway")
    parser.add_argument("--gateway-pid", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--lessons", default=None)
    return parser


def warm(lessons: Path | None, data_dir: Path) -> None:
    """Import and load, once, what the sessions would each import and load."""
    import importlib
    import pkgutil

    import numpy  # noqa: F401
    import textual.app  # noqa: F401

    import gdtui
    from gdtui.paths import bundled_lessons
    from gdtui.ui import library

    for package in ("gdtui.engine", "gdtui.course", "gdtui.playground", "gdtui.store", "gdtui.ui"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            try:
                importlib.import_module(info.name)
            except Exception:  # an optional backend (psycopg) missing costs only its sessions a little time
                pass
    for name in RUN_TIME_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # another Textual version: its session imports what it needs
            pass
    from rich.cells import cell_len

    cell_len("\u00e9\u6f22")  # loads rich's table of character widths
    del gdtui
    folder = Path(lessons) if lessons else bundled_lessons()
    library.Library(folder, cache_dir=data_dir / "cache")  # the course, read into library's memo for every session


def serve(sock: socket.socket, gateway_pid: int) -> None:
    """Answer the gateway's requests, one at a time, until it closes the socket."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 1)
        except InterruptedError:
            continue
        if not message:
            return
        try:
            request = json.loads(message)
            if len(fds) != 1:
                raise ValueError("no terminal came with the request")
            pid = fork_session(request, fds[0], sock, gateway_pid)
            reply = {"pid": pid}
        except Exception as error:  # a bad request or no process to be had: the gateway falls back
            reply = {"error": f"{type(error).__name__}: {error}"}
        finally:
            for fd in fds:
                os.close(fd)
        sock.send(json.dumps(reply).encode())


def fork_session(request: dict, slave: int, sock: socket.socket, gateway_pid: int) -> int:
    """Double-fork a session on ``slave``; its pid, once it is the gateway's child (or on its way to be)."""
    read_end, write_end = os.pipe()
    try:
        middle = os.fork()
        if middle == 0:  # the intermediate: fork the session, say its pid, and go
            try:
                os.close(read_end)
                intermediate = os.getpid()
                session = os.fork()
                if session == 0:
                    os.close(write_end)
                    become_session(request, slave, sock, intermediate, gateway_pid)  # never returns
                os.write(write_end, str(session).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        write_end = -1
        answer = b""
        while chunk := os.read(read_end, 32):
            answer += chunk
        os.waitpid(middle, 0)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    if not answer:
        raise OSError("the session could not be forked")
    return int(answer)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    die_with_parent(args.gateway_pid, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the gateway's ctrl+c is the gateway's to handle
    sock = socket.socket(fileno=args.socket_fd)
    warm(Path(args.lessons) if args.lessons else None, Path(args.data_dir))
    gc.collect()
    gc.freeze()  # what is here now is never touched by the collector again: its pages stay shared
    sock.send(json.dumps({"ready": os.getpid()}).encode())
    serve(sock, args.gateway_pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
