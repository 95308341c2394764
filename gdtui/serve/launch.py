"""The entry point of one classroom session: ``python -m gdtui.serve.launch --learner NAME ...``.

The SSH gateway starts this in a new session on the learner's PTY, with an environment it built from an
allow-list; the web front end starts it over pipes with ``--new-session``. In order, it:

1. starts its own session and process group (``--new-session``), or makes the PTY its controlling terminal, so
   window changes arrive as SIGWINCH and a hang-up ends it;
2. ignores the job-control signals (SIGTSTP, SIGTTIN, SIGTTOU): a served session has no shell to return to, and
   a stopped tutor would hold its learner's session until the server ends it;
3. asks to be sent SIGHUP if the server dies (Linux), so no session can outlive its server;
4. caps its address space (``--memory-limit`` MB) and CPU seconds (``--cpu-limit``), forbids core dumps,
   lowers its priority (``--nice``) and sets a private umask;
5. runs the tutor in this same process (``gdtui.ui.app.run_app``, as a served session) — or, if a command
   follows ``--``, replaces itself with that command (tests use a stand-in app; ``{learner}``, ``{data_dir}``,
   ``{lessons}`` and ``{python}`` in it are filled in by the server).

Progress is written by the tutor itself at each attempt, so a dropped connection loses nothing submitted.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
from pathlib import Path

from gdtui.serve._pty import die_with_parent, take_controlling_terminal

MB = 1024 * 1024
CPU_HARD_MARGIN = 5  # SIGXCPU at the soft limit (ends the tutor), SIGKILL this many seconds later


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gdtui.serve.launch", description=__doc__.split("\n")[0])
    parser.add_argument("--learner", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--lessons", default=None)
    parser.add_argument("--memory-limit", type=int, default=0, metavar="MB", help="address space; 0: no limit")
    parser.add_argument("--cpu-limit", type=int, default=0, metavar="SECONDS", help="CPU time; 0: no limit")
    parser.add_argument("--nice", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=None, help="end with this process (the server)")
    parser.add_argument("--new-session", action="store_true", help="lead a new session and process group")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS... instead of the tutor")
    return parser


def _lower(limit: int, wanted: int) -> None:
    """Set a resource limit, never above the hard limit we were given."""
    soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(limit, (wanted, hard if hard != resource.RLIM_INFINITY else wanted))


def apply_limits(memory_mb: int, cpu_seconds: int, nice: int) -> None:
    """Resource limits for this process and everything it starts."""
    if memory_mb > 0:
        _lower(resource.RLIMIT_AS, memory_mb * MB)
    if cpu_seconds > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        new_hard = cpu_seconds + CPU_HARD_MARGIN
        if hard != resource.RLIM_INFINITY:
            new_hard = min(new_hard, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (min(cpu_seconds, new_hard), new_hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if nice > 0:
        try:
            os.nice(nice)
        except OSError:
            pass


JOB_CONTROL_SIGNALS = (signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU)


def ignore_job_control() -> None:
    for sig in JOB_CONTROL_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.new_session:
        try:
            os.setsid()
        except OSError:  # already leads a session
            pass
    else:
        take_controlling_terminal(0)
    ignore_job_control()
    if args.parent_pid is not None:
        die_with_parent(args.parent_pid)
    apply_limits(args.memory_limit, args.cpu_limit, args.nice)
    os.umask(0o077)
    try:
        os.chdir(args.data_dir)
    except OSError:
        pass

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if command:
        os.execvp(command[0], command)  # does not return

    from gdtui.paths import bundled_lessons
    from gdtui.ui.app import run_app

    lessons = Path(args.lessons) if args.lessons else bundled_lessons()
    return run_app(lessons=lessons, data_dir=Path(args.data_dir), learner=args.learner, served=True)


if __name__ == "__main__":
    sys.exit(main())
