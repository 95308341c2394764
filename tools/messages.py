"""Keep the interface's message catalogue in step with the code.

    python tools/messages.py update   # write gdtui/locale/gdtui.pot and add new messages to every .po
    python tools/messages.py check    # what is untranslated, obsolete or has mismatched {placeholders}

Messages are found by reading the code (ast, nothing imported or run): calls of ``_``, ``N_``,
``pgettext`` and ``ngettext`` whose arguments are string literals. A call with anything else (an f-string,
a concatenation, a call) is a mistake the scan reports with its file and line, because the catalogue could
never hold the text it would look up. ``_(NAME)``, ``_(obj.attr)`` and ``_(TABLE[key])`` translate a
constant marked with ``N_`` where it is defined (the scan finds it there). tests/test_i18n.py runs ``check``
for every language.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gdtui"
sys.path.insert(0, str(ROOT))

from gdtui.i18n import CONTEXT_SEP, DOMAIN, LANGS, LOCALE_DIR, SOURCE_LANG, catalogue_path, read_po  # noqa: E402

CALLS = {"_": ("msgid",), "N_": ("msgid",), "pgettext": ("msgctxt", "msgid"),
         "ngettext": ("msgid", "msgid_plural")}
MARKED_ELSEWHERE = (ast.Name, ast.Attribute, ast.Subscript)  # what _(…) may translate besides a literal
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@dataclass
class Message:
    msgid: str
    msgctxt: str = ""
    plural: str = ""
    where: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.msgctxt + CONTEXT_SEP + self.msgid if self.msgctxt else self.msgid


def scan(package: Path = PACKAGE) -> tuple[dict[str, Message], list[str]]:
    """(key → message, problems) for every marked message under ``package``."""
    found: dict[str, Message] = {}
    problems: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS):
                continue
            names = CALLS[node.func.id]
            args = node.args[: len(names)]
            if node.func.id == "_" and len(args) == 1 and isinstance(args[0], MARKED_ELSEWHERE):
                continue  # _(LABEL), _(TABLE[key]): a constant marked with N_ where it is defined
            if len(args) < len(names) or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                                 for a in args):
                problems.append(f"{rel}:{node.lineno}: {node.func.id}(…) needs string literals, "
                                "not a variable or an f-string (the catalogue cannot hold those)")
                continue
            values = dict(zip(names, (a.value for a in args)))
            message = Message(values["msgid"], values.get("msgctxt", ""), values.get("msgid_plural", ""))
            message = found.setdefault(message.key, message)
            message.where.append(f"{rel}:{node.lineno}")
    return found, problems


def quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in text:
        return f'"{body}"'
    parts = body.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def render(messages: dict[str, Message], lang: str | None, translations: dict[str, dict[str, str]]) -> str:
    header = [
        f"# The interface of gdtui{'' if lang is None else ' in ' + lang}: English is the source.",
        "# Written by tools/messages.py update; translators edit the msgstr lines only.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {lang or ""}\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"' if lang == "zh" else '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    out = header
    for key in sorted(messages, key=lambda k: (messages[k].where[0], k)):
        message = messages[key]
        out.extend(f"#: {where}" for where in message.where[:4])
        if message.msgctxt:
            out.append(f"msgctxt {quote(message.msgctxt)}")
        out.append(f"msgid {quote(message.msgid)}")
        translated = translations.get(key, {}).get("msgstr", "") if lang else ""
        if message.plural:
            out.append(f"msgid_plural {quote(message.plural)}")
            out.append(f"msgstr[0] {quote(translated)}")
        else:
            out.append(f"msgstr {quote(translated)}")
        out.append("")
    return "\n".join(out)


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def check(lang: str) -> list[str]:
    """What is wrong with ``lang``'s catalogue against the code: one line each."""
    messages, problems = scan()
    path = catalogue_path(lang)
    if not path.exists():
        return problems + [f"{path.relative_to(ROOT)}: missing (run tools/messages.py update)"]
    entries = read_po(path.read_text(encoding="utf-8"), str(path))
    for key, message in messages.items():
        entry = entries.get(key)
        if entry is None or not entry["msgstr"]:
            problems.append(f"{message.where[0]}: not translated into {lang}: {message.msgid!r}")
        elif placeholders(entry["msgstr"]) != placeholders(message.msgid):
            problems.append(f"{message.where[0]}: the {lang} text has placeholders "
                            f"{sorted(placeholders(entry['msgstr']))}, the English {sorted(placeholders(message.msgid))}")
    problems.extend(f"{path.relative_to(ROOT)}: no longer in the code: {key!r}" for key in entries if key not in messages)
    return problems


def update() -> list[str]:
    messages, problems = scan()
    LOCALE_DIR.mkdir(exist_ok=True)
    (LOCALE_DIR / f"{DOMAIN}.pot").write_text(render(messages, None, {}), encoding="utf-8")
    for lang in LANGS:
        if lang == SOURCE_LANG:
            continue
        path = catalogue_path(lang)
        old = read_po(path.read_text(encoding="utf-8"), str(path)) if path.exists() else {}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(messages, lang, old), encoding="utf-8")
        dropped = [key for key in old if key not in messages and old[key]["msgstr"]]
        problems.extend(f"{path.relative_to(ROOT)}: dropped a translation no longer used: {key!r}" for key in dropped)
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        for line in update():
            print(line)
        return 0
    if argv[:1] == ["check"]:
        problems = [p for lang in LANGS if lang != SOURCE_LANG for p in check(lang)]
        for line in problems:
            print(line)
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
