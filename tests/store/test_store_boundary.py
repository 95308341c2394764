"""The store keeps ids and answers: it loads no UI library and no lesson types (ui/progress.py sits above it)."""

import subprocess
import sys


def test_store_loads_no_ui_and_no_course():
    code = (
        "import importlib, pkgutil, sys\n"
        "pkg = importlib.import_module('gdtui.store')\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = ('textual', 'rich', 'plotext', 'gdtui.course', 'gdtui.ui', 'gdtui.engine', 'psycopg')\n"
        "print(','.join(m for m in bad if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"gdtui.store pulled in {result.stdout.strip()}"
