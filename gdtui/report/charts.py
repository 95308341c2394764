"""The report's pictures, drawn with plotext: learners per lesson (started, done), solve rate per exercise,
and answers over time. Each is a string of exactly the asked width; `colour=False` gives plain characters (a
pipe, a file, NO_COLOR), where the two series of a bar chart differ by their fill (░ started, █ done).
"""

from __future__ import annotations

from datetime import datetime

import plotext as plt
from rich.cells import cell_len

from gdtui.i18n import _

from gdtui.report.summary import Report

HEIGHT = 14
PAD = "\ue000"  # a private-use character after each wide one while plotext lays text out; removed after


def _slots(text: str) -> str:
    """Text for plotext, which gives every character one cell: a wide (Chinese) character is followed by
    PAD, so it has the two cells it takes on screen; ``_build`` takes PAD out again."""
    return "".join(ch + PAD * (cell_len(ch) - 1) for ch in text)


def _build() -> str:
    return plt.build().replace(PAD, "")


def _start(width: int, height: int, colour: bool) -> None:
    plt.clf()
    plt.plotsize(width, height)
    plt.theme("pro" if colour else "clear")


def learners_per_lesson(report: Report, width: int, colour: bool = True) -> str | None:
    lessons = [r for r in report.lessons if r.number is not None]
    if not lessons or not any(r.started for r in lessons):
        return None
    _start(width, HEIGHT, colour)
    labels = [str(r.number) for r in lessons]
    plt.multiple_bar(labels, [[r.started for r in lessons], [r.done for r in lessons]],
                     labels=[_slots(_("started")), _slots(_("done"))], marker=None if colour else ["░", "█"])
    plt.title(_slots(_("Learners per lesson")))
    plt.xlabel(_slots(_("lesson")))
    return _build()


def solve_rates(report: Report, width: int, colour: bool = True) -> str | None:
    rows = [e for e in report.exercises if e.solve_rate is not None]
    if not rows:
        return None
    _start(width, HEIGHT, colour)
    shown = rows[-max(1, (width - 8) // 4):]  # at most one bar every four columns: the latest exercises
    plt.bar([e.number or e.exercise_id[:4] for e in shown], [100 * e.solve_rate for e in shown],
            marker=None if colour else "█", width=0.6)
    plt.ylim(0, 100)
    title = (_("Solve rate per exercise (%)") if len(shown) == len(rows)
             else _("Solve rate per exercise (%), the last {n}").format(n=len(shown)))
    plt.title(_slots(title))
    return _build()


def answers_over_time(report: Report, width: int, colour: bool = True) -> str | None:
    times = [_parse(t) for t in report.answered_at]
    times = [t for t in times if t is not None]
    if len(times) < 2 or times[-1] == times[0]:
        return None
    span = (times[-1] - times[0]).total_seconds()
    bucket = next((b for b in (60, 300, 600, 1800, 3600, 86400) if span / b <= 60), 86400 * 7)
    first = times[0].timestamp() // bucket * bucket
    counts = [0] * (int((times[-1].timestamp() - first) // bucket) + 1)
    for t in times:
        counts[int((t.timestamp() - first) // bucket)] += 1
    _start(width, HEIGHT - 2, colour)
    xs = list(range(len(counts)))
    plt.plot(xs, counts, marker="braille" if colour else "dot")
    top = max(counts)
    plt.yticks(list(range(0, top + 1, max(1, top // 4))))  # answers are whole numbers
    ticks = xs[:: max(1, len(xs) // 4)]
    plt.xticks(ticks, [datetime.fromtimestamp(first + i * bucket, tz=times[0].tzinfo).strftime(
        "%H:%M" if bucket < 86400 else "%m-%d") for i in ticks])
    plt.title(_slots(_bucket_title(bucket)))
    return _build()


def all_charts(report: Report, width: int, colour: bool = True) -> tuple[str, ...]:
    charts = (learners_per_lesson(report, width, colour), solve_rates(report, width, colour),
              answers_over_time(report, width, colour))
    return tuple(c for c in charts if c)


def _bucket_title(seconds: int) -> str:
    titles = {60: _("Answers per minute (UTC)"), 300: _("Answers per 5 minutes (UTC)"),
              600: _("Answers per 10 minutes (UTC)"), 1800: _("Answers per half hour (UTC)"),
              3600: _("Answers per hour (UTC)"), 86400: _("Answers per day (UTC)")}
    return titles.get(seconds) or _("Answers per week (UTC)")


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
