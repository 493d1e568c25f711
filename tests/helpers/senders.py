"""A fake :class:`bot.channels.Sender` and fake-clock sleep for delivery tests."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.clock import FakeClock
from bot.domain import Channel
from bot.replies import Reply


class Killed(BaseException):
    """Simulates the process dying (not an Exception: nothing in the worker catches it)."""


@dataclass
class SentMessage:
    chat_id: str
    reply: Reply
    at: dt.datetime


@dataclass
class FakeSender:
    """Records every send with the fake clock's time; fails on request per chat."""

    clock: FakeClock
    channel: Channel = Channel.TELEGRAM
    sent: list[SentMessage] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    failures: dict[str, deque[BaseException]] = field(default_factory=lambda: defaultdict(deque))
    die_after: int | None = None
    """Raise :class:`Killed` right *after* the n-th successful send (message out, no result)."""
    before_send: Callable[[str], None] | None = None

    def fail(self, chat_id: str | int, *errors: BaseException) -> None:
        """The next sends to ``chat_id`` raise these, in order."""
        self.failures[str(chat_id)].extend(errors)

    async def send(self, chat_id: str, reply: Reply) -> str:
        self.calls.append(chat_id)
        if self.before_send is not None:
            self.before_send(chat_id)
        queue = self.failures.get(chat_id)
        if queue:
            raise queue.popleft()
        self.sent.append(SentMessage(chat_id, reply, self.clock.now()))
        if self.die_after is not None and len(self.sent) >= self.die_after:
            self.die_after = None
            raise Killed
        return str(len(self.sent))

    def count(self, chat_id: str | int) -> int:
        return sum(1 for m in self.sent if m.chat_id == str(chat_id))


def clock_sleep(clock: FakeClock) -> Callable[[float], Awaitable[None]]:
    """An ``asyncio.sleep`` stand-in: lets ready tasks run, then moves the fake clock."""

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)  # what was ready runs "now", before time moves on
        clock.advance(dt.timedelta(seconds=seconds))

    return sleep
