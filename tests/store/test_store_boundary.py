"""Loading the store costs a tutor little: psycopg comes in only when a PostgreSQL database is opened, and the
store pulls in no UI, chart or engine code (that it loads neither Textual nor the course: test_boundaries.py)."""

import subprocess
import sys


def test_store_loads_psycopg_only_for_postgres():
    code = (
        "import importlib, pkgutil, sys\n"
        "pkg = importlib.import_module('gdtui.store')\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = ('psycopg', 'rich', 'plotext', 'numpy', 'gdtui.ui', 'gdtui.engine', 'gdtui.charts')\n"
        "print(','.join(m for m in bad if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"gdtui.store pulled in {result.stdout.strip()}"
