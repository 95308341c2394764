"""``gdtui serve web``: the tutor in a browser, through textual-serve.

Each browser tab gets its own tutor process (``python -m gdtui.serve.launch ...``, with the same resource limits
as an SSH session, in its own process group, set to die with the server) that talks to the page over a
websocket. At most ``max_sessions`` tutors run at once; a page's resize is clamped (``_web_service.py``); when a
websocket closes, its tutor's whole process group is ended, SIGKILL at the last.

It has NO login of its own: anyone who can reach the port gets a tutor. Listen on loopback and put a reverse
proxy in front that adds TLS and authentication. With ``--user-header X-Forwarded-User`` the learner is taken
from that header, which the proxy sets after login (so each student keeps their own progress): a plain name is
the learner, any other (``alice@example.com``) is mapped to a learner key (``_auth.learner_key``); requests
without a name in it are refused. Without it, every browser works as the one ``--learner``. A websocket
opened by a page from another site (its Origin is neither the served host nor ``--public-url``) is refused.
The page is textual-serve's own with a script of ours (``_web_page.py``): the terminal has the keyboard from
the start, and xterm.js's screen-reader mode is on. See docs/classroom.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import sys
from urllib.parse import urlsplit

from gdtui.i18n import _
from gdtui.serve._auth import learner_key, printable, valid_learner
from gdtui.serve._child import launch_argv, prepare_data_dir
from gdtui.serve.config import WebConfig

log = logging.getLogger("textual-serve")


def child_command(config: WebConfig, learner: str) -> str:
    """The shell command textual-serve runs for one browser session (every part quoted)."""
    argv = launch_argv(learner, config.data_dir, config.lessons, config.limits, parent_pid=os.getpid(),
                       new_session=True, child_argv=config.child_argv)
    return "exec " + shlex.join(argv)  # exec: no shell left between textual-serve and the tutor


def same_origin(origin: str | None, host: str, public_url: str | None) -> bool:
    """Whether a websocket's Origin header names the served host (or the public URL); no header: not a page."""
    if origin is None:
        return True
    served = {host.lower()}
    if public_url:
        served.add(urlsplit(public_url).netloc.lower())
    return urlsplit(origin).netloc.lower() in served


def make_server(config: WebConfig):
    """A textual-serve Server that starts one tutor per websocket, for the learner the request names."""
    from aiohttp import web
    from textual_serve.server import Server

    from gdtui.serve._web_service import TutorService, as_int

    class TutorServer(Server):
        def learner_for(self, request: web.Request) -> str | None:
            if config.user_header is None:
                return config.learner
            return learner_key(request.headers.get(config.user_header, "").strip())

        async def handle_index(self, request: web.Request):
            if self.learner_for(request) is None:
                raise web.HTTPForbidden(text=f"gdtui: no learner name in the {config.user_header} header\n")
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's own handler, with this request's learner, a session cap and an origin check
            name = self.learner_for(request)
            if name is None:
                raise web.HTTPForbidden(text=f"gdtui: no learner name in the {config.user_header} header\n")
            if not same_origin(request.headers.get("Origin"), request.host, config.public_url):
                log.warning("refused a websocket from origin %r", request.headers.get("Origin", "")[:100])
                raise web.HTTPForbidden(text=_("gdtui: this tutor may only be opened from its own page") + "\n")
            websocket = web.WebSocketResponse(heartbeat=15)
            if len(self.services) >= config.max_sessions:
                await websocket.prepare(request)
                said = _("gdtui: the classroom is full ({n} sessions); please try again in a minute.")
                await websocket.send_bytes((said.format(n=config.max_sessions) + "\r\n").encode())
                await websocket.close()
                return websocket
            width, height = (as_int(request.query.get(key), default) for key, default in (("width", 80), ("height", 24)))
            service = TutorService(
                child_command(config, name), grace=config.limits.kill_grace,
                write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                download_manager=self.download_manager, debug=self.debug,
            )
            self.services.add(service)
            if config.user_header is not None:
                given = request.headers.get(config.user_header, "").strip()
                log.info("session for learner %s%s", name, "" if given == name else f" (user {printable(given)})")
            try:
                await websocket.prepare(request)
                await service.start(*_clamped(width, height))
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # as textual-serve does: log, and end this one session
                log.exception(error)
            finally:
                try:
                    await service.stop()
                finally:
                    self.services.discard(service)
            return websocket

    from gdtui.serve._web_page import write_templates

    page = write_templates(config.data_dir / "cache" / "web")  # textual-serve's page with our script
    server = TutorServer(child_command(config, config.learner), host=config.host, port=config.port, title="gdtui",
                         public_url=config.public_url, templates_path=page)
    server.services = set()  # the tutors running now, one per open websocket
    return server


def _clamped(width: int, height: int) -> tuple[int, int]:
    from gdtui.serve._pty import clamp_size

    return clamp_size(width, height)


def run_web(config: WebConfig) -> int:
    """The ``gdtui serve web`` command."""
    if config.user_header is None and not valid_learner(config.learner):
        print(f"gdtui serve web: {config.learner!r} is not a learner name; give --learner NAME", file=sys.stderr)
        return 2
    if config.max_sessions < 1:
        print("gdtui serve web: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    problem = prepare_data_dir(config.data_dir)
    if problem:
        print(f"gdtui serve web: {problem}", file=sys.stderr)
        return 1
    print("gdtui serve web: no login of its own. Keep it on loopback behind a proxy with TLS and a login "
          "(see docs/classroom.md).", file=sys.stderr)
    make_server(config).serve()
    return 0
