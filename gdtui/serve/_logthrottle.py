"""Repeated log lines, thinned: of each kind, one line per interval, then a count of the ones held back.

A flood (hundreds of refused connections a second, or the event loop failing to accept() when out of file
descriptors) must not fill the disk with the same line. A record's kind is its ``kind`` attribute when the
caller gives one (the gateway gives event, learner, address and reason), else its level and message template.
"""

from __future__ import annotations

import logging
import time


class Throttle(logging.Filter):
    def __init__(self, interval: float, clock=time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._opened: dict[object, float] = {}  # kind -> when its current interval began
        self._held: dict[object, tuple[int, logging.LogRecord]] = {}  # kind -> (count held back, last record)

    @staticmethod
    def kind_of(record: logging.LogRecord) -> object:
        return getattr(record, "kind", None) or (record.levelno, record.name, str(record.msg))

    def filter(self, record: logging.LogRecord) -> bool:
        if self.interval <= 0:
            return True
        kind = self.kind_of(record)
        now = self.clock()
        opened = self._opened.get(kind)
        if opened is not None and now - opened < self.interval:
            count, _ = self._held.get(kind, (0, record))
            self._held[kind] = (count + 1, record)
            return False
        self._opened[kind] = now
        return True

    def flush(self, handler: logging.Handler) -> None:
        """Write one line per kind that had lines held back in an interval now over; forget old kinds."""
        now = self.clock()
        for kind, opened in list(self._opened.items()):
            if now - opened < self.interval:
                continue
            held = self._held.pop(kind, None)
            del self._opened[kind]
            if held is None:
                continue
            count, record = held
            summary = logging.makeLogRecord(record.__dict__)
            summary.msg = f"{record.getMessage()} (and {count} more like it in {self.interval:g} s)"
            summary.args = None
            summary.exc_info = summary.exc_text = None
            handler.handle(summary)
            self._opened[kind] = now  # the summary opens a new interval


def accept_error_handler(log: logging.Logger):
    """An event-loop exception handler: one line, never a traceback, for a failed accept() or lost socket."""

    def handle(loop, context: dict) -> None:
        error = context.get("exception")
        message = context.get("message", "error in the event loop")
        if isinstance(error, OSError) or "accept" in message:
            reason = f"{error.strerror or error}" if isinstance(error, OSError) else message
            log.error("%s: %s", message, reason)
            return
        loop.default_exception_handler(context)  # a real bug: its traceback, thinned like any line

    return handle
