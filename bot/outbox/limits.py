"""Sending limits: the overall per-channel window and the per-chat token buckets.

Both run on times given by the caller (seconds from the injected clock), so
tests measure rates on a fake clock without sleeping.
"""

from __future__ import annotations

import collections
import contextlib
from dataclasses import dataclass

_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Limits:
    """One channel's sending limits."""

    per_second: float = 30.0
    """Messages per second over all chats."""
    chat_interval: float = 1.0
    """Seconds between two messages to the same chat."""
    group_per_minute: float = 20.0
    """Messages per minute to one group chat."""


TELEGRAM_LIMITS = Limits()
PAID_TELEGRAM_LIMITS = Limits(per_second=1000.0)
"""With ``allow_paid_broadcast`` Telegram lifts the overall limit to 1,000/s."""


class TokenBucket:
    """``rate`` tokens per second, holding at most ``capacity`` (starts full)."""

    def __init__(self, rate: float, capacity: float = 1.0) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._stamp: float | None = None

    def _refill(self, now: float) -> None:
        if self._stamp is not None and now > self._stamp and self._tokens < self.capacity:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        if self._stamp is None or now > self._stamp:
            self._stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0 if one is)."""
        self._refill(now)
        missing = 1.0 - self._tokens
        return 0.0 if missing <= _EPSILON else missing / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1.0

    def refund(self) -> None:
        """Give back a token whose request was refused (it did not count against the limit).

        The token is restored exactly, even above ``capacity``: the slot it used is free.
        """
        self._tokens += 1.0

    def idle(self, now: float) -> bool:
        """Full again: forgetting the bucket changes nothing."""
        self._refill(now)
        return self._tokens >= self.capacity - _EPSILON


class SlidingWindow:
    """At most ``rate`` sends in any 1-second window, spread evenly 1/rate apart.

    When the event loop wakes us late, the next sends may come a little sooner
    (never closer than ``spacing``/rate, never more than ``catch_up`` seconds
    of lateness made up) so the pace holds, but never more than ``rate`` fall
    in one second. A refused request's slot (429) is given back with :meth:`refund`.
    """

    def __init__(self, rate: float, spacing: float = 0.85, catch_up: float = 0.1) -> None:
        self.rate = rate
        self.count = max(int(rate), 1)
        self.interval = 1.0 / rate
        self.gap = spacing / rate
        self.catch_up = catch_up
        self._next: float | None = None
        self._times: collections.deque[float] = collections.deque()

    def wait(self, now: float) -> float:
        """Seconds until the next send may start (0 if it may now)."""
        times = self._times
        while len(times) > self.count:
            times.popleft()
        need = 0.0 if self._next is None else self._next - now
        if times:
            need = max(need, times[-1] + self.gap - now)
        if len(times) >= self.count:
            need = max(need, times[-self.count] + 1.005 - now)  # 5 ms margin for jitter
        return max(need, 0.0)

    def take(self, now: float) -> float:
        base = now if self._next is None else max(self._next, now - self.catch_up)
        self._next = base + self.interval
        self._times.append(now)
        return now

    def refund(self, stamp: float) -> None:
        with contextlib.suppress(ValueError):
            self._times.remove(stamp)
            if self._next is not None:
                self._next -= self.interval


def is_group_chat(chat_id: str) -> bool:
    """Telegram group and channel chats have negative ids."""
    return chat_id.startswith("-")
