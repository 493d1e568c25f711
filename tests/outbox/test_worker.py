"""The delivery worker: exactly one copy per reachable recipient, limits, retries, crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import logs
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.outbox.sender import Rejected, RetryAfter, TransientError, Uncertain, Unreachable
from bot.outbox.worker import DeliveryWorker, Limits
from bot.replies import Reply
from bot.store import Database, outbox, people
from tests.helpers.senders import FakeSender, Killed, clock_sleep

S = dt.timedelta(seconds=1)


async def make_people(db: Database, count: int, now: dt.datetime, start: int = 1) -> list[Person]:
    made = []
    for n in range(start, start + count):
        person, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=str(n),
            chat_id=str(n),
            display_name=f"P{n}",
            language_code="vi",
            now=now,
        )
        made.append(person)
    return made


def message(key: str, now: dt.datetime, **kw: object) -> outbox.OutgoingMessage:
    kw.setdefault("not_before", now)
    return outbox.OutgoingMessage(dedup_key=key, kind="test", reply=Reply.text(key), **kw)  # type: ignore[arg-type]


async def enqueue_to(db: Database, persons: list[Person], now: dt.datetime, tag: str = "m") -> None:
    await outbox.enqueue(db, [message(f"{tag}:{p.id}", now, person_id=p.id) for p in persons], now)


def worker(db: Database, sender: FakeSender, clock: FakeClock, **kw: object) -> DeliveryWorker:
    return DeliveryWorker(db, [sender], clock, sleep=clock_sleep(clock), **kw)  # type: ignore[arg-type]


async def test_each_reachable_recipient_gets_exactly_one_copy(
    db: Database, clock: FakeClock
) -> None:
    persons = await make_people(db, 10, clock.now())
    sender = FakeSender(clock)
    sender.fail("3", Unreachable("Forbidden: bot was blocked by the user"))
    sender.fail("5", RetryAfter(2))
    sender.fail("7", TransientError("connection reset"), TransientError("timed out"))
    sender.fail("8", Rejected("Bad Request: chat not found"))
    await enqueue_to(db, persons, clock.now())

    stats = await worker(db, sender, clock).run_until_idle(until=clock.now() + 10 * S * 60)

    for n in (1, 2, 4, 5, 6, 7, 9, 10):
        assert sender.count(n) == 1, n
    assert sender.count(3) == sender.count(8) == 0
    assert (stats.sent, stats.unreachable, stats.failed, stats.retried) == (8, 1, 1, 3)
    assert await outbox.state_counts(db) == {"failed": 1, "sent": 8, "unreachable": 1}
    blocked = await people.find_identity(db, Channel.TELEGRAM, "3")
    assert blocked is not None and not blocked.reachable
    row = await outbox.by_key(db, f"m:{persons[7].id}")
    assert row is not None and row.state == "failed"


async def test_overall_rate_is_30_per_second_on_the_fake_clock(
    db: Database, clock: FakeClock
) -> None:
    persons = await make_people(db, 90, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = FakeSender(clock)
    start = clock.now()

    await worker(db, sender, clock).run_until_idle()

    times = [(m.at - start).total_seconds() for m in sender.sent]
    assert len(times) == 90
    assert times[-1] == pytest.approx(89 / 30, abs=0.02)  # 30/s, with a 5 ms margin a second
    assert max(sum(1 for t in times if w <= t < w + 1) for w in times) <= 30


async def test_one_message_per_second_to_one_chat_without_holding_others(
    db: Database, clock: FakeClock
) -> None:
    one, *others = await make_people(db, 4, clock.now())
    now = clock.now()
    await outbox.enqueue(db, [message(f"x:{n}", now, person_id=one.id) for n in range(3)], now)
    await enqueue_to(db, others, now)
    sender = FakeSender(clock)

    await worker(db, sender, clock).run_until_idle()

    mine = [(m.at - now).total_seconds() for m in sender.sent if m.chat_id == "1"]
    assert len(mine) == 3 and mine[1] - mine[0] >= 1 - 1e-6 and mine[2] - mine[1] >= 1 - 1e-6
    first_others = [(m.at - now).total_seconds() for m in sender.sent if m.chat_id != "1"]
    assert max(first_others) < 0.5  # the others did not wait behind chat 1


async def test_group_chat_gets_at_most_20_per_minute(db: Database, clock: FakeClock) -> None:
    now = clock.now()
    await outbox.enqueue(
        db,
        [message(f"g:{n}", now, channel=Channel.TELEGRAM, chat_id="-100123") for n in range(25)],
        now,
    )
    sender = FakeSender(clock)

    await worker(db, sender, clock).run_until_idle()

    times = [(m.at - now).total_seconds() for m in sender.sent]
    assert len(times) == 25
    assert max(sum(1 for t in times if w <= t < w + 60) for w in times) <= 20
    assert times[-1] == pytest.approx(24 * 3, abs=0.01)


async def test_not_before_waits_and_urgent_goes_first(db: Database, clock: FakeClock) -> None:
    a, b, c = await make_people(db, 3, clock.now())
    now = clock.now()
    later = now + dt.timedelta(hours=7)  # quiet hours end
    await outbox.enqueue(
        db,
        [
            message("quiet", now, person_id=a.id, not_before=later),
            message("normal", now, person_id=b.id),
            message("urgent", now + S / 2, person_id=c.id, urgent=True),
        ],
        now,
    )
    sender = FakeSender(clock)
    w = worker(db, sender, clock)
    clock.advance(S)

    await w.run_until_idle()
    assert [m.reply.plain() for m in sender.sent] == ["urgent", "normal"]

    clock.set(later)
    await w.run_until_idle()
    assert [m.reply.plain() for m in sender.sent][-1] == "quiet"
    assert sender.sent[-1].at == later


async def test_stale_messages_expire_unsent(db: Database, clock: FakeClock) -> None:
    a, b = await make_people(db, 2, clock.now())
    now = clock.now()
    await outbox.enqueue(
        db,
        [
            message("stale", now, person_id=a.id, expires_at=now + 60 * S),
            message("fresh", now, person_id=b.id, expires_at=now + 3600 * S),
        ],
        now,
    )
    clock.advance(120 * S)
    sender = FakeSender(clock)

    stats = await worker(db, sender, clock).run_until_idle()

    assert [m.reply.plain() for m in sender.sent] == ["fresh"]
    assert stats.expired == 1
    stale = await outbox.by_key(db, "stale")
    assert stale is not None and stale.state == "expired" and stale.attempts == 0


async def test_transient_errors_back_off_then_give_up(db: Database, clock: FakeClock) -> None:
    (a,) = await make_people(db, 1, clock.now())
    await enqueue_to(db, [a], clock.now())
    sender = FakeSender(clock)
    sender.fail("1", *[TransientError("down")] * 10)
    start = clock.now()

    await worker(db, sender, clock, max_attempts=4).run_until_idle(until=start + 3600 * S)

    row = await outbox.by_key(db, f"m:{a.id}")
    assert row is not None and row.state == "failed" and row.attempts == 4
    assert len(sender.calls) == 4
    # The episode's probes (each retry is one, this sender having no probe call) come
    # 1 s (the chat's own limit), 1 s and 2 s apart: doubling, capped at 2 s.
    assert clock.now() - start == 4 * S


async def test_three_floods_in_a_row_pause_the_whole_channel(
    db: Database, clock: FakeClock
) -> None:
    persons = await make_people(db, 5, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = FakeSender(clock)
    for n in (1, 2, 3):
        sender.fail(n, RetryAfter(5))
    start = clock.now()

    await worker(db, sender, clock, max_in_flight=1).run_until_idle(until=start + 60 * S)

    fourth = next(m for m in sender.sent if m.chat_id == "4")
    assert (fourth.at - start).total_seconds() >= 5
    assert all(sender.count(n) == 1 for n in range(1, 6))


async def test_blocked_channel_falls_back_to_the_persons_other_identity(
    db: Database, clock: FakeClock
) -> None:
    (a,) = await make_people(db, 1, clock.now())  # on Telegram, used last
    await db.execute(
        "INSERT INTO identities (channel, external_id, person_id, chat_id, last_seen_at) "
        "VALUES ('zalo', 'z1', ?, 'z1', '2024-07-01T00:00:00.000000Z')",
        (a.id,),
    )
    await enqueue_to(db, [a], clock.now())
    telegram, zalo = FakeSender(clock), FakeSender(clock, channel=Channel.ZALO)
    telegram.fail("1", Unreachable("blocked"))
    w = DeliveryWorker(db, [telegram, zalo], clock, sleep=clock_sleep(clock))

    await w.run_until_idle()

    assert telegram.sent == [] and zalo.count("z1") == 1
    row = await outbox.by_key(db, f"m:{a.id}")
    assert row is not None and row.state == "sent"
    sent = await db.fetchone("SELECT sent_channel FROM outbox WHERE id = ?", (row.id,))
    assert sent is not None and sent[0] == "zalo"
    identity = await people.find_identity(db, Channel.TELEGRAM, "1")
    assert identity is not None and not identity.reachable


async def test_person_without_reachable_channel_is_reported_without_an_attempt(
    db: Database, clock: FakeClock
) -> None:
    (a,) = await make_people(db, 1, clock.now())
    await people.mark_unreachable(db, Channel.TELEGRAM, "1", "blocked")
    await enqueue_to(db, [a], clock.now())

    await worker(db, FakeSender(clock), clock).run_until_idle()

    row = await outbox.by_key(db, f"m:{a.id}")
    assert row is not None and row.state == "unreachable" and row.attempts == 0


async def test_a_sender_bug_leaves_the_message_uncertain_not_resent(
    db: Database, clock: FakeClock
) -> None:
    a, b = await make_people(db, 2, clock.now())
    await enqueue_to(db, [a, b], clock.now())
    sender = FakeSender(clock)
    sender.fail("1", ValueError("renderer bug"))

    stats = await worker(db, sender, clock).run_until_idle(until=clock.now() + 600 * S)

    assert sender.calls == ["1", "2"] and stats.uncertain == 1
    row = await outbox.by_key(db, f"m:{a.id}")
    assert row is not None and row.state == "uncertain"


async def test_killed_mid_broadcast_and_restarted_finishes_without_duplicates(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "crash.db"
    first = await Database.open(path)
    persons = await make_people(first, 40, clock.now())
    await enqueue_to(first, persons, clock.now())
    sender = FakeSender(clock, die_after=17)  # the 17th message goes out, then the process dies
    with pytest.raises(Killed):
        await worker(first, sender, clock).run_until_idle()
    await first.close()  # nothing of the old worker survives but the file

    second = await Database.open(path)
    restarted = worker(second, sender, clock)
    interrupted = await restarted.recover()
    await restarted.run_until_idle()

    assert 1 <= len(interrupted) <= 2 * restarted.max_in_flight
    assert all(sender.count(p.id) == 1 for p in persons)  # none lost, none doubled
    assert len(sender.calls) == 40
    counts = await outbox.state_counts(second)
    assert counts == {"sent": 40 - len(interrupted), "uncertain": len(interrupted)}
    assert (await restarted.recover()) == []
    await second.close()


class HangingSender(FakeSender):
    """Hangs forever on the sixth call (a send in flight when the worker is cancelled)."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.hanging = asyncio.Event()
        self.delivered = asyncio.Event()

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        if len(self.calls) == 5:
            self.calls.append(chat_id)
            self.hanging.set()
            await asyncio.Event().wait()
        result = await super().send(chat_id, reply, skip=skip)
        self.delivered.set()
        return result


