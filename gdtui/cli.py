"""The command line: parse arguments, hand over to the part that does the work."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from gdtui import __version__
from gdtui.cli_words import argparse_words
from gdtui.i18n import N_, _, set_language
from gdtui.settings import CHART_MODES as MODES
from gdtui.settings import LANGS


DATABASE_HELP = N_("where progress is kept: postgresql://USER@HOST/DB for a class on several servers "
                 "(default: $GDTUI_DATABASE, else SQLite in the data dir)")


_HEADING = re.compile(r"(?m)^(\S[^\n]*[^\x00-\x7f]):$")  # a section heading that ends in a Chinese word


def _listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(_("expected HOST:PORT, such as 0.0.0.0:2222, not {text}").format(text=text))
    return host or "127.0.0.1", int(port)


class _PlayHelp(argparse.Action):
    """``gdtui play --help``: the usual help, then the names the playground knows (read only when asked,
    so starting the tutor does not load the engine)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from gdtui.playground.presets import PRESETS

        names = ", ".join(preset.name for preset in PRESETS)
        parser.epilog = _("surface and preset names: {names}").format(names=names)
        parser.print_help()
        parser.exit()


class _Formatter(argparse.HelpFormatter):
    """Each option's help ends with its default, when it has one worth saying. Text with wide (Chinese)
    characters is wrapped by terminal cells (argparse's textwrap counts characters and only breaks at
    spaces), and a heading in Chinese ends with a full-width colon."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        from gdtui.charts.fmt import wrap_cells

        return wrap_cells(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii():
            return super()._fill_text(text, width, indent)
        from gdtui.charts.fmt import wrap_cells

        return "\n".join(indent + line for line in wrap_cells(" ".join(text.split()), width - len(indent)))

    def format_help(self) -> str:
        return _HEADING.sub(lambda m: m.group(1) + "：", super().format_help())

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if default in (None, False, argparse.SUPPRESS) or action.option_strings == [] or "default" in text:
            return text
        shown = f"{default[0]}:{default[1]}" if isinstance(default, tuple) else default
        said = _("{help} (default: {default})") if text else _("default: {default}")
        return said.format(help=text, default=shown).replace("%", "%%")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gdtui",
        description=_("A terminal tutor for derivatives, gradients and gradient descent."),
        epilog=_("Theme, chart mode and language are remembered in gdtui's config file "
               "(config.toml in your user config folder)."),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"gdtui {__version__}",
                        help=_("show the version number and exit"))
    parser.add_argument("--lessons", type=Path, metavar="DIR",
                        help=_("run another course (a folder of lesson files); default: the bundled course"))
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help=_("where progress is kept; default: your user data folder"))
    parser.add_argument("--database", metavar="URL", help=_(DATABASE_HELP))
    parser.add_argument("--learner", metavar="NAME", help=_("whose progress; default: your user name"))
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help=_("language of the bundled course; default: the one last chosen, else your locale's"))
    parser.add_argument("--charts", choices=MODES, default=None,
                        help=_("how charts are drawn: braille dots (sharpest), block (half blocks, for fonts "
                             "without braille) or ascii (plain ASCII everywhere); default: the one last chosen, "
                             "ascii where the locale is not UTF-8, block in a browser, else braille"))
    parser.add_argument("--watch", action="store_true", help=_("reload lessons when their files change"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help=_("lint lesson files for authors"), formatter_class=_Formatter)
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=_("lesson files or folders (default: the bundled course)"))
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help=_("text: path:line: error: message; json: one JSON object per line; github: Actions annotations"))
    check.add_argument("--schema", type=Path, metavar="DIR", help=_("write the JSON Schema files for editors into DIR"))

    new = sub.add_parser("new", help=_("write a lesson skeleton (FILE.md) or a course folder (DIR) to start from"),
                         formatter_class=_Formatter)
    new.add_argument("path", type=Path, metavar="PATH", help=_("a new lesson file (.md) or a new course folder"))
    new.add_argument("--title", default=None, help=_("the lesson's title"))

    play = sub.add_parser("play", help=_("the playground: explore a function and optimizers"), add_help=False,
                          formatter_class=_Formatter)
    play.add_argument("-h", "--help", action=_PlayHelp, help=_("show this help and the surface names, and exit"))
    play.add_argument("function", nargs="?", default=None,
                      help=_('an expression such as "x**4 - 3*x**2 + x", or a surface name (listed below)'))

    report = sub.add_parser("report", help=_("progress per learner, lesson and exercise"), formatter_class=_Formatter)
    report.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help=_("a table with charts, or data for a spreadsheet or a program "
                               "(CSV and JSON keys stay in English: they are data)"))
    report.add_argument("--watch", action="store_true", help=_("a live screen with the charts, refreshed as answers arrive"))
    report.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=_("the course the class follows, for its order and titles (default: the bundled one)"))
    report.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_("where progress is kept"))
    report.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=_(DATABASE_HELP))
    check.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    play.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_("where progress is kept"))
    play.add_argument("--learner", metavar="NAME", default=argparse.SUPPRESS, help=_("whose progress"))

    _add_serve(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    set_language(_early_lang(sys.argv[1:] if argv is None else argv))
    with argparse_words():
        parser = build_parser()
        args = parser.parse_args(argv)
    from gdtui.paths import bundled_lessons, default_data_dir, default_learner
    from gdtui.settings import language, load_settings

    if args.lessons is not None and not args.lessons.is_dir():
        what = (_("--lessons {path}: does not exist; give a folder of lesson files (*.md)") if not args.lessons.exists()
                else _("--lessons {path}: is not a folder; give a folder of lesson files (*.md)"))
        with argparse_words():
            parser.error(what.format(path=args.lessons))
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    if args.learner is None:
        args.learner = default_learner()
    lang = language(args.lang, None, load_settings().lang)  # asked for, else last chosen, else the locale's
    lessons = args.lessons or bundled_lessons(lang)
    if args.lessons is None and not lessons.is_dir():
        lessons = bundled_lessons("en")  # a course not translated yet: the app takes each lesson's English twin

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
        return _serve(args, lessons)

    from gdtui.ui.app import run_app

    return run_app(
        lessons=lessons,
        data_dir=args.data_dir,
        learner=args.learner,
        watch=args.watch,
        play=args.function if args.command == "play" else None,
        start_in_playground=args.command == "play",
        database=args.database,
        charts=args.charts,
        lang=args.lang,
    )


def _early_lang(argv: list[str]) -> str:
    """The language of the help and messages, known before the arguments are parsed: --lang if given
    (a value argparse will refuse means English here), else the one last chosen, else the locale's."""
    from gdtui.settings import language, load_settings

    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return language(None, None, load_settings().lang)


