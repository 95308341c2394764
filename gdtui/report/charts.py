"""The report's pictures, drawn with plotext: learners per lesson (started, done), solve rate per exercise,
and answers over time. Each is a string of exactly the asked width; `colour=False` gives plain characters (a
pipe, a file, NO_COLOR), where the two series of a bar chart differ by their fill (░ started, █ done).
"""

from __future__ import annotations

from datetime import datetime

import plotext as plt

from gdtui.report.summary import Report

HEIGHT = 14


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
    plt.multiple_bar(labels, [[r.started for r in lessons], [r.done for r in lessons]], labels=["started", "done"],
                     marker=None if colour else ["░", "█"])
    plt.title("Learners per lesson")
    plt.xlabel("lesson")
    return plt.build()


def solve_rates(report: Report, width: int, colour: bool = True) -> str | None:
    rows = [e for e in report.exercises if e.solve_rate is not None]
    if not rows:
        return None
    _start(width, HEIGHT, colour)
    shown = rows[-max(1, (width - 8) // 4):]  # at most one bar every four columns: the latest exercises
    plt.bar([e.number or e.exercise_id[:4] for e in shown], [100 * e.solve_rate for e in shown],
            marker=None if colour else "█", width=0.6)
    plt.ylim(0, 100)
    plt.title("Solve rate per exercise (%)" + ("" if len(shown) == len(rows) else f", the last {len(shown)}"))
    return plt.build()


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
    plt.title(f"Answers per {_bucket_name(bucket)} (UTC)")
    return plt.build()


def all_charts(report: Report, width: int, colour: bool = True) -> tuple[str, ...]:
    charts = (learners_per_lesson(report, width, colour), solve_rates(report, width, colour),
              answers_over_time(report, width, colour))
    return tuple(c for c in charts if c)


def _bucket_name(seconds: int) -> str:
    names = {60: "minute", 300: "5 minutes", 600: "10 minutes", 1800: "half hour", 3600: "hour", 86400: "day"}
    return names.get(seconds, "week")


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
