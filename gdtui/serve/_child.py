"""The command line and environment of a session's child, shared by the SSH and web front ends.

The child is always ``python -m gdtui.serve.launch`` (which sets up the terminal and limits, then runs the tutor
in the same process), optionally followed by ``-- COMMAND`` to run something else (the tests' stand-in app);
``{learner}``, ``{data_dir}``, ``{lessons}`` and ``{python}`` in that command are filled in here. The learner
name has been validated before it gets here, and no shell ever sees these arguments (except web's, quoted).

The environment is built from nothing: of what an SSH client sends, only the terminal type (sanitised) and a
COLORTERM of "truecolor"/"24bit" are used.
"""

from __future__ import annotations

import os
import site
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
TERM_DEFAULT = "xterm-256color"


def launch_argv(learner: str, data_dir: Path, lessons: Path | None, *, memory_limit: int, cpu_limit: int,
                nice: int, parent_pid: int | None = None, child_argv: Sequence[str] | None = None) -> list[str]:
    argv = [
        sys.executable, "-m", "gdtui.serve.launch", f"--learner={learner}", f"--data-dir={data_dir}",
        f"--memory-limit={memory_limit}", f"--cpu-limit={cpu_limit}", f"--nice={nice}",
    ]
    if parent_pid is not None:
        argv.append(f"--parent-pid={parent_pid}")
    if lessons is not None:
        argv.append(f"--lessons={lessons}")
    if child_argv:
        fields = {"{learner}": learner, "{data_dir}": str(data_dir), "{lessons}": str(lessons or ""),
                  "{python}": sys.executable}
        argv.append("--")
        for arg in child_argv:
            for token, value in fields.items():
                arg = arg.replace(token, value)
            argv.append(arg)
    return argv


def child_env(term_type: str, client_env: Mapping[str, str], home: Path) -> dict[str, str]:
    env = {
        "TERM": term_type if plain_term(term_type) else TERM_DEFAULT,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), CLEAN_PATH]),
        "HOME": str(home),
        "OPENBLAS_NUM_THREADS": "1",  # one learner's numpy must not take every core
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",  # keeps the address space (and so RLIMIT_AS) modest
    }
    if client_env.get("COLORTERM") in ("truecolor", "24bit"):
        env["COLORTERM"] = client_env["COLORTERM"]
    pythonpath = child_pythonpath()
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    if os.environ.get("GDTUI_DATABASE"):  # the class's database, as `gdtui serve --database` set it (never a client's)
        env["GDTUI_DATABASE"] = os.environ["GDTUI_DATABASE"]
    return env


def plain_term(term: str) -> bool:
    return 0 < len(term) <= 64 and term.isascii() and all(c.isalnum() or c in "._+-" for c in term)


def child_pythonpath() -> str | None:
    """Where the child finds gdtui, when that is not the interpreter's own site-packages (a source checkout)."""
    root = Path(__file__).resolve().parents[2]
    site_dirs = {Path(p).resolve() for p in site.getsitepackages() + [site.getusersitepackages()]}
    return None if root in site_dirs else str(root)
