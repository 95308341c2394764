"""Writes from a thread of their own, so nothing that waits on the database waits on the screen.

`Writer.put(call)` queues ``call(store)`` and returns at once. One thread sends the calls in order. While the
database does not answer (a lock held by another program, a PostgreSQL server restarting) the call stays at
the head of the queue and is sent again, with growing pauses, until it goes through: nothing queued is lost
while the process lives. Every store call can be sent twice safely (see base.py), so a reply lost on the way
back costs nothing. A call the database refuses outright (a full disk, a bad value) is dropped and reported.

The screen reads `pending`, `waiting_since` and `problem` to tell the learner an answer is still on its way.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from gdtui.store.records import StoreError, StoreUnavailable

PAUSES = (0.2, 0.5, 1.0, 2.0, 5.0)  # between tries while the database does not answer; the last repeats


@dataclass(frozen=True)
class _Job:
    call: Callable[[object], object]
    queued: float  # time.monotonic() when queued


class Writer:
    """A queue of store calls and the one thread that sends them."""

    def __init__(self, store, *, on_error: Callable[[str], None] = lambda message: None) -> None:
        self.store = store
        self.on_error = on_error  # called from the writer thread with a message a person reads
        self.problem: str | None = None  # why the head of the queue is waiting, while it waits
        self.sent = 0  # calls that went through
        self._queue: deque[_Job] = deque()
        self._cv = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._loop, name="gdtui-store-writer", daemon=True)
        self._thread.start()

    # -- what the screen uses
    def put(self, call: Callable[[object], object]) -> None:
        with self._cv:
            if self._closing:
                raise StoreError("the progress writer is closed")
            self._queue.append(_Job(call, time.monotonic()))
            self._cv.notify_all()

    @property
    def pending(self) -> int:
        """Calls queued or being sent."""
        with self._cv:
            return len(self._queue)

    @property
    def waiting_since(self) -> float | None:
        """When (time.monotonic()) the oldest unsent call was queued; None when all is sent."""
        with self._cv:
            return self._queue[0].queued if self._queue else None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued has been sent (or dropped); False if ``timeout`` passed first."""
        with self._cv:
            return self._cv.wait_for(lambda: not self._queue, timeout)

    def close(self, timeout: float = 5.0) -> int:
        """Send what is queued (trying for up to ``timeout`` seconds), stop the thread; how many were not sent."""
        with self._cv:
            self._closing = True
            self._cv.notify_all()
        self._thread.join(timeout)
        with self._cv:
            left = len(self._queue)
            self._queue.clear()
            self._cv.notify_all()
            return left

    # -- the thread
    def _loop(self) -> None:
        tries = 0
        while True:
            with self._cv:
                self._cv.wait_for(lambda: self._queue or self._closing)
                if not self._queue:
                    return
                job = self._queue[0]
            try:
                job.call(self.store)
            except StoreUnavailable as exc:
                self.problem = str(exc)
                with self._cv:  # wait before the next try; a close wakes us to try once more, then gives up
                    if self._closing and tries > 0:
                        return
                    self._cv.wait(PAUSES[min(tries, len(PAUSES) - 1)])
                tries += 1
                continue
            except (StoreError, ValueError) as exc:
                self.on_error(f"An answer could not be saved: {exc}")
            except Exception as exc:  # never let the writer die: the learner would lose everything after this
                self.on_error(f"An answer could not be saved ({type(exc).__name__}: {exc}).")
            else:
                self.sent += 1
            tries, self.problem = 0, None
            with self._cv:
                if self._queue and self._queue[0] is job:  # (a close that timed out has emptied the queue)
                    self._queue.popleft()
                self._cv.notify_all()
