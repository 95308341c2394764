"""Pseudo-terminals and process groups for the SSH gateway (POSIX only).

A session's child is started with :func:`spawn_on_pty`: a fresh PTY pair, the slave as the child's
stdin/stdout/stderr, and ``setsid`` so the child leads a new session and process group whose id is its pid.
``posix_spawn`` is used rather than ``fork`` so that nothing Python-level runs between fork and exec in a
server that has an event loop (and maybe threads). The child makes the PTY its controlling terminal itself
(see :func:`take_controlling_terminal`, called first thing by ``gdtui.serve.launch``); from then on a
``TIOCSWINSZ`` on the master makes the kernel send SIGWINCH to the child's foreground process group.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import struct
import termios

# A window larger than this is a typo or an attack; the app would only allocate huge screen buffers.
MAX_COLS = 1000
MAX_ROWS = 500

# Signals the server catches or ignores, put back to their defaults in the child before it runs.
_DEFAULT_SIGNALS = tuple(
    sig
    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGPIPE,
                signal.SIGCHLD, signal.SIGWINCH, getattr(signal, "SIGXFSZ", None), getattr(signal, "SIGXCPU", None))
    if sig is not None
)


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A client's window size made sane: 0 means unknown (80x24), huge sizes are cut down."""
    cols = cols if cols > 0 else 80
    rows = rows if rows > 0 else 24
    return min(cols, MAX_COLS), min(rows, MAX_ROWS)


def set_window_size(fd: int, cols: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> None:
    """Set a terminal's size (on the master, it reaches the slave and SIGWINCH the foreground group)."""
    cols, rows = clamp_size(cols, rows)
    packed = struct.pack("HHHH", rows, cols, min(xpixels, 0xFFFF), min(ypixels, 0xFFFF))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, packed)


def get_window_size(fd: int) -> tuple[int, int]:
    """(cols, rows) of a terminal."""
    rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    return cols, rows


def served_terminal_modes(fd: int) -> None:
    """No terminal signals and no XON/XOFF on a served terminal: ctrl+c, ctrl+z, ctrl+\\, ctrl+s and ctrl+q
    are plain input, never SIGINT, SIGTSTP, SIGQUIT or a stop of the output.

    A served session has no shell and no job control, and SSH has its own flow control. The tutor turns these
    off itself while it runs, but not while it starts, nor after it hands the terminal back on quitting: then a
    ctrl+z stopped it for good, and a ctrl+s among unread input stopped its last output, so it never exited.
    """
    attrs = termios.tcgetattr(fd)
    attrs[0] &= ~(termios.IXON | termios.IXOFF)  # iflag
    attrs[3] &= ~termios.ISIG  # lflag
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def spawn_on_pty(argv: list[str], env: dict[str, str], cols: int, rows: int) -> tuple[int, int]:
    """Start ``argv`` in a new session on a new PTY; return ``(pid, master_fd)``.

    The master is non-blocking and not inherited by later children. The pid is also the process group id.
    Raises ``OSError`` when no PTY or process can be had (the caller refuses the session with a message).
    """
    master, slave = os.openpty()  # both non-inheritable (PEP 446)
    try:
        set_window_size(slave, cols, rows)
        served_terminal_modes(slave)
        pid = os.posix_spawn(
            argv[0],
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, slave, 0),  # dup2 makes the copies inheritable
                (os.POSIX_SPAWN_DUP2, slave, 1),
                (os.POSIX_SPAWN_DUP2, slave, 2),
            ],
            setsid=True,
            setsigmask=(),
            setsigdef=_DEFAULT_SIGNALS,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    os.set_blocking(master, False)
    return pid, master


def take_controlling_terminal(fd: int = 0) -> bool:
    """Make the terminal on ``fd`` this session's controlling terminal (the child calls this first).

    Returns False, doing nothing, when ``fd`` is not a terminal or this process does not lead a session
    (run by hand, or by textual-serve with pipes).
    """
    if not os.isatty(fd) or os.getsid(0) != os.getpid():
        return False
    try:
        fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
    except OSError:
        return False
    return True


def read_available(fd: int, limit: int = 1 << 20) -> tuple[bytes, bool]:
    """Read what a non-blocking master has now: ``(data, closed)``.

    ``closed`` is True once every process has closed the slave (Linux reports EIO on the master then).
    """
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return b"".join(chunks), False
        except OSError as error:
            if error.errno in (errno.EIO, errno.EBADF):
                return b"".join(chunks), True
            raise
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to a process group; False when the group no longer exists."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # cannot happen for our own children; treat as gone rather than crash
        return False
    return True


def group_exists(pgid: int) -> bool:
    """Whether any process (a zombie leader included) is still in the group."""
    return signal_group(pgid, 0)


def become_subreaper() -> bool:
    """Ask Linux to re-parent our orphaned descendants to us (so we can reap and count them).

    A child that double-forks then gets re-parented to the server rather than to init, where the server can
    still end and reap it. Returns False where this is not available.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:
        return False


def die_with_parent(expected_parent: int | None, sig: int = signal.SIGHUP) -> None:
    """Have the kernel send ``sig`` to this process when its parent dies (Linux; a no-op elsewhere).

    If the parent is already gone (it died between spawn and here), raise the signal at once.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except Exception:
        return
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), sig)


def direct_children(pid: int) -> list[int]:
    """Pids whose parent is ``pid``, zombies included, from /proc (Linux); [] where /proc is missing."""
    children: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name is in parentheses and may itself contain spaces or parentheses
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            children.append(int(entry))
    return children