# -- gdtui serve ssh|web -----------------------------------------------------------------------------------
def _add_serve(sub) -> None:
    from gdtui.serve.config import ServeConfig, SessionLimits, WebConfig

    limits = SessionLimits()
    serve = sub.add_parser("serve", help=_("serve the tutor to a classroom (needs gdtui[serve])"), formatter_class=_Formatter)
    serve_sub = serve.add_subparsers(dest="server", metavar="ssh|web", required=True)
    ssh = serve_sub.add_parser("ssh", help=_("one private session per SSH login"), formatter_class=_Formatter)
    ssh.add_argument("--listen", type=_listen, default=("0.0.0.0", ServeConfig.port), metavar="HOST:PORT",
                     help=_("the address and port students connect to (ssh -p PORT HOST)"))
    ssh.add_argument("--auth", choices=("open", "password", "keys"), default=ServeConfig.auth,
                     help=_("open: any user name logs in (a trusted room); password: --password-file; "
                          "keys: --authorized-keys"))
    ssh.add_argument("--password-file", type=Path, metavar="FILE", help=_("class password, or NAME:PASSWORD lines"))
    ssh.add_argument("--authorized-keys", type=Path, metavar="FILE", help=_("public keys allowed to log in"))
    ssh.add_argument("--max-connections", type=int, default=ServeConfig.max_connections, metavar="N",
                     help=_("open connections in all, logged in or not"))
    ssh.add_argument("--max-per-address", type=int, default=ServeConfig.max_per_address, metavar="N",
                     help=_("open connections from one client address"))
    ssh.add_argument("--max-sessions-per-connection", type=int, default=ServeConfig.max_sessions_per_connection,
                     metavar="N", help=_("sessions one SSH connection may open (ssh multiplexing)"))
    ssh.add_argument("--max-sessions-per-learner", type=int, default=ServeConfig.max_sessions_per_learner,
                     metavar="N", help=_("sessions one learner name may have open at once"))
    ssh.add_argument("--idle-timeout", type=float, default=ServeConfig.idle_timeout, metavar="SECONDS",
                     help=_("end a session with no key pressed for this long"))
    ssh.add_argument("--login-timeout", type=float, default=ServeConfig.login_timeout, metavar="SECONDS",
                     help=_("drop a connection that has not logged in by then"))
    ssh.add_argument("--session-timeout", type=float, default=ServeConfig.session_timeout, metavar="SECONDS",
                     help=_("close a logged-in connection that opens no session (ssh -N) after this"))
    ssh.add_argument("--log-interval", type=float, default=ServeConfig.log_interval, metavar="SECONDS",
                     help=_("write a repeated log line once per interval, with a count"))
    web = serve_sub.add_parser("web", help=_("the tutor in a browser (put TLS and a login in front)"),
                               formatter_class=_Formatter)
    web.add_argument("--listen", type=_listen, default=(WebConfig.host, WebConfig.port), metavar="HOST:PORT",
                     help=_("the address and port the web server listens on"))
    web.add_argument("--learner", metavar="NAME", default=argparse.SUPPRESS,
                     help=_("the learner of every session when no --user-header is given"))
    web.add_argument("--public-url", default=None, help=_("the address browsers use, when behind a proxy"))
    web.add_argument("--user-header", default=None, metavar="NAME",
                     help=_("take the learner from this request header set by your login proxy (e.g. X-Forwarded-User)"))
    for front_end, sessions in ((ssh, ServeConfig.max_sessions), (web, WebConfig.max_sessions)):
        front_end.add_argument("--max-sessions", type=int, default=sessions, metavar="N",
                               help=_("tutors at once; one more is told the room is full"))
        front_end.add_argument("--memory-limit", type=int, default=limits.memory_limit, metavar="MB",
                               help=_("address-space limit per session"))
        front_end.add_argument("--cpu-limit", type=int, default=limits.cpu_limit, metavar="SECONDS",
                               help=_("CPU seconds per session"))
        front_end.add_argument("--kill-grace", type=float, default=limits.kill_grace, help=argparse.SUPPRESS)
        # also accepted after the subcommand, as the docs write them
        front_end.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_("where progress is kept"))
        front_end.add_argument("--lessons", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_("serve another course"))
        front_end.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=_(DATABASE_HELP))
        front_end.add_argument("--child-command", default=None, help=argparse.SUPPRESS)  # tests: a stand-in app


