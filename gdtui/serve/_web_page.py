"""The page ``gdtui serve web`` sends a browser: textual-serve's own, with gdtui's script (``web_page.js``) added.

textual-serve renders ``app_index.html`` from the templates folder its ``Server`` is given (``templates_path``,
its public option for the page). Rather than keep a copy of that page, the server writes textual-serve's
template, as installed, with ``<script>`` + ``web_page.js`` put before ``</body>``, into a folder of its own
and hands textual-serve that folder. The script focuses the terminal on load and turns on xterm.js's
screen-reader mode (see the script for how and why).
"""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE = "app_index.html"
SCRIPT = Path(__file__).with_name("web_page.js")
MARK = "</body>"


def textual_serve_template() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "templates" / TEMPLATE


def page_with_script(page: str, script: str) -> str:
    """``page`` with ``script`` run just before ``</body>`` (the last one); the page unchanged without one."""
    at = page.rfind(MARK)
    if at < 0:
        return page
    # "</" cannot end the script early (nor can "{{", "{%" or "{#" reach Jinja: the script is kept raw)
    code = script.replace("</", "<\\/")
    block = f"<script>\n{{% raw %}}{code}{{% endraw %}}</script>\n"
    return page[:at] + block + page[at:]


def write_templates(folder: Path) -> Path:
    """Write the page template into ``folder`` (made if needed) and return the folder, for ``templates_path``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    page = page_with_script(textual_serve_template().read_text(encoding="utf-8"), SCRIPT.read_text(encoding="utf-8"))
    target = folder / TEMPLATE
    part = folder / f".{TEMPLATE}.{os.getpid()}"
    part.write_text(page, encoding="utf-8")
    os.replace(part, target)  # two servers on one data dir never see half a page
    return folder
