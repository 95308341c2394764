"""The command line: parse arguments, hand over to the part that does the work."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from gdtui import __version__


DATABASE_HELP = ("where progress is kept: postgresql://USER@HOST/DB for a class on several servers "
                 "(default: $GDTUI_DATABASE, else SQLite in the data dir)")


def _listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host or "127.0.0.1", int(port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gdtui",
        description="A terminal tutor for derivatives, gradients and gradient descent.",
    )
    parser.add_argument("--version", action="version", version=f"gdtui {__version__}")
    parser.add_argument("--lessons", type=Path, metavar="DIR", help="run another course (a folder of lesson files)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="where progress is kept")
    parser.add_argument("--database", metavar="URL", help=DATABASE_HELP)
    parser.add_argument("--learner", metavar="NAME", help="whose progress (default: your user name)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the bundled course")
    parser.add_argument("--watch", action="store_true", help="reload lessons when their files change")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint lesson files for authors")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="lesson files or folders (default: the bundled course)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text: path:line: error: message; json: one JSON object per line; github: Actions annotations")
    check.add_argument("--schema", type=Path, metavar="DIR", help="write the JSON Schema files for editors into DIR")

    new = sub.add_parser("new", help="write a lesson skeleton (FILE.md) or a course folder (DIR) to start from")
    new.add_argument("path", type=Path, metavar="PATH", help="a new lesson file (.md) or a new course folder")
    new.add_argument("--title", default=None, help="the lesson's title")

    play = sub.add_parser("play", help="the playground: explore a function and optimizers")
    play.add_argument("function", nargs="?", default=None, help='an expression such as "x**4 - 3*x**2 + x", or a surface name')

    report = sub.add_parser("report", help="progress per learner, lesson and exercise")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.add_argument("--watch", action="store_true", help="a live screen with the charts, refreshed as answers arrive")
    report.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help="the course the class follows, for its order and titles (default: the bundled one)")
    report.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept")
    report.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=DATABASE_HELP)
    check.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    play.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept")
    play.add_argument("--learner", metavar="NAME", default=argparse.SUPPRESS, help="whose progress")

    serve = sub.add_parser("serve", help="serve the tutor to a classroom")
    serve_sub = serve.add_subparsers(dest="server", metavar="ssh|web", required=True)
    ssh = serve_sub.add_parser("ssh", help="one private session per SSH login")
    ssh.add_argument("--listen", type=_listen, default=("0.0.0.0", 2222), metavar="HOST:PORT")
    ssh.add_argument("--auth", choices=("open", "password", "keys"), default="open")
    ssh.add_argument("--password-file", type=Path, metavar="FILE", help="class password, or NAME:PASSWORD lines")
    ssh.add_argument("--authorized-keys", type=Path, metavar="FILE", help="public keys allowed to log in")
    ssh.add_argument("--max-sessions", type=int, default=60)
    ssh.add_argument("--idle-timeout", type=float, default=1800.0, metavar="SECONDS")
    ssh.add_argument("--login-timeout", type=float, default=60.0, metavar="SECONDS")
    ssh.add_argument("--memory-limit", type=int, default=1024, metavar="MB", help="address-space limit per session")
    ssh.add_argument("--cpu-limit", type=int, default=3600, metavar="SECONDS", help="CPU seconds per session")
    ssh.add_argument("--kill-grace", type=float, default=2.0, help=argparse.SUPPRESS)
    web = serve_sub.add_parser("web", help="the tutor in a browser (put TLS and a login in front)")
    web.add_argument("--listen", type=_listen, default=("127.0.0.1", 8000), metavar="HOST:PORT")
    web.add_argument("--public-url", default=None, help="the address browsers use, when behind a proxy")
    web.add_argument("--user-header", default=None, metavar="NAME",
                     help="take the learner from this request header set by your login proxy (e.g. X-Forwarded-User)")
    for front_end in (ssh, web):  # also accepted after the subcommand, as the docs write them
        front_end.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept")
        front_end.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS, help="serve another course")
        front_end.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=DATABASE_HELP)
        front_end.add_argument("--child-command", default=None, help=argparse.SUPPRESS)  # tests: a stand-in app
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from gdtui.paths import bundled_lessons, default_data_dir, default_learner

    if args.data_dir is None:
        args.data_dir = default_data_dir()
    if args.learner is None:
        args.learner = default_learner()
    lessons = args.lessons or bundled_lessons(args.lang)

    if args.command == "check":
        from gdtui.check import run_check

        if args.schema is not None:
            from gdtui.check.schema import write_schemas

            return write_schemas(args.schema, out=sys.stdout, err=sys.stderr)
        return run_check(args.paths or [lessons], out=sys.stdout, fmt=args.format)
    if args.command == "new":
        from gdtui.new import run_new

        return run_new(args.path, args.title, out=sys.stdout, err=sys.stderr)
    if args.command == "report":
        from gdtui.report import run_report

        return run_report(args.data_dir, fmt=args.format, watch=args.watch, out=sys.stdout, lessons=lessons,
                          database=args.database)
    if args.command == "serve":
        if args.database:  # the sessions' tutors find it in their environment (see gdtui.store.ENV)
            from gdtui.store import ENV

            os.environ[ENV] = args.database
        if args.server == "ssh":
            from gdtui.serve.ssh import run_server

            return run_server(args, lessons)
        from gdtui.serve.web import run_web

        return run_web(args, lessons)

    from gdtui.ui.app import run_app

    return run_app(
        lessons=lessons,
        data_dir=args.data_dir,
        learner=args.learner,
        watch=args.watch,
        play=args.function if args.command == "play" else None,
        start_in_playground=args.command == "play",
        database=args.database,
    )
