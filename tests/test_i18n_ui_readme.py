"""The Chinese README: linked from README.md, with exactly the same two set-up commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_commands(name: str, heading: str) -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_the_chinese_readme_has_the_same_two_commands():
    english = setup_commands("README.md", "Set up")
    assert len(english) == 2
    assert setup_commands("README.zh-CN.md", "安装") == english


def test_readme_links_the_chinese_readme_near_the_top():
    top = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    assert any("(README.zh-CN.md)" in line for line in top)
    assert "(README.md)" in (ROOT / "README.zh-CN.md").read_text(encoding="utf-8").splitlines()[2]
