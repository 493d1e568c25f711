"""One class's flood must not delay another class's urgent announcement.

The real delivery worker (:class:`bot.outbox.worker.DeliveryWorker`, Telegram's
limits: 30 messages/s, 1/s per chat) drains a real database on a simulated
clock; the sender records when each message would have gone out. Class A
(40 trainees, 3 managers) gets 300 broadcasts from its managers, queued
through the real service (:func:`bot.announcements.publish.create`, the
per-person cap switched off to make the flood) at 10 per second; 20 seconds
in, class B's manager posts one urgent announcement to B's 30 trainees.
Printed: how long after it was posted the last of B's trainees got it
(``other class's urgent delay``, target ≤ 5 s), and how many of A's
broadcasts a manager gets accepted per hour with the default cap. Run:
``.venv/bin/python -m benchmarks.fairness_bench`` (a few seconds).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.announcements import publish
from bot.clock import FakeClock
from bot.config import Settings
from bot.domain import Channel, Person, Role, localized
from bot.outbox.worker import DeliveryWorker
from bot.replies import Reply
from bot.store import Database, classes, people
from bot.store.versions import save_version
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule

START = dt.datetime(2024, 7, 15, 1, 0, tzinfo=dt.UTC)
A_TRAINEES, A_MANAGERS, B_TRAINEES = 40, 3, 30
FLOOD, FLOOD_RATE = 300, 10.0
B_POSTS_AT = 20.0


@dataclass
class Recorder:
    """A Sender that delivers instantly and notes the simulated time of each message."""

    clock: FakeClock
    channel: Channel = Channel.TELEGRAM
    delivered: dict[str, list[dt.datetime]] = field(default_factory=dict)

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        self.delivered.setdefault(chat_id, []).append(self.clock.now())
        return str(sum(len(v) for v in self.delivered.values()))


@dataclass(order=True)
class Event:
    at: float
    seq: int
    run: Callable[[], Awaitable[None]] = field(compare=False)


class Simulation:
    """The simulated clock: the worker's sleeps advance it, running the events they pass."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.events: list[Event] = []
        self.seq = itertools.count()

    def at(self, seconds: float, run: Callable[[], Awaitable[None]]) -> None:
        heapq.heappush(self.events, Event(seconds, next(self.seq), run))

    def elapsed(self) -> float:
        return (self.clock.now() - START).total_seconds()

    async def run_due(self) -> None:
        while self.events and self.events[0].at <= self.elapsed():
            await heapq.heappop(self.events).run()

    async def sleep(self, seconds: float) -> None:
        target = self.elapsed() + max(seconds, 0.0)
        while self.events and self.events[0].at <= target:
            event = heapq.heappop(self.events)
            self.clock.set(START + dt.timedelta(seconds=max(event.at, self.elapsed())))
            await event.run()
        self.clock.set(START + dt.timedelta(seconds=max(target, self.elapsed())))
        await asyncio.sleep(0)


async def enrol(db: Database, class_id: int, role: Role, first: int, count: int) -> list[Person]:
    made = []
    for ext in range(first, first + count):
        person, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=str(ext),
            chat_id=str(ext),
            display_name=f"Person {ext}",
            language_code="vi",
            now=START,
        )
        await people.add_member(db, class_id, person.id, role, START)
        made.append(person)
    return made


async def run(path: Path) -> tuple[float, int]:
    clock = FakeClock(START)
    sim = Simulation(clock)
    db = await Database.open(path)
    try:
        cls_a, _ = await save_version(
            db, vientiane_schedule(), created_by="bench", source_hash="a", now=START
        )
        cls_b, _ = await save_version(
            db, guangzhou_schedule(), created_by="bench", source_hash="b", now=START
        )
        await enrol(db, cls_a.id, Role.TRAINEE, 1000, A_TRAINEES)
        managers = await enrol(db, cls_a.id, Role.MANAGER, 2000, A_MANAGERS)
        await enrol(db, cls_b.id, Role.TRAINEE, 3000, B_TRAINEES)
        [b_manager] = await enrol(db, cls_b.id, Role.MANAGER, 4000, 1)
        recorder = Recorder(clock)
        worker = DeliveryWorker(db, [recorder], clock, sleep=sim.sleep)
        posted: list[dt.datetime] = []
        done = asyncio.Event()

        def flood(n: int) -> Callable[[], Awaitable[None]]:
            async def go() -> None:
                sender = managers[n % A_MANAGERS]
                draft = publish.Draft(cls_a.id, localized({"vi": f"Spam {n}"}))
                await publish.create(db, sender, draft, clock.now(), per_hour=0)

            return go

        async def urgent() -> None:
            draft = publish.Draft(cls_b.id, localized({"vi": "Xe xuất phát sớm 30 phút"}))
            await publish.create(db, b_manager, draft, clock.now())
            posted.append(clock.now())

        for n in range(FLOOD):
            sim.at(n / FLOOD_RATE, flood(n))
        sim.at(B_POSTS_AT, urgent)

        async def watch() -> None:
            while True:
                got = [recorder.delivered.get(str(3000 + i)) for i in range(B_TRAINEES)]
                if posted and all(got):
                    done.set()
                    return
                await asyncio.sleep(0)

        await sim.run_due()
        watcher = asyncio.create_task(watch())
        worker.start()
        await asyncio.wait_for(done.wait(), 600)
        await worker.stop()
        watcher.cancel()
        last_b = max(
            min(t for t in recorder.delivered[str(3000 + i)] if t >= posted[0])
            for i in range(B_TRAINEES)
        )
        delay = (last_b - posted[0]).total_seconds()

        # The per-manager cap with the default setting: how many of 300 get accepted in an hour.
        accepted = 0
        cap = Settings().announcements_per_hour
        fresh = await classes.get_class(db, cls_a.id)
        assert fresh is not None
        for n in range(FLOOD):
            draft = publish.Draft(cls_a.id, localized({"vi": f"Again {n}"}))
            try:
                await publish.create(
                    db, managers[0], draft, clock.now() + dt.timedelta(hours=2), per_hour=cap
                )
            except publish.TooMany:
                continue
            accepted += 1
        return delay, accepted
    finally:
        await db.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        delay, accepted = asyncio.run(run(Path(tmp) / "bench.db"))
    print(f"other class's urgent delay {delay:.2f} s")
    print(f"one manager's broadcasts accepted in an hour (cap) {accepted} of {FLOOD}")


if __name__ == "__main__":
    main()
