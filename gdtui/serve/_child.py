"""The command line and environment of a session's child, shared by the SSH and web front ends.

The child is always ``python -m gdtui.serve.launch`` (which sets up the terminal and limits, then runs the tutor
in the same process), optionally followed by ``-- COMMAND`` to run something else (the tests' stand-in app);
``{learner}``, ``{data_dir}``, ``{lessons}`` and ``{python}`` in that command are filled in here. The learner
name has been validated before it gets here, and no shell ever sees these arguments (except web's, quoted).

The environment is built from nothing: of what an SSH client sends (``ssh -o SendEnv=LANG``, ``SetEnv``), only
the terminal type (sanitised), a COLORTERM of "truecolor"/"24bit", the student's language (LC_ALL, LC_MESSAGES,
LANG: each only when it is a locale name such as ``zh_CN.UTF-8`` or ``C``) and NO_COLOR (a non-empty value is
passed on as "1") are used. Without a LANG of the student's, a session has LANG=C.UTF-8.
"""

from __future__ import annotations

import os
import re
import site
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from gdtui.serve.config import SessionLimits

CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
TERM_DEFAULT = "xterm-256color"
LANG_DEFAULT = "C.UTF-8"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # what the tutor's language is chosen from (gdtui.i18n)
# language[_TERRITORY][.codeset][@modifier], or C / POSIX: zh_CN.UTF-8, en_GB, de_DE.utf8@euro, C.UTF-8, sr_RS@latin
LOCALE_NAME = re.compile(
    r"(?:C|POSIX|[A-Za-z]{2,3}(?:_[A-Za-z]{2}|_[0-9]{3})?)(?:\.[A-Za-z0-9-]{1,20})?(?:@[A-Za-z0-9]{1,20})?")


def launch_argv(learner: str, data_dir: Path, lessons: Path | None, limits: SessionLimits, *,
                parent_pid: int | None = None, new_session: bool = False,
                child_argv: Sequence[str] | None = None) -> list[str]:
    """``new_session``: the child starts its own session and process group (the web front end, which
    has no PTY to do that with) so that the whole group can be ended at once."""
    argv = [
        sys.executable, "-m", "gdtui.serve.launch", f"--learner={learner}", f"--data-dir={data_dir}",
        f"--memory-limit={limits.memory_limit}", f"--cpu-limit={limits.cpu_limit}", f"--nice={limits.nice}",
    ]
    if parent_pid is not None:
        argv.append(f"--parent-pid={parent_pid}")
    if new_session:
        argv.append("--new-session")
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
        "LANG": LANG_DEFAULT,
        **client_locale(client_env),
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), CLEAN_PATH]),
        "HOME": str(home),
        "OPENBLAS_NUM_THREADS": "1",  # one learner's numpy must not take every core
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",  # keeps the address space (and so RLIMIT_AS) modest
    }
    if client_env.get("COLORTERM") in ("truecolor", "24bit"):
        env["COLORTERM"] = client_env["COLORTERM"]
    if client_env.get("NO_COLOR"):  # no-color.org: set and not empty
        env["NO_COLOR"] = "1"
    pythonpath = child_pythonpath()
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    if os.environ.get("GDTUI_DATABASE"):  # the class's database, as `gdtui serve --database` set it (never a client's)
        env["GDTUI_DATABASE"] = os.environ["GDTUI_DATABASE"]
    return env


def client_locale(client_env: Mapping[str, str]) -> dict[str, str]:
    """The student's LC_ALL, LC_MESSAGES and LANG that are locale names; anything else is left out."""
    return {name: client_env[name] for name in LOCALE_VARIABLES
            if LOCALE_NAME.fullmatch(client_env.get(name) or "") is not None}


def plain_term(term: str) -> bool:
    return 0 < len(term) <= 64 and term.isascii() and all(c.isalnum() or c in "._+-" for c in term)


def child_pythonpath() -> str | None:
    """Where the child finds gdtui, when that is not the interpreter's own site-packages (a source checkout)."""
    root = Path(__file__).resolve().parents[2]
    site_dirs = {Path(p).resolve() for p in site.getsitepackages() + [site.getusersitepackages()]}
    return None if root in site_dirs else str(root)


def prepare_data_dir(data_dir: Path) -> str | None:
    """Create the data dir (mode 0700) if needed and check the server can write there; else what is wrong."""
    import tempfile

    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as error:
        return (f"cannot use the data dir {data_dir}: {error.strerror or error}; give --data-dir a folder "
                "this user can write")
    return None
