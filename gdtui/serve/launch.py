"""The entry point of one classroom session: ``python -m gdtui.serve.launch --learner NAME ...``.

The SSH gateway starts this in a new session on the learner's PTY, with an environment it built from an
allow-list. In order, it:

1. makes the PTY its controlling terminal, so window changes arrive as SIGWINCH and a hang-up ends it;
2. asks to be sent SIGHUP if the server dies (Linux), so no session can outlive its gateway;
3. caps its address space (``--memory-limit`` MB) and CPU seconds (``--cpu-limit``), forbids core dumps,
   lowers its priority (``--nice``) and sets a private umask;
4. runs the tutor in this same process (``gdtui.cli.main``) — or, if a command follows ``--``, replaces itself
   with that command (tests use a stand-in app; ``{learner}``, ``{data_dir}``, ``{lessons}`` and ``{python}``
   in it are filled in by the gateway).

Progress is written by the tutor itself at each attempt, so a dropped connection loses nothing submitted.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

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
    parser.add_argument("--parent-pid", type=int, default=None, help="end with this process (the gateway)")
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    take_controlling_terminal(0)
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

    from gdtui.cli import main as gdtui_main

    tutor_argv = ["--learner", args.learner, "--data-dir", args.data_dir]
    if args.lessons:
        tutor_argv += ["--lessons", args.lessons]
    return gdtui_main(tutor_argv)


if __name__ == "__main__":
    sys.exit(main())
