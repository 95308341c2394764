"""One client connection to the classroom server: who logs in, and refusing every channel but sessions.

Open auth lets any valid learner name in; password auth checks the password file (read at each login, compared
in constant time, never logged); key auth trusts the authorized keys for that name (also read at each login).
An invalid learner name gets a banner that says why, and no way in. Port, socket and tunnel forwarding are
refused with a message; agent and X11 forwarding are switched off in the server's options.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import asyncssh

from gdtui.serve._auth import NAME_RULE, Passwords, PasswordFileError, authorized_keys_text, valid_learner
from gdtui.serve._session import PtySession

if TYPE_CHECKING:
    from gdtui.serve.ssh import ClassroomServer

log = logging.getLogger("gdtui.serve.ssh")


def _format_peer(conn: asyncssh.SSHServerConnection) -> str:
    peer = conn.get_extra_info("peername") or ("?", 0)
    host, port = peer[0], peer[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


class LearnerConnection(asyncssh.SSHServer):
    """One client connection: authentication, and refusing everything but session channels."""

    def __init__(self, gateway: "ClassroomServer") -> None:
        self.gateway = gateway
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.learner = ""
        self.authenticated = False
        self.bad_name = False
        self.failure: str | None = None
        self.sessions_started = 0
        self.sessions_refused = 0

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.peer = _format_peer(conn)
        self.gateway.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.gateway.connections.discard(self)
        if not self.authenticated:
            reason = self.failure or ("login not completed" + (f" ({exc})" if exc else ""))
            self.gateway.log_event("refuse", self.learner or "-", self.peer, reason=reason)
        elif not self.sessions_started and not self.sessions_refused:
            self.gateway.log_event("disconnect", self.learner, self.peer, reason="no session opened")

    # -- authentication ------------------------------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        # called again if the client changes its user name half-way: start from nothing each time
        self.learner = username
        self.bad_name = False
        self.failure = None
        self.conn.set_authorized_keys(None)
        config = self.gateway.config
        if not valid_learner(username):
            self.bad_name = True
            self.failure = "invalid learner name"
            self.conn.send_auth_banner(
                f"gdtui: {username[:40]!r} is not a learner name: {NAME_RULE}.\r\n"
                f"Log in as `ssh -p {self.gateway.port} yourname@HOST`.\r\n"
            )
            return True  # and no method will accept it
        if config.auth == "open":
            return False  # no secret needed
        if config.auth == "keys":
            text = authorized_keys_text(config.authorized_keys, username)
            self.failure = "no authorized key"
            if text is not None:
                try:
                    self.conn.set_authorized_keys(asyncssh.import_authorized_keys(text))
                except (ValueError, asyncssh.KeyImportError) as error:
                    log.warning("authorized keys for %s cannot be read: %s", username, error)
        return True

    def auth_completed(self) -> None:
        self.authenticated = True
        self.failure = None

    def password_auth_supported(self) -> bool:
        return self.gateway.config.auth == "password" and not self.bad_name

    def validate_password(self, username: str, password: str) -> bool:
        try:
            passwords = Passwords.load(self.gateway.config.password_file)
        except PasswordFileError as error:
            log.error("%s", error)
            self.failure = "password file unreadable"
            return False
        if passwords.check(username, password):
            return True
        self.failure = "wrong password"
        return False

    def public_key_auth_supported(self) -> bool:
        return False  # keys come from set_authorized_keys(), which asyncssh checks itself

    # -- channels other than sessions ----------------------------------------------------------------------
    def session_requested(self) -> PtySession | bool:
        return PtySession(self.gateway, self)

    def _no_forwarding(self, what: str) -> None:
        self.gateway.log_event("refuse", self.learner, self.peer, reason=what)
        self.sessions_refused += 1
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                        f"gdtui: {what} is not allowed on this server")

    def connection_requested(self, dest_host, dest_port, orig_host, orig_port):
        self._no_forwarding("port forwarding")

    def server_requested(self, listen_host, listen_port):
        self.gateway.log_event("refuse", self.learner, self.peer, reason="remote port forwarding")
        self.sessions_refused += 1
        return False

    def unix_connection_requested(self, dest_path):
        self._no_forwarding("socket forwarding")

    def unix_server_requested(self, listen_path):
        self.gateway.log_event("refuse", self.learner, self.peer, reason="remote socket forwarding")
        self.sessions_refused += 1
        return False

    def tun_requested(self, unit):
        self._no_forwarding("tunnel forwarding")

    def tap_requested(self, unit):
        self._no_forwarding("tunnel forwarding")
