"""Reminder planning and firing on a moving FakeClock: digests, visit cards, departures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from telegram import Bot

from bot.clock import FakeClock
from bot.domain import Channel, Role, Schedule
from bot.i18n import _, format_clock, use_lang
from bot.outbox.worker import DeliveryWorker
from bot.reminders import planning as reminders
from bot.reminders.planning import JobKind, PlannedJob
from bot.replies import Reply
from bot.store import people
from bot.store import reminders as reminder_store
from bot.store.database import Database, parse_utc
from bot.store.versions import save_version
from bot.telegram.sender import TelegramSender
from tests.helpers.cldr import day
from tests.helpers.sample import Seeded, guangzhou_schedule, seed, vientiane_schedule
from tests.helpers.senders import clock_sleep
from tests.helpers.telegram import RecordingRequest

UTC = dt.UTC


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


async def outbox_rows(db: Database, kind: str | None = None) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT dedup_key, kind, person_id, payload, urgent, not_before, expires_at FROM outbox "
        "ORDER BY id"
    )
    found = [
        {
            "key": r[0],
            "kind": r[1],
            "person": r[2],
            "reply": Reply.from_json(r[3]),
            "urgent": bool(r[4]),
            "not_before": parse_utc(r[5]),
            "expires_at": parse_utc(r[6]) if r[6] else None,
        }
        for r in rows
    ]
    return [f for f in found if kind is None or f["kind"] == kind]


def job(jobs: list[PlannedJob], name: str) -> PlannedJob:
    return next(j for j in jobs if j.name == name)


async def test_plan_for_the_vientiane_class(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    jobs = await reminders.plan_jobs(db, clock.now())
    cid = s.cls.id
    names = {j.name for j in jobs}
    assert {
        f"digest:{cid}:2024-07-15",
        f"digest:{cid}:2024-07-16",
        f"digest:{cid}:2024-07-17",
        f"visit-eve:{cid}:s3:2024-07-15",
        f"depart:{cid}:s3",
        f"rollcall:{cid}:s3",
    } == names
    # 06:30 in Hanoi (UTC+7) is 23:30 UTC the day before; stale once the 08:00 opening begins.
    digest = job(jobs, f"digest:{cid}:2024-07-15")
    assert digest.when == at(2024, 7, 14, 23, 30)
    assert digest.deadline == at(2024, 7, 15, 1, 0)
    assert job(jobs, f"visit-eve:{cid}:s3:2024-07-15").when == at(2024, 7, 14, 13, 0)
    assert job(jobs, f"depart:{cid}:s3").when == at(2024, 7, 15, 5, 45)
    assert job(jobs, f"rollcall:{cid}:s3").when == at(2024, 7, 15, 6, 5)
    assert job(jobs, f"depart:{cid}:s3").deadline == at(2024, 7, 15, 6, 15)


async def test_normal_day_digest_per_member_language(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 14, 23, 30))
    digest = job(await reminders.plan_jobs(db, clock.now()), f"digest:{s.cls.id}:2024-07-15")
    assert await reminders.fire(db, digest, clock.now()) == 2  # trainee and manager
    rows = {r["person"]: r for r in await outbox_rows(db, "digest")}
    assert set(rows) == {s.trainee.id, s.manager.id}
    lao, vi = rows[s.trainee.id]["reply"].plain(), rows[s.manager.id]["reply"].plain()
    with use_lang("lo"):
        assert (
            _("Welcome to {class_name}! Here is today's programme.").format(
                class_name=s.cls.title("lo")
            )
            in lao
        )
    assert "ພິທີເປີດການຝຶກອົບຮົມ" in lao and day(dt.date(2024, 7, 15), "lo") in lao
    assert "Lễ khai giảng" in vi and day(dt.date(2024, 7, 15), "vi") in vi
    row = rows[s.trainee.id]
    assert row["key"] == f"digest:{s.cls.id}:{s.trainee.id}:2024-07-15"
    assert not row["urgent"]
    assert row["not_before"] == clock.now()
    assert row["expires_at"] == at(2024, 7, 15, 1, 0)


async def test_last_day_mentions_the_closing_ceremony(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 16, 23, 30))
    assert await reminders.fire_due(db, clock.now()) == 2
    text = next(
        r["reply"].plain() for r in await outbox_rows(db, "digest") if r["person"] == s.manager.id
    )
    with use_lang("vi"):
        assert (
            _("The closing ceremony is at {time}.").format(time=format_clock(dt.time(15, 0)))
            in text
        )
        assert _("Welcome to {class_name}! Here is today's programme.")[:10] not in text


async def test_day_without_sessions_has_no_digest(db: Database, clock: FakeClock) -> None:
    base = vientiane_schedule()
    gap = Schedule(base.cls, base.topics, tuple(x for x in base.sessions if x.key != "s4"))
    cls, _v = await save_version(db, gap, created_by="t", source_hash="gap", now=clock.now())
    person, _i, _new = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="9",
        chat_id="9",
        display_name="T",
        language_code="lo",
        now=clock.now(),
    )
    await people.add_member(db, cls.id, person.id, Role.TRAINEE, clock.now())
    names = {j.name for j in await reminders.plan_jobs(db, clock.now())}
    assert f"digest:{cls.id}:2024-07-16" not in names
    clock.set(at(2024, 7, 15, 23, 30))
    assert await reminders.fire_due(db, clock.now()) == 0
    assert await outbox_rows(db, "digest") == []


async def test_guangzhou_digest_in_utc_plus_8(db: Database) -> None:
    now = at(2025, 9, 18, 12, 0)
    cls, _v = await save_version(db, guangzhou_schedule(), created_by="t", source_hash="g", now=now)
    jobs = await reminders.plan_jobs(db, now)
    first = job(jobs, f"digest:{cls.id}:2025-09-19")
    assert first.when == at(2025, 9, 18, 22, 30)  # 06:30 in Guangzhou
    assert first.deadline == at(2025, 9, 19, 1, 0)  # the 09:00 opening


async def test_quiet_hours_delay_digest_but_not_departure(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    await people.set_reminder_prefs(db, s.trainee.id, quiet=(dt.time(5, 0), dt.time(7, 0)))
    clock.set(at(2024, 7, 14, 23, 30))
    await reminders.fire_due(db, clock.now())
    digest = next(r for r in await outbox_rows(db, "digest") if r["person"] == s.trainee.id)
    assert digest["not_before"] == at(2024, 7, 15, 0, 0)  # 07:00 in Hanoi
    await people.set_reminder_prefs(db, s.trainee.id, quiet=(dt.time(12, 0), dt.time(14, 0)))
    clock.set(at(2024, 7, 15, 5, 45))  # 12:45 in Hanoi, inside quiet hours
    await reminders.fire_due(db, clock.now())
    (depart,) = await outbox_rows(db, "depart")
    assert depart["urgent"] and depart["not_before"] == clock.now()
    assert depart["expires_at"] == at(2024, 7, 15, 6, 15)


def test_quiet_until_wraps_midnight() -> None:
    tz = dt.timezone(dt.timedelta(hours=7))
    start, end = dt.time(22, 0), dt.time(6, 0)
    night = dt.datetime(2024, 7, 14, 23, 0, tzinfo=tz)
    assert reminders.quiet_until(night, start, end) == dt.datetime(2024, 7, 15, 6, 0, tzinfo=tz)
    early = dt.datetime(2024, 7, 15, 5, 59, tzinfo=tz)
    assert reminders.quiet_until(early, start, end) == dt.datetime(2024, 7, 15, 6, 0, tzinfo=tz)
    assert reminders.quiet_until(early.replace(hour=6, minute=0), start, end) is None
    assert reminders.quiet_until(night, dt.time(0), dt.time(0)) is None


async def test_restart_just_after_digest_sends_no_second_copy(
    db: Database, clock: FakeClock
) -> None:
    await seed(db, clock.now())
    clock.set(at(2024, 7, 14, 23, 30))
    await reminders.fire_due(db, clock.now())
    assert len(await outbox_rows(db, "digest")) == 2
    clock.advance(dt.timedelta(minutes=1))  # restarted: catch-up finds the digest still useful
    await reminders.fire_due(db, clock.now())
    assert len(await outbox_rows(db, "digest")) == 2


async def test_down_over_0630_sends_one_late_digest(db: Database, clock: FakeClock) -> None:
    await seed(db, clock.now())
    clock.set(at(2024, 7, 15, 0, 10))  # 07:10 in Hanoi: missed 06:30, the opening is at 08:00
    assert await reminders.fire_due(db, clock.now()) >= 2
    clock.advance(dt.timedelta(minutes=5))
    await reminders.fire_due(db, clock.now())
    assert len(await outbox_rows(db, "digest")) == 2


async def test_down_past_first_session_sends_no_digest(db: Database, clock: FakeClock) -> None:
    await seed(db, clock.now())
    clock.set(at(2024, 7, 15, 1, 5))  # 08:05 in Hanoi: the opening has begun
    await reminders.fire_due(db, clock.now())
    assert await outbox_rows(db, "digest") == []
    assert len(await outbox_rows(db, "visit-eve")) == 2  # the card is useful until departure


async def test_remind_off_stops_digest_not_departure(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    await people.set_reminder_prefs(db, s.trainee.id, remind=False)
    clock.set(at(2024, 7, 14, 23, 30))
    await reminders.fire_due(db, clock.now())
    assert [r["person"] for r in await outbox_rows(db, "digest")] == [s.manager.id]
    clock.set(at(2024, 7, 15, 5, 45))
    await reminders.fire_due(db, clock.now())
    assert [r["person"] for r in await outbox_rows(db, "depart")] == [s.trainee.id]


async def test_own_digest_time_gets_its_own_job(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    await people.set_reminder_prefs(db, s.trainee.id, digest_time=dt.time(6, 0))
    clock.set(at(2024, 7, 14, 22, 0))
    jobs = await reminders.plan_jobs(db, clock.now())
    own = job(jobs, f"digest:{s.cls.id}:2024-07-15@06:00")
    assert own.when == at(2024, 7, 14, 23, 0)
    clock.set(own.when)
    await reminders.fire(db, own, clock.now())
    assert [r["person"] for r in await outbox_rows(db, "digest")] == [s.trainee.id]
    clock.set(at(2024, 7, 14, 23, 30))
    await reminders.fire(db, job(jobs, f"digest:{s.cls.id}:2024-07-15"), clock.now())
    assert [r["person"] for r in await outbox_rows(db, "digest")] == [s.trainee.id, s.manager.id]


async def test_departure_reminder_has_the_bus_button(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 15, 5, 45))
    await reminders.fire_due(db, clock.now())
    (row,) = await outbox_rows(db, "depart")
    reply: Reply = row["reply"]
    (button,) = reply.buttons[0]
    assert button.action == f"checkin:{s.cls.id}:s3:2024-07-15"
    with use_lang("lo"):
        assert button.label == _("I'm on the bus")
    assert "ໂຖງໂຮງແຮມ" in reply.plain() and "13:15" in reply.plain()
    assert reply.location is not None and reply.location.latitude == 21.0285
    assert row["key"] == f"depart:{s.cls.id}:{s.trainee.id}:s3:2024-07-15"


async def test_evening_card_carries_the_departure_card(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 14, 13, 0))  # 20:00 in Hanoi the evening before
    assert await reminders.fire_due(db, clock.now()) == 2
    row = next(r for r in await outbox_rows(db, "visit-eve") if r["person"] == s.trainee.id)
    assert row["reply"].location is not None
    assert "ລົດ 45 ບ່ອນນັ່ງ" in row["reply"].plain()  # transport, in Lao
    assert row["expires_at"] == at(2024, 7, 15, 6, 15)


async def test_missing_list_to_managers(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 15, 6, 5))  # 13:05, ten minutes before departure
    await reminders.fire_due(db, clock.now())
    (row,) = await outbox_rows(db, "rollcall")
    assert row["person"] == s.manager.id and row["urgent"]
    text = row["reply"].plain()
    assert "Somphone" in text
    actions = [b.action for line in row["reply"].buttons for b in line]
    assert f"mark:{s.cls.id}:s3:2024-07-15:{s.trainee.id}" in actions


async def test_moved_departure_old_job_does_not_fire(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    old = job(await reminders.plan_jobs(db, clock.now()), f"depart:{s.cls.id}:s3")
    await _move_visit(db, clock, s, dt.time(14, 0))
    moved = job(await reminders.plan_jobs(db, clock.now()), f"depart:{s.cls.id}:s3")
    assert moved.when == at(2024, 7, 15, 6, 30)
    clock.set(old.when)
    assert await reminders.fire(db, old, clock.now()) == 0
    clock.set(moved.when)
    assert await reminders.fire(db, old, clock.now()) == 1  # the job re-reads the store


async def _move_visit(db: Database, clock: FakeClock, s: Seeded, departure: dt.time) -> None:
    base = vientiane_schedule()
    sessions = tuple(
        dataclasses.replace(x, departure=departure) if x.key == "s3" else x for x in base.sessions
    )
    await save_version(
        db,
        Schedule(base.cls, base.topics, sessions),
        created_by="t",
        source_hash="moved",
        now=clock.now(),
    )


async def test_existing_keys_and_job_kinds(db: Database, clock: FakeClock) -> None:
    await seed(db, clock.now())
    assert await reminder_store.existing_keys(db, ["nope"]) == set()
    assert JobKind.DEPART.urgent and JobKind.ROLLCALL.urgent and not JobKind.DIGEST.urgent


async def test_fire_many_batches_and_skips_what_is_not_due(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    clock.set(at(2024, 7, 14, 23, 30))
    jobs = await reminders.plan_jobs(db, clock.now())
    batch = [
        job(jobs, f"digest:{s.cls.id}:2024-07-15"),
        job(jobs, f"visit-eve:{s.cls.id}:s3:2024-07-15"),
        job(jobs, f"depart:{s.cls.id}:s3"),  # not due until 12:45
    ]
    assert await reminders.fire_many(db, batch, clock.now()) == 4
    assert await reminders.fire_many(db, batch, clock.now()) == 0
    kinds = sorted(r["kind"] for r in await outbox_rows(db))
    assert kinds == ["digest", "digest", "visit-eve", "visit-eve"]


async def test_delivered_over_telegram_quiet_digest_waits_urgent_does_not(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    s = await seed(db, clock.now())
    await people.set_reminder_prefs(db, s.trainee.id, quiet=(dt.time(5, 0), dt.time(7, 0)))
    bot = Bot("123:offline", request=request_recorder, get_updates_request=request_recorder)
    await bot.initialize()
    worker = DeliveryWorker(db, [TelegramSender(bot)], clock, sleep=clock_sleep(clock))
    try:
        clock.set(at(2024, 7, 14, 23, 30))  # 06:30 in Hanoi
        await reminders.fire_due(db, clock.now())
        await worker.run_until_idle()
        assert request_recorder.messages(601)  # the manager has no quiet hours then
        assert not request_recorder.messages(501)  # the trainee's digest waits until 07:00
        await worker.run_until_idle(until=at(2024, 7, 15, 0, 5))
        assert any("ພິທີເປີດການຝຶກອົບຮົມ" in c.text for c in request_recorder.messages(501))
        request_recorder.clear()
        await people.set_reminder_prefs(db, s.trainee.id, quiet=(dt.time(12), dt.time(14)))
        clock.set(at(2024, 7, 15, 5, 45))  # 12:45, inside the trainee's new quiet hours
        await reminders.fire_due(db, clock.now())
        await worker.run_until_idle()
        (text,) = [c for c in request_recorder.sent("sendMessage", 501) if c.buttons]
        with use_lang("lo"):
            assert text.buttons == [[(_("I'm on the bus"), f"checkin:{s.cls.id}:s3:2024-07-15")]]
        assert request_recorder.sent("sendVenue", 501) or request_recorder.sent("sendLocation", 501)
    finally:
        await bot.shutdown()