async def test_cancelled_worker_task_resumes_on_restart(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "cancel.db"
    first = await Database.open(path)
    persons = await make_people(first, 12, clock.now())
    await enqueue_to(first, persons, clock.now())
    sender = HangingSender(clock)
    task = asyncio.create_task(worker(first, sender, clock, max_in_flight=1).run_until_idle())
    await asyncio.wait_for(sender.hanging.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await first.close()

    second = await Database.open(path)
    again = worker(second, sender, clock)
    interrupted = await again.recover()
    await again.run_until_idle()

    assert len(interrupted) == 1
    assert len(sender.calls) == 12 and len(sender.sent) == 11  # the interrupted one: not resent
    assert await outbox.state_counts(second) == {"sent": 11, "uncertain": 1}
    await second.close()


class GatedSender(FakeSender):
    """Holds every send until released, counting how many wait at once."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.release = asyncio.Event()
        self.waiting = 0
        self.three_waiting = asyncio.Event()

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        self.waiting += 1
        if self.waiting == 3:
            self.three_waiting.set()
        await self.release.wait()
        return await super().send(chat_id, reply, skip=skip)


async def test_sends_overlap_up_to_max_in_flight(db: Database, clock: FakeClock) -> None:
    persons = await make_people(db, 6, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = GatedSender(clock)
    task = asyncio.create_task(worker(db, sender, clock, max_in_flight=3).run_until_idle())
    await asyncio.wait_for(sender.three_waiting.wait(), 10)
    for _ in range(50):
        await asyncio.sleep(0)
    assert sender.waiting == 3  # three sends wait on the channel at once, and no more
    sender.release.set()
    await asyncio.wait_for(task, 10)
    assert len(sender.sent) == 6


async def test_long_running_loop_is_woken_by_enqueue(db: Database, clock: FakeClock) -> None:
    (a,) = await make_people(db, 1, clock.now())
    sender = HangingSender(clock)
    w = worker(db, sender, clock)
    w.start()
    await enqueue_to(db, [a], clock.now())
    await asyncio.wait_for(sender.delivered.wait(), 10)
    await w.stop()
    assert sender.count(1) == 1


async def test_paid_broadcast_limits_allow_1000_per_second(db: Database, clock: FakeClock) -> None:
    persons = await make_people(db, 100, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = FakeSender(clock)
    start = clock.now()

    await worker(
        db, sender, clock, limits={Channel.TELEGRAM: Limits(per_second=1000)}
    ).run_until_idle()

    assert (clock.now() - start).total_seconds() == pytest.approx(0.099, abs=0.002)


async def test_loop_survives_a_failed_round_without_resending(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = await make_people(db, 6, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = HangingSender(clock)  # the sixth call hangs: the round is still running
    real_begin = outbox.begin_attempt
    calls = 0

    async def flaky_begin(*args: object, **kw: object) -> bool:
        nonlocal calls
        calls += 1
        if calls == 6:
            raise sqlite3.OperationalError("disk I/O error")
        return await real_begin(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "begin_attempt", flaky_begin)
    sender.calls.append("x")  # so that the hang is on the fifth message's send
    w = worker(db, sender, clock)
    w.start()
    await asyncio.wait_for(sender.hanging.wait(), 10)
    for _ in range(2000):
        if (await outbox.state_counts(db)).get("pending", 0) == 0:
            break
        await asyncio.sleep(0)
    await w.stop(grace=1)

    counts = await outbox.state_counts(db)
    assert counts.get("uncertain", 0) >= 1  # the abandoned send is reported, not resent
    assert sum(counts.values()) == 6 and counts.get("pending", 0) == 0
    assert all(sender.count(p.id) <= 1 for p in persons)


# --- several-part replies: a failed part resumes, the parts already out are not repeated ---


async def _parts_row(db: Database, key: str) -> tuple[str, int, str | None, str]:
    row = await outbox.by_key(db, key)
    assert row is not None
    found = await db.fetchone("SELECT last_error FROM outbox WHERE id = ?", (row.id,))
    assert found is not None
    return row.state, row.parts_done, row.parts_route, found[0]


@pytest.mark.parametrize(
    "error", [RetryAfter(5), TransientError("connection reset")], ids=["429", "network"]
)
async def test_second_part_failing_is_retried_without_repeating_the_first(
    db: Database, clock: FakeClock, error: RetryAfter | TransientError
) -> None:
    (a,) = await make_people(db, 1, clock.now())
    await enqueue_to(db, [a], clock.now())
    sender = FakeSender(clock, parts=2)
    sender.fail_part("1", 1, error)
    start = clock.now()

    stats = await worker(db, sender, clock).run_until_idle(until=start + 60 * S)

    assert sender.calls == ["1", "1"]
    assert sender.count(1, part=0) == 1 and sender.count(1, part=1) == 1
    assert [m.part for m in sender.sent] == [0, 1]
    assert (stats.sent, stats.retried, stats.failed) == (1, 1, 0)
    assert await _parts_row(db, f"m:{a.id}") == ("sent", 1, "telegram:1", "")
    if isinstance(error, RetryAfter):
        assert sender.sent[1].at - start >= 5 * S  # the flood wait was honoured


async def test_third_part_failing_twice_resumes_at_the_third(
    db: Database, clock: FakeClock
) -> None:
    (a,) = await make_people(db, 1, clock.now())
    await enqueue_to(db, [a], clock.now())
    sender = FakeSender(clock, parts=3)
    sender.fail_part("1", 2, TransientError("reset"), RetryAfter(3))

    await worker(db, sender, clock).run_until_idle(until=clock.now() + 60 * S)

    assert [m.part for m in sender.sent] == [0, 1, 2]
    assert len(sender.calls) == 3
    assert await _parts_row(db, f"m:{a.id}") == ("sent", 2, "telegram:1", "")


async def test_a_part_rejected_for_good_fails_the_message_saying_what_went_out(
    db: Database, clock: FakeClock
) -> None:
    (a,) = await make_people(db, 1, clock.now())
    await enqueue_to(db, [a], clock.now())
    sender = FakeSender(clock, parts=2)
    sender.fail_part("1", 1, Rejected("Bad Request: wrong coordinates"))

    stats = await worker(db, sender, clock).run_until_idle(until=clock.now() + 60 * S)

    assert sender.calls == ["1"] and stats.failed == 1
    state, done, route, error = await _parts_row(db, f"m:{a.id}")
    assert (state, done, route) == ("failed", 1, "telegram:1")
    assert error == "rejected after 1 part(s) went out: Bad Request: wrong coordinates"


async def test_blocked_after_a_part_falls_back_to_the_other_channel_from_the_first_part(
    db: Database, clock: FakeClock
) -> None:
    (a,) = await make_people(db, 1, clock.now())  # on Telegram, used last
    await db.execute(
        "INSERT INTO identities (channel, external_id, person_id, chat_id, last_seen_at) "
        "VALUES ('zalo', 'z1', ?, 'z1', '2024-07-01T00:00:00.000000Z')",
        (a.id,),
    )
    await enqueue_to(db, [a], clock.now())
    telegram = FakeSender(clock, parts=2)
    zalo = FakeSender(clock, channel=Channel.ZALO, parts=2)
    telegram.fail_part("1", 1, Unreachable("Forbidden: bot was blocked by the user"))
    w = DeliveryWorker(db, [telegram, zalo], clock, sleep=clock_sleep(clock))

    await w.run_until_idle()

    assert [m.part for m in telegram.sent] == [0]
    assert [(m.chat_id, m.part) for m in zalo.sent] == [("z1", 0), ("z1", 1)]
    state, done, route, _error = await _parts_row(db, f"m:{a.id}")
    assert (state, done, route) == ("sent", 1, "telegram:1")
    identity = await people.find_identity(db, Channel.TELEGRAM, "1")
    assert identity is not None and not identity.reachable


async def test_progress_recorded_for_one_chat_is_not_applied_to_another(
    db: Database, clock: FakeClock
) -> None:
    a, b = await make_people(db, 2, clock.now())
    await enqueue_to(db, [a, b], clock.now())
    first = await outbox.by_key(db, f"m:{a.id}")
    second = await outbox.by_key(db, f"m:{b.id}")
    assert first is not None and second is not None
    await outbox.record_parts(db, first.id, 1, "telegram:1", clock.now())
    await outbox.record_parts(db, second.id, 1, "zalo:2", clock.now())
    sender = FakeSender(clock, parts=2)

    await worker(db, sender, clock).run_until_idle()

    assert [m.part for m in sender.sent if m.chat_id == "1"] == [1]
    assert [m.part for m in sender.sent if m.chat_id == "2"] == [0, 1]


async def test_stop_cuts_a_rate_limit_wait_short(db: Database, clock: FakeClock) -> None:
    """With the real sleep and a clock that does not move, the rate wait never ends by itself."""
    persons = await make_people(db, 40, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = FakeSender(clock)
    live = DeliveryWorker(db, [sender], clock)  # asyncio.sleep: waits in real seconds
    live.start()
    for _ in range(200):
        if sender.sent:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the worker is now waiting for a limit that never frees
    loop = asyncio.get_running_loop()
    started = loop.time()
    await live.stop(grace=30)
    assert loop.time() - started < 1.0
    assert 0 < len(sender.sent) < 40  # the rest stay due for the next start


async def test_a_full_disk_is_one_warning_a_minute_not_a_traceback_a_second(
    db: Database,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sender = FakeSender(clock)
    slept: list[float] = []
    delivery = DeliveryWorker(db, [sender], clock)

    async def full(*_args: object, **_kw: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(dt.timedelta(seconds=seconds))
        if len(slept) >= 20:
            delivery._stopping = True

    delivery.sleep = sleep
    delivery._throttle = logs.Throttle(60.0, clock=lambda: clock.now().timestamp())
    monkeypatch.setattr(outbox, "expire_stale", full)
    with caplog.at_level(logging.INFO, logger="bot.outbox.worker"):
        await delivery.run()

    records = [r for r in caplog.records if r.name == "bot.outbox.worker"]
    minutes = sum(slept) / 60
    assert 1 <= len(records) <= minutes + 1  # 20 failed rounds in 8.5 minutes: 9 lines
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in records)
    assert "free space" in records[0].getMessage()
    assert max(slept) <= 30 and slept[:3] == [2.0, 4.0, 8.0]  # backs off, capped


@dataclass
class ProbingSender(FakeSender):
    """A sender whose API is down until ``down_until`` (probes fail until then)."""

    down_until: dt.datetime | None = None
    probes: list[dt.datetime] = field(default_factory=list)

    def down(self) -> bool:
        return self.down_until is not None and self.clock.now() < self.down_until

    async def probe(self) -> None:
        self.probes.append(self.clock.now())
        if self.down():
            raise TransientError("connection refused")

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        if self.down():
            self.calls.append(chat_id)
            raise TransientError("connection refused")
        return await super().send(chat_id, reply, skip=skip)


async def test_an_outage_is_one_episode_and_sending_resumes_right_after_the_api_answers(
    db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    persons = await make_people(db, 20, clock.now())
    await enqueue_to(db, persons, clock.now())
    start = clock.now()
    sender = ProbingSender(clock, down_until=start + 60 * S)

    with caplog.at_level(logging.INFO, logger="bot.outbox.worker"):
        stats = await worker(db, sender, clock).run_until_idle(until=start + 600 * S)

    assert all(sender.count(n) == 1 for n in range(1, 21))
    assert stats.failed == stats.uncertain == 0
    resumed = min(m.at for m in sender.sent)
    assert start + 60 * S <= resumed <= start + 62 * S  # probes every ≤ 2 s, not 2 min later
    gaps = [(b - a).total_seconds() for a, b in zip(sender.probes, sender.probes[1:], strict=False)]
    assert max(gaps) <= 2.0
    paused = [r for r in caplog.records if "event=sending_paused" in r.getMessage()]
    resumed_lines = [r for r in caplog.records if "event=sending_resumed" in r.getMessage()]
    assert len(paused) == 1 and paused[0].levelno == logging.WARNING
    assert len(resumed_lines) == 1 and resumed_lines[0].levelno == logging.INFO


async def test_a_send_that_may_have_arrived_is_uncertain_and_never_resent(
    db: Database, clock: FakeClock
) -> None:
    persons = await make_people(db, 3, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = ProbingSender(clock)
    sender.fail("2", Uncertain("Timed out (ReadTimeout)"))

    stats = await worker(db, sender, clock).run_until_idle(until=clock.now() + 600 * S)

    assert sender.calls.count("2") == 1 and sender.count(2) == 0
    assert (stats.sent, stats.uncertain, stats.retried) == (2, 1, 0)
    row = await outbox.by_key(db, f"m:{persons[1].id}")
    assert row is not None and row.state == "uncertain"


async def test_urgent_messages_go_first_when_an_outage_ends(db: Database, clock: FakeClock) -> None:
    persons = await make_people(db, 6, clock.now())
    now = clock.now()
    await outbox.enqueue(
        db,
        [message(f"m:{p.id}", now, person_id=p.id, urgent=p.id > 3) for p in persons],
        now,
    )
    sender = ProbingSender(clock, down_until=now + 10 * S)

    await worker(db, sender, clock, max_in_flight=1).run_until_idle(until=now + 600 * S)

    order = [m.chat_id for m in sender.sent]
    assert order[:3] == ["4", "5", "6"]


async def test_one_chat_failing_for_good_is_not_retried_hot_while_others_go_through(
    db: Database, clock: FakeClock
) -> None:
    persons = await make_people(db, 3, clock.now())
    await enqueue_to(db, persons, clock.now())
    sender = ProbingSender(clock)
    sender.fail("1", *[TransientError("Internal Server Error (500)")] * 20)
    start = clock.now()

    await worker(db, sender, clock).run_until_idle(until=start + 600 * S)

    assert sender.count(2) == sender.count(3) == 1
    row = await outbox.by_key(db, f"m:{persons[0].id}")
    assert row is not None and row.state == "failed" and row.attempts == 8
    assert clock.now() - start >= 60 * S  # 1 + 2 + 4 … s between its own attempts
