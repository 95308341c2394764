"""Where things live: the bundled course and the default progress folder."""

from __future__ import annotations

from pathlib import Path


def bundled_lessons(lang: str = "en") -> Path:
    """The course shipped with gdtui: inside the wheel, or beside the source tree."""
    here = Path(__file__).resolve().parent
    for root in (here / "lessons", here.parent / "lessons"):
        if (root / lang).is_dir():
            return root / lang
    return here / "lessons" / lang


def bundled_lang(folder: Path) -> str | None:
    """The language of ``folder`` when it is one of the bundled course's folders (``lessons/zh``); else None."""
    folder = Path(folder).resolve()
    here = Path(__file__).resolve().parent
    for root in (here / "lessons", here.parent / "lessons"):
        if folder.parent == root.resolve() and (root / "en").is_dir():
            return folder.name
    return None


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("gdtui", appauthor=False))


def default_learner() -> str:
    import getpass

    try:
        return getpass.getuser() or "learner"
    except Exception:  # no user name in this environment (containers, odd CI)
        return "learner"
