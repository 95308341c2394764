"""What a classroom server is told to do: one frozen dataclass per front end, built by the command line.

The defaults here are the only copy: ``gdtui.cli`` reads them for its ``--help`` and docs/classroom.md
describes them. Nothing in this module imports a server library, so the command line can build a
configuration (and say what to install) before asyncssh or textual-serve is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SERVER_PACKAGES = {"asyncssh": "asyncssh", "textual_serve": "textual-serve", "aiohttp": "aiohttp"}  # import: pip
INSTALL_HINT = "pip install 'gdtui[serve]'"  # the extra in pyproject.toml that lists them


@dataclass(frozen=True)
class SessionLimits:
    """What each tutor process may use, in either front end."""

    memory_limit: int = 1024  # MB of address space per session; 0: none
    cpu_limit: int = 3600  # CPU seconds per session; 0: none
    nice: int = 5
    kill_grace: float = 2.0  # seconds between the signals that end a session (SIGHUP, SIGTERM, SIGKILL)


@dataclass(frozen=True)
class ServeConfig:
    """``gdtui serve ssh``."""

    data_dir: Path
    lessons: Path | None = None
    host: str = "127.0.0.1"
    port: int = 2222
    auth: str = "open"  # open | password | keys
    password_file: Path | None = None
    authorized_keys: Path | None = None
    max_sessions: int = 60
    max_connections: int = 200  # open SSH connections in all, logged in or not
    max_per_address: int = 60  # open connections from one client address (a school NAT may need more)
    max_sessions_per_connection: int = 2
    max_sessions_per_learner: int = 3
    idle_timeout: float = 1800.0  # seconds without input; 0: never
    login_timeout: float = 60.0
    session_timeout: float = 30.0  # a logged-in connection without a session is closed after this; 0: never
    log_interval: float = 10.0  # a repeated kind of log line is written once per interval, with a count
    limits: SessionLimits = SessionLimits()
    child_argv: tuple[str, ...] | None = None  # instead of the tutor; {learner} {data_dir} {lessons} {python}


@dataclass(frozen=True)
class WebConfig:
    """``gdtui serve web``."""

    data_dir: Path
    learner: str
    lessons: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    user_header: str | None = None
    max_sessions: int = 60
    limits: SessionLimits = SessionLimits()
    child_argv: tuple[str, ...] | None = None


def missing_server_packages() -> list[str]:
    """The server-only packages that are not installed (as pip names them)."""
    import importlib.util

    return [package for module, package in SERVER_PACKAGES.items() if importlib.util.find_spec(module) is None]
