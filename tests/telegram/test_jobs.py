"""Reminder jobs on PTB's JobQueue: derived from the store, moved, cancelled, caught up."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.domain import Schedule
from bot.reminders import planning as reminders
from bot.reminders.planning import PlannedJob
from bot.store.database import Database
from bot.store.versions import save_version
from bot.telegram import jobs
from bot.telegram.app import build_application
from bot.telegram.context import BotApp, BotContext
from tests.helpers.sample import seed, vientiane_schedule
from tests.helpers.telegram import RecordingRequest

UTC = dt.UTC


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


@pytest.fixture
async def app(db: Database, clock: FakeClock) -> AsyncIterator[BotApp]:
    """An application whose job queue is started paused: jobs get times but never run alone."""
    application = build_application(Settings(), db=db, request=RecordingRequest(), clock=clock)
    assert application.job_queue is not None
    application.job_queue.scheduler.start(paused=True)
    try:
        yield application
    finally:
        application.job_queue.scheduler.shutdown(wait=False)


def next_times(app: BotApp, clock: FakeClock) -> dict[str, dt.datetime]:
    """Each reminder job's next run, mapped from the scheduler's real time to the fake clock."""
    assert app.job_queue is not None
    real_now = dt.datetime.now(UTC)
    found = {}
    for j in app.job_queue.jobs():
        if jobs.owns(j.name) and j.next_t is not None:
            fake = clock.now() + (j.next_t - real_now)
            minute = round(fake.timestamp() / 60) * 60
            found[str(j.name)] = dt.datetime.fromtimestamp(minute, UTC)
    return found


async def run(app: BotApp, name: str) -> None:
    """Run the named job's callback now, as the scheduler would."""
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(name)
    context = BotContext.from_job(job, app)
    await jobs.run_reminder(context)
    job.schedule_removal()


async def count(db: Database, kind: str) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM outbox WHERE kind = ?", (kind,))
    return int(row[0]) if row else 0


