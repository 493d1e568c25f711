"""Fair sending: one class's flood never keeps another class's urgent message waiting."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import FakeClock
from bot.domain import Channel
from bot.outbox.worker import DeliveryWorker
from bot.replies import Reply
from bot.store import Database, outbox
from bot.store.versions import save_version
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule
from tests.helpers.senders import FakeSender, clock_sleep


@pytest.fixture
async def two_classes(db: Database, clock: FakeClock) -> tuple[int, int]:
    a, _ = await save_version(
        db, vientiane_schedule(), created_by="t", source_hash="a", now=clock.now()
    )
    b, _ = await save_version(
        db, guangzhou_schedule(), created_by="t", source_hash="b", now=clock.now()
    )
    return a.id, b.id


def row(
    key: str, chat: str, class_id: int, at: dt.datetime, urgent: bool = True
) -> outbox.OutgoingMessage:
    return outbox.OutgoingMessage(
        dedup_key=key,
        kind="announcement",
        reply=Reply.text(key),
        not_before=at,
        class_id=class_id,
        channel=Channel.TELEGRAM,
        chat_id=chat,
        urgent=urgent,
    )


async def test_due_rows_are_served_round_robin_across_chats_and_classes(
    db: Database, clock: FakeClock, two_classes: tuple[int, int]
) -> None:
    now = clock.now()
    flood = [row(f"a{n}-{c}", f"10{c}", 1, now) for n in range(50) for c in range(3)]
    await outbox.enqueue(db, flood, now)
    later = now + dt.timedelta(seconds=5)
    await outbox.enqueue(db, [row("b-urgent", "200", 2, later)], later)
    await outbox.enqueue(db, [row("a-routine", "101", 1, now, urgent=False)], later)
    batch = await outbox.due(db, later, limit=5)
    keys = [m.dedup_key for m in batch]
    # Every chat's oldest urgent message first, classes interleaved; the newcomer among them.
    assert keys[:2] == ["a0-0", "b-urgent"]
    assert set(keys[:4]) == {"a0-0", "a0-1", "a0-2", "b-urgent"}
    assert "a-routine" not in keys


async def test_another_classs_urgent_message_goes_out_within_seconds(
    db: Database, clock: FakeClock, two_classes: tuple[int, int]
) -> None:
    """Three chats of class A hold 100 urgent messages each (1 message/s per chat); class B's
    urgent message queued ten seconds in still reaches B within a few seconds."""
    start = clock.now()
    a, b = two_classes
    await outbox.enqueue(
        db, [row(f"a{n}-{c}", f"10{c}", a, start) for n in range(100) for c in range(3)], start
    )
    sender = FakeSender(clock)
    posted: list[dt.datetime] = []
    tick = clock_sleep(clock)

    async def sleep(seconds: float) -> None:
        await tick(seconds)
        if not posted and clock.now() - start >= dt.timedelta(seconds=10):
            posted.append(clock.now())
            await outbox.enqueue(db, [row("b", "200", b, clock.now())], clock.now())

    worker = DeliveryWorker(db, [sender], clock, sleep=sleep)
    await worker.run_until_idle()
    assert posted and sender.count("101") == 100
    [sent_b] = [m for m in sender.sent if m.chat_id == "200"]
    assert (sent_b.at - posted[0]).total_seconds() <= 2.0
