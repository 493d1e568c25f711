"""Jobs of sign-in, ratings and the evaluation: planned from the store, never doubled."""

from __future__ import annotations

import datetime as dt

from bot.attendance import planning
from bot.clock import FakeClock
from bot.evaluation import form
from bot.store import attendance as attendance_store
from bot.store import outbox
from bot.store.attendance import SigninSettings
from bot.store.database import Database
from tests.helpers.class_jobs import fire, planned
from tests.helpers.sample import Seeded

DAY = dt.date(2024, 7, 15)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 7, day, hour - 7, minute, tzinfo=dt.UTC)


async def test_the_plan(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    jobs = await planned(db, clock.now())
    cid = seeded.cls.id
    signin = jobs[f"signin:{cid}:s2:2024-07-15"]
    assert (signin.when, signin.deadline) == (utc(15, 9, 0), utc(15, 9, 45))
    assert signin.urgent
    assert jobs[f"rate:{cid}:s2:2024-07-15"].when == utc(15, 11, 30)
    assert f"signin:{cid}:s1:2024-07-15" not in jobs  # the opening has no sign-in by default
    assert jobs[f"evaluation:{cid}"].when == utc(17, 15, 0)  # the last day's first session
    assert jobs[f"evaluation-reminder:{cid}"].when == utc(17, 20, 0)
    # A changed setting moves the jobs (the database is the source of truth).
    await attendance_store.save_settings(
        db, cid, SigninSettings(opens_min=30, kinds=frozenset({"lecture", "opening"}))
    )
    jobs = await planned(db, clock.now())
    assert jobs[f"signin:{cid}:s2:2024-07-15"].when == utc(15, 8, 45)
    assert f"signin:{cid}:s1:2024-07-15" in jobs


async def test_recipients_and_never_twice(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    cid = seeded.cls.id
    clock.set(utc(15, 11, 35))
    jobs = await planned(db, clock.now())
    rate = jobs[f"rate:{cid}:s2:2024-07-15"]
    assert await fire(db, rate, clock.now()) == 0  # nobody attended
    await attendance_store.sign_in(db, cid, "s2", DAY, seeded.trainee.id, utc(15, 9, 5))
    assert await fire(db, rate, clock.now()) == 1
    assert await fire(db, rate, clock.now()) == 0
    queued = await outbox.by_key(db, planning.dedup_key(rate, seeded.trainee.id))
    assert queued is not None and not queued.urgent
    assert queued.reply.buttons[0][4].action == f"rate:{cid}:s2:2024-07-15:5"

    clock.set(utc(17, 20, 0))
    jobs = await planned(db, clock.now())
    remind = jobs[f"evaluation-reminder:{cid}"]
    assert await fire(db, remind, clock.now()) == 1  # the trainee has not answered
    assert await fire(db, remind, clock.now()) == 0  # once
    # A stale job (its time moved or passed) does nothing.
    clock.set(utc(18, 8, 0))
    assert await fire(db, jobs[f"evaluation:{cid}"], clock.now()) == 0


async def test_evaluation_reminder_skips_who_finished(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(utc(17, 20, 0))
    for number in range(1, 7):
        await form.give_answer(
            db,
            seeded.trainee,
            seeded.cls.id,
            number,
            3 if number < 6 else None,
            "",
            clock.now(),
            "en",
        )
    jobs = await planned(db, clock.now())
    assert jobs[f"evaluation-reminder:{seeded.cls.id}"].kind == "evaluation-reminder"
    assert await fire(db, jobs[f"evaluation-reminder:{seeded.cls.id}"], clock.now()) == 0
