"""The interface's words in the learner's language: one gettext catalogue, English as the source.

Every string a person reads goes through ``_`` (or ``ngettext`` / ``pgettext``); a string that must be
defined before the language is known (a module constant, a table of labels) is marked with ``N_`` and
translated where it is shown: ``_(LABEL)``. Placeholders are named and filled after translation,
``_("Solved {n} of {total}").format(n=…, total=…)``, so a translator may move them; an f-string inside ``_``
could not be looked up (tools/messages.py refuses it).

Catalogues are the ``.po`` files under ``gdtui/locale/<lang>/LC_MESSAGES/gdtui.po``, read directly (a few
dozen lines of parsing; no compiled ``.mo`` to fall out of date). A message with no translation is shown in
English. The language is one per process: a served session is a process of its own, so each learner has theirs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

SOURCE_LANG = "en"
LANGS = ("en", "zh")
DOMAIN = "gdtui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CONTEXT_SEP = "\x04"  # gettext's own separator between a msgctxt and its msgid

_language = SOURCE_LANG


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def lang_from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first set of LC_ALL, LC_MESSAGES, LANG (zh_CN, zh_TW, zh → zh)."""
    env = os.environ if environ is None else environ
    value = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    base = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    code = base.split("_")[0]
    return code if code in LANGS else SOURCE_LANG


def set_language(lang: str | None) -> str:
    """Use ``lang`` for every message from now on (an unknown or empty one means English); returns it."""
    global _language
    _language = lang if lang in LANGS else SOURCE_LANG
    return _language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    if _language == SOURCE_LANG:
        return message
    return catalogue(_language).get(message) or message


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (translate where it is shown)."""
    return message


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` from the same English in another place."""
    if _language == SOURCE_LANG:
        return message
    return catalogue(_language).get(context + CONTEXT_SEP + message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things (Chinese has one form; English two)."""
    if _language != SOURCE_LANG:
        found = catalogue(_language).get(singular)
        if found:
            return found
    return singular if n == 1 else plural


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid (with ``context\\x04`` in front when it has one) → msgstr, for the messages translated in ``lang``."""
    path = catalogue_path(lang)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {key: entry["msgstr"] for key, entry in read_po(text, str(path)).items() if entry["msgstr"]}


def read_po(text: str, where: str = "<po>") -> dict[str, dict[str, str]]:
    """The entries of a .po file: key (msgctxt + \\x04 + msgid, or msgid) → {msgid, msgctxt, plural, msgstr}.

    Handles what tools/messages.py writes and what a translator's editor keeps: comments, msgctxt,
    msgid_plural with msgstr[0] (Chinese needs one form), strings continued on following lines, and obsolete
    ``#~`` entries (skipped). The header (empty msgid) is left out. A line it cannot read is a ValueError
    naming ``where:line``.
    """
    entries: dict[str, dict[str, str]] = {}
    entry: dict[str, str] = {}
    field = None

    def finish() -> None:
        if "msgid" in entry and entry["msgid"]:
            key = entry["msgid"] if "msgctxt" not in entry else entry["msgctxt"] + CONTEXT_SEP + entry["msgid"]
            entries[key] = {"msgid": entry["msgid"], "msgctxt": entry.get("msgctxt", ""),
                            "plural": entry.get("msgid_plural", ""), "msgstr": entry.get("msgstr", "")}

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if field is None:
                raise ValueError(f"{where}:{number}: a continued string with nothing before it")
            entry[field] += _unquote(line, where, number)
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword.startswith("msgstr[") and keyword != "msgstr[0]":
            field = "ignored"  # the other plural forms: Chinese has one, English is the source
            entry[field] = ""
            continue
        keyword = "msgstr" if keyword == "msgstr[0]" else keyword
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            raise ValueError(f"{where}:{number}: expected msgctxt, msgid or msgstr, found {keyword!r}")
        starts_entry = keyword == "msgctxt" or keyword == "msgid" and ("msgid" in entry or "msgstr" in entry)
        if starts_entry and entry:
            finish()
            entry = {}
        field = keyword
        entry[field] = _unquote(rest.strip(), where, number)
    finish()
    return entries


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}


def _unquote(token: str, where: str, number: int) -> str:
    """The text of a .po string: double quotes around it, backslash escapes \\\\ \\" \\n \\t \\r inside."""
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{where}:{number}: a string in double quotes was expected")
    out, body, i = [], token[1:-1], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise ValueError(f"{where}:{number}: an unknown escape in this string")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if char == '"':
            raise ValueError(f"{where}:{number}: a double quote inside a string needs a backslash")
        out.append(char)
        i += 1
    return "".join(out)