def _serve(args, lessons: Path) -> int:
    """Build the server's configuration from the command line and run it."""
    import shlex

    from gdtui.serve.config import INSTALL_HINT, ServeConfig, SessionLimits, WebConfig, missing_server_packages

    missing = missing_server_packages()
    if missing:
        print(_("gdtui serve: the classroom servers need {packages}, which are not installed: {hint}").format(
              packages=", ".join(missing), hint=INSTALL_HINT), file=sys.stderr)
        return 2
    if args.database:  # the sessions' tutors find it in their environment (see gdtui.store.ENV)
        from gdtui.store import ENV

        os.environ[ENV] = args.database
    host, port = args.listen
    data_dir = Path(args.data_dir).expanduser().resolve()
    lessons = Path(lessons).expanduser().resolve() if lessons else None
    limits = SessionLimits(memory_limit=args.memory_limit, cpu_limit=args.cpu_limit, kill_grace=args.kill_grace)
    child = tuple(shlex.split(args.child_command)) if args.child_command else None
    if args.server == "ssh":
        from gdtui.serve.ssh import run_server

        return run_server(ServeConfig(
            data_dir=data_dir, lessons=lessons, host=host, port=port, auth=args.auth,
            password_file=args.password_file, authorized_keys=args.authorized_keys,
            max_sessions=args.max_sessions, max_connections=args.max_connections,
            max_per_address=args.max_per_address, max_sessions_per_connection=args.max_sessions_per_connection,
            max_sessions_per_learner=args.max_sessions_per_learner, idle_timeout=args.idle_timeout,
            login_timeout=args.login_timeout, session_timeout=args.session_timeout, log_interval=args.log_interval,
            limits=limits, child_argv=child,
        ))
    from gdtui.serve.web import run_web

    return run_web(WebConfig(
        data_dir=data_dir, learner=args.learner, lessons=lessons, host=host, port=port,
        public_url=args.public_url, user_header=args.user_header, max_sessions=args.max_sessions,
        limits=limits, child_argv=child,
    ))
