"""One client connection to the classroom server: who logs in, and refusing every channel but sessions.

The SSH user name is turned into a learner key (``_auth.learner_key``: a plain name is its own key,
``alice@example.com`` becomes ``alice--`` and 16 hex digits). Open auth lets any name in; password auth
checks the password file (read at each login, compared in constant time, never logged); key auth trusts the
authorized keys for that learner (also read at each login). An empty name gets a banner that says why, and
no way in. Port, socket and tunnel forwarding are refused with a message; agent and X11 forwarding are
switched off in the server's options.

A connection beyond the gateway's caps (in all, or from one address) is turned away as soon as it is made,
before any key exchange. A logged-in connection that has no session for ``session_timeout`` seconds
(``ssh -N``, or a client that never asks) is closed. The connection counts its live sessions, which the
gateway caps per connection.
"""

from __future__ import annotations

import asyncio
import logging

import asyncssh

from gdtui.i18n import _
from gdtui.serve._auth import Passwords, PasswordFileError, authorized_keys_text, learner_key, printable
from gdtui.serve._gateway import Gateway, Session
from gdtui.serve._session import PtySession

log = logging.getLogger("gdtui.serve.ssh")


def _peer(conn: asyncssh.SSHServerConnection) -> tuple[str, str]:
    """(client address, address:port as written in the log)."""
    peer = conn.get_extra_info("peername") or ("?", 0)
    host, port = str(peer[0]), peer[1]
    return host, (f"[{host}]:{port}" if ":" in host else f"{host}:{port}")


class LearnerConnection(asyncssh.SSHServer):
    """One client connection: authentication, and refusing everything but session channels."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.conn: asyncssh.SSHServerConnection | None = None
        self.host = "?"
        self.peer = "?"
        self.login = ""  # the SSH user name as the client sent it
        self.learner = ""  # its learner key (_auth.learner_key): the name itself when it is a plain name
        self.authenticated = False
        self.bad_name = False
        self.failure: str | None = None
        self.sessions: set[Session] = set()  # live
        self.sessions_started = 0
        self.sessions_refused = 0
        self._sessionless: asyncio.TimerHandle | None = None
        self._closed_for: str | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.host, self.peer = _peer(conn)
        refusal = self.gateway.connection_opened(self)
        if refusal is not None:
            self.failure = refusal
            asyncio.get_running_loop().call_soon(conn.abort)  # before any key exchange: costs us nothing

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_sessionless()
        self.gateway.connection_closed(self)
        if not self.authenticated:
            reason = self.failure or ("login not completed" + (f" ({exc})" if exc else ""))
            self.gateway.log_event("refuse", self.learner or "-", self.peer, reason=reason)
        elif self._closed_for is not None:
            self.gateway.log_event("disconnect", self.learner, self.peer, reason=self._closed_for)
        elif not self.sessions_started and not self.sessions_refused:
            self.gateway.log_event("disconnect", self.learner, self.peer, reason="no session opened")

    # -- sessions on this connection ---------------------------------------------------------------------
    def live_sessions(self) -> int:
        return len(self.sessions)

    def session_started(self, session: Session) -> None:
        self.sessions.add(session)
        self.sessions_started += 1
        self._cancel_sessionless()

    def session_refused(self) -> None:
        self.sessions_refused += 1

    def session_ended(self, session: Session) -> None:
        self.sessions.discard(session)
        if not self.sessions:
            self._expect_session()

    def _expect_session(self) -> None:
        """Close this connection unless a session starts within the session timeout."""
        timeout = self.gateway.config.session_timeout
        if timeout > 0 and self._sessionless is None and self.conn is not None:
            self._sessionless = asyncio.get_running_loop().call_later(timeout, self._close_sessionless)

    def _cancel_sessionless(self) -> None:
        if self._sessionless is not None:
            self._sessionless.cancel()
            self._sessionless = None

    def _close_sessionless(self) -> None:
        self._sessionless = None
        if self.sessions or self.conn is None:
            return
        self._closed_for = f"no session within {self.gateway.config.session_timeout:g} s"
        self.conn.disconnect(asyncssh.DISC_BY_APPLICATION, "gdtui: no session was opened; goodbye")

    # -- authentication ------------------------------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        # called again if the client changes its user name half-way: start from nothing each time
        self.login = username
        self.learner = learner_key(username) or ""
        self.bad_name = False
        self.failure = None
        self.conn.set_authorized_keys(None)
        config = self.gateway.config
        if not self.learner:
            self.bad_name = True
            self.failure = "no user name"
            self.conn.send_auth_banner(
                _("gdtui: log in with a name: `ssh -p {port} yourname@HOST`.").format(port=self.gateway.port) + "\r\n")
            return True  # and no method will accept it
        if config.auth == "open":
            return False  # no secret needed
        if config.auth == "keys":
            text = authorized_keys_text(config.authorized_keys, self.learner)
            self.failure = "no authorized key"
            if text is not None:
                try:
                    self.conn.set_authorized_keys(asyncssh.import_authorized_keys(text))
                except (ValueError, asyncssh.KeyImportError) as error:
                    log.warning("authorized keys for %s cannot be read: %s", self.learner, error)
        return True

    def auth_completed(self) -> None:
        self.authenticated = True
        self.failure = None
        if self.login != self.learner:  # the teacher finds alice@example.com's progress under this key
            self.gateway.log_event("login", self.learner, self.peer, name=printable(self.login))
        self._expect_session()

    def password_auth_supported(self) -> bool:
        return self.gateway.config.auth == "password" and not self.bad_name

    def validate_password(self, username: str, password: str) -> bool:
        try:
            passwords = Passwords.load(self.gateway.config.password_file)
        except PasswordFileError as error:
            log.error("%s", error)
            self.failure = "password file unreadable"
            return False
        if passwords.check(self.learner, password):
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
        self.session_refused()
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                        f"gdtui: {what} is not allowed on this server")

    def connection_requested(self, dest_host, dest_port, orig_host, orig_port):
        self._no_forwarding("port forwarding")

    def server_requested(self, listen_host, listen_port):
        self.gateway.log_event("refuse", self.learner, self.peer, reason="remote port forwarding")
        self.session_refused()
        return False

    def unix_connection_requested(self, dest_path):
        self._no_forwarding("socket forwarding")

    def unix_server_requested(self, listen_path):
        self.gateway.log_event("refuse", self.learner, self.peer, reason="remote socket forwarding")
        self.session_refused()
        return False

    def tun_requested(self, unit):
        self._no_forwarding("tunnel forwarding")

    def tap_requested(self, unit):
        self._no_forwarding("tunnel forwarding")
