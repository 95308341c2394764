"""What a session forked by the zygote does before it runs the tutor (the counterpart of ``launch.main``).

It is a copy of the zygote, which holds nothing of any learner; it takes from the request only what the
gateway sent. In order: wait to be re-parented to the gateway, then ask for SIGHUP when the gateway dies and
check that the gateway is the parent; lead a new session with the PTY as stdin/stdout/stderr and controlling
terminal; close every other descriptor; take the environment from the request alone; put signal handlers and
mask back to their defaults and ignore job control; set limits, nice, umask and the working folder; reseed
what is random; then run the tutor as ``launch`` does. It never returns: the process exits with the tutor's
status.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from gdtui.serve._pty import _DEFAULT_SIGNALS, die_with_parent, take_controlling_terminal
from gdtui.serve.launch import apply_limits, ignore_job_control

REPARENT_POLL = 0.0005  # seconds between looks at getppid() while the intermediate process exits


def become_session(request: dict, slave: int, sock, intermediate: int, gateway_pid: int) -> None:
    code = 1
    try:
        _wait_for_reparenting(intermediate)
        die_with_parent(gateway_pid)  # SIGHUP now if the gateway is not (or no longer) the parent
        os.setsid()
        for target in (0, 1, 2):
            os.dup2(slave, target)
        sock.detach()
        os.closerange(3, _max_fd())
        _reset_process(request)
        code = _run(request)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _wait_for_reparenting(intermediate: int) -> None:
    """The intermediate exits right after forking us; only then is PR_SET_PDEATHSIG about the gateway."""
    while os.getppid() == intermediate:
        time.sleep(REPARENT_POLL)


def _max_fd() -> int:
    try:
        return max(int(name) for name in os.listdir("/proc/self/fd")) + 1
    except (OSError, ValueError):
        return os.sysconf("SC_OPEN_MAX")


def _reset_process(request: dict) -> None:
    os.environ.clear()
    os.environ.update({str(key): str(value) for key, value in request["env"].items()})
    for sig in _DEFAULT_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, ())
    take_controlling_terminal(0)
    ignore_job_control()
    limits = request["limits"]
    apply_limits(int(limits["memory_limit"]), int(limits["cpu_limit"]), int(limits["nice"]))
    os.umask(0o077)
    try:
        os.chdir(request["data_dir"])
    except OSError:
        pass
    _reseed()
    # the zygote's standard streams were the gateway's; these are the learner's terminal now
    sys.stdin = open(0, "r", closefd=False, encoding="utf-8", errors="replace")
    sys.stdout = open(1, "w", closefd=False, encoding="utf-8", errors="replace")
    sys.stderr = open(2, "w", closefd=False, encoding="utf-8", errors="backslashreplace")
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def _reseed() -> None:
    """Every session would otherwise draw the zygote's random numbers."""
    import random

    random.seed()
    if "numpy.random" in sys.modules:  # only if the zygote loaded it (sessions do without: course.pcg64)
        sys.modules["numpy.random"].seed()


def _run(request: dict) -> int:
    from gdtui.paths import bundled_lessons
    from gdtui.ui.app import run_app

    lessons = Path(request["lessons"]) if request.get("lessons") else bundled_lessons()
    return run_app(lessons=lessons, data_dir=Path(request["data_dir"]), learner=request["learner"], served=True)
