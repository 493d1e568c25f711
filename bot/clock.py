"""Injectable clocks: the system clock in production, a movable one in tests.

``CLASSBOT_NOW`` (an ISO 8601 instant with its offset, e.g.
``2024-07-15T08:05:00+07:00``) makes ``classbot run`` start its clock at that
instant and let it run on in real seconds (:class:`ShiftedClock`): how the
outside-in fault suite replays a class day against the real process, and how
an organiser can rehearse a class before it starts. Never set it in production.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current instant as an aware UTC datetime."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._now

    def set(self, instant: dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = instant.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


class ShiftedClock:
    """Real seconds, counted from ``start`` instead of from now."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ShiftedClock needs an aware datetime")
        self.start = start.astimezone(dt.UTC)
        self._began = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._began)


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The system clock, or a :class:`ShiftedClock` when ``CLASSBOT_NOW`` is set."""
    raw = (os.environ if env is None else env).get("CLASSBOT_NOW", "").strip()
    if not raw:
        return SystemClock()
    start = dt.datetime.fromisoformat(raw)
    if start.tzinfo is None:
        raise ValueError(f"CLASSBOT_NOW needs a UTC offset (e.g. {raw}+07:00)")
    return ShiftedClock(start)
