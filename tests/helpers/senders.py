"""A fake :class:`bot.outbox.sender.Sender` and fake-clock sleep for delivery tests."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.clock import FakeClock
from bot.domain import Channel
from bot.outbox.sender import DeliveryError, PartlySent
from bot.replies import Reply


class Killed(BaseException):
    """Simulates the process dying (not an Exception: nothing in the worker catches it)."""


@dataclass
class SentMessage:
    chat_id: str
    reply: Reply
    at: dt.datetime
    part: int = 0
    """Which part of the reply (0-based) when the sender sends ``parts`` messages per reply."""


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
    parts: int = 1
    """How many channel messages every reply goes out as (each one recorded in ``sent``)."""
    part_failures: dict[tuple[str, int], deque[DeliveryError]] = field(
        default_factory=lambda: defaultdict(deque)
    )

    def fail(self, chat_id: str | int, *errors: BaseException) -> None:
        """The next sends to ``chat_id`` raise these, in order (before any part goes out)."""
        self.failures[str(chat_id)].extend(errors)

    def fail_part(self, chat_id: str | int, part: int, *errors: DeliveryError) -> None:
        """The next tries of part ``part`` (0-based) to ``chat_id`` raise these, in order."""
        self.part_failures[(str(chat_id), part)].extend(errors)

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        self.calls.append(chat_id)
        if self.before_send is not None:
            self.before_send(chat_id)
        queue = self.failures.get(chat_id)
        if queue:
            raise queue.popleft()
        first = ""
        for part in range(skip, self.parts):
            failing = self.part_failures.get((chat_id, part))
            if failing:
                error = failing.popleft()
                raise PartlySent(part, error) if part > skip else error
            self.sent.append(SentMessage(chat_id, reply, self.clock.now(), part))
            first = first or str(len(self.sent))
            if self.die_after is not None and len(self.sent) >= self.die_after:
                self.die_after = None
                raise Killed
        return first

    def count(self, chat_id: str | int, part: int | None = None) -> int:
        """Messages sent to ``chat_id`` (only those that were part ``part``, if given)."""
        return sum(1 for m in self.sent if m.chat_id == str(chat_id) and part in (None, m.part))


def clock_sleep(clock: FakeClock) -> Callable[[float], Awaitable[None]]:
    """An ``asyncio.sleep`` stand-in: lets ready tasks run, then moves the fake clock."""

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)  # what was ready runs "now", before time moves on
        clock.advance(dt.timedelta(seconds=seconds))

    return sleep
