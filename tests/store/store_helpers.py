"""A clock for the store tests: it moves one second per call, so stored times are exact."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """A clock that moves one second per call, so stored times are exact."""

    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 9, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t
