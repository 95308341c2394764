"""``gdtui serve web``: the tutor in a browser, through textual-serve.

Each browser tab gets its own tutor process (``python -m gdtui.serve.launch ...``, with the same resource limits
as an SSH session) that talks to the page over a websocket.

It has NO login of its own: anyone who can reach the port gets a tutor. Listen on loopback and put a reverse
proxy in front that adds TLS and authentication. With ``--user-header X-Forwarded-User`` the learner is taken
from that header, which the proxy sets after login (so each student keeps their own progress); requests
without a valid name in it are refused. Without it, every browser works as the one ``--learner``.
See docs/classroom.md.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from gdtui.serve._auth import valid_learner
from gdtui.serve._child import launch_argv

MEMORY_LIMIT_MB = 1024
CPU_LIMIT_SECONDS = 3600


def child_command(learner: str, data_dir: Path, lessons: Path | None, child_argv: list[str] | None = None) -> str:
    """The shell command textual-serve runs for one browser session (every part quoted)."""
    argv = launch_argv(learner, data_dir, lessons, memory_limit=MEMORY_LIMIT_MB, cpu_limit=CPU_LIMIT_SECONDS,
                       nice=5, child_argv=child_argv)
    return "exec " + shlex.join(argv)  # exec: no shell left between textual-serve and the tutor


def make_server(*, host: str, port: int, learner: str, data_dir: Path, lessons: Path | None,
                public_url: str | None = None, user_header: str | None = None,
                child_argv: list[str] | None = None):
    """A textual-serve Server that starts one tutor per websocket, for the learner the request names."""
    import asyncio
    import logging

    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    log = logging.getLogger("textual-serve")

    class TutorServer(Server):
        def learner_for(self, request: web.Request) -> str | None:
            if user_header is None:
                return learner
            name = request.headers.get(user_header, "").strip()
            return name if valid_learner(name) else None

        async def handle_index(self, request: web.Request):
            if self.learner_for(request) is None:
                raise web.HTTPForbidden(text=f"gdtui: no valid learner name in the {user_header} header\n")
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's own handler, but with a command for this request's learner
            name = self.learner_for(request)
            if name is None:
                raise web.HTTPForbidden(text=f"gdtui: no valid learner name in the {user_header} header\n")
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _to_int(request.query.get("width"), 80)
            height = _to_int(request.query.get("height"), 24)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    child_command(name, data_dir, lessons, child_argv),
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # as textual-serve does: log, and end this one session
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return TutorServer(
        child_command(learner, data_dir, lessons, child_argv),
        host=host,
        port=port,
        title="gdtui",
        public_url=public_url,
    )


def _to_int(text: str | None, default: int) -> int:
    try:
        return max(1, min(int(text), 1000)) if text is not None else default
    except ValueError:
        return default


def run_web(args, lessons: Path | None) -> int:
    """The ``gdtui serve web`` command."""
    host, port = args.listen
    child = getattr(args, "child_command", None)
    user_header = getattr(args, "user_header", None)
    data_dir = Path(args.data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if user_header is None and not valid_learner(args.learner):
        print(f"gdtui serve web: {args.learner!r} is not a learner name; give --learner NAME", file=sys.stderr)
        return 2
    print("gdtui serve web: no login of its own. Keep it on loopback behind a proxy with TLS and a login "
          "(see docs/classroom.md).", file=sys.stderr)
    server = make_server(
        host=host, port=port, learner=args.learner, data_dir=data_dir,
        lessons=Path(lessons).resolve() if lessons else None,
        public_url=args.public_url, user_header=user_header,
        child_argv=shlex.split(child) if child else None,
    )
    server.serve()
    return 0