async def test_sync_creates_named_jobs_at_their_times(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    cid = s.cls.id
    report = await jobs.sync_jobs(app, clock.now())
    times = next_times(app, clock)
    assert times[f"digest:{cid}:2024-07-15"] == at(2024, 7, 14, 23, 30)
    assert times[f"digest:{cid}:2024-07-16"] == at(2024, 7, 15, 23, 30)
    assert times[f"depart:{cid}:s3"] == at(2024, 7, 15, 5, 45)
    assert times[f"rollcall:{cid}:s3"] == at(2024, 7, 15, 6, 5)
    assert report.catch_up == 1  # last evening's card for today's visit, still useful
    again = await jobs.sync_jobs(app, clock.now())
    assert again.added == 0 and again.cancelled == 0 and again.kept == report.planned


async def test_schedule_change_moves_the_departure_job(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    cid = s.cls.id
    await jobs.sync_jobs(app, clock.now())
    base = vientiane_schedule()
    moved = tuple(
        dataclasses.replace(x, day=dt.date(2024, 7, 16), departure=dt.time(14, 0))
        if x.key == "s3"
        else x
        for x in base.sessions
    )
    await save_version(
        db, Schedule(base.cls, base.topics, moved), created_by="t", source_hash="m", now=clock.now()
    )
    report = await jobs.sync_jobs(app, clock.now())
    times = next_times(app, clock)
    assert times[f"depart:{cid}:s3"] == at(2024, 7, 16, 6, 30)  # 13:30 in Hanoi on the 16th
    assert f"visit-eve:{cid}:s3:2024-07-15" not in times
    assert times[f"visit-eve:{cid}:s3:2024-07-16"] == at(2024, 7, 15, 13, 0)
    assert report.cancelled >= 3
    assert app.job_queue is not None
    assert len(app.job_queue.get_jobs_by_name(f"depart:{cid}:s3")) == 1


async def test_restart_just_after_digest_sends_no_second_copy(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    await jobs.sync_jobs(app, clock.now())
    clock.set(at(2024, 7, 14, 23, 30))
    await run(app, f"digest:{s.cls.id}:2024-07-15")
    assert await count(db, "digest") == 2
    clock.advance(dt.timedelta(minutes=2))
    restarted = build_application(Settings(), db=db, request=RecordingRequest(), clock=clock)
    assert restarted.job_queue is not None
    restarted.job_queue.scheduler.start(paused=True)
    try:
        await jobs.sync_jobs(restarted, clock.now())
        await run(restarted, f"digest:{s.cls.id}:2024-07-15")  # caught up, deduplicated
    finally:
        restarted.job_queue.scheduler.shutdown(wait=False)
    assert await count(db, "digest") == 2


async def test_down_over_0630_one_late_digest_then_none_past_opening(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 15, 0, 30))  # 07:30 in Hanoi
    report = await jobs.sync_jobs(app, clock.now())
    assert report.catch_up == 2  # today's digest and the evening card
    await run(app, f"digest:{s.cls.id}:2024-07-15")
    assert await count(db, "digest") == 2
    await db.execute("DELETE FROM outbox")
    clock.set(at(2024, 7, 15, 1, 5))  # 08:05: the opening has begun
    await jobs.sync_jobs(app, clock.now())
    assert f"digest:{s.cls.id}:2024-07-15" not in next_times(app, clock)


async def test_job_run_after_its_time_passed_is_dropped(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    await jobs.sync_jobs(app, clock.now())
    clock.set(at(2024, 7, 15, 6, 20))  # the job ran late: the bus left at 06:15 UTC
    await run(app, f"depart:{s.cls.id}:s3")
    assert await count(db, "depart") == 0


async def test_sync_for_one_class_leaves_others(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    await jobs.sync_jobs(app, clock.now())
    before = set(next_times(app, clock))
    report = await jobs.sync_jobs(app, clock.now(), [s.cls.id + 1000])
    assert report.planned == 0 and report.cancelled == 0
    assert set(next_times(app, clock)) == before


async def test_only_the_horizon_sits_on_the_queue(
    app: BotApp, db: Database, clock: FakeClock
) -> None:
    s = await seed(db, clock.now())
    report = await jobs.sync_jobs(app, clock.now())
    # The last day's digest, and its evaluation form and reminder (issue 17).
    assert report.later == 3
    assert f"digest:{s.cls.id}:2024-07-17" not in next_times(app, clock)
    assert app.job_queue is not None
    assert len(app.job_queue.get_jobs_by_name(jobs.RESYNC_NAME)) == 1
    clock.advance(dt.timedelta(days=1))
    await jobs.sync_jobs(app, clock.now())
    assert next_times(app, clock)[f"digest:{s.cls.id}:2024-07-17"] == at(2024, 7, 16, 23, 30)
    assert len(app.job_queue.get_jobs_by_name(jobs.RESYNC_NAME)) == 1


async def test_jobs_due_together_fire_in_one_batch(
    app: BotApp, db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await seed(db, clock.now())
    await jobs.sync_jobs(app, clock.now())
    batches: list[int] = []
    real = reminders.fire_many

    async def counting(db: Database, batch: list[PlannedJob], now: dt.datetime) -> int:
        batches.append(len(batch))
        return await real(db, batch, now)

    monkeypatch.setattr(reminders, "fire_many", counting)
    clock.set(at(2024, 7, 15, 6, 5))  # 13:05: the roll call is due, the reminder is overdue
    assert app.job_queue is not None
    due = [
        app.job_queue.get_jobs_by_name(f"{kind}:{s.cls.id}:s3")[0]
        for kind in ("depart", "rollcall")
    ]
    await asyncio.gather(*(jobs.run_reminder(BotContext.from_job(j, app)) for j in due))
    assert batches == [2]
    assert await count(db, "depart") == 1 and await count(db, "rollcall") == 1
