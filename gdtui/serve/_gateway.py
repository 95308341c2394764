"""What a connection and a session may ask of the SSH gateway, and what a session knows of its connection.

``ssh.ClassroomServer`` is the gateway; ``_connection.LearnerConnection`` owns sessions; ``_session.PtySession``
relays one of them. Each side sees the other only through these protocols, so neither module imports the
server (and none of the three imports another upward).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from gdtui.serve._prefork import Prefork
from gdtui.serve.config import ServeConfig


class Session(Protocol):
    learner: str
    pid: int | None


class SessionOwner(Protocol):
    """The connection a session belongs to."""

    learner: str
    peer: str

    def live_sessions(self) -> int: ...

    def session_started(self, session: Session) -> None: ...

    def session_refused(self) -> None: ...

    def session_ended(self, session: Session) -> None: ...


class Gateway(Protocol):
    config: ServeConfig
    port: int
    prefork: Prefork | None  # sessions are forked from it while it is usable

    def log_event(self, event: str, learner: str, peer: str, **fields: object) -> None: ...

    def session_refusal(self, owner: SessionOwner) -> tuple[str, str] | None:
        """(message for the learner, reason for the log) when this owner may not start another session."""

    def child_argv(self, learner: str) -> list[str]: ...

    def child_env(self, term_type: str, client_env: Mapping[str, str]) -> dict[str, str]: ...

    def reserve(self, session: Session) -> None:
        """Count a session that is being started (forked) against the caps, before it runs."""

    def unreserve(self, session: Session) -> None:
        """It will not run after all (or it runs now and was adopted)."""

    def adopt(self, session: Session) -> None: ...

    def release(self, session: Session) -> None: ...

    def connection_opened(self, connection: SessionOwner) -> str | None:
        """Count a new connection; a reason to refuse it when a cap is reached."""

    def connection_closed(self, connection: SessionOwner) -> None: ...
